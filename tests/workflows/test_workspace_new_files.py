"""The workspace (workflows/workspace.py) as `workbook import` uses it: a
file that is not there yet checked as if it were (`set_text(..., new=True)`),
and a baseline file in the options suppressing what it lists, as `check`
does. Each gives exactly what a fresh `check` of the same files gives."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY

from policycoord.checks import baseline as baselines
from policycoord.core.findings import Report
from policycoord.output.reporters import baseline_file
from policycoord.workflows.pipeline import Options, check
from policycoord.workflows.workspace import Workspace, difference

OPTIONS = Options(today=datetime.date.fromisoformat(TODAY))
NEW = "orgs/harbour-scouts.yaml"
TEXT = (
    "policycoord: 1\norganisation:\n  id: harbour-scouts\n  name: Harbour Scouts\n  sector: sport\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    return tmp_path / "policies"


def _said(report: Report) -> list[tuple[str, str, str, str]]:
    return [(f.code, str(f.location), f.fingerprint, f.message) for f in report.findings]


def test_a_new_file_is_checked_before_it_is_written(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    before = workspace.check()
    after = workspace.set_text(repo / NEW, TEXT, new=True)
    assert not (repo / NEW).exists()
    assert NEW in after.files and workspace.reads(repo / NEW)
    (repo / NEW).write_text(TEXT)
    assert _said(after.report) == _said(check([str(repo)], options=OPTIONS))
    introduced = difference(before.report, after.report).introduced
    assert {f.code for f in introduced} >= {"PC007"}  # not a member: as check says
    (repo / NEW).unlink()
    again = workspace.set_text(repo / NEW, None)
    assert NEW not in again.files
    assert _said(again.report) == _said(before.report)


def test_without_new_a_text_for_a_file_not_there_is_not_read(repo: Path) -> None:
    workspace = Workspace(repo, options=OPTIONS)
    assert NEW not in workspace.set_text(repo / NEW, TEXT).files  # as an editor's new buffer


def test_a_baseline_suppresses_as_in_check(repo: Path, tmp_path: Path) -> None:
    written = tmp_path / "baseline.json"
    every = check([str(repo)], options=dataclasses.replace(OPTIONS, every_finding=True))
    written.write_text(baseline_file.document(baselines.entries(every.findings[:5])))
    options = dataclasses.replace(OPTIONS, baseline=str(written))
    checked = Workspace(repo, options=options).check()
    fresh = check([str(repo)], options=options)
    assert len(checked.report.suppressed) == len(fresh.suppressed) >= 5
    assert _said(checked.report) == _said(fresh)
    assert checked.report.baseline == fresh.baseline == str(written)
