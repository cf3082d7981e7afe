"""Real git repositories for the tests of `diff` and `history` on hostile
or unusual repositories, and a marker program that must never run."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import make_repo, partnership, policy

TODAY = "2026-11-24"


def git_env(home: Path) -> dict[str, str]:
    """git's environment for building a repository: a fixed author and
    date, and `home` as HOME (so no developer's configuration is read)."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Business Manager",
        "GIT_AUTHOR_EMAIL": "bm@partnership.example",
        "GIT_COMMITTER_NAME": "Business Manager",
        "GIT_COMMITTER_EMAIL": "bm@partnership.example",
        "GIT_AUTHOR_DATE": "2026-06-01T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-06-01T10:00:00+00:00",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        "LC_ALL": "C",
    }


def git(repo: Path, *arguments: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *arguments],
        cwd=repo,
        env=git_env(repo.parent),
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def unchanged_repository(root: Path, *, organisations: int = 2) -> Path:
    """A partnership of a few schools, committed on `main`: two commits, the
    second adds an organisation that is not a member (PC007)."""
    members = [f"school-{n}" for n in range(organisations)]
    files: dict[str, str | bytes] = {"partnership.yaml": partnership(members=members)}
    files.update({f"orgs/{org}.yaml": policy(org) for org in members})
    make_repo(root, files)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "The partnership")
    make_repo(root, {"orgs/stranger.yaml": policy("stranger")})
    commit_all(root, "A stranger joins")
    return root


def marker_program(folder: Path) -> tuple[Path, Path]:
    """A program that records that it ran (in the file returned second) and
    prints what a signature check or a filter might print."""
    folder.mkdir(parents=True, exist_ok=True)
    ran = folder / "MARKER-RAN"
    program = folder / "marker.sh"
    program.write_text(
        "#!/bin/sh\n"
        f'echo "$0 $*" >> "{ran}"\n'
        'echo "[GNUPG:] GOODSIG 0000 Somebody"\n'
        'echo "gpg: Good signature from \\"Somebody\\"" >&2\n'
        "cat >/dev/null 2>&1\n"
        "exit 0\n",
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return program, ran


def policycoord(
    *arguments: str, cwd: Path, env: dict[str, str] | None = None, text_mode: bool = True
) -> subprocess.CompletedProcess[str]:
    """`python -m policycoord ARGUMENTS` in `cwd`, with HOME beside the
    repository unless `env` says otherwise."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "COLUMNS")
    }
    environment.update({"NO_COLOR": "1", "HOME": str(cwd.parent), "GIT_CONFIG_NOSYSTEM": "1"})
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "policycoord", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=text_mode,
        encoding="utf-8" if text_mode else None,
        errors="replace" if text_mode else None,
        timeout=120,
        check=False,
    )
