"""`--format gitlab`: GitLab Code Quality JSON with exactly the documented
fields, unique fingerprints, GitLab's severity names, and user text that
cannot break the JSON or hide in it."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY, CliRunner

from output.reporters.example_copies import examples_outside_git
from output.reporters.hostile_repo import HOSTILE_FILE, hostile_repo, json_findings, raw_controls
from output.test_report_formats_golden import broken_repo
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.gitlab import render
from policycoord.workflows.pipeline import Options, check

SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def gitlab(cli: CliRunner, repo: Path, *args: str) -> tuple[str, list[dict[str, Any]]]:
    code, out, err = cli("check", "--today", TODAY, "-f", "gitlab", *args, cwd=repo)
    assert code in (0, 1), err
    entries: list[dict[str, Any]] = json.loads(out)
    return out, entries


@pytest.mark.parametrize("which", ["examples", "broken", "hostile"])
def test_one_entry_per_finding(cli: CliRunner, tmp_path: Path, which: str) -> None:
    repo = {
        "examples": lambda: examples_outside_git(tmp_path / "examples"),
        "broken": lambda: broken_repo(tmp_path / "repo"),
        "hostile": lambda: hostile_repo(tmp_path / "repo"),
    }[which]()
    out, entries = gitlab(cli, repo)
    assert str(tmp_path) not in out
    findings = json_findings(cli, repo)["findings"]
    assert len(entries) == len(findings)
    for entry, finding in zip(entries, findings, strict=True):
        assert list(entry) == ["description", "check_name", "fingerprint", "severity", "location"]
        assert entry["check_name"] == finding["code"]
        assert entry["fingerprint"] == finding["fingerprint"]
        assert entry["severity"] == SEVERITIES[finding["severity"]]
        assert entry["location"] == {"path": finding["path"], "lines": {"begin": finding["line"]}}
        assert entry["description"]
    assert len({entry["fingerprint"] for entry in entries}) == len(entries)


def test_user_text_is_shown_not_obeyed(cli: CliRunner, tmp_path: Path) -> None:
    out, entries = gitlab(cli, hostile_repo(tmp_path / "repo"))
    assert raw_controls(out) == []
    (unknown,) = [e for e in entries if e["check_name"] == "PC007"]
    assert unknown["description"].startswith(
        "%0A:\\x3aerror:\\x3ax\\x0a:\\x3awarning file=a,line=1:\\x3ainjected\\x0d\\x0a"
        "<script>alert(1)</script>"
        " ]]> \\x1b[31mred <U+202E>evil \\x00\\x07\\x85\\x9b<U+FFFE> [link](1)"
    )
    # the path stays exactly as written, so that GitLab can link to the file
    assert HOSTILE_FILE in {e["location"]["path"] for e in entries}


def test_repeated_fingerprints_are_told_apart() -> None:
    report = check([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    first = report.findings[0]
    copies = tuple(dataclasses.replace(first, message=f"copy {n}") for n in range(3))
    entries = json.loads(render(dataclasses.replace(report, findings=copies), RenderOptions()))
    prints = [entry["fingerprint"] for entry in entries]
    assert prints[0] == first.fingerprint
    assert len(set(prints)) == 3


def test_nothing_to_report_is_an_empty_list(cli: CliRunner, tmp_path: Path) -> None:
    report = check([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    assert render(dataclasses.replace(report, findings=()), RenderOptions()) == "[]\n"
