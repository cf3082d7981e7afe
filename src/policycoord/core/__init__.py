"""Core: what every stage shares. Findings and reports (Severity, Location,
Violation, Finding, Report), the one error type, timeframes, and text safety.
Imports nothing else of policycoord."""
