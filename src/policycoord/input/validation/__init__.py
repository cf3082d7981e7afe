"""Validation: a loaded file against its JSON Schema -> PC003 findings at the
offending value's line, in plain English.

`validate` (running.py) runs the schema (schemas.py) over the file's data as
JSON sees it (json_data.py), a window at a time when it is large and wrong
(windows.py), and explains each error (explanations.py).

Other packages import the names below from here.
"""

from __future__ import annotations

from policycoord.input.validation.json_data import json_compatible, json_ready
from policycoord.input.validation.running import MAX_SCHEMA_FINDINGS, validate
from policycoord.input.validation.schemas import SCHEMA_KINDS, schema, schema_text
from policycoord.input.validation.windows import (
    MAX_SCHEMA_ERRORS_COUNTED,
    MAX_SCHEMA_ERRORS_READ,
    WINDOW_VALUES,
)

__all__ = [
    "MAX_SCHEMA_ERRORS_COUNTED",
    "MAX_SCHEMA_ERRORS_READ",
    "MAX_SCHEMA_FINDINGS",
    "SCHEMA_KINDS",
    "WINDOW_VALUES",
    "json_compatible",
    "json_ready",
    "schema",
    "schema_text",
    "validate",
]
