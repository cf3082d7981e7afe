"""One organisation's policy workbook, written with openpyxl: a first sheet
in plain words, a sheet per part of the policy with drop-down lists and help
on the cells, the findings, and two hidden sheets (the lists, and what
policycoord needs to read it back). The structure is protected where a change
would break reading it back (headings, sheet names and order, the
organisation's id); rows can be added and deleted. Bytes are the same for
the same repository (`deterministic.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from policycoord.core.text import shown
from policycoord.input.workbooks.layout import (
    DETAILS,
    FINDINGS_SHEET,
    FIRST_ROW,
    FORMAT_VERSION,
    LIST_KINDS,
    LISTS_SHEET,
    META_KEYS,
    META_SHEET,
    META_TEXT_ROW,
    ORGANISATION_SHEET,
    PARTS,
    START_SHEET,
    Part,
    column_letter,
)
from policycoord.input.workbooks.sections import detail_texts, part_rows, safe_text
from policycoord.views.workbook_words import ChoiceWords

#: Empty rows offered below each part's entries, with the same drop-down lists.
SPARE_ROWS: Final = 60
#: The exported file's text is kept in pieces this long, escaped (a cell holds 32,767).
TEXT_PIECE: Final = 3_000
_HEADING_FILL: Final = "DDEBF7"
_LOCKED_FILL: Final = "EDEDED"


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as the Findings sheet lists it."""

    sheet: str
    row: int
    severity: str
    message: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class Contents:
    """Everything one organisation's workbook shows."""

    partnership_id: str
    partnership_name: str
    organisation_id: str
    organisation_name: str
    path: str
    sha256: str
    text: str
    data: Any
    words: ChoiceWords
    findings: tuple[FindingRow, ...]
    due: str
    return_to: str
    #: a member with no policy file yet (the workbook will make it)
    new: bool = False


def build(contents: Contents) -> Any:
    """The openpyxl Workbook (saved by `deterministic.workbook_bytes`)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    _styles(book)
    book.remove(book.worksheets[0])
    _start(book.create_sheet(START_SHEET), contents)
    lists = _lists(book, contents.words)
    _organisation(book.create_sheet(ORGANISATION_SHEET), contents, lists)
    for part in PARTS:
        _part(book.create_sheet(part.name), part, contents, lists)
    _findings(book.create_sheet(FINDINGS_SHEET), contents.findings)
    book.move_sheet(LISTS_SHEET, len(book.sheetnames))
    _meta(book.create_sheet(META_SHEET), contents)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    return book


def _protect(sheet: Any) -> None:
    protection = sheet.protection
    protection.sheet = True
    for allowed in ("insertRows", "deleteRows", "formatColumns", "formatRows", "formatCells"):
        setattr(protection, allowed, False)


def _heading(sheet: Any, headings: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADING_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _styles(book: Any) -> None:
    """The named styles every text cell takes (one style each, set at once:
    far quicker than font, alignment, protection and format one by one)."""
    from openpyxl.styles import Alignment, NamedStyle, PatternFill, Protection

    for name, locked, fill in (
        ("policy text", False, None),
        ("fixed text", True, None),
        ("fixed grey text", True, _LOCKED_FILL),
    ):
        style = NamedStyle(name=name)
        style.number_format = "@"
        style.alignment = Alignment(wrap_text=True, vertical="top")
        style.protection = Protection(locked=locked)
        if fill is not None:
            style.fill = PatternFill("solid", fgColor=fill)
        book.add_named_style(style)


def _text_cell(
    sheet: Any, row: int, column: int, text: str, *, editable: bool = True, grey: bool = False
) -> Any:
    """A cell holding `text` as text: never a formula, whatever it starts
    with; formatted as text so that what a person types stays text too."""
    cell = sheet.cell(row=row, column=column)
    if text:
        cell.value = text
        cell.data_type = "s"  # `=SUM(A1)` typed in a policy is text, not a formula
    cell.style = "policy text" if editable else "fixed grey text" if grey else "fixed text"
    return cell


def _plain_cell(sheet: Any, row: int, column: int, text: str) -> None:
    """A cell of the hidden lists: text, no style."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"


def _start(sheet: Any, contents: Contents) -> None:
    from openpyxl.styles import Font

    lines = start_text(contents)
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(lines, start=1):
        cell = _text_cell(sheet, row, 1, line, editable=False)
        if row == 1:
            cell.font = Font(bold=True, size=14)
        _fit(sheet, row, [(line, 110)])
    _protect(sheet)


def _fit(sheet: Any, row: int, cells: Sequence[tuple[str, int]]) -> None:
    """Row `row` tall enough for its wrapped text (a spreadsheet program keeps
    the height a file gives, and would show one line of a long text)."""
    lines = max(
        (
            sum(-(-max(len(part), 1) // max(width - 2, 1)) for part in text.split("\n"))
            for text, width in cells
            if text
        ),
        default=1,
    )
    if lines > 1:
        sheet.row_dimensions[row].height = 15 * min(lines, 20)


def start_text(contents: Contents) -> list[str]:
    """The first sheet, in plain words."""
    parts = [f"{part.name}: {part.about}." for part in PARTS]
    return [
        safe_text(f"{contents.organisation_name}: safeguarding policy workbook"),
        *_opening(contents),
        safe_text(f"Please send it back by {contents.due} to {contents.return_to}."),
        "How to fill it in:",
        "- Each sheet is one part of your policy, one row for each entry. Change a cell by "
        "typing over it; add an entry in an empty row below the others; delete an entry by "
        "deleting its row.",
        "- Where a cell offers a list (click it and an arrow appears), choose from the list: "
        "it holds the partnership's duties and concerns and every organisation's roles.",
        "- Timeframes are written like 'immediately', '30 minutes', '24 hours' or '1 working "
        "day'. Dates are written year-month-day: 2027-09-01.",
        "- Please do not rename, move or hide the sheets or their headings: the partnership "
        "reads the workbook back into its policy repository with a program.",
        *(f"- {line}" for line in parts),
        f"- {FINDINGS_SHEET}: what the partnership's checks found in your policy when this "
        "workbook was made, each with the sheet and row it concerns and what to do.",
    ]


def _opening(contents: Contents) -> list[str]:
    """What the workbook is; for a member with no policy yet, what to fill in first."""
    if not contents.new:
        return [
            safe_text(
                f"This workbook holds {contents.organisation_name}'s safeguarding policy as "
                f"{contents.partnership_name} keeps it. Please check it, correct it and fill "
                "in what is missing, then send it back. You need nothing but a spreadsheet "
                "program (Excel, LibreOffice or Numbers)."
            )
        ]
    return [
        safe_text(
            f"{contents.partnership_name} has no safeguarding policy from you yet, so this "
            f"workbook is blank but for your organisation id, {contents.organisation_id}. "
            f"Please fill in at least your organisation's name and sector on the "
            f"{ORGANISATION_SHEET} sheet, and as much of the other sheets as you can, then "
            "send it back: the partnership makes your policy from it. You need nothing but a "
            "spreadsheet program (Excel, LibreOffice or Numbers)."
        )
    ]


def _lists(book: Any, words: ChoiceWords) -> dict[str, str]:
    """The hidden sheet of drop-down lists, two columns a kind: the labels
    the list offers, and the value each stands for (so that a label reads
    back as the value it stood for at the export, whatever was renamed
    since). Each kind's range of labels, as a formula."""
    sheet = book.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for index, kind in enumerate((*LIST_KINDS, "senders")):
        label_column, value_column = 2 * index + 1, 2 * index + 2
        _text_cell(sheet, 1, label_column, kind, editable=False)
        _text_cell(sheet, 1, value_column, "value", editable=False)
        labels = words.lists.get(kind, ())
        for row, label in enumerate(labels, start=2):
            _plain_cell(sheet, row, label_column, safe_text(label))
            _plain_cell(sheet, row, value_column, safe_text(words.value(kind, label)))
        if labels:
            letter = column_letter(label_column)
            ranges[kind] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(labels) + 1}"
    sheet.sheet_state = "hidden"
    _protect(sheet)
    return ranges


def _validation(sheet: Any, kind: str, help_text: str, cells: str, lists: dict[str, str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind in lists:
        validation = DataValidation(
            type="list",
            formula1=lists[kind],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Not in the list",
            error="Choose from the list, or check what you typed: the partnership's checks "
            "will report a value they do not know.",
        )
    elif help_text:
        validation = DataValidation(allow_blank=True)
    else:
        return
    if help_text:
        validation.showInputMessage = True
        validation.prompt = help_text[:255]
    validation.add(cells)
    sheet.add_data_validation(validation)


def _organisation(sheet: Any, contents: Contents, lists: dict[str, str]) -> None:
    _heading(sheet, ("What", "Your answer", "Help"), (26, 60, 60))
    texts = detail_texts(contents.data, contents.words)
    for row, (detail, text) in enumerate(zip(DETAILS, texts, strict=True), start=FIRST_ROW):
        _text_cell(sheet, row, 1, detail.label, editable=False)
        _text_cell(sheet, row, 2, text, editable=not detail.locked, grey=detail.locked)
        _text_cell(sheet, row, 3, detail.help, editable=False)
        _fit(sheet, row, [(text, 60), (detail.help, 60)])
        _validation(sheet, detail.kind, detail.help, f"B{row}", lists)
    _protect(sheet)


def _part(sheet: Any, part: Part, contents: Contents, lists: dict[str, str]) -> None:
    _heading(sheet, [c.header for c in part.columns], [c.width for c in part.columns])
    rows = part_rows(contents.data, part, contents.words)
    last = FIRST_ROW + len(rows) + SPARE_ROWS - 1
    for row in range(FIRST_ROW, last + 1):
        texts = rows[row - FIRST_ROW] if row - FIRST_ROW < len(rows) else ()
        for index in range(len(part.columns)):
            _text_cell(sheet, row, index + 1, texts[index] if texts else "")
        if texts:
            _fit(sheet, row, [(t, c.width) for t, c in zip(texts, part.columns, strict=True)])
    for index, column in enumerate(part.columns, start=1):
        letter = column_letter(index)
        _validation(sheet, column.kind, column.help, f"{letter}{FIRST_ROW}:{letter}{last}", lists)
    _protect(sheet)


def _findings(sheet: Any, findings: Sequence[FindingRow]) -> None:
    _heading(
        sheet,
        ("Sheet", "Row", "How serious", "What the checks found", "What to do"),
        (22, 8, 12, 80, 60),
    )
    if not findings:
        _text_cell(sheet, FIRST_ROW, 4, "Nothing: the checks found no problem.", editable=False)
    for row, finding in enumerate(findings, start=FIRST_ROW):
        _text_cell(sheet, row, 1, finding.sheet, editable=False)
        sheet.cell(row=row, column=2, value=finding.row or None)
        _text_cell(sheet, row, 3, finding.severity, editable=False)
        _text_cell(sheet, row, 4, shown(finding.message), editable=False)
        _text_cell(sheet, row, 5, shown(finding.suggestion), editable=False)
        _fit(sheet, row, [(finding.message, 80), (finding.suggestion, 60)])
    _protect(sheet)


def _meta(sheet: Any, contents: Contents) -> None:
    values = {
        "format": str(FORMAT_VERSION),
        "partnership": contents.partnership_id,
        "organisation": contents.organisation_id,
        "file": contents.path,
        "sha256": contents.sha256,
    }
    for row, key in enumerate(META_KEYS, start=1):
        _text_cell(sheet, row, 1, key, editable=False)
        _text_cell(sheet, row, 2, safe_text(values[key]), editable=False)
    _text_cell(sheet, META_TEXT_ROW - 1, 1, "exported text", editable=False)
    text = contents.text
    for index, start in enumerate(range(0, len(text), TEXT_PIECE)):
        piece = text[start : start + TEXT_PIECE]
        _text_cell(
            sheet,
            META_TEXT_ROW + index,
            2,
            piece.encode("unicode_escape").decode("ascii"),
            editable=False,
        )
    sheet.sheet_state = "veryHidden"
    _protect(sheet)
