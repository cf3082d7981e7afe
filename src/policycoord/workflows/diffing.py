"""`policycoord diff`: what a change to the policy repository adds and fixes.

Both revisions are checked in full with the same options (the same `--today`,
so a review that is overdue on both sides is not "introduced"), each read
straight from git into a private temporary folder (`revisions.exported`), or,
without `--head`, the working tree as `check` reads it. Then:

- findings **introduced** (in the head, not in the base) and **resolved** (in
  the base, not in the head), matched by fingerprint, which does not move
  when lines do (findings.fingerprint); waived or baselined findings count on
  neither side;
- **changes in meaning** (`meaning.changes`): duties that changed owner,
  timeframes that got longer or shorter, escalation targets added or removed.

The run fails (exit 1) only for introduced findings at or above the fail
level (the head's `rules.fail_on`, or `--fail-on`), so a change is never
blocked by a problem it did not add. A revision without the partnership
file (the change that creates the repository) has no findings.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from policycoord.core.about import __version__
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report, fails
from policycoord.model.model import Model
from policycoord.views.meaning import Change, changes, facts
from policycoord.workflows import refs, worktree
from policycoord.workflows.gitcommand import GitError
from policycoord.workflows.pipeline import Options, check_with_model
from policycoord.workflows.repository import read_by_a_run
from policycoord.workflows.revisions import (
    Repository,
    exported,
    has_partnership,
    located,
    repository_for,
)

WORKING_TREE = "working tree"


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the comparison: what it is, and its counts."""

    label: str  # the revision as the user gave it, or "working tree"
    commit: str | None  # the full commit id; None for the working tree
    has_partnership: bool  # False: the partnership file did not exist there
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    organisations: int = 0
    problem: str | None = None  # why this side could not be checked at all


@dataclass(frozen=True, slots=True)
class DiffReport:
    """The result of `diff`, ready for any diff renderer."""

    tool_version: str
    partnership: str | None
    partnership_name: str | None
    base: Side
    head: Side
    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    changes: tuple[Change, ...]
    fail_on: str
    organisation_names: dict[str, str] = field(default_factory=dict)
    #: files that do not read in the head: their base findings are not counted as resolved
    unreadable: tuple[str, ...] = ()
    #: base findings left out of `resolved` because their file does not read in the head
    unjudged: int = 0

    @property
    def failed(self) -> bool:
        return any(fails(f.severity, self.fail_on) for f in self.introduced)

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0


@dataclass(frozen=True, slots=True)
class _Checked:
    side: Side
    model: Model | None
    report: Report | None


def diff(
    base: str,
    head: str | None = None,
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
) -> DiffReport:
    """Compare revision `base` with revision `head` (default: the working
    tree). Raises PolicycoordError when it cannot: no partnership file here
    or in the head, not a git repository, a revision that is not in the clone."""
    options = options or Options(today=datetime.date.today())
    cwd = cwd or Path.cwd()
    partnership_file = located(partnership, cwd)
    repository = repository_for(partnership_file)
    base_ref = refs.resolve(repository.root, base, option="--base")
    head_ref = refs.resolve(repository.root, head, option="--head") if head is not None else None
    if head_ref is None:
        after = _check_working_tree(repository, partnership_file, cwd, options)
    else:
        if not has_partnership(repository, head_ref.sha):
            raise PolicycoordError(
                f"The head revision {head_ref.label!r} has no partnership file "
                f"({repository.partnership_name}): there is nothing to check there."
            )
        after = _check_revision(repository, head_ref.label, head_ref.sha, options)
    before = _check_base(repository, base_ref.label, base_ref.sha, options)
    return _compare(before, after, options)


def _check_working_tree(
    repository: Repository, partnership_file: Path, cwd: Path, options: Options
) -> _Checked:
    """The files as they are now; those stored through a git filter (Git
    LFS, git-crypt) as git stores them, as the revision has them (worktree.py)."""
    files = read_by_a_run(partnership=str(partnership_file), cwd=cwd)
    stored = worktree.filtered(repository, files)
    if not stored:
        model, report = check_with_model(
            [], partnership=str(partnership_file), cwd=cwd, options=options
        )
        return _Checked(_side(WORKING_TREE, None, report), model, report)
    with worktree.as_stored(partnership_file.parent, files, stored) as folder:
        try:
            model, report = check_with_model(
                [],
                partnership=str(folder / partnership_file.name),
                cwd=folder,
                options=options,
            )
        except PolicycoordError as error:
            message = str(error).replace(f"{folder}{os.sep}", "").replace(str(folder), ".")
            raise PolicycoordError(f"In the working tree: {message}") from None
    return _Checked(_side(WORKING_TREE, None, report), model, report)


def _check_base(repository: Repository, label: str, sha: str, options: Options) -> _Checked:
    """The base, which may predate the repository or be broken in a way the
    change repairs (an unknown code in its `rules`): then it has no findings,
    and the report says why."""
    if not has_partnership(repository, sha):
        return _Checked(Side(label, sha, has_partnership=False), None, None)
    try:
        return _check_revision(repository, label, sha, options)
    except GitError:  # git could not read it: the run stops (never "no findings there")
        raise
    except PolicycoordError as error:
        return _Checked(Side(label, sha, True, problem=str(error)), None, None)


def _check_revision(repository: Repository, label: str, sha: str, options: Options) -> _Checked:
    with exported(repository, sha, max_size=options.max_file_size) as folder:
        try:
            model, report = check_with_model(
                [],
                partnership=str(folder / repository.partnership_name),
                cwd=folder,
                options=options,
            )
        except GitError:
            raise
        except PolicycoordError as error:  # name the revision, not the temporary folder
            message = str(error).replace(f"{folder}{os.sep}", "").replace(str(folder), ".")
            raise PolicycoordError(f"In {label}: {message}") from None
    return _Checked(_side(label, sha, report), model, report)


def _side(label: str, sha: str | None, report: Report) -> Side:
    summary = report.summary
    return Side(
        label, sha, True, summary.error, summary.warning, summary.info, summary.organisations
    )


_PLACES = re.compile(r"[\w./-]+\.ya?ml:\d+(?::\d+)?")


def _said(finding: Finding) -> tuple[str, str, str, str]:
    """What a finding says, without where: its code, organisation, subject and
    message with file positions taken out."""
    return (
        finding.code,
        finding.organisation or "",
        finding.subject,
        _PLACES.sub("", finding.message),
    )


def _unmatched(findings: tuple[Finding, ...], others: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """`findings` that no finding of `others` matches: first by fingerprint,
    then, among those left, by what they say (`_said`), one for one. The
    second pass catches a finding whose place in a list moved (a step added
    above it changes its JSON pointer, so its fingerprint) but that is the
    same problem."""
    prints = {finding.fingerprint for finding in others}
    left = [f for f in findings if f.fingerprint not in prints]
    if not left:
        return ()
    other_prints = {finding.fingerprint for finding in findings}
    said = Counter(_said(f) for f in others if f.fingerprint not in other_prints)
    kept = []
    for finding in left:
        key = _said(finding)
        if said[key]:
            said[key] -= 1
        else:
            kept.append(finding)
    return tuple(kept)


def introduced_and_fixed(
    before: Report, after: Report
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The findings `after` has that `before` has not, and those it no longer
    has, matched as `diff` matches them (for a change not yet in git: a
    returned workbook)."""
    return _unmatched(after.findings, before.findings), _unmatched(before.findings, after.findings)


def _unreadable(checked: _Checked) -> tuple[str, ...]:
    """Policy files of the head that do not read (so have no organisation),
    or every file when the partnership file itself does not."""
    if checked.model is None:
        return ()
    if checked.model.partnership is None:
        return ("*",)
    return tuple(sorted(checked.model.unidentified_files))


def _compare(before: _Checked, after: _Checked, options: Options) -> DiffReport:
    base_findings = before.report.findings if before.report is not None else ()
    head_findings = after.report.findings if after.report is not None else ()
    introduced = _unmatched(head_findings, base_findings)
    resolved = _unmatched(base_findings, head_findings)
    unreadable = _unreadable(after)
    hidden: set[str] = set()
    if unreadable and before.model is not None:
        hidden = {
            org.id
            for org in before.model.organisations
            if "*" in unreadable or org.path in unreadable
        }
        judged = tuple(
            f
            for f in resolved
            if "*" not in unreadable
            and f.organisation not in hidden
            and f.location.path not in unreadable
        )
        unjudged = len(resolved) - len(judged)
        resolved = judged
    else:
        unjudged = 0
    meaning: tuple[Change, ...] = ()
    if after.model is not None and "*" not in unreadable:
        base_model = before.model if before.model is not None else _empty(after.model)
        meaning = tuple(
            c
            for c in changes(facts(base_model), facts(after.model))
            if not (
                c.kind == "organisation" and c.direction == "removed" and c.organisation in hidden
            )
        )
    names = {}
    for checked in (before, after):
        if checked.report is not None:
            names.update(checked.report.organisation_names)
    newest = after.report or before.report
    return DiffReport(
        tool_version=__version__,
        partnership=newest.partnership if newest is not None else None,
        partnership_name=newest.partnership_name if newest is not None else None,
        base=before.side,
        head=after.side,
        introduced=introduced,
        resolved=resolved,
        changes=meaning,
        fail_on=_fail_on(after.report, options),
        organisation_names=dict(sorted(names.items())),
        unreadable=_shown_unreadable(unreadable, after),
        unjudged=unjudged,
    )


def _shown_unreadable(unreadable: tuple[str, ...], after: _Checked) -> tuple[str, ...]:
    if "*" not in unreadable:
        return unreadable
    shown = after.model.partnership_path if after.model is not None else None
    return (shown or "the partnership file",)


def _empty(model: Model) -> Model:
    """A model with nothing in it, standing for a revision before the repository existed."""
    return Model(
        partnership=None,
        partnership_path=None,
        organisations=(),
        duplicate_organisations=(),
        file_problems=(),
        files=0,
        today=model.today,
    )


def _fail_on(report: Report | None, options: Options) -> str:
    if report is not None:
        return report.fail_on
    return options.fail_on or "error"
