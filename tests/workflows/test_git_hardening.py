"""`diff` and `history` read git as data: nothing a repository's (or a
user's) git configuration names ever runs, nothing is fetched, and every
way git cannot read what a run needs is exit status 2 with git's reason.

Each test builds a real repository in tmp_path; where something could run,
a marker program records that it ran, and must not have.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_repo, policy

from workflows.gitrepos import (
    TODAY,
    commit_all,
    git,
    marker_program,
    policycoord,
    unchanged_repository,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _sign(repo: Path) -> None:
    """Make HEAD a signed commit (a `gpgsig` header, as `git commit -S` writes)."""
    raw = git(repo, "cat-file", "commit", "HEAD")
    header, _, message = raw.partition("\n\n")
    signature = (
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n"
        " -----END PGP SIGNATURE-----"
    )
    signed = f"{header}\n{signature}\n\n{message}"
    sha = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=signed).strip()
    git(repo, "update-ref", "refs/heads/main", sha)


#: every setting through which git could start a program while reading
PROGRAM_SETTINGS = (
    "core.fsmonitor",
    "core.pager",
    "core.sshCommand",
    "core.askPass",
    "credential.helper",
    "diff.external",
    "gpg.program",
    "gpg.ssh.program",
    "gpg.x509.program",
    "filter.lfs.smudge",
    "filter.lfs.clean",
    "filter.lfs.process",
    "diff.yaml.textconv",
)


@pytest.mark.parametrize("where", ["repository", "user"])
def test_no_program_named_by_git_configuration_runs_and_signed_commits_count(
    tmp_path: Path, where: str
) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    _sign(repo)
    program, ran = marker_program(tmp_path / "bin")
    (repo / ".gitattributes").write_text("*.yaml filter=lfs diff=yaml\n", encoding="utf-8")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "reference-transaction", "post-index-change"):
        (hooks / hook).symlink_to(program)
    settings = [(name, str(program)) for name in PROGRAM_SETTINGS]
    settings += [("log.showSignature", "true"), ("core.hooksPath", str(hooks))]
    settings += [("log.follow", "true"), ("color.ui", "always")]
    for name, value in settings:
        if where == "repository":
            git(repo, "config", name, value)
        else:
            git(repo, "config", "--file", str(tmp_path / ".gitconfig"), name, value)
    history = policycoord("history", "-f", "json", cwd=repo)
    assert history.returncode == 0, history.stderr
    points = json.loads(history.stdout)["commits"]
    assert [p["subject"] for p in points] == ["The partnership", "A stranger joins"]
    assert points[-1]["summary"]["warning"] == 1  # the signed commit is counted: PC007
    diff = policycoord("diff", "--base", "HEAD~1", "--today", TODAY, cwd=repo)
    assert diff.returncode == 0, diff.stderr
    assert "PC007" in diff.stdout
    assert not ran.exists(), ran.read_text()


def _partial_clone(tmp_path: Path) -> tuple[Path, Path]:
    source = unchanged_repository(tmp_path / "source")
    make_repo(source, {"orgs/school-0.yaml": policy("school-0", "School Zero")})
    commit_all(source, "School 0 is renamed")  # so HEAD~1's file is not HEAD's
    git(source, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{source}", str(clone))
    return source, clone


def test_a_partial_clone_never_fetches_and_says_what_to_fetch(tmp_path: Path) -> None:
    source, clone = _partial_clone(tmp_path)
    program, ran = marker_program(tmp_path / "bin")
    git(clone, "remote", "set-url", "origin", "ssh://git.example.invalid/policies")
    git(clone, "config", "core.sshCommand", str(program))
    for command in (["diff", "--base", "HEAD~1", "--today", TODAY], ["history"]):
        done = policycoord(*command, cwd=clone)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "partial clone" in done.stderr
        assert "never downloads" in done.stderr
        assert "Traceback" not in done.stderr
    assert not ran.exists(), ran.read_text()
    # the advice works when pasted (with a remote that can be reached)
    git(clone, "remote", "set-url", "origin", f"file://{source}")
    done = policycoord("diff", "--base", "HEAD~1", "--today", TODAY, cwd=clone)
    advice = re.search(r"Fetch them with `([^`]+)`", done.stderr)
    assert advice, done.stderr
    subprocess.run(
        ["sh", "-c", advice.group(1)],
        cwd=clone,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_ALLOW_PROTOCOL": "file"},
    )
    done = policycoord("diff", "--base", "HEAD~1", "--today", TODAY, cwd=clone)
    assert done.returncode == 0, done.stderr
    assert "adds no findings" in done.stdout


def test_an_unreachable_remote_in_a_partial_clone_is_exit_2_not_findings(tmp_path: Path) -> None:
    _source, clone = _partial_clone(tmp_path)
    git(clone, "remote", "set-url", "origin", f"file://{tmp_path}/gone")
    done = policycoord("diff", "--base", "HEAD~1", "--today", TODAY, "-f", "json", cwd=clone)
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    assert "not in this clone" in done.stderr


def test_dubious_ownership_keeps_gits_reason(tmp_path: Path) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    done = policycoord("history", cwd=repo, env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"})
    assert done.returncode == 2
    assert "dubious ownership" in done.stderr
    assert "another user" in done.stderr
    assert "safe.directory" in done.stderr


@pytest.mark.parametrize("folder", [":(exclude)policies", "*"])
def test_a_folder_named_like_pathspec_magic_is_a_folder(tmp_path: Path, folder: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    inner = unchanged_repository_in(root, folder)
    history = policycoord("history", "-f", "json", cwd=inner)
    assert history.returncode == 0, history.stderr
    points = json.loads(history.stdout)["commits"]
    assert [p["subject"] for p in points] == ["The partnership", "A stranger joins"]
    diff = policycoord("diff", "--base", "HEAD~1", "--today", TODAY, cwd=inner)
    assert diff.returncode == 0, diff.stderr
    assert "PC007" in diff.stdout


def unchanged_repository_in(root: Path, folder: str) -> Path:
    """The partnership of `unchanged_repository` in a folder of `root`, and an
    unrelated commit outside it."""
    from conftest import partnership

    inner = root / folder
    make_repo(inner, {"partnership.yaml": partnership(members=["school-0"])})
    make_repo(inner, {"orgs/school-0.yaml": policy("school-0")})
    commit_all(root, "The partnership")
    make_repo(root, {"elsewhere.txt": "not a policy\n"})
    commit_all(root, "Something else")
    make_repo(inner, {"orgs/stranger.yaml": policy("stranger")})
    commit_all(root, "A stranger joins")
    return inner


@pytest.mark.parametrize("revision", ["HEAD~1..HEAD", "HEAD~1...HEAD", ":/stranger", "HEAD^@"])
def test_ranges_and_searches_say_what_is_accepted(tmp_path: Path, revision: str) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    done = policycoord("diff", "--base", revision, cwd=repo)
    assert done.returncode == 2
    assert "not one revision" in done.stderr
    assert "a branch" in done.stderr and "a commit id" in done.stderr


def test_a_bare_repository_gets_a_message_of_its_own(tmp_path: Path) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    bare = tmp_path / "policies.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    for command in (["history"], ["diff", "--base", "HEAD~1"]):
        done = policycoord(*command, cwd=bare)
        assert done.returncode == 2
        assert "bare git repository" in done.stderr, done.stderr
        assert "git clone" in done.stderr


def test_replace_objects_do_not_change_what_a_revision_holds(tmp_path: Path) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    blob = git(repo, "rev-parse", "HEAD:orgs/stranger.yaml").strip()
    fake = git(repo, "hash-object", "-w", "--stdin", stdin=policy("school-0")).strip()
    git(repo, "replace", blob, fake)
    done = policycoord("diff", "--base", "HEAD~1", "--head", "HEAD", "--today", TODAY, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "PC007" in done.stdout  # the stranger as committed, not the replacement


def test_a_non_utf8_locale_reads_non_ascii_file_names(tmp_path: Path) -> None:
    repo = unchanged_repository(tmp_path / "policies")
    make_repo(repo, {"orgs/école-saint-éloi.yaml": policy("ecole", "École Saint-Éloi")})
    commit_all(repo, "Une école")
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    for command in (["diff", "--base", "HEAD~2", "--today", TODAY], ["history"]):
        done = policycoord(*command, cwd=repo, env=env)
        assert done.returncode in (0, 1), (command, done.stderr)
        assert "internal error" not in done.stderr
        assert "cole" in done.stdout
