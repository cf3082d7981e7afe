"""The responsibility matrix as the HTML report shows it: the view model of a
coloured `<table>` (`report.html.j2` draws it) built from `views.matrix`.

Colour is never the only signal: each cell also carries the R/A/C/I letters,
and a cell and its row the words GAP, OVERLAP or TOO SLOW (a timeframe
longer than the duty allows, which PC104 reports), each in the key. Every
piece of user text goes through `core.text.visible`; the template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycoord.core.text import visible
from policycoord.output.reporters.html_page import Pieces, count, pieces
from policycoord.views.matrix import PARTNERSHIP_SCOPE, Cell, Matrix, Row


@dataclass(frozen=True, slots=True)
class EntryView:
    letter: str
    raci: str
    role: str
    role_title: str  # for the hover text; "" when unknown
    known: bool
    within: str
    too_slow: bool  # longer than the duty's max_within (PC104)


@dataclass(frozen=True, slots=True)
class CellView:
    css: str
    entries: tuple[EntryView, ...]
    applicable: bool
    missing: bool
    overlap: bool
    too_slow: bool


@dataclass(frozen=True, slots=True)
class RowView:
    duty: str
    title: str
    scope: str
    max_within: str
    status: str  # ok | gap | overlap | gap+overlap
    status_words: str
    too_slow: bool  # some organisation's timeframe is longer than the duty allows
    cells: tuple[CellView, ...]


@dataclass(frozen=True, slots=True)
class RoleKey:
    organisation: str
    roles: tuple[tuple[str, str], ...]  # (role id, title or a note)


@dataclass(frozen=True, slots=True)
class MatrixView:
    columns: tuple[str, ...]
    rows: tuple[RowView, ...]
    notes: tuple[Pieces, ...]
    summary: str
    roles: tuple[RoleKey, ...]
    #: print the organisations' names turned upright (`rotated_headers`)
    rotated: bool


_STATUS_WORDS = {"ok": "OK", "gap": "GAP", "overlap": "OVERLAP", "gap+overlap": "GAP and OVERLAP"}


def _cell_css(cell: Cell) -> str:
    if cell.missing:
        return "gap"
    if cell.overlap:
        return "overlap"
    if cell.too_slow:
        return "slow"
    if cell.entries:
        return {"accountable": "a", "responsible": "r", "consulted": "c", "informed": "i"}.get(
            cell.entries[0].raci, "i"
        )
    return "empty" if cell.applicable else "na"


def _cell_view(cell: Cell) -> CellView:
    return CellView(
        css=_cell_css(cell),
        entries=tuple(
            EntryView(
                letter=entry.letter,
                raci=visible(entry.raci),
                role=visible(entry.role),
                role_title=visible(entry.role_title or ""),
                known=entry.role_title is not None,
                within=visible(entry.within or ""),
                too_slow=entry.too_slow,
            )
            for entry in cell.entries
        ),
        applicable=cell.applicable,
        missing=cell.missing,
        overlap=cell.overlap,
        too_slow=cell.too_slow,
    )


def _row_view(row: Row) -> RowView:
    scope = "partnership" if row.scope == PARTNERSHIP_SCOPE else "each member"
    return RowView(
        duty=visible(row.duty),
        title=visible(row.title),
        scope=scope,
        max_within=visible(row.max_within or ""),
        status=row.status,
        status_words=_STATUS_WORDS.get(row.status, visible(row.status)),
        too_slow=bool(row.too_slow),
        cells=tuple(_cell_view(cell) for cell in row.cells),
    )


def _role_keys(matrix: Matrix) -> tuple[RoleKey, ...]:
    """Each organisation's roles named in the matrix, with their titles."""
    roles = []
    for index, column in enumerate(matrix.columns):
        seen: dict[str, str] = {}
        for row in matrix.rows:
            for entry in row.cells[index].entries:
                seen.setdefault(
                    visible(entry.role),
                    visible(entry.role_title)
                    if entry.role_title is not None
                    else "not a role in its file",
                )
        if seen:
            roles.append(RoleKey(visible(column.label), tuple(seen.items())))
    return tuple(roles)


#: Printed on A4 landscape (273 mm, less the duty's and the status's
#: columns), the organisations' columns share about this many points; a
#: header word takes about `_POINTS_PER_CHARACTER` a character at 7.5pt bold,
#: and a cell's padding `_CELL_PADDING` points.
_PRINTED_POINTS = 612
_POINTS_PER_CHARACTER = 4.9
_CELL_PADDING = 10


def rotated_headers(labels: tuple[str, ...]) -> bool:
    """Whether the printed matrix turns the organisations' names upright:
    when, written across, their longest words could not all fit side by
    side on the page. A header never breaks inside a word (a word of an
    organisation's name cut in two reads as two names); upright, the
    columns need only be as wide as their cells."""
    longest = max((len(word) for label in labels for word in label.split()), default=0)
    needed = len(labels) * (longest * _POINTS_PER_CHARACTER + _CELL_PADDING)
    return needed > _PRINTED_POINTS


def matrix_view(matrix: Matrix) -> MatrixView:
    summary = (
        f"{count(len(matrix.rows), 'duty', 'duties')} × "
        f"{count(len(matrix.columns), 'organisation', 'organisations')}: "
        f"{count(matrix.gaps, 'gap', 'gaps')}, {count(matrix.overlaps, 'overlap', 'overlaps')}"
    )
    slow = sum(bool(row.too_slow) for row in matrix.rows)
    summary += f", {count(slow, 'duty', 'duties')} with a timeframe too slow." if slow else "."
    columns = tuple(visible(c.label) for c in matrix.columns)
    return MatrixView(
        columns=columns,
        rows=tuple(_row_view(row) for row in matrix.rows),
        notes=tuple(pieces(visible(note)) for note in matrix.notes),
        summary=summary,
        roles=_role_keys(matrix),
        rotated=rotated_headers(columns),
    )
