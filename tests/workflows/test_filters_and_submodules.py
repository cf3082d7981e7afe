"""Both sides of `diff` read the same set of files, however git keeps them:
a submodule inside the policy folder is read at the commit each revision
records; a file stored through a filter (Git LFS, git-crypt) is read as git
stores it on both sides, and is PC010 saying so, never YAML."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_repo, partnership, policy

from workflows.gitrepos import TODAY, commit_all, git, marker_program, policycoord

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 120\n"
)
GIT_CRYPT = b"\x00GITCRYPT\x00" + bytes(range(256)) * 2


def _with_submodule(tmp_path: Path) -> tuple[Path, Path]:
    shared = make_repo(tmp_path / "shared", {"county-fa.yaml": policy("county-fa", "County FA")})
    git(shared, "init", "-q", "-b", "main")
    commit_all(shared, "The county FA")
    repo = make_repo(
        tmp_path / "policies",
        {"partnership.yaml": partnership(members=["school"]), "orgs/school.yaml": policy("school")},
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "submodule", "add", "-q", f"file://{shared}", "orgs/shared")
    commit_all(repo, "The partnership, and the county FA's policy as a submodule")
    return repo, shared


def test_an_unchanged_tree_with_a_submodule_adds_nothing(tmp_path: Path) -> None:
    repo, _ = _with_submodule(tmp_path)
    check = policycoord("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert "PC007" in check.stdout  # the working tree reads the submodule's file
    done = policycoord("diff", "--base", "HEAD", "--today", TODAY, "-f", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["introduced"], report["resolved"]) == ([], [])
    assert report["base"]["summary"] == report["head"]["summary"]


def test_a_change_inside_the_submodule_is_compared(tmp_path: Path) -> None:
    repo, shared = _with_submodule(tmp_path)
    make_repo(shared, {"county-fa.yaml": policy("school", "A second school")})  # PC004
    commit_all(shared, "The county FA's file names the school")
    git(repo / "orgs" / "shared", "pull", "-q", "origin", "main")
    commit_all(repo, "The county FA's new policy")
    done = policycoord("diff", "--base", "HEAD~1", "--head", "HEAD", "--today", TODAY, cwd=repo)
    assert done.returncode == 1, done.stderr
    assert "PC004" in done.stdout
    history = policycoord("history", "-f", "json", cwd=repo)
    points = json.loads(history.stdout)["commits"]
    assert [p["summary"]["organisations"] for p in points] == [2, 1]  # one id, twice


def _filtered_repository(tmp_path: Path, stored: str | bytes, attribute: str) -> Path:
    """`orgs/club.yaml` committed as a filter stores it, with its real text
    in the working tree (as the filter's smudge would leave it)."""
    repo = make_repo(
        tmp_path / "policies",
        {
            "partnership.yaml": partnership(members=["school", "club"]),
            "orgs/school.yaml": policy("school"),
            "orgs/club.yaml": stored,
            ".gitattributes": f"orgs/club.yaml {attribute}\n",
        },
    )
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "The partnership; the club's file through a filter")
    return repo


FILTERS = pytest.mark.parametrize(
    ("stored", "attribute", "said"),
    [
        (LFS_POINTER, "filter=lfs diff=lfs merge=lfs -text", "Git LFS pointer"),
        (GIT_CRYPT, "filter=git-crypt diff=git-crypt", "encrypted with git-crypt"),
    ],
    ids=["lfs", "git-crypt"],
)


def _program(path: Path, body: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\ncat >/dev/null\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def _smudged(repo: Path, tools: Path, attribute: str, stored: str | bytes) -> tuple[str, Path]:
    """Unlock the repository as `git lfs pull` or `git-crypt unlock` do: a
    real filter (run by the test's git, never by policycoord) checks the
    club's real policy out, and git's index records the file so written.
    Then the filter's programs are replaced by a marker that must not run.
    Returns the filter's name and the marker's record."""
    name = attribute.split("=")[1].split()[0]
    tools.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(subprocess.CalledProcessError):  # a marker set before
        git(repo, "config", "--unset-all", f"filter.{name}.process")
    (tools / "stored").write_bytes(stored if isinstance(stored, bytes) else stored.encode())
    (tools / "plain.yaml").write_text(policy("club", sector="sport"), encoding="utf-8")
    git(repo, "config", f"filter.{name}.clean", _program(tools / "clean", f"cat {tools}/stored"))
    git(
        repo,
        "config",
        f"filter.{name}.smudge",
        _program(tools / "smudge", f"cat {tools}/plain.yaml"),
    )
    (repo / "orgs" / "club.yaml").unlink()
    git(repo, "checkout", "--", "orgs/club.yaml")
    assert (repo / "orgs" / "club.yaml").read_text(encoding="utf-8").startswith("policycoord")
    program, ran = marker_program(tools / "bin")
    for setting in ("smudge", "clean", "process"):
        git(repo, "config", f"filter.{name}.{setting}", str(program))
    return name, ran


def _diff(repo: Path) -> tuple[int, dict[str, list[dict[str, str]]]]:
    done = policycoord("diff", "--base", "HEAD", "--today", TODAY, "-f", "json", cwd=repo)
    assert done.stderr == "" or "internal error" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@FILTERS
def test_a_filtered_file_is_compared_as_git_stores_it(
    tmp_path: Path, stored: str | bytes, attribute: str, said: str
) -> None:
    repo = _filtered_repository(tmp_path, stored, attribute)
    program, ran = marker_program(tmp_path / "bin")
    for setting in ("smudge", "clean", "process"):
        name = attribute.split("=")[1].split()[0]
        git(repo, "config", f"filter.{name}.{setting}", str(program))
    # locked or without LFS: the working tree holds what git stores
    locked = policycoord("check", "--today", TODAY, "-f", "json", cwd=repo)
    findings = json.loads(locked.stdout)["findings"]
    assert [(f["code"], f["path"]) for f in findings] == [("PC010", "orgs/club.yaml")]
    assert said in findings[0]["message"]
    assert not ran.exists()
    # unlocked (smudged): the real policy in the working tree; diff still adds nothing
    _, ran = _smudged(repo, tmp_path / "tools", attribute, stored)
    status, report = _diff(repo)
    assert status == 0
    assert (report["introduced"], report["resolved"]) == ([], [])
    history = policycoord("history", "-f", "json", cwd=repo)
    point = json.loads(history.stdout)["commits"][0]["summary"]
    assert (point["error"], point["files"]) == (1, 3)  # PC010, not YAML findings
    assert not ran.exists()


@FILTERS
def test_an_unstaged_edit_of_a_filtered_file_is_never_unseen(
    tmp_path: Path, stored: str | bytes, attribute: str, said: str
) -> None:
    """What git would store for the edit is known only by running the
    filter, which policycoord never does: the edit is a PC010 that says so
    (the change fails the gate), never "nothing changed"."""
    repo = _filtered_repository(tmp_path, stored, attribute)
    _, ran = _smudged(repo, tmp_path / "tools", attribute, stored)
    # the club's lead edits the policy and runs the gate before staging
    make_repo(repo, {"orgs/club.yaml": policy("school", "The club, now a second school")})
    status, report = _diff(repo)
    assert status == 1
    introduced = [(f["code"], f["path"]) for f in report["introduced"]]
    assert introduced == [("PC010", "orgs/club.yaml")]
    message = report["introduced"][0]["message"]
    assert "not staged" in message and "never runs a filter" in message
    assert report["resolved"] == []  # the base's PC010 is not judged: the file does not read
    # a new file under the same filter, never staged: the same, not an empty file
    (repo / ".gitattributes").write_text(f"orgs/*club*.yaml {attribute}\n", encoding="utf-8")
    make_repo(repo, {"orgs/new-club.yaml": policy("new-club", sector="sport")})
    status, report = _diff(repo)
    paths = sorted(f["path"] for f in report["introduced"] if f["code"] == "PC010")
    assert paths == ["orgs/club.yaml", "orgs/new-club.yaml"]
    assert not ran.exists()


@FILTERS
def test_a_filtered_file_only_touched_may_have_changes(
    tmp_path: Path, stored: str | bytes, attribute: str, said: str
) -> None:
    """Its modification time alone is not the one git recorded: the content
    may or may not have changed, and only the filter could tell. PC010 says
    that it may, not that it has."""
    repo = _filtered_repository(tmp_path, stored, attribute)
    _, ran = _smudged(repo, tmp_path / "tools", attribute, stored)
    club = repo / "orgs" / "club.yaml"
    was = club.stat()
    os.utime(club, ns=(was.st_atime_ns, was.st_mtime_ns + 5 * 10**9))  # `touch`
    status, report = _diff(repo)
    assert status == 1
    assert [(f["code"], f["path"]) for f in report["introduced"]] == [("PC010", "orgs/club.yaml")]
    message = report["introduced"][0]["message"]
    assert "may have changes since it was staged" in message and "has changes" not in message
    assert not ran.exists()


@FILTERS
def test_a_filtered_file_staged_with_size_0_is_not_trusted_by_its_time(
    tmp_path: Path, stored: str | bytes, attribute: str, said: str
) -> None:
    """A size of 0 in git's index is git's "do not trust the stat data"
    (racily clean), or an empty file staged: an edit that keeps the recorded
    time (an editor that restores it, a second within git's granularity) is
    not read as the staged file: PC010 says it may have changes."""
    repo = _filtered_repository(tmp_path, stored, attribute)
    name, ran = _smudged(repo, tmp_path / "tools", attribute, stored)
    tools = tmp_path / "tools"
    marker = git(repo, "config", "--get", f"filter.{name}.smudge").strip()
    git(repo, "config", "--unset-all", f"filter.{name}.process")  # the test's git stages it
    git(repo, "config", f"filter.{name}.clean", _program(tools / "clean", f"cat {tools}/stored"))
    club = repo / "orgs" / "club.yaml"
    club.write_bytes(b"")
    git(repo, "add", "orgs/club.yaml")  # the index records size 0
    assert "size: 0" in git(repo, "ls-files", "--debug", "orgs/club.yaml")
    was = club.stat()
    club.write_text(policy("school", "The club, now a second school"), encoding="utf-8")
    os.utime(club, ns=(was.st_atime_ns, was.st_mtime_ns))  # the recorded time kept
    for setting in ("clean", "process"):
        git(repo, "config", f"filter.{name}.{setting}", marker)
    status, report = _diff(repo)
    assert status == 1
    assert [(f["code"], f["path"]) for f in report["introduced"]] == [("PC010", "orgs/club.yaml")]
    assert "may have changes since it was staged" in report["introduced"][0]["message"]
    assert not ran.exists()


@FILTERS
def test_an_edit_keeping_the_size_and_the_time_is_not_unseen(
    tmp_path: Path, stored: str | bytes, attribute: str, said: str
) -> None:
    """An edit of the same length whose modification time is set back (as
    some editors and `rsync -t` do) still changes the file's change time,
    which git records too: PC010, may have changes."""
    repo = _filtered_repository(tmp_path, stored, attribute)
    _, ran = _smudged(repo, tmp_path / "tools", attribute, stored)
    club = repo / "orgs" / "club.yaml"
    was, text = club.stat(), club.read_text(encoding="utf-8")
    club.write_text(text.replace("sport", "SPORT"), encoding="utf-8")
    os.utime(club, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert club.stat().st_size == was.st_size and club.stat().st_mtime_ns == was.st_mtime_ns
    status, report = _diff(repo)
    assert status == 1
    assert [(f["code"], f["path"]) for f in report["introduced"]] == [("PC010", "orgs/club.yaml")]
    assert "may have changes since it was staged" in report["introduced"][0]["message"]
    assert not ran.exists()
