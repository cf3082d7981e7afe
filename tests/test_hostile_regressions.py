"""Regressions from a blind hostile-input trial (issue 11): each was an
internal error, a clobbered device or an unbounded report before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycoord.cli import app

EXAMPLE = Path(__file__).parents[1] / "examples" / "policies"
TODAY = "2026-11-24"


def invoke(*arguments: str, cwd: Path) -> tuple[int, str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(arguments), catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


@pytest.mark.parametrize("pattern", [".", "./", "orgs/"])
def test_a_policies_pattern_naming_a_folder_is_not_an_internal_error(
    tmp_path: Path, pattern: str
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    partnership = repo / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    assert 'policies: ["orgs/*.yaml"]' in text
    partnership.write_text(text.replace('["orgs/*.yaml"]', f'["{pattern}"]'), encoding="utf-8")
    status, output = invoke("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert status in (0, 1), output
    json.loads(output)


def test_output_to_a_device_or_a_pipe_writes_to_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, _ = invoke("check", "--today", TODAY, "-f", "json", "-o", str(fifo), cwd=EXAMPLE)
    reader.join(timeout=30)
    assert status == 1
    assert json.loads(received[0])["summary"]["error"] == 8
    assert fifo.is_fifo()  # still a pipe, not replaced by a file
    status, _ = invoke("check", "--today", TODAY, "-o", os.devnull, cwd=EXAMPLE)
    assert status == 1 and Path(os.devnull).is_char_device()


def test_a_baseline_nested_too_deeply_is_a_plain_usage_error(tmp_path: Path) -> None:
    baseline = tmp_path / "deep.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "check", "--baseline", str(baseline)],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "is not a policycoord baseline file (JSON nested too deeply)" in completed.stderr
    assert "internal error" not in completed.stderr


def test_schema_findings_are_capped_per_file(tmp_path: Path) -> None:
    policy = tmp_path / "roles.yaml"
    policy.write_text(
        "policycoord: 1\norganisation:\n  id: mk\n  name: N\n  sector: education\n"
        "roles: [" + ",".join(["1"] * 5_000) + "]\n",
        encoding="utf-8",
    )
    status, output = invoke("validate", "-f", "json", str(policy), cwd=tmp_path)
    findings = json.loads(output)["findings"]
    assert status == 1
    assert len(findings) == 51
    assert findings[-1]["message"].startswith("4,950 more problems with this file's structure")


def test_diff_does_not_follow_a_partnership_link_into_another_repository(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.org",
    }

    def git(cwd: Path, *arguments: str) -> None:
        subprocess.run(
            ["git", *arguments], cwd=cwd, env=environment, check=True, capture_output=True
        )

    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    git(other, "init", "-q", "-b", "main")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "secret subject")
    git(other, "tag", "only-in-other")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "partnership.yaml").symlink_to(other / "partnership.yaml")
    git(mine, "init", "-q", "-b", "main")
    git(mine, "add", "-A")
    git(mine, "commit", "-q", "-m", "mine")
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "history", "-f", "json"],
        cwd=mine,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "secret subject" not in completed.stdout + completed.stderr
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "diff", "--base", "only-in-other"],
        cwd=mine,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "does not exist in this repository" in completed.stderr
