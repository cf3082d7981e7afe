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

Counts can change between two commits with no policy file changed: a
waiver expired, a review fell due. The date did it, not the commit, and
the point says so (`Point.dated`), naming what appeared and what went.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.about import __version__
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report
from policycoord.workflows.gitcommand import GitError
from policycoord.workflows.pipeline import Options, check
from policycoord.workflows.revisions import (
    Commit,
    Reader,
    Repository,
    commits,
    exported,
    has_partnership,
    is_shallow,
    located,
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
    #: when no policy file changed since the point before and the counts did
    #: all the same: what the date changed, in words ("a review fell due...")
    dated: str | None = None

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


def _digest(folder: Path) -> str:
    """What the policy files of an exported commit hold: their paths and
    bytes, in order, hashed."""
    digest = hashlib.sha256()
    for file in sorted(path for path in folder.rglob("*") if path.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _point_at(
    repository: Repository, commit: Commit, base_options: Options, reader: Reader
) -> tuple[Point, Report | None, str]:
    """The counts of a check of the repository as of `commit`, on its own date
    (and the report, None when that commit's files could not be checked; and
    the digest of its policy files)."""
    options_then = dataclasses.replace(base_options, today=datetime.date.fromisoformat(commit.date))
    size = base_options.max_file_size
    with exported(repository, commit.sha, max_size=size, reader=reader) as folder:
        files = _digest(folder)
        try:
            report = check(
                [],
                partnership=str(folder / repository.partnership_name),
                cwd=folder,
                options=options_then,
            )
        except GitError:  # git could not read that commit: the run stops
            raise
        except PolicycoordError as error:  # e.g. an unknown code in that commit's rules
            # the temporary folder is named at random: leave it out (deterministic output)
            problem = str(error).replace(f"{folder}{os.sep}", "").replace(str(folder), ".")
            return Point(commit, 0, 0, 0, 0, 0, 0, problem=problem), None, files
    summary = report.summary
    counts = (summary.error, summary.warning, summary.info, summary.suppressed)
    return Point(commit, summary.files, summary.organisations, *counts), report, files


#: What a finding that comes or goes with the date alone says happened.
_DATED_WORDS = {"PC401": "a review fell due", "PC405": "a waiver expired"}


def _what_the_date_did(before: Report, after: Report) -> str:
    """The findings that came and went between two checks of the same
    files on two dates, in words: `a review fell due (PC401, Riverside
    Juniors Football Club); no longer waived: PC206 (Northshire Youth Trust)`."""

    def key(finding: Finding) -> tuple[str, str]:
        return finding.fingerprint, finding.code

    def named(finding: Finding) -> str:
        organisation = finding.organisation
        who = after.organisation_names.get(organisation or "", organisation or "partnership-wide")
        return f"{finding.code}, {who}"

    then = {key(f): f for f in before.findings}
    now = {key(f): f for f in after.findings}
    waived_then = {key(s.finding) for s in before.suppressed}
    words = []
    for found in (f for k, f in now.items() if k not in then):
        if key(found) in waived_then:
            words.append(f"no longer waived: {found.name} ({named(found)})")
        else:
            what = _DATED_WORDS.get(found.code, found.name)
            words.append(f"{what} ({named(found)})")
    words += [f"gone: {gone.name} ({named(gone)})" for k, gone in then.items() if k not in now]
    return "; ".join(words)


def _dated(
    point: Point, report: Report | None, before: tuple[Point, Report | None] | None
) -> Point:
    """`point`, saying what the date changed when its files are those of the
    point before and its counts are not."""
    if before is None or report is None:
        return point
    previous, previous_report = before
    if previous_report is None:
        return point
    counts = ("errors", "warnings", "infos", "suppressed")
    if all(getattr(point, name) == getattr(previous, name) for name in counts):
        return point
    what = _what_the_date_did(previous_report, report)
    dated = (
        f"No policy file changed since {previous.label} ({previous.commit.date}): "
        f"the counts changed with the date, not a commit" + (f": {what}." if what else ".")
    )
    return dataclasses.replace(point, dated=dated)


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
    partnership_file = located(partnership, cwd)
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
    before: tuple[Point, Report | None] | None = None
    files_before: str | None = None
    with Reader(repository) as reader:  # one `git cat-file` for every commit
        for commit in listed:
            if not has_partnership(repository, commit.sha, reader=reader):
                missing += 1
                continue
            point, report, files = _point_at(repository, commit, base_options, reader)
            if files == files_before:
                point = _dated(point, report, before)
            points.append(point)
            before, files_before = (point, report), files
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
