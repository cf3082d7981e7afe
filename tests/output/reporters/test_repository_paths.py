"""With partnership.yaml in a sub-folder of a git repository (the GitHub
Action's `path` input), the formats that a forge reads against the
repository's root (sarif, gitlab, github, and the annotations beside the
terminal report under GitHub Actions) name each file from that root, so
that every alert points at a file that exists; json and the other formats
keep paths relative to the partnership's folder (SPEC §5). Outside a git
repository, nothing changes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY, CliRunner

from policycoord.output.formats import repository_path
from policycoord.workflows.repository import (
    partnership_prefix,
    prefix_in_repository,
    repository_root,
)

GIT = shutil.which("git")


def git_init(folder: Path) -> None:
    """A real repository, as `git init` makes it."""
    if GIT is None:
        pytest.skip("git is not installed")
    subprocess.run([GIT, "init", "-q", str(folder)], check=True, timeout=60)


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """The example partnership copied to `repo/safeguarding/policies/` of a
    new git repository `repo/`; returns the repository."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo / "safeguarding" / "policies")
    git_init(repo)
    return repo


PREFIX = "safeguarding/policies/"


def files_in(repo: Path, paths: list[str]) -> None:
    """Every path names a file that exists in `repo`."""
    assert paths
    for path in paths:
        assert (repo / path).is_file(), path


def run(cli: CliRunner, folder: Path, fmt: str, *args: str) -> str:
    code, out, err = cli("check", "--today", TODAY, "-f", fmt, *args, cwd=folder)
    assert code == 1, err
    return out


def sarif_uris(document: dict[str, Any]) -> list[str]:
    (run_,) = document["runs"]
    uris = []
    for result in run_["results"]:
        places = [*result["locations"], *result.get("relatedLocations", [])]
        places += [s["location"] for s in result.get("suppressions", []) if "location" in s]
        for place in places:
            artifact = place["physicalLocation"]["artifactLocation"]
            assert artifact["uriBaseId"] == "ROOT"
            uris.append(artifact["uri"])
    return uris


def test_sarif_uris_are_from_the_repository_root(cli: CliRunner, nested: Path) -> None:
    document = json.loads(run(cli, nested / "safeguarding" / "policies", "sarif"))
    uris = sarif_uris(document)
    assert all(uri.startswith(PREFIX) for uri in uris), uris
    files_in(nested, uris)
    assert "policies/partnership.yaml" in " ".join(uris)  # the waiver's and related places
    (run_,) = document["runs"]
    description = run_["originalUriBaseIds"]["ROOT"]["description"]["text"]
    assert description == f"The root of the git repository; partnership.yaml is in {PREFIX}"
    # the messages still say where as the partnership's files do
    messages = " ".join(r["message"]["text"] for r in run_["results"])
    assert "(partnership.yaml:23)" in messages


def test_gitlab_paths_are_from_the_repository_root(cli: CliRunner, nested: Path) -> None:
    entries = json.loads(run(cli, nested / "safeguarding" / "policies", "gitlab"))
    paths = [entry["location"]["path"] for entry in entries]
    assert all(path.startswith(PREFIX) for path in paths), paths
    files_in(nested, paths)


def annotated_files(text: str) -> list[str]:
    files = [line.split("file=", 1)[1].split(",", 1)[0] for line in text.splitlines()]
    return [path.replace("%2C", ",").replace("%3A", ":").replace("%25", "%") for path in files]


def test_github_annotations_are_from_the_repository_root(cli: CliRunner, nested: Path) -> None:
    out = run(cli, nested / "safeguarding" / "policies", "github", "--quiet")
    files = annotated_files(out)
    assert all(path.startswith(PREFIX) for path in files), files
    files_in(nested, files)


def test_annotations_beside_the_terminal_report_too(
    cli: CliRunner, nested: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    out = run(cli, nested / "safeguarding" / "policies", "terminal", "--no-color")
    commands = "\n".join(line for line in out.splitlines() if line.startswith("::"))
    files = annotated_files(commands)
    assert len(files) > 10
    assert all(path.startswith(PREFIX) for path in files), files


def test_the_action_way_from_the_repository_root(cli: CliRunner, nested: Path) -> None:
    """The Action runs `policycoord check PATH` in the repository's root."""
    document = json.loads(run(cli, nested, "sarif", "safeguarding/policies"))
    files_in(nested, sarif_uris(document))
    # and from a folder below the partnership's, or with --partnership
    below = nested / "safeguarding" / "policies" / "orgs"
    entries = json.loads(run(cli, below, "gitlab"))
    files_in(nested, [entry["location"]["path"] for entry in entries])
    given = "--partnership", "safeguarding/policies/partnership.yaml"
    entries = json.loads(run(cli, nested, "gitlab", *given))
    files_in(nested, [entry["location"]["path"] for entry in entries])


def test_json_keeps_paths_relative_to_the_partnership(cli: CliRunner, nested: Path) -> None:
    document = json.loads(run(cli, nested / "safeguarding" / "policies", "json"))
    paths = [finding["path"] for finding in document["findings"]]
    assert not any(path.startswith(PREFIX) for path in paths)
    files_in(nested / "safeguarding" / "policies", paths)


def test_a_worktree_or_submodule_has_a_git_file(cli: CliRunner, tmp_path: Path) -> None:
    """In a worktree or a submodule `.git` is a file naming the real one."""
    repo = tmp_path / "work"
    shutil.copytree(EXAMPLES, repo / "policies")
    (repo / ".git").write_text("gitdir: /somewhere/else/.git/worktrees/work\n", encoding="utf-8")
    entries = json.loads(run(cli, repo / "policies", "gitlab"))
    paths = [entry["location"]["path"] for entry in entries]
    assert all(
        path.startswith("policies/orgs/") or path == "policies/partnership.yaml" for path in paths
    )
    files_in(repo, paths)


def test_outside_a_repository_paths_stay_as_they_are(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "plain" / "policies"
    shutil.copytree(EXAMPLES, folder)
    assert repository_root(folder) is None  # nothing above tmp_path is a repository
    document = json.loads(run(cli, folder, "sarif"))
    uris = sarif_uris(document)
    assert not any(uri.startswith("policies/") for uri in uris)
    files_in(folder, uris)
    (run_,) = document["runs"]
    description = run_["originalUriBaseIds"]["ROOT"]["description"]["text"]
    assert description == "The folder of partnership.yaml"


def test_at_the_repository_root_paths_stay_as_they_are(cli: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    git_init(repo)
    document = json.loads(run(cli, repo, "sarif"))
    files_in(repo, sarif_uris(document))
    (run_,) = document["runs"]
    description = run_["originalUriBaseIds"]["ROOT"]["description"]["text"]
    assert description == "The root of the git repository, the folder of partnership.yaml"


def test_the_prefix(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "a" / "b").mkdir(parents=True)
    assert prefix_in_repository(repo / "a" / "b") is None
    (repo / ".git").mkdir()
    assert repository_root(repo / "a" / "b") == repo.resolve()
    assert prefix_in_repository(repo / "a" / "b") == "a/b/"
    assert prefix_in_repository(repo) == ""
    # a link into the repository is followed, as git follows it
    link = tmp_path / "link"
    link.symlink_to(repo / "a", target_is_directory=True)
    assert prefix_in_repository(link / "b") == "a/b/"
    (repo / "a" / "b" / "partnership.yaml").write_text("policycoord: 1\n", encoding="utf-8")
    assert partnership_prefix(cwd=repo / "a" / "b") == "a/b/"
    assert partnership_prefix(["a/b"], cwd=repo) == "a/b/"


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("orgs/x.yaml", None, "orgs/x.yaml"),
        ("orgs/x.yaml", "", "orgs/x.yaml"),
        ("orgs/x.yaml", "policies/", "policies/orgs/x.yaml"),
        ("partnership.yaml", "a/b/", "a/b/partnership.yaml"),
        # a file outside the partnership's folder, still in the repository
        ("../shared/x.yaml", "a/b/", "a/shared/x.yaml"),
        # outside the repository, or absolute: as it is
        ("../../x.yaml", "a/", "../../x.yaml"),
        ("/tmp/x.yaml", "a/", "/tmp/x.yaml"),
    ],
)
def test_repository_path(path: str, prefix: str | None, expected: str) -> None:
    assert repository_path(path, prefix) == expected


def test_validate_names_files_from_the_repository_root(cli: CliRunner, nested: Path) -> None:
    """`validate`'s paths are relative to the current folder: so is its prefix."""
    folder = nested / "safeguarding" / "policies"
    (folder / "orgs" / "broken.yaml").write_text("policycoord: 1\nname: [\n", encoding="utf-8")
    code, out, err = cli("validate", "orgs", "-f", "gitlab", cwd=folder)
    assert code == 1, err
    paths = [entry["location"]["path"] for entry in json.loads(out)]
    assert paths == ["safeguarding/policies/orgs/broken.yaml"]
    code, out, err = cli("validate", "policies/orgs", "-f", "gitlab", cwd=folder.parent)
    assert [entry["location"]["path"] for entry in json.loads(out)] == paths
