"""Checks: the engine (select, run, stamp, waivers, baseline, sort) and the
rules (one module per code, in rules/). Imports core, input and model."""
