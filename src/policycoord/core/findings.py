"""What rules observe (Violation) and what users see (Finding, Report).

A rule yields Violations: a message, where, what it is about. The engine turns
them into Findings by stamping the code, name and severity from configuration,
and computing a fingerprint that survives lines moving.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal


class Severity(enum.Enum):
    """How serious a finding is. Ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}

FAIL_LEVELS = ("error", "warning", "info", "never")

#: The families findings are grouped in, in this order, with their headings
#: (every rule belongs to one; the engine stamps it on each Finding).
FAMILIES: Final = {
    "input": "Reading the files",
    "gaps": "Gaps",
    "overlaps": "Overlaps",
    "conflicts": "Conflicts",
    "escalation": "Escalation",
    "jargon": "Jargon",
    "governance": "Governance",
}


def fails(severity: Severity, fail_on: str) -> bool:
    """True when a finding of `severity` makes a run fail at level `fail_on`."""
    if fail_on == "never":
        return False
    return severity.rank >= Severity(fail_on).rank


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: path relative to the partnership folder (with `/`),
    1-based line and column, and the JSON pointer of the value there.

    In a workbook (`policycoord workbook import`), `cell` names the cell
    (`Roles!C4`), `line` is its row and `column` its column's number."""

    path: str
    line: int
    column: int
    pointer: str = ""
    cell: str = ""

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.cell}"
        return f"{self.path}:{self.line}:{self.column}"

    @property
    def short(self) -> str:
        """`path:line`, or `path:Sheet!C4` in a workbook: where a short label points."""
        return f"{self.path}:{self.cell}" if self.cell else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class FixEdit:
    """One change a fix makes to one file, by JSON pointer, as data (the
    editing stage applies it; a rule never writes a file). `op` is "set"
    (the value at `pointer` becomes `value`; a mapping's new key goes last),
    "delete", or "rename" (the key at `pointer` becomes `value`, in its
    place, its value and comments kept). `old` is the value the fix expects
    to find there (None: the key is absent), so that a fix worked out on an
    older text is not applied."""

    path: str
    pointer: str
    op: Literal["set", "delete", "rename"]
    value: Any = None
    old: Any = None


#: the kinds of fix: `safe` ones `check --fix` applies (certain: the meaning
#: is kept, only the form changes); `unsafe` ones need a person's eye (a
#: did-you-mean) and are applied only with `--unsafe-fixes`
FIX_KINDS: Final = ("safe", "unsafe")


@dataclass(frozen=True, slots=True)
class Fix:
    """What would resolve a finding, as changes to files."""

    kind: Literal["safe", "unsafe"]
    description: str  # one line, in words: "Write `24 hours` for `24 Hours`."
    edits: tuple[FixEdit, ...]


@dataclass(frozen=True, slots=True)
class TextChange:
    """A fix as text, for the formats that carry fixes (SARIF's `fixes`):
    in `path`, the characters from `line`:`column` up to, not including,
    `end_line`:`end_column` (1-based, counting characters as locations do)
    become `inserted`. Worked out by the editing stage from the file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    inserted: str


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule observed. The engine adds code, name and severity.

    `subject` is what the finding is about (a duty id, a concern, a term): it
    narrows waivers and makes the fingerprint stable when lines move.
    """

    message: str
    location: Location
    subject: str = ""
    suggestion: str = ""
    organisation: str | None = None
    related: tuple[Location, ...] = ()
    #: the pointer the fingerprint is built from, when it is not the location's:
    #: for a finding whose location moves between fields as dates pass (PC401)
    anchor: str | None = None
    #: a field policycoord does not know (PC003): the field it was probably
    #: meant to be, and the ids and words its value holds, which no check saw;
    #: what follows from it is told apart by them (checks/causes.py)
    meant: str = ""
    hides: tuple[str, ...] = ()
    #: other organisations whose policies the finding depends on (the ones an
    #: escalation walk passes or ends at): a problem with their file is its cause
    about: tuple[str, ...] = ()
    #: the change that would resolve it, where one is certain enough to offer
    fix: Fix | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Finding:
    """A Violation stamped by the engine: what users see in every report."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    subject: str = ""
    suggestion: str = ""
    organisation: str | None = None
    related: tuple[Location, ...] = ()
    fingerprint: str = ""
    #: the rule's family (a key of FAMILIES); "" for a finding no rule made
    family: str = ""
    #: the fingerprint of the finding this one follows from (its root cause:
    #: a file that cannot be read, a misspelt field), or ""
    cause: str = ""
    #: other organisations whose policies the finding depends on (Violation.about)
    about: tuple[str, ...] = ()
    #: the change that would resolve it (Violation.fix); not part of its identity
    fix: Fix | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (*self.location.sort_key(), self.code, self.message)


def causes_first(findings: Sequence[Finding]) -> list[Finding]:
    """`findings` in reading order for a person: a finding that follows from
    another of the same organisation (`Finding.cause`) comes right after it
    when it would otherwise come first, so that the cause is read first.
    Everything else keeps its order."""
    position = {finding.fingerprint: index for index, finding in enumerate(findings)}
    owner = {finding.fingerprint: finding.organisation for finding in findings}

    def key(item: tuple[int, Finding]) -> tuple[int, int, int]:
        index, finding = item
        cause = position.get(finding.cause) if finding.cause else None
        if cause is not None and cause > index and owner[finding.cause] == finding.organisation:
            return (cause, 1, index)
        return (index, 0, index)

    return [finding for _, finding in sorted(enumerate(findings), key=key)]


def fingerprint(
    *, code: str, organisation: str | None, pointer: str, subject: str, path: str
) -> str:
    """A stable id for a finding: code, organisation, pointer and subject, never
    the line. Findings that belong to no organisation add their file's path."""
    owner = organisation if organisation is not None else f"file:{path}"
    import hashlib  # here: `validate` on a clean file never needs it

    digest = hashlib.sha256("\x1f".join((code, owner, pointer, subject)).encode("utf-8"))
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports say of a rule beside its findings (SARIF's `rules[]`, help
    text, a family heading), taken from the rule catalogue when the report is
    made, so that no reporter needs to import a rule. What comes from the
    documentation is read when a report asks for it (SARIF does): reading
    every rule's docstring and expanding its examples would add to every run,
    `validate` of one file included."""

    code: str
    name: str
    family: str  # a key of FAMILIES
    default_severity: Severity
    anchor: str  # the rule's section id in docs/rules.md
    #: one line: what it reports
    summary: Callable[[], str] = field(compare=False, repr=False)
    #: the whole documentation (Markdown), as `explain` shows it
    documentation: Callable[[], str] = field(compare=False, repr=False)
    #: the documentation's first section, "What it does" (Markdown)
    what_it_does: Callable[[], str] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A finding that came from reading one file (PC001-PC003, PC005, PC009...)."""

    code: str
    violation: Violation


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """A waiver as reports show it next to the finding it suppresses."""

    code: str
    organisation: str
    subject: str | None
    reason: str
    approved_by: tuple[str, ...]
    expires: str  # YYYY-MM-DD
    location: Location


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding in a baseline file: its fingerprint, and for the
    people reading the file in review, its code, organisation and message."""

    fingerprint: str
    code: str
    organisation: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding that was found but is not reported: a waiver in force or the
    baseline accepted it. Never dropped silently: counted and listed."""

    finding: Finding
    waiver: WaiverRecord | None = None  # None: the baseline accepted it


@dataclass(frozen=True, slots=True)
class Summary:
    """The counts a report starts with: files, organisations, findings by severity."""

    files: int
    organisations: int
    error: int
    warning: int
    info: int
    suppressed: int


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a run, ready for any reporter. Reporters only format it."""

    tool_version: str
    partnership: str | None
    partnership_name: str | None
    summary: Summary
    findings: tuple[Finding, ...]
    fail_on: str = "error"
    #: who set `fail_on`: "option" (--fail-on), "partnership" (its rules.fail_on), "default"
    fail_on_by: str = "default"
    organisation_names: dict[str, str] = field(default_factory=dict)
    #: found but accepted (waivers in force, then the baseline), in report order
    suppressed: tuple[Suppressed, ...] = ()
    #: the baseline file given with --baseline (as the user wrote it), if any
    baseline: str | None = None
    #: baseline entries that no finding matches any more: the baseline can shrink
    stale_baseline: tuple[BaselineEntry, ...] = ()
    #: every rule of the catalogue (not only those that found something), in
    #: catalogue order: what reports such as SARIF describe
    rules: tuple[RuleInfo, ...] = ()

    @property
    def failed(self) -> bool:
        return any(fails(f.severity, self.fail_on) for f in self.findings)

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0
