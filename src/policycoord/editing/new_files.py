"""Where a new organisation's policy file goes, and whether discovery will
read it there: the rule of the browser workspace's "Add an organisation"
(serve/creating.py), for `workbook import` of a member with no file yet.

The file is `<id>.yaml` (or `.yml`, as the first `policies` pattern ends)
in the folder most organisations of its sector are in (`orgs/*/*.yaml`:
`orgs/education/`, `orgs/health/`...), else the first (by name) of the
folders policy files are in, else the first pattern's folder up to its
first wildcard (`orgs` by default). The path is made from the id and the partnership's own
patterns only, and must be one the patterns read and stay in the
repository (no link out of it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Final

from policycoord.editing.document import Refusal
from policycoord.editing.saving import Saved, create
from policycoord.input.discovery import would_discover
from policycoord.model.model import Model

GLOB_CHARACTERS: Final = frozenset("*?[]{}")
DEFAULT_FOLDER: Final = "orgs"


def new_policy_path(model: Model, org_id: str, sector: str) -> str:
    """The new file's path below the repository, with `/`."""
    return policy_path_in(model, folders_for(model, sector)[0], org_id)


def policy_path_in(model: Model, folder: str, org_id: str) -> str:
    """`<folder>/<id>` with the suffix the partnership's first pattern ends
    in (`.yml` or `.yaml`); `folder` "" is the repository's own."""
    suffix = from_pattern(model)[1]
    return f"{folder}/{org_id}{suffix}" if folder else f"{org_id}{suffix}"


def folders_for(model: Model, sector: str = "") -> tuple[str, ...]:
    """The folders a new file may go in, the likeliest first: those the
    partnership's policy files are in already (so its patterns read them),
    the folder most organisations of `sector` are in first; or, in a
    partnership with no policy file yet, the first pattern's folder."""
    counts: dict[str, int] = {}
    for org in model.organisations:
        folder = str(PurePosixPath(org.path).parent).removeprefix(".")
        counts[folder] = counts.get(folder, 0) + (org.sector == sector)
    if not counts:
        return (from_pattern(model)[0],)
    return tuple(sorted(counts, key=lambda folder: (-counts[folder], folder)))


def from_pattern(model: Model) -> tuple[str, str]:
    """The first `policies` pattern's folder up to its first wildcard, and
    the suffix its files end in (`orgs/**/*.yml` -> (`orgs`, `.yml`))."""
    partnership = model.partnership
    patterns = partnership.policies if partnership is not None else None
    folder, suffix = DEFAULT_FOLDER, ".yaml"
    if patterns and not PurePosixPath(patterns[0]).is_absolute():
        parts = PurePosixPath(patterns[0]).parts
        fixed = []
        for part in parts[:-1]:
            if GLOB_CHARACTERS & set(part) or part in ("..", "."):
                break
            fixed.append(part)
        folder = "/".join(fixed)
        suffix = ".yml" if parts and parts[-1].endswith(".yml") else ".yaml"
    return folder, suffix


def read_by_discovery(path: str, patterns: Sequence[str] | None) -> bool:
    """Whether discovery reads a policy file at `path` (below the repository,
    with `/`): `input.discovery.would_discover`, the one rule."""
    return would_discover(path, patterns)


def inside(root: Path, folder: Path) -> bool:
    """Whether `folder` (or, while it is not there, its nearest folder that
    is) is really under the repository, links followed."""
    real_root = os.path.realpath(root)
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:  # a broken link: out
        existing = existing.parent
    real = os.path.realpath(existing)
    return os.path.commonpath([real_root, real]) == real_root


def create_policy_file(
    root: Path, where: str, text: str, patterns: Sequence[str] | None
) -> Saved | Refusal:
    """Write a new policy file at `where` (below `root`, with `/`), each step
    only when the one before allows it: the partnership's `patterns` read a
    file there (`would_discover`), its folder is inside the repository (links
    followed), the folder is made, it is still inside (no link put there in
    between), and the file is created where nothing is. Nothing is made
    before the checks: a refusal leaves the repository as it was."""
    if not read_by_discovery(where, patterns):
        return Refusal(
            f"The partnership's policies patterns would not read {where}, where the file "
            "would go; change the patterns in the partnership file first."
        )
    file = root / where
    outside = Refusal(f"{where} would be outside the repository.")
    if not inside(root, file.parent):
        return outside
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return Refusal(f"The folder could not be made: {error.strerror}.")
    if not inside(root, file.parent):
        return outside
    made = create(file, text)
    return made if isinstance(made, Saved) else Refusal(made.reason)
