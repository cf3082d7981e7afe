"""Where a policy repository sits in the git repository that holds it.

Code scanning (SARIF), GitLab's Code Quality report and GitHub's
annotations read a path against the root of the git repository, while
policycoord's paths are relative to the folder of partnership.yaml (SPEC
§5). When partnership.yaml sits in a sub-folder (the GitHub Action's `path`
input invites it), those formats need that sub-folder in front of each
path, or every alert points at a file that does not exist.

The root is found as git finds it, without running git: the nearest folder,
at or above the partnership's, that holds `.git`, a folder in a plain
clone, a file in a worktree or a submodule. Where there is none, there is
no prefix and the paths stay as they are.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from policycoord.input.discovery import display_path, locate_partnership

GIT = ".git"


def _absolute(folder: Path) -> Path:
    """`folder` with links followed (as git sees it), else merely absolute."""
    try:
        return folder.resolve()
    except (OSError, RuntimeError):  # a link loop: RuntimeError before Python 3.13
        return Path(os.path.abspath(folder))


def repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder or a
    file), or None outside any git repository."""
    start = _absolute(folder)
    for candidate in (start, *start.parents):
        if os.path.exists(candidate / GIT):  # False, not an error, when it cannot look
            return candidate
    return None


def prefix_in_repository(folder: Path) -> str | None:
    """`folder`'s path from the root of its git repository, with `/` and a
    trailing `/` (`policies/`); `""` when it is the root; None outside any
    git repository. A byte of a folder name that is not UTF-8 is written
    `\\xNN`, as reports show such a file name."""
    root = repository_root(folder)
    if root is None:
        return None
    below = display_path(_absolute(folder), root)
    return "" if below in ("", ".") else below.rstrip("/") + "/"


def partnership_prefix(
    paths: Sequence[str] = (), *, partnership: str | None = None, cwd: Path | None = None
) -> str | None:
    """`prefix_in_repository` of the folder of the partnership file that
    `check` reads for these arguments: its reports' paths are relative to it."""
    cwd = cwd or Path.cwd()
    return prefix_in_repository(locate_partnership(paths, partnership=partnership, cwd=cwd).parent)
