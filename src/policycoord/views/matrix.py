"""The responsibility matrix (`policycoord matrix`): duties down, organisations
across, and in each cell who in that organisation is responsible (R),
accountable (A), consulted (C) or informed (I), with the timeframe promised.

This is the view model only: frozen values that the renderers in
`reporters/matrix_formats.py` turn into text. Nothing here prints.

- Rows are the partnership's duties in the order of the partnership file.
- Columns are the organisations that have a policy file (members or not),
  ordered by name, then id.
- A cell is *applicable* when the duty asks something of that organisation:
  every organisation for a `partnership` duty; for an `each-member` duty, the
  members (with a file) whose sector is in the duty's `applies_to` (all
  members when it is omitted). A cell that is not applicable still lists what
  the organisation wrote, if anything.
- Gaps and overlaps are counted as the responsibility checks count them
  (SPEC §3, PC101-PC103), from `raci: accountable` only:
  - a `partnership` duty has a *gap* when no organisation is accountable and
    an *overlap* when more than one organisation is;
  - an `each-member` duty has a *gap* when an applicable member has no
    accountable role (that cell is *missing*), and an *overlap* when one
    organisation has more than one accountable role.
- An entry is *too slow* when its timeframe is longer, worst case, than the
  duty's `max_within`, as PC104 finds it; a cell with such an entry is too
  slow, and so is its row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from policycoord.model.model import Model
from policycoord.model.policies import Duty, Organisation, Responsibility

RACI_LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
#: Order of the entries in a cell: the accountable role first.
_RACI_ORDER = {"accountable": 0, "responsible": 1, "consulted": 2, "informed": 3}

PARTNERSHIP_SCOPE = "partnership"
EACH_MEMBER_SCOPE = "each-member"


@dataclass(frozen=True, slots=True)
class Column:
    """An organisation with a policy file. `label` is its name, with the id
    added when another organisation has the same name."""

    id: str
    name: str
    sector: str
    member: bool
    path: str
    label: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One responsibility in a cell. `role_title` is None when the role is
    not one of the organisation's roles; `within` is the timeframe as written."""

    raci: str
    role: str
    role_title: str | None
    within: str | None
    #: its timeframe is longer, worst case, than the duty's `max_within` (PC104)
    too_slow: bool = False

    @property
    def letter(self) -> str:
        return RACI_LETTERS.get(self.raci, "?")

    @property
    def text(self) -> str:
        """`A dsl (24 hours)`; an unknown role gets a `?`: `A dls? (24 hours)`."""
        role = self.role if self.role_title is not None else f"{self.role}?"
        timeframe = f" ({self.within})" if self.within else ""
        return f"{self.letter} {role}{timeframe}"


@dataclass(frozen=True, slots=True)
class Cell:
    organisation: str
    applicable: bool
    entries: tuple[Entry, ...]
    missing: bool  # an applicable member with no accountable role (each-member duty)
    overlap: bool  # one of the parties to the row's overlap

    @property
    def too_slow(self) -> bool:
        """A timeframe in it is longer than the duty allows (PC104)."""
        return any(entry.too_slow for entry in self.entries)


@dataclass(frozen=True, slots=True)
class Row:
    duty: str
    title: str
    scope: str  # each-member | partnership
    applies_to: tuple[str, ...] | None
    max_within: str | None
    cells: tuple[Cell, ...]  # one per column, in column order
    gap: bool
    missing: tuple[str, ...]  # each-member: ids of applicable members with no accountable role
    overlap: bool
    overlapping: tuple[str, ...]  # ids of the organisations in the overlap, in column order

    @property
    def too_slow(self) -> tuple[str, ...]:
        """Ids of the organisations whose timeframe is longer than the duty
        allows (PC104), in column order."""
        return tuple(cell.organisation for cell in self.cells if cell.too_slow)

    @property
    def status(self) -> str:
        """`ok`, `gap`, `overlap`, or `gap+overlap`."""
        flags = [name for name, on in (("gap", self.gap), ("overlap", self.overlap)) if on]
        return "+".join(flags) or "ok"


@dataclass(frozen=True, slots=True)
class Matrix:
    partnership_id: str | None
    partnership_name: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...]  # what the reader should know: no duties, members not shown...

    @property
    def gaps(self) -> int:
        return sum(row.gap for row in self.rows)

    @property
    def overlaps(self) -> int:
        return sum(row.overlap for row in self.rows)


def build_matrix(model: Model) -> Matrix:
    partnership = model.partnership
    columns = _columns(model)
    notes = list(_membership_notes(model, columns))
    if partnership is None:
        notes.insert(
            0,
            "The partnership file could not be read, so its duties are not known. "
            "Run `policycoord check` to see why.",
        )
        rows: tuple[Row, ...] = ()
    elif partnership.duties is None:
        notes.insert(
            0,
            "The partnership file has no `duties` section, so there is nothing "
            "to show. Add the duties the partnership agreed to partnership.yaml.",
        )
        rows = ()
    else:
        if not partnership.duties:
            notes.insert(0, "The partnership file lists no duties.")
        rows = tuple(_row(model, duty, columns) for duty in partnership.duties)
    return Matrix(
        partnership_id=partnership.id if partnership else None,
        partnership_name=partnership.name if partnership else None,
        columns=columns,
        rows=rows,
        notes=tuple(notes),
    )


def _columns(model: Model) -> tuple[Column, ...]:
    members = set(model.members)
    names = Counter(org.name for org in model.organisations)
    ordered = sorted(model.organisations, key=lambda org: (org.name.casefold(), org.name, org.id))
    return tuple(
        Column(
            id=org.id,
            name=org.name,
            sector=org.sector,
            member=org.id in members,
            path=org.path,
            label=org.name if names[org.name] == 1 else f"{org.name} ({org.id})",
        )
        for org in ordered
    )


def _membership_notes(model: Model, columns: tuple[Column, ...]) -> list[str]:
    notes = []
    without_file = [member for member in model.members if model.organisation(member) is None]
    if without_file:
        notes.append("Members without a policy file, not shown: " + ", ".join(without_file) + ".")
    outsiders = [column.label for column in columns if not column.member]
    if outsiders:
        notes.append(
            "Not listed in the partnership's members, so no each-member duty applies to them: "
            + ", ".join(outsiders)
            + "."
        )
    return notes


def _row(model: Model, duty: Duty, columns: tuple[Column, ...]) -> Row:
    by_org: dict[str, list[Responsibility]] = {}
    for responsibility in model.responsibilities_for(duty.id):
        by_org.setdefault(responsibility.organisation, []).append(responsibility)
    accountable_roles = {
        org: {r.role for r in found if r.raci == "accountable"} for org, found in by_org.items()
    }
    missing: tuple[str, ...] = ()
    if duty.scope == PARTNERSHIP_SCOPE:
        applicable = {column.id for column in columns}
        accountable = [c.id for c in columns if accountable_roles.get(c.id)]
        gap = not accountable
        overlapping = tuple(accountable) if len(accountable) > 1 else ()
    else:
        applicable = {org.id for org in model.applies_to(duty.applies_to)}
        missing = tuple(
            c.id for c in columns if c.id in applicable and not accountable_roles.get(c.id)
        )
        gap = bool(missing)
        overlapping = tuple(c.id for c in columns if len(accountable_roles.get(c.id, ())) > 1)
    cells = tuple(
        Cell(
            organisation=column.id,
            applicable=column.id in applicable,
            entries=_entries(model.organisation(column.id), by_org.get(column.id, []), duty),
            missing=column.id in missing,
            overlap=column.id in overlapping,
        )
        for column in columns
    )
    return Row(
        duty=duty.id,
        title=duty.title,
        scope=duty.scope,
        applies_to=duty.applies_to,
        max_within=duty.max_within.text if duty.max_within else None,
        cells=cells,
        gap=gap,
        missing=missing,
        overlap=bool(overlapping),
        overlapping=overlapping,
    )


def _entries(
    org: Organisation | None, found: list[Responsibility], duty: Duty
) -> tuple[Entry, ...]:
    ordered = sorted(found, key=lambda r: _RACI_ORDER.get(r.raci, len(_RACI_ORDER)))
    limit = duty.max_within.worst_case_minutes if duty.max_within is not None else None
    return tuple(
        Entry(
            raci=r.raci,
            role=r.role,
            role_title=role.title if org and (role := org.role(r.role)) else None,
            within=r.within.text if r.within else None,
            too_slow=(
                limit is not None and r.within is not None and r.within.worst_case_minutes > limit
            ),
        )
        for r in ordered
    )
