"""The baseline file `policycoord baseline` writes: the accepted findings'
fingerprints, with their code, organisation and message for the people who
review the file (checks/baseline.py reads it back)."""

from __future__ import annotations

from collections.abc import Iterable

from policycoord.checks.baseline import VERSION as BASELINE_VERSION
from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import BaselineEntry
from policycoord.output.reporters.json_report import dumps


def document(baseline: Iterable[BaselineEntry]) -> str:
    """The baseline file's text (ends with a newline)."""
    return dumps(
        {
            "version": BASELINE_VERSION,
            "tool": TOOL_NAME,
            "findings": [
                {
                    "code": e.code,
                    "organisation": e.organisation,
                    "fingerprint": e.fingerprint,
                    "message": e.message,
                }
                for e in baseline
            ],
        }
    )
