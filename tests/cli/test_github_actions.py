"""Under GitHub Actions (GITHUB_ACTIONS=true) the terminal format also writes
workflow annotations and appends a Markdown summary to $GITHUB_STEP_SUMMARY
(SPEC §4); elsewhere it does neither."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EXAMPLES, TODAY, run_cli


def test_annotations_and_step_summary_under_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    # a copy in no git repository: annotations name files from a repository's
    # root (tests/output/reporters/test_repository_paths.py), here the partnership's
    examples = shutil.copytree(EXAMPLES, tmp_path / "examples")
    code, out, err = run_cli(
        "check",
        examples,
        "--today",
        TODAY,
        cwd=tmp_path,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert code == 1 and err == ""
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) == 19  # one per finding of the example
    assert any(c.startswith("::error file=partnership.yaml,line=39,col=") for c in commands)
    assert any(c.startswith("::warning file=orgs/riverside-fc.yaml,line=9,") for c in commands)
    assert any(c.startswith("::notice ") for c in commands)
    assert "Summary" in out  # the terminal report follows the annotations
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# Earlier step\n")  # appended, never overwritten
    assert "Northshire Safeguarding Children Partnership" in written
    assert "PC101" in written and "| " in written


def test_nothing_extra_outside_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    code, out, _ = run_cli(
        "check", EXAMPLES, "--today", TODAY, cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert code == 1
    assert not any(line.startswith("::") for line in out.splitlines())
    assert not summary.exists()


def test_an_unwritable_step_summary_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    code, out, err = run_cli(
        "check",
        EXAMPLES,
        "--today",
        TODAY,
        cwd=tmp_path,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "dir.md")},
    )
    assert code == 1
    assert err.startswith("policycoord: could not add to the step summary")
    assert err.count("\n") == 1
    assert "Summary" in out
