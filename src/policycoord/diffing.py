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
from dataclasses import dataclass, field
from pathlib import Path

from policycoord import __version__
from policycoord.discovery import locate_partnership
from policycoord.findings import Finding, Report, fails
from policycoord.meaning import Change, changes, facts
from policycoord.model import Model
from policycoord.pipeline import Options, check_with_model
from policycoord.revisions import Repository, exported, has_partnership, repository_for, resolve

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
    tree). Raises PolicycoordError when it cannot: no partnership file here,
    not a git repository, a revision that is not in the clone."""
    options = options or Options(today=datetime.date.today())
    cwd = cwd or Path.cwd()
    partnership_file = locate_partnership([], partnership=partnership, cwd=cwd)
    repository = repository_for(partnership_file)
    base_sha = resolve(repository, base, option="--base")
    head_sha = resolve(repository, head, option="--head") if head is not None else None
    before = _check_revision(repository, base, base_sha, options)
    if head_sha is None or head is None:
        after = _check_working_tree(partnership_file, cwd, options)
    else:
        after = _check_revision(repository, head, head_sha, options)
    return _compare(before, after, options)


def _check_working_tree(partnership_file: Path, cwd: Path, options: Options) -> _Checked:
    model, report = check_with_model(
        [], partnership=str(partnership_file), cwd=cwd, options=options
    )
    return _Checked(_side(WORKING_TREE, None, report), model, report)


def _check_revision(repository: Repository, label: str, sha: str, options: Options) -> _Checked:
    if not has_partnership(repository, sha):
        return _Checked(Side(label, sha, has_partnership=False), None, None)
    with exported(repository, sha) as folder:
        model, report = check_with_model(
            [],
            partnership=str(folder / repository.partnership_name),
            cwd=folder,
            options=options,
        )
    return _Checked(_side(label, sha, report), model, report)


def _side(label: str, sha: str | None, report: Report) -> Side:
    summary = report.summary
    return Side(
        label, sha, True, summary.error, summary.warning, summary.info, summary.organisations
    )


def _compare(before: _Checked, after: _Checked, options: Options) -> DiffReport:
    base_findings = before.report.findings if before.report is not None else ()
    head_findings = after.report.findings if after.report is not None else ()
    base_prints = {finding.fingerprint for finding in base_findings}
    head_prints = {finding.fingerprint for finding in head_findings}
    introduced = tuple(f for f in head_findings if f.fingerprint not in base_prints)
    resolved = tuple(f for f in base_findings if f.fingerprint not in head_prints)
    meaning: tuple[Change, ...] = ()
    if before.model is not None and after.model is not None:
        meaning = changes(facts(before.model), facts(after.model))
    elif after.model is not None:
        meaning = changes(facts(_empty(after.model)), facts(after.model))
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
    )


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
