"""Acceptance on a third partnership written blind from SPEC.md and DOMAIN.md
alone (tests/acceptance/harbour/, December 2026): Harbourne, a coastal
unitary council with a MASH, an emergency duty team and a LADO, police,
ICB, a hospital trust, two GP practices, an academy, a nursery, a rowing
club, a church, a youth charity and a youth justice service, in sub-folders
by sector under `policies: ["orgs/*/*.yaml"]`, with an archive file outside
the patterns that repeats the council's id. 18 seeded defects, 25
arrangements that must stay quiet (eight organisations route out of hours to
the EDT as the MASH's stand-in); EXPECTED.md was written before the first
run. The first run (main at 5ffd52d) found every seeded defect at the line
or an alternative its author gave, and nothing else.

The same partnership is the hidden-partnership stand-in for the front ends:
the workspace that `serve` and `lsp` hold gives exactly what `check` gives.
"""

from __future__ import annotations

import datetime
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import ACCEPTANCE, run_cli

from policycoord.workflows.pipeline import Options, check
from policycoord.workflows.workspace import Workspace

TODAY = "2026-12-07"
HARBOUR = ACCEPTANCE / "harbour"

EXPECTED = Counter(
    [
        ("PC101", None, "partnership.yaml", 56),
        ("PC103", None, "partnership.yaml", 44),  # EXPECTED.md's alternative
        ("PC105", None, "partnership.yaml", 48),
        ("PC405", None, "partnership.yaml", 156),  # the alternative: its `expires`
        ("PC102", "little-anchors-nursery", "orgs/education/little-anchors-nursery.yaml", 3),
        ("PC201", "harbourne-academy", "orgs/education/harbourne-academy.yaml", 77),
        ("PC202", "harbourne-police", "orgs/statutory/harbourne-police.yaml", 74),
        ("PC203", "harbourne-rowing-club", "orgs/community/harbourne-rowing-club.yaml", 39),
        (
            "PC204",
            "lighthouse-medical-practice",
            "orgs/health/lighthouse-medical-practice.yaml",
            36,
        ),
        (
            "PC104",
            "lighthouse-medical-practice",
            "orgs/health/lighthouse-medical-practice.yaml",
            28,
        ),
        ("PC205", "harbourne-hospital", "orgs/health/harbourne-hospital.yaml", 59),
        ("PC206", "harbourne-rowing-club", "orgs/community/harbourne-rowing-club.yaml", 53),
        ("PC207", "quayside-surgery", "orgs/health/quayside-surgery.yaml", 26),
        ("PC208", "harbourne-police", "orgs/statutory/harbourne-police.yaml", 67),
        ("PC301", "harbourne-rowing-club", "orgs/community/harbourne-rowing-club.yaml", 63),
        ("PC302", "harbourne-hospital", "orgs/health/harbourne-hospital.yaml", 70),
        ("PC303", "harbourne-police", "orgs/statutory/harbourne-police.yaml", 105),
        ("PC401", "st-nicholas-harbourne", "orgs/community/st-nicholas-harbourne.yaml", 10),
    ]
)


@pytest.fixture(scope="module")
def report() -> tuple[int, dict[str, Any]]:
    status, out, err = run_cli("check", "--today", TODAY, "--format", "json", cwd=HARBOUR)
    assert "Traceback" not in err
    return status, json.loads(out)


def test_every_seeded_finding_and_no_false_alarm(report: tuple[int, dict[str, Any]]) -> None:
    status, found_report = report
    found = Counter(
        (f["code"], f["organisation"], f["path"], f["line"]) for f in found_report["findings"]
    )
    assert found - EXPECTED == Counter(), "false alarms"
    assert EXPECTED - found == Counter(), "seeded defects not found"
    assert status == 1


def test_the_summary_its_author_predicted(report: tuple[int, dict[str, Any]]) -> None:
    _, found_report = report
    summary = found_report["summary"]
    assert (summary["files"], summary["organisations"]) == (13, 12)  # not the archive file
    assert (summary["error"], summary["warning"], summary["info"]) == (10, 8, 0)
    assert summary["suppressed"] == 1  # the ICB's PC404, under a waiver in force


def test_the_workspace_gives_what_check_gives_after_each_edit(tmp_path: Path) -> None:
    repo = tmp_path / "harbour"
    shutil.copytree(HARBOUR, repo)
    options = Options(today=datetime.date.fromisoformat(TODAY))
    workspace = Workspace(repo, options=options)

    def said(findings: Any) -> list[tuple[str, str, str]]:
        return [(f.code, str(f.location), f.message) for f in findings]

    assert said(workspace.check().report.findings) == said(
        check([str(repo)], options=options).findings
    )
    academy = repo / "orgs/education/harbourne-academy.yaml"
    text = academy.read_text(encoding="utf-8")
    fixed = text.replace("harbourne-cs/safeguarding-manager", "harbourne-cs/head-of-service")
    assert fixed != text
    academy.write_text(fixed, encoding="utf-8")
    after = workspace.reread([academy])
    assert "PC201" not in {f.code for f in after.report.findings}
    assert said(after.report.findings) == said(check([str(repo)], options=options).findings)


def test_the_editor_server_reports_and_follows_an_edit(tmp_path: Path) -> None:
    # `policycoord lsp` driven over stdio as an editor drives it: diagnostics on
    # open are the file's findings; an edit naming a role the council does not
    # have gives PC201 with the council's roles; putting it back takes it away
    from tests.lsp.client import Client

    repo = tmp_path / "harbour"
    shutil.copytree(HARBOUR, repo)
    school = "orgs/education/harbourne-academy.yaml"
    today = check([str(repo)])  # the server checks as of today, as this does
    client = Client(repo)
    client.initialize()
    try:
        text = (repo / school).read_text(encoding="utf-8")
        client.open(school)
        _, found = client.diagnostics(school)
        assert [d["code"] for d in found] == [
            f.code for f in today.findings if f.location.path == school
        ]
        mark = client.mark()
        client.change(
            school, text.replace("to: harbourne-cs/mash", "to: harbourne-cs/front-door", 1)
        )
        _, found = client.diagnostics(school, after=mark, where=lambda d: len(d) > len(found))
        added = [d for d in found if d["code"] == "PC201" and "front-door" in d["message"]]
        assert len(added) == 1 and "head-of-service" in added[0]["message"]
        mark = client.mark()
        client.change(school, text, version=3)
        _, back = client.diagnostics(school, after=mark, where=lambda d: len(d) < len(found))
        assert not [d for d in back if "front-door" in d["message"]]
    finally:
        assert client.close() == 0
    assert b"Traceback" not in client.stderr
