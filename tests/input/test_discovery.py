"""Which files make up a policy repository (SPEC §2): the default discovery,
the partnership's `policies` globs, explicit paths, and never reading a file
outside the repository folder (PC011), whether reached by a pattern, a path
or a symbolic link.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, CliRunner, make_repo, partnership, policy

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Location
from policycoord.input.discovery import discover, locate_partnership
from policycoord.workflows.pipeline import Options, check

OPTIONS = Options(today=__import__("datetime").date.fromisoformat(TODAY))
SECRET = "Secret Outside Organisation"

needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links"
)


def discovered(repo: Path, paths: tuple[str, ...] = (), **kwargs: Any) -> list[str]:
    """The display paths of the policy files found."""
    found = discover(paths, partnership=str(repo / "partnership.yaml"), cwd=repo, **kwargs)
    return [p.display for p in found.policies]


def run_json(cli: CliRunner, repo: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("check", *args, "--today", TODAY, "-f", "json", cwd=repo)
    assert code in (0, 1), err
    return code, json.loads(out), out


def pc011(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in document["findings"] if f["code"] == "PC011"]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the default: every YAML file below the partnership folder ------------------------------


def test_default_discovery(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(),
            "orgs/b.yaml": policy("b"),
            "orgs/a.yml": policy("a"),
            "top.yaml": policy("top"),
            "deep/er/still.yaml": policy("still"),
            "orgs/notes.md": "# not a policy",
            "orgs/data.json": "{}",
            "orgs/yaml": "not a policy",
            ".github/workflows/ci.yml": "on: push\n",
            "orgs/.hidden/x.yaml": policy("x"),
            "orgs/.draft.yaml": policy("draft"),
            ".pre-commit-config.yaml": "repos: []\n",
        },
    )
    assert discovered(repo) == ["deep/er/still.yaml", "orgs/a.yml", "orgs/b.yaml", "top.yaml"]


def test_default_discovery_is_sorted_by_path(tmp_path: Path) -> None:
    names = ["z.yaml", "B.yaml", "a.yaml", "a/b.yaml", "a-b.yaml", "m/z.yml", "m.yaml"]
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership()})
    for index, name in enumerate(reversed(names)):
        make_repo(repo, {name: policy(f"org-{index}")})
    found = discovered(repo)
    assert found == sorted(names)


def test_partnership_file_is_not_a_policy(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership(), "a.yaml": policy("a")})
    assert discovered(repo) == ["a.yaml"]
    assert discovered(repo, ("partnership.yaml", "a.yaml")) == ["a.yaml"]


def test_policies_globs_are_respected(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["a", "b"], policies=["orgs/*.yaml"]),
            "orgs/a.yaml": policy("a"),
            "orgs/b.yaml": policy("b"),
            "orgs/c.yml": policy("c"),  # not matched: .yml
            "orgs/deeper/d.yaml": policy("d"),  # not matched: one level only
            "elsewhere/e.yaml": "this file is not read: [",
        },
    )
    globs = [("orgs/*.yaml", Location("partnership.yaml", 6, 7, "/partnership/policies/0"))]
    assert discovered(repo, policies_globs=globs) == ["orgs/a.yaml", "orgs/b.yaml"]
    code, document, _ = run_json(cli, repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["files"] == 3


def test_recursive_globs_and_several_patterns(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(
                ["a", "b", "c"], policies=["schools/**/*.yaml", "health/*.yml", "schools/a.yaml"]
            ),
            "schools/a.yaml": policy("a"),
            "schools/north/b.yaml": policy("b"),
            "schools/.hidden/h.yaml": "[",
            "health/c.yml": policy("c", sector="health"),
            "health/ignored.yaml": "[",
        },
    )
    code, document, _ = run_json(cli, repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["files"] == 4  # a.yaml read once although matched twice


def test_glob_matching_nothing_is_not_an_error(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(policies=["orgs/*.yaml"]), "other/a.yaml": policy("a")},
    )
    code, document, _ = run_json(cli, repo)
    assert code == 0
    assert document["summary"]["files"] == 1


def test_explicit_file_paths_override_discovery(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(policies=["orgs/*.yaml"]),
            "orgs/a.yaml": policy("a"),
            "orgs/b.yaml": policy("b"),
            "drafts/c.yaml": policy("c"),
        },
    )
    assert discovered(repo, ("drafts/c.yaml", "orgs/b.yaml")) == ["drafts/c.yaml", "orgs/b.yaml"]
    # the same file twice is read once
    assert discovered(repo, ("orgs/b.yaml", "./orgs/b.yaml")) == ["orgs/b.yaml"]


def test_a_folder_path_means_the_yaml_files_below_it(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(policies=["orgs/*.yaml"]),
            "orgs/a.yaml": policy("a"),
            "drafts/c.yaml": policy("c"),
            "drafts/more/d.yml": policy("d"),
            "drafts/.hidden.yaml": "[",
            "drafts/readme.txt": "",
        },
    )
    assert discovered(repo, ("drafts",)) == ["drafts/c.yaml", "drafts/more/d.yml"]
    # the repository folder itself means "discover" (the globs), plus what else is given
    globs = [("orgs/*.yaml", Location("partnership.yaml", 6, 7, "/partnership/policies/0"))]
    assert discovered(repo, (".",), policies_globs=globs) == ["orgs/a.yaml"]
    assert discovered(repo, (".", "drafts/c.yaml"), policies_globs=globs) == [
        "drafts/c.yaml",
        "orgs/a.yaml",
    ]


def test_explicit_path_that_does_not_exist(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership()})
    with pytest.raises(PolicycoordError, match=r"orgs/nope\.yaml does not exist"):
        discovered(repo, ("partnership.yaml", "orgs/nope.yaml"))


def test_locate_partnership(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(), "orgs/deep/a.yaml": policy("a")},
    )
    expected = repo / "partnership.yaml"
    assert locate_partnership([], partnership=None, cwd=repo / "orgs" / "deep") == expected
    assert locate_partnership(["orgs/deep/a.yaml"], partnership=None, cwd=repo) == expected
    assert locate_partnership(["repo"], partnership=None, cwd=tmp_path) == expected
    with pytest.raises(PolicycoordError, match=r"No partnership\.yaml found"):
        locate_partnership([], partnership=None, cwd=tmp_path)


# --- nothing outside the repository is read --------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A policy file beside the repository, whose content must never be reported."""
    make_repo(tmp_path, {"outside.yaml": policy("secret", name=SECRET, extra="x: [\n")})
    return tmp_path / "outside.yaml"


@pytest.mark.parametrize("pattern", ["../*.yaml", "ABSOLUTE", "orgs/../../*.yaml"])
def test_glob_outside_the_repository_is_pc011_at_its_line(
    tmp_path: Path, cli: CliRunner, outside: Path, pattern: str
) -> None:
    if pattern == "ABSOLUTE":
        pattern = (tmp_path / "*.yaml").as_posix()
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["a"], policies=["orgs/*.yaml", pattern]),
            "orgs/a.yaml": policy("a"),
        },
    )
    code, document, out = run_json(cli, repo)
    assert code == 1
    findings = pc011(document)
    assert len(findings) == 1
    text = (repo / "partnership.yaml").read_text(encoding="utf-8")
    assert findings[0]["path"] == "partnership.yaml"
    assert findings[0]["line"] == line_of(text, pattern)
    assert findings[0]["pointer"] == "/partnership/policies/1"
    assert pattern in findings[0]["message"]
    assert document["summary"]["files"] == 2
    assert SECRET not in out
    assert "secret" not in {f["organisation"] for f in document["findings"]}


@needs_symlinks
def test_symlink_to_a_file_outside_is_pc011_and_not_read(
    tmp_path: Path, cli: CliRunner, outside: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(["a"]), "orgs/a.yaml": policy("a")},
    )
    (repo / "orgs" / "link.yaml").symlink_to(outside)
    code, document, out = run_json(cli, repo)
    assert code == 1
    findings = pc011(document)
    assert [f["path"] for f in findings] == ["orgs/link.yaml"]
    assert document["summary"]["files"] == 2
    assert SECRET not in out
    # the same under a glob: reported once, at the glob, even if two globs match it
    make_repo(repo, {"partnership.yaml": partnership(["a"], policies=["orgs/*", "orgs/*.yaml"])})
    code, document, out = run_json(cli, repo)
    findings = pc011(document)
    assert len(findings) == 1
    assert findings[0]["path"] == "partnership.yaml"
    assert "orgs/link.yaml" in findings[0]["message"]
    assert SECRET not in out
    # and when the link is named on the command line
    code, document, out = run_json(cli, repo, "orgs/link.yaml")
    assert [f["path"] for f in pc011(document)] == ["orgs/link.yaml"]
    assert SECRET not in out


@needs_symlinks
def test_relative_symlink_climbing_out_is_pc011(
    tmp_path: Path, cli: CliRunner, outside: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership([])})
    (repo / "orgs").mkdir()
    (repo / "orgs" / "link.yaml").symlink_to(Path("..", "..", "outside.yaml"))
    code, document, out = run_json(cli, repo)
    assert code == 1
    assert [f["path"] for f in pc011(document)] == ["orgs/link.yaml"]
    assert SECRET not in out


@needs_symlinks
def test_symlink_to_a_file_inside_is_read(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["a", "shared"], policies=["orgs/*.yaml"]),
            "orgs/a.yaml": policy("a"),
            "library/shared.yaml": policy("shared", name="Shared Organisation"),
        },
    )
    (repo / "orgs" / "shared.yaml").symlink_to(Path("..", "library", "shared.yaml"))
    code, document, _ = run_json(cli, repo)
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["files"] == 3
    assert document["summary"]["organisations"] == 2


@needs_symlinks
def test_symlinked_folder_is_not_followed_by_default_discovery(
    tmp_path: Path, cli: CliRunner, outside: Path
) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership(["a"])})
    make_repo(tmp_path / "elsewhere", {"a.yaml": policy("a", name=SECRET)})
    (repo / "orgs").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    _, document, out = run_json(cli, repo)
    assert SECRET not in out
    assert document["summary"]["files"] == 1
    # a glob through the linked folder finds the file, but it is outside: PC011
    make_repo(repo, {"partnership.yaml": partnership(["a"], policies=["orgs/*.yaml"])})
    _, document, out = run_json(cli, repo)
    assert SECRET not in out
    assert len(pc011(document)) == 1


@needs_symlinks
def test_symlink_loop_does_not_hang(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership([])})
    (repo / "loop.yaml").symlink_to(repo / "loop.yaml")
    (repo / "dir").mkdir()
    (repo / "dir" / "again").symlink_to(repo / "dir", target_is_directory=True)
    for args in ((), ("loop.yaml",), (".", "dir")):
        code, document, _ = run_json(cli, repo, *args)
        assert code == 1
        problems = [(f["code"], f["path"]) for f in document["findings"] if f["code"] != "PC008"]
        assert problems == [("PC010", "loop.yaml")]


def test_explicit_path_outside_the_repository_is_pc011(
    tmp_path: Path, cli: CliRunner, outside: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(["a"]), "orgs/a.yaml": policy("a")},
    )
    # the first path is outside any repository: the current folder's partnership is used
    code, document, out = run_json(cli, repo, "../outside.yaml", "orgs/a.yaml")
    assert code == 1
    assert [f["path"] for f in pc011(document)] == ["../outside.yaml"]
    assert document["summary"]["files"] == 2
    assert SECRET not in out
    # the same with --partnership, and with a folder outside
    code, document, out = run_json(cli, repo, "--partnership", "partnership.yaml", "..")
    # only what is given is read, so membership (PC006) is not judged
    assert [(f["code"], f["path"]) for f in document["findings"]] == [("PC011", "..")]
    assert SECRET not in out


def test_api_check_reports_globs_outside(tmp_path: Path, outside: Path) -> None:
    """The Python API, without the command line."""
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership([], policies=["../*.yaml"])},
    )
    report = check(cwd=repo, options=OPTIONS)
    line = line_of((repo / "partnership.yaml").read_text(encoding="utf-8"), "../*.yaml")
    assert [(f.code, f.location.path, f.location.line) for f in report.findings] == [
        ("PC011", "partnership.yaml", line)
    ]
    assert report.summary.files == 1


def test_a_hidden_folder_written_in_a_pattern_is_read_but_wildcards_skip_hidden(
    tmp_path: Path,
) -> None:
    from policycoord.workflows.pipeline import Options, check

    make_repo(
        tmp_path,
        {
            "partnership.yaml": (
                "policycoord: 1\npartnership:\n  id: p\n  name: P\n"
                '  policies: [".orgs/*.yaml", "*.yaml"]\n'
            ),
            ".orgs/a.yaml": policy("a"),
            ".pre-commit-config.yaml": "repos: []\n",
            "b.yaml": policy("b"),
        },
    )
    report = check([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24)))
    assert report.summary.organisations == 2
    assert report.summary.files == 3  # partnership, .orgs/a.yaml, b.yaml
    assert not [f for f in report.findings if f.location.path == ".pre-commit-config.yaml"]


# --- folders nested very deep ---------------------------------------------------------------

#: Deeper than Python's recursion limit lets os.walk or pathlib's glob go.
DEEP = 1_100


@pytest.fixture
def deep_folder() -> Iterator[Callable[[Path], Path]]:
    """Makes `below/d/d/.../d`, DEEP folders, one at a time (os.makedirs
    recurses too), and removes them afterwards from the bottom up: pytest's
    clean-up of old temporary folders (shutil.rmtree) recurses as well."""
    made: list[Path] = []

    def make(below: Path) -> Path:
        folder = below
        for _ in range(DEEP):
            folder = folder / "d"
            folder.mkdir()
            made.append(folder)
        return folder

    yield make
    for folder in reversed(made):
        for file in folder.iterdir():
            if not file.is_dir():
                file.unlink()
        folder.rmdir()


def test_default_discovery_finds_a_file_a_thousand_folders_deep(
    tmp_path: Path, deep_folder: Callable[[Path], Path]
) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership(), "a.yaml": policy("a")})
    (repo / "orgs").mkdir()
    (deep_folder(repo / "orgs") / "x.yaml").write_text(policy("x"), encoding="utf-8")
    assert discovered(repo) == ["a.yaml", "orgs/" + "d/" * DEEP + "x.yaml"]


def test_a_pattern_through_folders_a_thousand_deep_is_pc005_and_the_rest_is_read(
    tmp_path: Path, cli: CliRunner, deep_folder: Callable[[Path], Path]
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(["a"], policies=["orgs/*.yaml", "deep/**/*.yaml"]),
            "orgs/a.yaml": policy("a"),
        },
    )
    (repo / "deep").mkdir()
    (deep_folder(repo / "deep") / "x.yaml").write_text(policy("x"), encoding="utf-8")
    code, document, _ = run_json(cli, repo)
    assert code == 1
    [finding] = [f for f in document["findings"] if f["code"] == "PC005"]
    text = (repo / "partnership.yaml").read_text(encoding="utf-8")
    assert (finding["path"], finding["line"]) == ("partnership.yaml", line_of(text, "deep/**"))
    assert "`deep/**/*.yaml` was not searched" in finding["message"]
    assert document["summary"]["files"] == 2  # the partnership file and orgs/a.yaml
