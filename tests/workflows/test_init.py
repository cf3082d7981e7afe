"""`policycoord init` (SPEC §4) and the files that put policycoord in other
people's workflows: the starter repository passes `check` with no findings at
all, never overwrites a file, works on its first push (the project's own
GitHub Action and pre-commit hooks, pinned to this version's release tag;
the schemas its editors use are in the repository), and the pre-commit hooks
and the GitHub Action shipped at the repository root are well-formed."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT_ROOT, TODAY, CliRunner

from policycoord.core.about import ACTION, RELEASE_TAG, REPOSITORY_URL, __version__
from policycoord.input.validation import schema_text
from policycoord.workflows.init import POLICY_FILES_REGEX, starter_files

EXPECTED = (
    "partnership.yaml",
    "orgs/our-school.yaml",
    "schemas/policy.schema.json",
    "schemas/partnership.schema.json",
    ".pre-commit-config.yaml",
    ".github/workflows/policycoord.yml",
)
#: The major versions of the actions GitHub publishes that the workflow and
#: action.yml use: the current ones (checkout 7.0.0 and setup-python 7.0.0
#: came out in June and July 2026; codeql-action has been at 4 since October 2025).
CURRENT_ACTIONS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "github/codeql-action/upload-sarif": "v4",
}


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
    assert "Wrote 6 files" in out

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
        if relative.endswith(".json"):
            continue
        first = text.splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), relative
        assert yaml.safe_load(text), relative
    # GitHub's and pre-commit's files: the schemas SchemaStore publishes
    for relative in (".pre-commit-config.yaml", ".github/workflows/policycoord.yml"):
        assert "$schema=https://json.schemastore.org/" in files[relative].splitlines()[0]


def test_policy_files_name_the_schemas_init_writes_by_a_relative_path(tmp_path: Path) -> None:
    """yaml-language-server reads a relative `$schema` path from the file's
    own folder: each modeline leads to the copy `init` wrote, which is the
    shipped schema as `policycoord schema` prints it."""
    files = starter_files(today=datetime.date(2026, 11, 24))
    for relative, kind in (("partnership.yaml", "partnership"), ("orgs/our-school.yaml", "policy")):
        first = files[relative].splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        target = match.group(1)
        assert "://" not in target and not target.startswith("/"), target
        resolved = (Path("/repo") / relative).parent.joinpath(target).resolve()
        assert resolved == Path("/repo/schemas") / f"{kind}.schema.json"
        assert files[resolved.relative_to("/repo").as_posix()] == schema_text(kind)
        assert json.loads(files[f"schemas/{kind}.schema.json"])["$schema"].startswith("https://")


def test_written_schemas_validate_what_init_wrote(cli: CliRunner, tmp_path: Path) -> None:
    """The copies an editor reads accept the starter files (a JSON Schema
    validator other than policycoord's own, as an editor's would be)."""
    import jsonschema

    assert cli("init", "--today", TODAY, cwd=tmp_path)[0] == 0
    for document, kind in (("partnership.yaml", "partnership"), ("orgs/our-school.yaml", "policy")):
        text = (tmp_path / document).read_text(encoding="utf-8")
        data = json.loads(json.dumps(yaml.safe_load(text), default=str))
        schema = json.loads((tmp_path / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        jsonschema.Draft202012Validator(schema).validate(data)


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
    assert "left 6 existing files alone" in out


def test_init_with_one_existing_file_writes_the_rest(cli: CliRunner, tmp_path: Path) -> None:
    mine = "# my own partnership file\n"
    (tmp_path / "partnership.yaml").write_text(mine, encoding="utf-8")
    code, out, _ = cli("init", "--today", TODAY, cwd=tmp_path)
    assert code == 0
    assert (tmp_path / "partnership.yaml").read_text(encoding="utf-8") == mine
    assert sorted(snapshot(tmp_path)) == sorted(EXPECTED)
    assert "Left partnership.yaml alone" in out
    assert "Wrote 5 files" in out
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


def test_workflow_runs_the_projects_own_action_at_this_release() -> None:
    """No `pip install policycoord`: no package index serves that name, and
    whoever registered it would run code in every partnership's CI. The
    workflow uses the Action at the root of this repository, pinned to the
    release tag of the version that wrote it."""
    text = starter_files(today=datetime.date(2026, 11, 24))[".github/workflows/policycoord.yml"]
    assert "pip install" not in text
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    assert [step["uses"] for step in steps] == [
        f"actions/checkout@{CURRENT_ACTIONS['actions/checkout']}",
        f"{ACTION}@{RELEASE_TAG}",
    ]
    assert f"v{__version__}" == RELEASE_TAG
    assert all("run" not in step for step in steps)


def test_the_action_and_the_hooks_come_from_the_declared_repository() -> None:
    """pyproject.toml and the README declare the repository; `init` pins
    both the Action and the pre-commit hooks to it."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["urls"]["Repository"] == REPOSITORY_URL
    assert project["project"]["version"] == __version__
    assert f"https://github.com/{ACTION}" == REPOSITORY_URL
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"uses: {ACTION}@{RELEASE_TAG}" in readme
    assert f"- repo: {REPOSITORY_URL}\n    rev: {RELEASE_TAG}" in readme


def test_workflows_use_the_current_major_versions() -> None:
    """The workflow `init` writes and action.yml (and the README's examples)
    name the current major version of each action GitHub publishes."""
    texts = {
        "init": starter_files(today=datetime.date(2026, 11, 24))[
            ".github/workflows/policycoord.yml"
        ],
        "action.yml": (PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"),
        "README.md": (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"),
    }
    for name, text in texts.items():
        used = re.findall(r"uses: ((?:actions|github)/[\w/-]+)@(\S+)", text)
        assert used, name
        for action, version in used:
            assert version == CURRENT_ACTIONS[action], f"{name}: {action}@{version}"


def test_pre_commit_config_uses_both_hooks_on_policy_files_only() -> None:
    config = yaml.safe_load(
        starter_files(today=datetime.date(2026, 11, 24))[".pre-commit-config.yaml"]
    )
    (repo,) = config["repos"]
    assert repo["repo"] == REPOSITORY_URL
    assert repo["rev"] == RELEASE_TAG
    assert [hook["id"] for hook in repo["hooks"]] == ["policycoord-validate", "policycoord-check"]
    for hook in repo["hooks"]:
        assert hook["files"] == POLICY_FILES_REGEX
    files = re.compile(POLICY_FILES_REGEX)
    for path in ("partnership.yaml", "orgs/our-school.yaml", "orgs/st-marys.yaml"):
        assert files.search(path), path
    for path in (
        ".pre-commit-config.yaml",
        ".github/workflows/policycoord.yml",
        "schemas/policy.schema.json",
        "mkdocs.yml",
        "orgs/old/archived.yaml",  # `orgs/*.yaml` does not reach into sub-folders
        "orgs/notes.md",
        "docs/partnership.yaml",
    ):
        assert not files.search(path), path


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
    assert "actions/setup-python@v7" in uses
    upload = next(s for s in steps if s.get("uses") == "github/codeql-action/upload-sarif@v4")
    assert upload["if"].startswith("always()")
    assert upload["with"]["sarif_file"] == "policycoord.sarif"
    # a repository without code scanning: the check's own status decides
    assert upload["continue-on-error"] is True
    check = next(s for s in steps if s.get("id") == "check")
    first, *_ = [line for line in check["run"].splitlines() if line.startswith("policycoord")]
    assert first == 'policycoord check "$POLICYCOORD_PATH" $POLICYCOORD_ARGS || status=$?'
    # the check's status fails the job after the upload, not before it
    assert steps.index(upload) < len(steps) - 1
    assert "exit" in steps[-1]["run"] and steps[-1]["if"] == "always()"
