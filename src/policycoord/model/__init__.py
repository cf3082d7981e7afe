"""Model: the partnership as frozen dataclasses with Locations, built once from
the loaded files (build), with the escalation graph and the jargon index.
Imports core and input."""
