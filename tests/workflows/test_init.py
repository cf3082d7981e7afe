"""`policycoord init` (SPEC §4) and the files that put policycoord in other
people's workflows: the starter repository passes `check` with no findings at
all, never overwrites a file, and the pre-commit hooks and the GitHub Action
shipped at the repository root are well-formed."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT_ROOT, TODAY, CliRunner

from policycoord.workflows.init import starter_files

EXPECTED = (
    "partnership.yaml",
    "orgs/our-school.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/policycoord.yml",
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def findings(cli: CliRunner, root: Path) -> tuple[int, dict[str, Any]]:
    code, out, err = cli(
        "check", "--today", TODAY, "--format", "json", "--fail-on", "info", cwd=root
    )
    assert err == ""
    return code, json.loads(out)


def test_init_then_check_has_no_findings(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    code, out, err = cli("init", "--today", TODAY, root)
    assert (code, err) == (0, "")
    assert sorted(snapshot(root)) == sorted(EXPECTED)
    for relative in EXPECTED:
        assert f"Wrote {relative}" in out
    assert "Wrote 4 files" in out

    code, report = findings(cli, root)
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["files"] == 2
    assert report["summary"]["organisations"] == 1
    assert cli("check", "--today", TODAY, cwd=root)[0] == 0


def test_written_policy_files_validate(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init", "--today", TODAY, cwd=tmp_path)[0] == 0
    code, out, _ = cli(
        "validate", "partnership.yaml", "orgs/our-school.yaml", "-f", "json", cwd=tmp_path
    )
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_every_yaml_file_starts_with_the_schema_line(tmp_path: Path) -> None:
    files = starter_files(today=datetime.date(2026, 11, 24))
    assert tuple(files) == EXPECTED
    for relative, text in files.items():
        first = text.splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=https://"), relative
        assert yaml.safe_load(text), relative
    assert files["partnership.yaml"].splitlines()[0].endswith("/schemas/partnership.schema.json")
    assert files["orgs/our-school.yaml"].splitlines()[0].endswith("/schemas/policy.schema.json")


def test_second_init_overwrites_nothing(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init", "--today", TODAY, cwd=tmp_path)[0] == 0
    before = snapshot(tmp_path)
    code, out, _ = cli(
        "init", "--today", TODAY, "--organisation-name", "Something Else", cwd=tmp_path
    )
    assert code == 0
    assert snapshot(tmp_path) == before
    for relative in EXPECTED:
        assert f"Left {relative} alone: it already exists." in out
    assert "Wrote 0 files" in out
    assert "left 4 existing files alone" in out


def test_init_with_one_existing_file_writes_the_rest(cli: CliRunner, tmp_path: Path) -> None:
    mine = "# my own partnership file\n"
    (tmp_path / "partnership.yaml").write_text(mine, encoding="utf-8")
    code, out, _ = cli("init", "--today", TODAY, cwd=tmp_path)
    assert code == 0
    assert (tmp_path / "partnership.yaml").read_text(encoding="utf-8") == mine
    assert sorted(snapshot(tmp_path)) == sorted(EXPECTED)
    assert "Left partnership.yaml alone" in out
    assert "Wrote 3 files" in out
    assert "left 1 existing file alone: partnership.yaml." in out


def test_names_with_yaml_special_characters_stay_text(cli: CliRunner, tmp_path: Path) -> None:
    partnership_name = 'Riverside: "Safe" Children # Partnership'
    organisation_name = "- St Mary's: Primary # School & Nursery *"
    code, _, _ = cli(
        "init",
        "--today",
        TODAY,
        "--partnership-id",
        "riverside",
        "--partnership-name",
        partnership_name,
        "--organisation-id",
        "st-marys",
        "--organisation-name",
        organisation_name,
        "--sector",
        "sport",
        cwd=tmp_path,
    )
    assert code == 0
    framework = yaml.safe_load((tmp_path / "partnership.yaml").read_text(encoding="utf-8"))
    assert framework["partnership"]["name"] == partnership_name
    assert framework["partnership"]["members"] == ["st-marys"]
    org = yaml.safe_load((tmp_path / "orgs" / "st-marys.yaml").read_text(encoding="utf-8"))
    assert org["organisation"] == {
        "id": "st-marys",
        "name": organisation_name,
        "sector": "sport",
        "review": org["organisation"]["review"],
    }
    code, report = findings(cli, tmp_path)
    assert code == 0, report["findings"]
    assert report["findings"] == []


@pytest.mark.parametrize(
    "option",
    ["--partnership-id", "--organisation-id"],
)
@pytest.mark.parametrize("value", ["Our School", "-school", "school_1", "", "a" * 65, "ünï"])
def test_bad_ids_stop_with_exit_2(cli: CliRunner, tmp_path: Path, option: str, value: str) -> None:
    code, _, err = cli("init", "--today", TODAY, option, value, cwd=tmp_path)
    assert code == 2
    assert err.startswith(f"policycoord: {option} ")
    assert "not a valid id" in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sector", "schools"), "--sector 'schools' is not one of"),
        (("--organisation-name", "  "), "--organisation-name is empty"),
        (("--partnership-name", "North\nshire"), "control or invisible characters"),
    ],
)
def test_bad_options_stop_with_exit_2(
    cli: CliRunner, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = cli("init", "--today", TODAY, *args, cwd=tmp_path)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_dir_that_is_a_file_stops_with_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("hello\n", encoding="utf-8")
    code, _, err = cli("init", "--today", TODAY, target, cwd=tmp_path)
    assert code == 2
    assert err.startswith("policycoord: ") and "it is a file" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "hello\n"


def test_review_dates_run_from_today() -> None:
    org = yaml.safe_load(starter_files(today=datetime.date(2028, 2, 29))["orgs/our-school.yaml"])
    assert org["organisation"]["review"] == {
        "approved": datetime.date(2028, 2, 29),
        "next_review": datetime.date(2029, 2, 28),
    }


def test_workflow_uploads_sarif_and_gates_on_check() -> None:
    workflow = yaml.safe_load(
        starter_files(today=datetime.date(2026, 11, 24))[".github/workflows/policycoord.yml"]
    )
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    runs = [step.get("run", "") for step in steps]
    assert "pip install policycoord" in runs
    assert "policycoord check --format sarif -o policycoord.sarif" in runs
    assert "policycoord check" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"]["sarif_file"] == "policycoord.sarif"
    assert upload["if"] == "always()"
    sarif = steps[runs.index("policycoord check --format sarif -o policycoord.sarif")]
    assert sarif["continue-on-error"] is True


def test_pre_commit_config_uses_both_hooks() -> None:
    config = yaml.safe_load(
        starter_files(today=datetime.date(2026, 11, 24))[".pre-commit-config.yaml"]
    )
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/policycoord/policycoord"
    assert [hook["id"] for hook in repo["hooks"]] == ["policycoord-validate", "policycoord-check"]


def test_pre_commit_hooks_file_is_well_formed() -> None:
    hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"policycoord-check", "policycoord-validate"}
    check = by_id["policycoord-check"]
    assert check["entry"] == "policycoord check"
    assert check["language"] == "python"
    assert check["pass_filenames"] is False
    assert check["files"] == r"\.(ya?ml)$"
    validate = by_id["policycoord-validate"]
    assert validate["entry"] == "policycoord validate"
    assert validate["language"] == "python"
    assert validate.get("pass_filenames", True) is True
    assert validate["types"] == ["yaml"]
    for hook in hooks:
        assert hook["name"] and hook["description"]


def test_action_is_a_composite_action_without_script_injection() -> None:
    action = yaml.safe_load((PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["name"] and action["description"]
    assert action["inputs"]["path"]["default"] == "."
    assert action["inputs"]["python-version"]["default"] == "3.11"
    assert "args" in action["inputs"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    for script in scripts:
        assert "${{" not in script, script
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
    assert any('pip install "$ACTION_PATH"' in s for s in scripts)
    install = next(s for s in steps if "ACTION_PATH" in s.get("env", {}))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert any(
        "policycoord check" in s and "--format sarif -o policycoord.sarif" in s for s in scripts
    )
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    upload = next(s for s in steps if s.get("uses") == "github/codeql-action/upload-sarif@v3")
    assert upload["if"].startswith("always()")
    assert upload["with"]["sarif_file"] == "policycoord.sarif"
    # the check's status fails the job after the upload, not before it
    assert steps.index(upload) < len(steps) - 1
    assert "exit" in steps[-1]["run"] and steps[-1]["if"] == "always()"
