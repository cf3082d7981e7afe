"""The example's README says what a run reports; this keeps it true."""

from __future__ import annotations

import datetime
import re

from policycoord.workflows.pipeline import Options, check
from tests.conftest import EXAMPLES

README = (EXAMPLES / "README.md").read_text(encoding="utf-8")
TODAY = datetime.date(2026, 11, 24)


def _reported_section() -> str:
    return README.split("## What `policycoord check` reports today", 1)[1]


def test_the_readme_table_lists_exactly_what_check_reports() -> None:
    documented = set()
    for line in _reported_section().splitlines():
        row = re.match(r"\| (PC\d{3}) (error|warning|info) \| `([^`:]+):(\d+)`", line)
        if row:
            code, severity, path, number = row.groups()
            documented.add((code, severity, path, int(number)))
    report = check([str(EXAMPLES)], options=Options(today=TODAY))
    found = {(f.code, f.severity.value, f.location.path, f.location.line) for f in report.findings}
    assert documented == found


def test_the_readme_summary_is_the_runs() -> None:
    report = check([str(EXAMPLES)], options=Options(today=TODAY))
    summary = report.summary
    words = " ".join(_reported_section().split())
    expected = (
        f"Summary: {summary.files} files, {summary.organisations} organisations, "
        f"{summary.error} errors, {summary.warning} warnings, {summary.info} info, "
        f"{summary.suppressed} suppressed"
    )
    assert expected in words
    assert f"exit status {report.exit_status}" in words
