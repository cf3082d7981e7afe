"""Data-driven rule cases: `cases/PCxxx.yaml` holds small repositories and
exactly the findings of that code each must give.

A case file:

    code: PC006
    cases:
      - id: member-without-file
        today: 2026-11-24            # optional; 2026-11-24 by default
        paths: [orgs/a.yaml]         # optional: check only these (relative) paths
        select: [PC4]                # optional: as --select / --ignore
        ignore: [PC301]
        suppressed: [PC401]          # optional: the codes of the suppressed findings
        files:
          partnership.yaml: |
            ...
        expect:                      # every finding of `code`, in report order
          - path: partnership.yaml
            line: 5
            organisation: ghost      # optional
            message: [ghost, "no policy file"]   # optional: substrings of the message
            suggestion: [orgs/ghost.yaml]        # optional: substrings of the suggestion
            related: ["orgs/a.yaml:3"]           # optional: related locations, path:line

An empty `expect` is a clean case. `pytest -k PC006` runs one rule's cases.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASES

from policycoord.checks.rules import RULES_BY_CODE
from policycoord.core.findings import Finding
from policycoord.workflows.pipeline import Options, check

CASES_DIR = CASES
DEFAULT_TODAY = datetime.date(2026, 11, 24)


def _load_cases() -> list[Any]:
    params = []
    for case_file in sorted(CASES_DIR.glob("PC*.yaml")):
        document = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        code = document["code"]
        assert case_file.stem == code, f"{case_file.name} declares {code}"
        assert code in RULES_BY_CODE, f"{case_file.name}: no rule {code}"
        ids = [case["id"] for case in document["cases"]]
        assert len(ids) == len(set(ids)), f"{case_file.name} repeats a case id"
        params.extend(
            pytest.param(code, case, id=f"{code}::{case['id']}") for case in document["cases"]
        )
    return params


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _describe(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.location}  {f.code}  {f.message}" for f in findings) or "  (none)"


@pytest.mark.parametrize(("code", "case"), _load_cases())
def test_rule_case(tmp_path: Path, code: str, case: dict[str, Any]) -> None:
    _write(tmp_path, case["files"])
    today = case.get("today", DEFAULT_TODAY)
    paths = [str(tmp_path / p) for p in case.get("paths", [])] or [str(tmp_path)]
    options = Options(
        today=today,
        select=tuple(case.get("select", ())),
        ignore=tuple(case.get("ignore", ())),
    )
    report = check(paths, options=options)
    if "suppressed" in case:
        assert sorted(s.finding.code for s in report.suppressed) == sorted(case["suppressed"])
    found = [f for f in report.findings if f.code == code]
    expected = case.get("expect") or []
    assert len(found) == len(expected), (
        f"{code}::{case['id']}: expected {len(expected)} finding(s), got:\n{_describe(found)}"
    )
    for finding, want in zip(found, expected, strict=True):
        where = f"{code}::{case['id']} at {finding.location}"
        assert finding.location.path == want["path"], where
        assert finding.location.line == want["line"], where
        if "organisation" in want:
            assert finding.organisation == want["organisation"], where
        for piece in want.get("message", []):
            assert piece in finding.message, f"{where}: {piece!r} not in {finding.message!r}"
        for piece in want.get("suggestion", []):
            assert piece in finding.suggestion, f"{where}: {piece!r} not in {finding.suggestion!r}"
        if "related" in want:
            shown = [f"{r.path}:{r.line}" for r in finding.related]
            assert shown == want["related"], where
