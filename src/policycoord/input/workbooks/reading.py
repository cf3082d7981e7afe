"""A returned policy workbook, read as values only.

The archive is checked first (`archive.inspect`: size, zip bomb, macros,
entity declarations) and only then opened with openpyxl, read-only and
values only: a formula is never evaluated (its cell gives the value the
spreadsheet program last showed, and a note says so), and text that starts
with `=` is text. Rows are read up to a limit, decided before the sheet is
read whole. Hidden sheets, sheets policycoord did not write and links to
other workbooks are noticed, never followed. What each cell holds comes back
as text, with its position, for `sections.policy_data`.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from policycoord.input.workbooks.archive import Refused, inspect
from policycoord.input.workbooks.layout import (
    DETAILS,
    FIRST_ROW,
    LIST_KINDS,
    LISTS_SHEET,
    META_KEYS,
    META_SHEET,
    META_TEXT_ROW,
    ORGANISATION_SHEET,
    PARTS,
    SHEET_NAMES,
    Part,
    cell_name,
    cell_words,
)
from policycoord.input.workbooks.sections import KEPT, Row

#: Rows read from one sheet at most: a policy has tens; a sheet with more is refused.
MAX_ROWS: Final = 5_000
#: The most text a spreadsheet cell holds (Excel's own limit).
MAX_CELL_TEXT: Final = 32_767
#: Rows of the hidden sheet of drop-down lists at most (every role of a large partnership).
MAX_LIST_ROWS: Final = 100_000
#: Rows of the meta sheet that may hold the exported file's text.
MAX_META_ROWS: Final = 2_000


@dataclass(frozen=True, slots=True)
class Note:
    """Something noticed in the workbook that a person should know of."""

    message: str
    sheet: str
    row: int
    column: int
    suggestion: str = ""

    @property
    def cell(self) -> str:
        return cell_name(self.sheet, self.row, self.column)


@dataclass(frozen=True, slots=True)
class Workbook:
    """What a returned workbook holds, as text."""

    path: str
    meta: dict[str, str]
    exported_text: str
    details: tuple[str, ...]
    detail_rows: tuple[int, ...]
    parts: dict[str, tuple[Row, ...]]
    notes: tuple[Note, ...]
    #: the drop-down lists as exported: each kind's labels and their values
    lists: dict[str, dict[str, str]]


def read_workbook(filename: str | os.PathLike[str], shown: str) -> Workbook:
    """Read a workbook policycoord exported; raises Refused (the reason in
    words) when it cannot or must not be read."""
    archive = inspect(filename, shown)
    import openpyxl  # here: only `workbook import` needs it

    notes: list[Note] = []
    try:
        values = openpyxl.load_workbook(filename, read_only=True, data_only=True, keep_links=False)
        formulas = openpyxl.load_workbook(
            filename, read_only=True, data_only=False, keep_links=False
        )
    except Refused:
        raise
    except Exception as error:  # openpyxl's errors share no base class
        raise Refused(
            f"{shown} could not be read as an Excel workbook ({type(error).__name__})."
        ) from None
    try:
        if archive.external_links:
            notes.append(
                Note(
                    "The workbook links to other workbooks; policycoord read only the values "
                    "this workbook holds and never opened the linked files.",
                    ORGANISATION_SHEET,
                    1,
                    1,
                    "Copy the values in and remove the links (Data, Edit Links, Break Link).",
                )
            )
        return _read(values, formulas, shown, notes)
    finally:
        values.close()
        formulas.close()


def _read(values: Any, formulas: Any, shown: str, notes: list[Note]) -> Workbook:
    names = list(values.sheetnames)
    for name in names:
        sheet = values[name]
        if name not in SHEET_NAMES:
            notes.append(
                Note(
                    f"The sheet “{name}” is not one policycoord wrote; it was not read.",
                    name,
                    1,
                    1,
                    "Put what it says on the sheet it belongs to.",
                )
            )
        elif sheet.sheet_state != "visible" and name not in (LISTS_SHEET, META_SHEET):
            notes.append(
                Note(
                    f"The sheet “{name}” is hidden; it was read as it is, so check what it "
                    "holds before the import is trusted.",
                    name,
                    1,
                    1,
                    "Show the sheet (right-click a sheet tab, Unhide) and check it.",
                )
            )
    if META_SHEET not in names:
        raise Refused(
            f"{shown} is not a workbook policycoord exported (it has no sheet of what it was "
            "made from); export one with `policycoord workbook export`."
        )
    for required in (ORGANISATION_SHEET, *(part.name for part in PARTS)):
        if required not in names:
            raise Refused(
                f"{shown} has no sheet “{required}”, which every workbook policycoord "
                "exports has, so it was not imported (export a new one with "
                "`policycoord workbook export`)."
            )
    meta, text = _meta(values[META_SHEET], shown)
    details, detail_rows = _details(values, formulas, shown, notes)
    parts = {part.name: _rows(values, formulas, part, shown, notes) for part in PARTS}
    lists = _lists(values[LISTS_SHEET], shown) if LISTS_SHEET in names else {}
    return Workbook(shown, meta, text, details, detail_rows, parts, tuple(notes), lists)


def _lists(sheet: Any, shown: str) -> dict[str, dict[str, str]]:
    """The hidden sheet of lists: a kind's name atop each pair of columns."""
    lists: dict[str, dict[str, str]] = {}
    kinds: list[str] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_LIST_ROWS:
            raise Refused(f"{shown}'s sheet “{LISTS_SHEET}” holds more than policycoord wrote.")
        cells = [
            value if isinstance(value, str) else "" for value in row[: 2 * len(LIST_KINDS) + 2]
        ]
        if number == 1:
            kinds = cells[0::2]
            continue
        for index, kind in enumerate(kinds):
            label, value = [*cells, "", ""][2 * index : 2 * index + 2]
            if kind and label and value:
                lists.setdefault(kind, {})[label] = value
    return lists


def _meta(sheet: Any, shown: str) -> tuple[dict[str, str], str]:
    meta: dict[str, str] = {}
    pieces: list[str] = []
    for number, row in enumerate(sheet.iter_rows(max_col=2, values_only=True), start=1):
        if number > MAX_META_ROWS:
            raise Refused(f"{shown}'s sheet “{META_SHEET}” holds more than policycoord wrote.")
        key, value = [*row, None, None][:2]
        if number < META_TEXT_ROW and isinstance(key, str) and key in META_KEYS:
            meta[key] = "" if value is None else str(value)
        elif number >= META_TEXT_ROW and isinstance(value, str):
            pieces.append(value)
    return meta, _unescaped("".join(pieces))


def _unescaped(text: str) -> str:
    """The exported file's text, kept escaped (as `unicode_escape`) so that
    no control character goes into a cell; "" when it is not so escaped."""
    try:
        return text.encode("ascii").decode("unicode_escape")
    except (UnicodeError, ValueError):
        return ""


def _details(
    values: Any, formulas: Any, shown: str, notes: list[Note]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The organisation sheet's value for each detail, found by its label."""
    labels = {detail.label: index for index, detail in enumerate(DETAILS)}
    texts = [""] * len(DETAILS)
    rows = [FIRST_ROW + index for index in range(len(DETAILS))]
    cells = _cells(values, formulas, ORGANISATION_SHEET, 2, shown, notes)
    for number, row in cells:
        index = labels.get(row[0].strip())
        if index is not None:
            texts[index] = row[1]
            rows[index] = number
    return tuple(texts), tuple(rows)


def _rows(values: Any, formulas: Any, part: Part, shown: str, notes: list[Note]) -> tuple[Row, ...]:
    """A part's rows, once its headings are checked: a column moved or
    deleted would put every value in the wrong field."""
    width = len(part.columns)
    headings = next(values[part.name].iter_rows(max_row=1, max_col=width, values_only=True), ())
    expected = tuple(column.header for column in part.columns)
    if tuple(headings) != expected:
        raise Refused(
            f"{shown}: the columns of the sheet “{part.name}” are not the ones policycoord "
            f"wrote ({', '.join(expected)}), so its rows cannot be read; it was not imported."
        )
    return tuple(_cells(values, formulas, part.name, width, shown, notes, first=FIRST_ROW))


def _cells(
    values: Any,
    formulas: Any,
    name: str,
    width: int,
    shown: str,
    notes: list[Note],
    *,
    first: int = 1,
) -> Iterator[Row]:
    """Each row's texts from row `first`, `width` columns; formulas noted."""
    found = _formula_cells(formulas[name], width, first, shown)
    rows = values[name].iter_rows(min_row=first, max_col=width)
    for number, row in enumerate(rows, start=first):
        if number - first >= MAX_ROWS:
            raise Refused(
                f"{shown}'s sheet “{name}” has more than {MAX_ROWS:,} rows; a policy has far "
                "fewer, so the workbook was not read."
            )
        texts = [""] * width
        for column, cell in enumerate(row[:width], start=1):
            texts[column - 1] = _text(cell.value, shown, name, number, column)
            if (number, column) in found:
                notes.append(_formula_note(name, number, column, texts[column - 1]))
                if cell.value is None:  # no value saved: the field stays as the file has it
                    texts[column - 1] = KEPT
        yield number, tuple(texts)


def _formula_cells(sheet: Any, width: int, first: int, shown: str) -> set[tuple[int, int]]:
    found = set()
    for number, row in enumerate(sheet.iter_rows(min_row=first, max_col=width), start=first):
        if number - first >= MAX_ROWS:
            break
        for column, cell in enumerate(row[:width], start=1):
            if getattr(cell, "data_type", None) == "f":
                found.add((number, column))
    return found


def _formula_note(sheet: str, row: int, column: int, value: str) -> Note:
    where = cell_words(sheet, row, column)
    where = f"{where[0].upper()}{where[1:]} holds a formula"
    return Note(
        f"{where}; policycoord never works formulas out and read the value it last showed, "
        f"“{value}”."
        if value
        else f"{where} with no value saved; policycoord never works formulas out, so it "
        "kept what the policy file holds there.",
        sheet,
        row,
        column,
        "Type the value itself into the cell.",
    )


def _text(value: Any, shown: str, sheet: str, row: int, column: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > MAX_CELL_TEXT:
            raise Refused(
                f"{shown}: {cell_words(sheet, row, column)} holds more text than a "
                "spreadsheet cell can; the workbook was not read."
            )
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
