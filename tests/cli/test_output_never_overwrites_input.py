"""`--output` never replaces a file the run reads or a file discovery
lists: a report written over `partnership.yaml` would lose uncommitted
work. `-o -` is standard output; a long report name works."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, CliRunner, make_repo, partnership, policy


def _repository(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(members=["school"]),
            "orgs/school.yaml": policy("school"),
            "shared/other.yaml": policy("other"),
        },
    )


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


COMMANDS = [
    ["check", "--today", TODAY],
    ["baseline", "--today", TODAY],
    ["matrix"],
    ["mission"],
    ["validate", "orgs/school.yaml"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("target", ["partnership.yaml", "orgs/school.yaml", "shared/other.yaml"])
def test_output_over_a_file_the_run_reads_is_refused(
    cli: CliRunner, tmp_path: Path, command: list[str], target: str
) -> None:
    repo = _repository(tmp_path / "repo")
    before = _snapshot(repo)
    code, out, err = cli(*command, "-o", target, cwd=repo)
    assert code == 2, (out, err)
    assert f"Cannot write the report to {target}" in err
    assert "reads" in err and "another name" in err
    assert _snapshot(repo) == before


def test_output_over_the_baseline_it_reads_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    assert cli("baseline", "--today", TODAY, "-o", "accepted.json", cwd=repo)[0] == 0
    before = _snapshot(repo)
    code, _, err = cli("check", "--baseline", "accepted.json", "-o", "accepted.json", cwd=repo)
    assert code == 2
    assert "Cannot write the report to accepted.json" in err
    assert _snapshot(repo) == before


def test_output_over_a_policy_of_a_partnership_named_elsewhere_is_refused(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"framework.yaml": partnership(members=["school"]), "orgs/school.yaml": policy("school")},
    )
    before = _snapshot(repo)
    code, _, err = cli("check", "--partnership", "framework.yaml", "-o", "framework.yaml", cwd=repo)
    assert code == 2, err
    assert _snapshot(repo) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("command", [["diff", "--base", "HEAD"], ["history"]], ids=str)
def test_diff_and_history_never_write_over_the_working_tree(
    cli: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    from workflows.gitrepos import commit_all, git

    repo = _repository(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "The partnership")
    (repo / "orgs" / "school.yaml").write_text(policy("school", "Uncommitted work"), "utf-8")
    before = _snapshot(repo)
    for target in ("partnership.yaml", "orgs/school.yaml"):
        code, _, err = cli(*command, "-o", target, cwd=repo)
        assert code == 2, err
        assert _snapshot(repo) == before


def test_output_through_a_link_to_a_policy_replaces_the_link_only(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = _repository(tmp_path / "repo")
    (repo / "report.md").symlink_to(repo / "orgs" / "school.yaml")
    before = (repo / "orgs" / "school.yaml").read_bytes()
    code, _, err = cli("check", "--today", TODAY, "-o", "report.md", cwd=repo)
    assert code in (0, 1), err
    assert not (repo / "report.md").is_symlink()
    assert (repo / "orgs" / "school.yaml").read_bytes() == before


def test_output_dash_is_standard_output(cli: CliRunner, tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    code, out, _ = cli("check", "--today", TODAY, "-f", "json", "-o", "-", cwd=repo)
    assert code == 0
    assert out.startswith("{")
    assert not (repo / "-").exists()


def test_a_long_report_name_is_written(cli: CliRunner, tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    name = "board-report-" + "x" * 230 + ".json"  # 248 bytes: within 255, not with a prefix
    code, _, err = cli("check", "--today", TODAY, "-o", name, cwd=repo)
    assert code == 0, err
    assert (repo / name).read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".")) == []


def test_refusing_writes_nothing_not_even_a_temporary_file(cli: CliRunner, tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    cli("check", "-o", "orgs/school.yaml", cwd=repo)
    listing = subprocess.run(["ls", "-A", repo / "orgs"], capture_output=True, text=True)
    assert listing.stdout.split() == ["school.yaml"]
