"""`policycoord history`: the summary counts at each commit (or tag) that
touched the policy repository, for the board: is the partnership getting
better?

Each commit is read straight from git (`revisions.exported`, never the
working tree) and checked in full, as of that commit's own date: a review
that fell due later does not count against an earlier commit, so each row is
what `policycoord check` said on the day. Waivers and `rules` are those of
the commit. Commits where the partnership file did not exist yet are left
out and counted; a commit that cannot be checked at all (an unknown code
in its `rules`, say) is listed with the reason and no counts.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.about import __version__
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Report
from policycoord.input.discovery import locate_partnership
from policycoord.workflows.pipeline import Options, check
from policycoord.workflows.revisions import (
    Commit,
    Repository,
    commits,
    exported,
    has_partnership,
    is_shallow,
    repository_for,
)

#: how many commits `history` reads when `--max` is not given
DEFAULT_MAX = 50


@dataclass(frozen=True, slots=True)
class Point:
    """One commit's counts."""

    commit: Commit
    files: int
    organisations: int
    errors: int
    warnings: int
    infos: int
    suppressed: int
    problem: str | None = None  # why this commit could not be checked (counts are 0)

    @property
    def label(self) -> str:
        """A tag when the commit has one, else its short id."""
        return self.commit.tags[0] if self.commit.tags else self.commit.short


@dataclass(frozen=True, slots=True)
class History:
    tool_version: str
    partnership: str | None
    partnership_name: str | None
    points: tuple[Point, ...]  # oldest first
    tags_only: bool
    without_partnership: int  # commits left out: no partnership file there yet
    limited: bool  # True when --max cut older commits off
    shallow: bool = False  # a shallow clone: older commits are not in it


def _point_at(
    repository: Repository, commit: Commit, base_options: Options
) -> tuple[Point, Report | None]:
    """The counts of a check of the repository as of `commit`, on its own date
    (and the report; None when that commit's files could not be checked)."""
    options_then = dataclasses.replace(base_options, today=datetime.date.fromisoformat(commit.date))
    with exported(repository, commit.sha, max_size=base_options.max_file_size) as folder:
        try:
            report = check(
                [],
                partnership=str(folder / repository.partnership_name),
                cwd=folder,
                options=options_then,
            )
        except PolicycoordError as error:  # e.g. an unknown code in that commit's rules
            # the temporary folder is named at random: leave it out (deterministic output)
            problem = str(error).replace(f"{folder}{os.sep}", "").replace(str(folder), ".")
            return Point(commit, 0, 0, 0, 0, 0, 0, problem=problem), None
    summary = report.summary
    counts = (summary.error, summary.warning, summary.info, summary.suppressed)
    return Point(commit, summary.files, summary.organisations, *counts), report


def history(
    *,
    since: str | None = None,
    max_count: int | None = DEFAULT_MAX,
    tags_only: bool = False,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
) -> History:
    """The counts at each commit that touched the repository (oldest first)."""
    cwd = cwd or Path.cwd()
    base_options = options or Options()
    partnership_file = locate_partnership([], partnership=partnership, cwd=cwd)
    repository = repository_for(partnership_file)
    listed = commits(
        repository,
        since=since,
        max_count=None if max_count is None else max_count + 1,
        tags_only=tags_only,
    )
    limited = max_count is not None and len(listed) > max_count
    if limited:
        listed = listed[len(listed) - (max_count or 0) :]
    points: list[Point] = []
    missing = 0
    name: str | None = None
    ident: str | None = None
    for commit in listed:
        if not has_partnership(repository, commit.sha):
            missing += 1
            continue
        point, report = _point_at(repository, commit, base_options)
        points.append(point)
        if report is not None:
            name, ident = report.partnership_name or name, report.partnership or ident
    return History(
        __version__,
        ident,
        name,
        tuple(points),
        tags_only,
        missing,
        limited,
        shallow=is_shallow(repository),
    )
