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


#: every command with `-o` that reads the working tree (diff and history: below)
ALL_COMMANDS = [*COMMANDS, ["diff", "--base", "HEAD"], ["history"]]


def _committed(root: Path, files: dict[str, str]) -> Path:
    from workflows.gitrepos import commit_all, git

    repo = make_repo(root, files)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "The partnership")
    return repo


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("policies", "target"),
    [
        (None, "orgs/new.yaml"),  # the default: every YAML file below the folder
        (None, "results.yml"),
        (["orgs/*.yaml"], "orgs/new.yaml"),
        (["**/*.policy"], "deep/er/new.policy"),  # patterns need not say .yaml
        (["orgs/*.yaml", "shared/?x*.yml"], "shared/ox-report.yml"),
    ],
)
def test_output_to_a_new_file_discovery_would_read_is_refused(
    cli: CliRunner, tmp_path: Path, command: list[str], policies: list[str] | None, target: str
) -> None:
    """The next run would read the report as a policy (PC003, or worse, a
    report that happens to be valid YAML taken for an organisation)."""
    repo = _committed(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(members=["school"], policies=policies),
            "orgs/school.yaml": policy("school"),
        },
    )
    (repo / "deep" / "er").mkdir(parents=True)
    (repo / "shared").mkdir()
    before = _snapshot(repo)
    code, out, err = cli(*command, "-o", target, cwd=repo)
    assert code == 2, (out, err)
    assert f"Cannot write the report to {target}: discovery would list it" in err
    assert "another name" in err
    assert _snapshot(repo) == before
    assert not (repo / target).exists()


@pytest.mark.parametrize(
    ("policies", "target"),
    [
        (None, "report.md"),
        (None, ".reports/board.yaml"),  # hidden: never discovered
        (["orgs/*.yaml"], "board.yaml"),  # outside the patterns
        (["orgs/*.yaml"], "orgs/sub/board.yaml"),  # `*` is one name, not folders
        (["orgs/**"], "orgs/board.yaml"),  # pathlib's `orgs/**` lists folders only
    ],
)
def test_output_to_a_file_discovery_would_not_read_is_written(
    cli: CliRunner, tmp_path: Path, policies: list[str] | None, target: str
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(members=["school"], policies=policies),
            "orgs/school.yaml": policy("school"),
        },
    )
    (repo / target).parent.mkdir(parents=True, exist_ok=True)
    code, _, err = cli("check", "--today", TODAY, "-f", "json", "-o", target, cwd=repo)
    assert code in (0, 1), err  # `orgs/**` finds no policy: PC006
    assert (repo / target).read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("command", [["matrix"], ["mission"], ["check"], ["baseline"]], ids=str)
@pytest.mark.parametrize("target", ["framework.yaml", "orgs/school.yaml", "orgs/new.yaml"])
def test_a_partnership_file_of_another_name_is_guarded_too(
    cli: CliRunner, tmp_path: Path, command: list[str], target: str
) -> None:
    """`--partnership framework.yaml`: nothing named partnership.yaml is
    there for the guard to find around the report, so it must go by the
    run's own partnership file."""
    repo = make_repo(
        tmp_path / "repo",
        {"framework.yaml": partnership(members=["school"]), "orgs/school.yaml": policy("school")},
    )
    before = _snapshot(repo)
    code, out, err = cli(*command, "--partnership", "framework.yaml", "-o", target, cwd=repo)
    assert code == 2, (out, err)
    assert f"Cannot write the report to {target}" in err
    assert _snapshot(repo) == before
    assert not (repo / "orgs" / "new.yaml").exists()


@pytest.mark.parametrize("dry_run", [["--dry-run"], []], ids=["dry-run", "import"])
@pytest.mark.parametrize("target", ["back.xlsx", "../out/school.xlsx", "orgs/school.yaml"])
def test_workbook_import_never_writes_its_report_over_a_workbook_or_a_policy(
    cli: CliRunner, tmp_path: Path, dry_run: list[str], target: str
) -> None:
    """`workbook import back.xlsx -f json -o back.xlsx` replaced the returned
    workbook with its report: what the organisation wrote, lost. Refused
    before anything is imported."""
    import openpyxl

    repo = _repository(tmp_path / "repo")
    out = tmp_path / "out"
    assert cli("workbook", "export", "--organisation", "school", "-o", out, cwd=repo)[0] == 0
    book = openpyxl.load_workbook(out / "school.xlsx")
    book["Organisation"]["B3"] = "School, renamed"
    book.save(out / "school.xlsx")
    shutil.copy(out / "school.xlsx", repo / "back.xlsx")
    before = _snapshot(tmp_path)
    workbook = "back.xlsx" if target == "back.xlsx" else "../out/school.xlsx"
    code, out_text, err = cli(
        "workbook", "import", workbook, *dry_run, "-f", "json", "-o", target, cwd=repo
    )
    assert code == 2, (out_text, err)
    assert f"Cannot write the report to {target}" in err
    assert _snapshot(tmp_path) == before
