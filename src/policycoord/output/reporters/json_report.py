"""`--format json`: the machine-readable report, exactly as SPEC §5 defines it.

Keys in a fixed order, findings already sorted by the engine, no timestamps:
the same inputs give byte-identical output.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import Finding, Location, Report, Suppressed, WaiverRecord
from policycoord.core.text import INVISIBLE_CHARACTERS
from policycoord.output.formats import RenderOptions


def _location(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
        **_cell(location),
    }


def _cell(location: Location) -> dict[str, Any]:
    """`{"cell": "Roles!C4"}` for a place in a workbook (`line` is then its
    row, `column` its column's number); nothing for a YAML file."""
    return {"cell": location.cell} if location.cell else {}


def finding_record(finding: Finding) -> dict[str, Any]:
    """One finding as SPEC §5 writes it (the `diff` JSON uses it too)."""
    where = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "organisation": finding.organisation,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "pointer": where.pointer,
        **_cell(where),
        "related": [_location(r) for r in finding.related],
        "fingerprint": finding.fingerprint,
    }


def _waiver(waiver: WaiverRecord) -> dict[str, Any]:
    return {
        "code": waiver.code,
        "organisation": waiver.organisation,
        "subject": waiver.subject,
        "reason": waiver.reason,
        "approved_by": list(waiver.approved_by),
        "expires": waiver.expires,
        "path": waiver.location.path,
        "line": waiver.location.line,
        "column": waiver.location.column,
        "pointer": waiver.location.pointer,
    }


def _suppressed(suppressed: Suppressed) -> dict[str, Any]:
    """A suppressed finding, and what suppressed it: a waiver or the baseline."""
    entry = finding_record(suppressed.finding)
    if suppressed.waiver is not None:
        entry["suppressed_by"] = {"waiver": _waiver(suppressed.waiver)}
    else:
        entry["suppressed_by"] = {"baseline": True}
    return entry


def _baseline(report: Report) -> dict[str, Any] | None:
    if report.baseline is None:
        return None
    return {
        "file": report.baseline,
        "stale": [
            {
                "code": e.code,
                "organisation": e.organisation,
                "fingerprint": e.fingerprint,
                "message": e.message,
            }
            for e in report.stale_baseline
        ],
    }


def document(report: Report) -> dict[str, Any]:
    """SPEC §5's keys, then what was suppressed (with its waiver, or the
    baseline) and, with `--baseline`, the baseline's stale entries."""
    summary = report.summary
    return {
        "version": 1,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "partnership": report.partnership,
        "summary": {
            "files": summary.files,
            "organisations": summary.organisations,
            "error": summary.error,
            "warning": summary.warning,
            "info": summary.info,
            "suppressed": summary.suppressed,
        },
        "findings": [finding_record(f) for f in report.findings],
        "suppressed": [_suppressed(s) for s in report.suppressed],
        "baseline": _baseline(report),
    }


#: `##[` is a workflow command wherever it is in a line of a GitHub Actions
#: log (the runner's older syntax): its `[` is written `\\u005b` (only a string
#: can hold `#`), so printing the report in a CI log annotates nothing.
_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029]|(?<=##)\\[|" + INVISIBLE_CHARACTERS.pattern)


def render(report: Report, options: RenderOptions) -> str:
    """UTF-8 JSON, with C1 controls, invisible format characters and the line
    and paragraph separators escaped as `\\uXXXX` so that printing the report
    cannot reorder or hide text (and JavaScript can embed it), nor give a CI
    log a command."""
    return dumps(document(report))


def dumps(value: Any) -> str:
    """`value` as indented UTF-8 JSON text ending in a newline, escaped as
    `render` describes (shared with the other JSON outputs)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _UNSAFE.sub(_escape, text) + "\n"


def _escape(match: re.Match[str]) -> str:
    return "".join(
        f"\\u{unit:04x}"
        for unit in struct.unpack(
            f">{len(match.group().encode('utf-16-be')) // 2}H", match.group().encode("utf-16-be")
        )
    )
