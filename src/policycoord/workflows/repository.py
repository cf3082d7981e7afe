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

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Location
from policycoord.input.discovery import (
    display_path,
    find_partnership,
    locate_partnership,
    would_discover,
)

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


def read_by_a_run(
    paths: Sequence[str] = (), *, partnership: str | None = None, cwd: Path | None = None
) -> list[Path]:
    """The files a run on these arguments reads: the partnership file and
    every policy file discovery lists (and, with no arguments, those of the
    repository around `cwd`). Empty when there is no partnership file: the
    run itself then says so."""
    from policycoord.input.discovery import discover

    cwd = cwd or Path.cwd()
    try:
        partnership_file = locate_partnership(paths, partnership=partnership, cwd=cwd)
        found = discover(
            paths,
            partnership=str(partnership_file),
            cwd=cwd,
            policies_globs=_policies_globs(partnership_file),
        )
    except (PolicycoordError, OSError):
        return []
    return [partnership_file, *(policy.file for policy in found.policies)]


def _policies_globs(partnership_file: Path) -> list[tuple[str, Location]] | None:
    """The `policies` patterns of a partnership file, as `check` reads them."""
    from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE, load_file
    from policycoord.input.reading import read_file
    from policycoord.model.build import policies_globs

    shown = display_path(partnership_file, partnership_file.parent)
    read = read_file(
        partnership_file, shown, max_size=DEFAULT_MAX_FILE_SIZE, kind="partnership", load=load_file
    )
    return policies_globs(read.loaded)


def would_be_discovered(file: Path, partnership_file: Path) -> bool:
    """Whether discovery in the repository of `partnership_file` lists
    `file` once it is there (it need not be yet): a YAML file below the
    repository folder, or one its `policies` patterns match; never a hidden
    one that a pattern does not name."""
    root = _absolute(partnership_file.parent)
    try:
        parts = (_absolute(file.parent) / file.name).relative_to(root).parts
        globs = _policies_globs(partnership_file)
    except (ValueError, OSError, PolicycoordError):  # outside it, or no partnership to read
        return False
    if not parts or (root / Path(*parts)) == _absolute(partnership_file):
        return False
    patterns = [pattern for pattern, _ in globs] if globs is not None else None
    return would_discover("/".join(parts), patterns, partnership="")


def _places(file: Path) -> set[str]:
    """Where writing to `file` would land: the path itself (its folder's
    links followed; a link there is replaced, not written through) and,
    for a file read through a link, the file the link leads to."""
    places = set()
    with contextlib.suppress(OSError, RuntimeError):
        places.add(os.path.normcase(str(_absolute(file.parent) / file.name)))
    with contextlib.suppress(OSError, RuntimeError):
        places.add(os.path.normcase(str(file.resolve())))
    return places


def refuse_to_overwrite_input(
    output: Path, inputs: Sequence[Path], *, partnership: Path | None = None
) -> None:
    """A PolicycoordError when writing a report to `output` would replace a
    file the run reads (one of `inputs`, or a file that discovery lists in
    the policy repository around `output`), or would put a file where
    discovery would list it as a policy (in that repository, or in the one
    of the run's own `partnership` file, whatever its name): a report must
    never take the place of a policy, nor be read as one."""
    target = os.path.normcase(str(_absolute(output.parent) / output.name))
    try:  # a folder that cannot be looked into: writing there fails and says so
        around = find_partnership(_absolute(output.parent))
    except OSError:
        around = None
    listed = read_by_a_run(cwd=around.parent) if around is not None else []
    for file in (*inputs, *listed):
        if target in _places(file):
            raise PolicycoordError(
                f"Cannot write the report to {output}: it is one of the files this run "
                "reads (the partnership file, a policy file, the baseline or a workbook it "
                "imports), and a report must never replace it. Give --output another name "
                "(e.g. report.md), or '-' for standard output."
            )
    for repository in {place for place in (around, partnership) if place is not None}:
        if would_be_discovered(output, repository):
            raise PolicycoordError(
                f"Cannot write the report to {output}: discovery would list it as a policy "
                "file (it is a YAML file in the policy repository, or matches the partnership's "
                "`policies` patterns), so the next run would read the report as a policy. Give "
                "--output another name (e.g. report.md), or '-' for standard output."
            )
