"""The responsibility matrix (`policycoord matrix`) in each format.

Pure renderers, `render(matrix, options) -> str`, registered in
`policycoord.output.formats`, which also feeds the `--format` choices. Every
format marks gaps and overlaps with words (`GAP`, `OVERLAP`), never with
colour alone.

- `terminal`: a rich table, duties down and organisations across (split into
  several tables, each repeating the duty column, when the organisations do
  not fit the width: text is never cut short); user text goes through
  `visible()` into rich `Text` objects, never markup.
- `markdown`: a GitHub table for a pull request or a board paper. Every user
  string is escaped for a table cell (see `markdown_cell`), so it cannot end
  the cell, open HTML or a link, mention a person or team, or refer to an issue.
- `csv`: RFC 4180 (`\\r\\n`), plain UTF-8, a header row
  `duty,title,scope,<organisation labels...>,status`, one row per duty; cells
  read like `A dsl (24 hours); R ddsl`. Line breaks and tabs in user text
  become spaces; a cell that a spreadsheet could take as a formula (starting,
  after any spaces, with `=`, `+`, `-`, `@`, a tab or a carriage return) gets
  a leading apostrophe.
- `json`: one object whose keys come in this order (and always all of them):

      {"version": 1,
       "partnership": {"id", "name"} | null,
       "summary": {"duties", "organisations", "gaps", "overlaps"},
       "notes": [str],
       "organisations": [{"id", "name", "label", "sector", "member", "path"}],
       "duties": [{"id", "title", "scope", "applies_to": [str] | null,
                   "max_within": str | null, "status", "gap", "overlap",
                   "missing": [organisation id], "overlapping": [organisation id]}],
       "cells": {duty id: {organisation id: {"applicable", "missing", "overlap",
                 "entries": [{"raci", "letter", "role", "role_title", "within"}]}}}}

  `organisations` and `duties` are in matrix order (duties as in the
  partnership file, organisations by name then id), and so are the keys of
  `cells` and of each of its rows. `status` is `ok`, `gap`, `overlap` or
  `gap+overlap`; `role_title` is null when the role is not one of the
  organisation's roles. Text is exactly as written (JSON-escaped).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from policycoord.core.text import visible
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.markdown_text import with_code_spans
from policycoord.views.matrix import PARTNERSHIP_SCOPE, Cell, Matrix, Row

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text


NOT_APPLICABLE = "n/a"
LEGEND = (
    "R responsible, A accountable, C consulted, I informed; (timeframe) as committed; "
    "? after a role: not a role in the organisation's file; "
    "n/a: the duty does not apply to that organisation (anything it lists is still shown); "
    "GAP: nobody accountable (for an each-member duty: this member has no accountable role); "
    "OVERLAP: more than one accountable (organisations for a partnership duty, "
    "roles within one organisation for an each-member duty)."
)
SCOPE_WORDS = {PARTNERSHIP_SCOPE: "partnership", "each-member": "each member"}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary_line(matrix: Matrix) -> str:
    """`9 duties x 9 organisations: 2 gaps, 1 overlap.`"""
    return (
        f"{_count(len(matrix.rows), 'duty', 'duties')} x "
        f"{_count(len(matrix.columns), 'organisation', 'organisations')}: "
        f"{_count(matrix.gaps, 'gap', 'gaps')}, {_count(matrix.overlaps, 'overlap', 'overlaps')}."
    )


def _cell_words(cell: Cell) -> list[str]:
    """The cell as short lines of plain text: entries, then markers."""
    words = [entry.text for entry in cell.entries]
    if not cell.applicable:
        words.append(NOT_APPLICABLE)
    if cell.missing:
        words.append("GAP")
    if cell.overlap:
        words.append("OVERLAP")
    return words


# --- terminal -------------------------------------------------------------------------------


#: Widths (in terminal cells) of the duty column and of each organisation's column.
DUTY_WIDTH = (24, 40)
ORGANISATION_WIDTH = (9, 26)
_BORDER = 3  # a column's padding and its right-hand border


def render_terminal(matrix: Matrix, options: RenderOptions) -> str:
    """The matrix as rich tables. When the organisations do not all fit in
    `options.width`, they are split over several tables (each repeating the
    duty column), so that no text is ever cut short."""
    from rich.text import Text

    from policycoord.output.reporters.terminal import console_for

    console, buffer = console_for(options)
    title = "Responsibility matrix"
    if matrix.partnership_name:
        title += ": " + matrix.partnership_name
    console.print(Text(visible(title), style="bold underline"))
    console.print()
    for note in matrix.notes:
        console.print(Text(visible(note)))
    if not matrix.rows:
        return buffer.getvalue()
    if matrix.notes:
        console.print()
    console.print(Text("Duties", style="bold"))
    for row in matrix.rows:
        console.print(
            Text("  ").append(visible(row.duty), style="bold").append(": " + visible(row.title))
        )
    console.print()
    duty_width = _clamp(max(_longest_word(visible(row.duty)) for row in matrix.rows), DUTY_WIDTH)
    room = options.width - 1 - duty_width - _BORDER
    columns = range(len(matrix.columns))
    widths = [_organisation_width(matrix, index, roomy=True) for index in columns]
    if sum(width + _BORDER for width in widths) > room:
        widths = [_organisation_width(matrix, index, roomy=False) for index in columns]
    groups = _column_groups(widths, room)
    for number, group in enumerate(groups, start=1):
        if len(groups) > 1:
            which = f"{group[0] + 1}" if len(group) == 1 else f"{group[0] + 1} to {group[-1] + 1}"
            console.print(
                Text(
                    f"Table {number} of {len(groups)}: organisations {which} of {len(widths)}",
                    style="italic",
                )
            )
        console.print(_terminal_table(matrix, group, duty_width, widths))
    console.print(Text(summary_line(matrix)))
    console.print(Text("Key: " + LEGEND, style="dim"))
    return buffer.getvalue()


def _terminal_table(matrix: Matrix, group: list[int], duty_width: int, widths: list[int]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    table.add_column("Duty", width=duty_width, overflow="fold")
    for index in group:
        label = Text(visible(matrix.columns[index].label), style="bold")
        table.add_column(label, width=widths[index], overflow="fold")
    for row in matrix.rows:
        table.add_row(_duty_text(row), *(_cell_text(row.cells[index]) for index in group))
    return table


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def _organisation_width(matrix: Matrix, index: int, *, roomy: bool) -> int:
    """Wide enough for the column's longest word and, when `roomy`, for each
    entry on one line; otherwise for each `A role` and each `(timeframe)`,
    which then may go to the next line."""
    from rich.cells import cell_len

    needed = _longest_word(visible(matrix.columns[index].label))
    for row in matrix.rows:
        for entry in row.cells[index].entries:
            shown = visible(entry.text)
            role, _, within = shown.partition(" (")
            needed = max(needed, cell_len(shown) if roomy else cell_len(within) + 1, cell_len(role))
    return _clamp(max(needed, len("OVERLAP")), ORGANISATION_WIDTH)


def _column_groups(widths: list[int], room: int) -> list[list[int]]:
    """Consecutive organisations that fit in `room` cells; at least one a table."""
    groups: list[list[int]] = [[]]
    used = 0
    for index, width in enumerate(widths):
        if groups[-1] and used + width + _BORDER > room:
            groups.append([])
            used = 0
        groups[-1].append(index)
        used += width + _BORDER
    return groups


def _duty_text(row: Row) -> Text:
    from rich.text import Text

    text = Text(visible(row.duty), style="bold")
    scope = SCOPE_WORDS.get(row.scope, visible(row.scope))
    if row.max_within:
        scope += f", within {visible(row.max_within)}"
    text.append("\n" + scope, style="dim")
    if row.gap:
        text.append("\nGAP", style="bold red")
    if row.overlap:
        text.append("\nOVERLAP", style="bold yellow")
    return text


def _cell_text(cell: Cell) -> Text:
    from rich.text import Text

    text = Text()
    for entry in cell.entries:
        style = "bold" if entry.raci == "accountable" else ""
        text.append(("\n" if text else "") + visible(entry.text), style=style)
    for word, style, shown in (
        (NOT_APPLICABLE, "dim", not cell.applicable),
        ("GAP", "bold red", cell.missing),
        ("OVERLAP", "bold yellow", cell.overlap),
    ):
        if shown:
            text.append(("\n" if text else "") + word, style=style)
    return text


# --- markdown -------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\v\f\u0085\u2028\u2029]")
_ZERO_WIDTH_SPACE = "&#8203;"
_MARKDOWN_SPECIAL = re.compile(r"(?i)://|\bwww\.|\bgh-(?=\d)|[\\|*_~\[\]&<>`@#]")
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "&#96;"}


def markdown_cell(text: str) -> str:
    """User text made safe for a GitHub Markdown table cell: line breaks
    become spaces; controls and invisible characters are shown (`visible()`);
    `\\ | * _ ~ [ ]` are backslash-escaped and `& < > backtick` written as
    entities, so nothing ends the cell or opens HTML, a link, an image or
    code; a zero-width space (as an entity) follows every `@` and `#` and
    splits `://`, `www.` and `GH-` before a number, so GitHub makes no
    mention, issue reference or autolink of it."""
    return _MARKDOWN_SPECIAL.sub(_markdown_escape, visible(_LINE_BREAKS.sub(" ", text)))


def _markdown_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "://":
        return ":" + _ZERO_WIDTH_SPACE + "//"
    if found.endswith("."):  # www.
        return found[:-1] + _ZERO_WIDTH_SPACE + "."
    if found.endswith("-"):  # GH- before a number: GitHub's other way to write #12
        return found[:-1] + _ZERO_WIDTH_SPACE + "-"
    if found in _MARKDOWN_ENTITIES:
        return _MARKDOWN_ENTITIES[found]
    if found in "@#":
        return found + _ZERO_WIDTH_SPACE
    return "\\" + found


def render_markdown(
    matrix: Matrix, options: RenderOptions, *, cell: Callable[[str], str] = markdown_cell
) -> str:
    """The matrix as GitHub Markdown. `cell` escapes each piece of user text
    (the Markdown report passes its own escaper, so one document escapes alike)."""
    title = "Responsibility matrix"
    if matrix.partnership_name:
        title += ": " + cell(matrix.partnership_name)
    lines = [f"## {title}", ""]
    if matrix.notes:  # one quote, a paragraph a note
        notes = (with_code_spans(note, cell, cell=False) for note in matrix.notes)
        lines.append("\n>\n".join(f"> {note}" for note in notes))
        lines.append("")
    if matrix.rows:
        header = ["Duty", *(cell(c.label) for c in matrix.columns), "Status"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines.extend(_markdown_row(row, cell) for row in matrix.rows)
        lines.extend(["", summary_line(matrix), "", f"Key: {LEGEND}", ""])
        lines.extend(_markdown_roles(matrix, cell))
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_row(row: Row, escape: Callable[[str], str]) -> str:
    duty = f"**{escape(row.duty)}**<br>{escape(row.title)}"
    duty += f"<br>*{SCOPE_WORDS.get(row.scope, escape(row.scope))}"
    if row.max_within:
        duty += f", within {escape(row.max_within)}"
    duty += "*"
    cells = [_markdown_cell_text(cell, escape) for cell in row.cells]
    status = (
        " ".join(f"⚠ {flag.upper()}" for flag in row.status.split("+") if row.status != "ok")
        or "ok"
    )
    return "| " + " | ".join([duty, *cells, status]) + " |"


def _markdown_cell_text(cell: Cell, escape: Callable[[str], str]) -> str:
    parts = []
    for entry in cell.entries:
        text = escape(entry.text)
        parts.append(f"**{text}**" if entry.raci == "accountable" else text)
    if not cell.applicable:
        parts.append(NOT_APPLICABLE)
    if cell.missing:
        parts.append("⚠ GAP")
    if cell.overlap:
        parts.append("⚠ OVERLAP")
    return "<br>".join(parts)


def _markdown_roles(matrix: Matrix, escape: Callable[[str], str]) -> list[str]:
    """The roles named in the matrix, with their titles, by organisation."""
    lines = []
    for index, column in enumerate(matrix.columns):
        seen: dict[str, str | None] = {}
        for row in matrix.rows:
            for entry in row.cells[index].entries:
                seen.setdefault(entry.role, entry.role_title)
        if not seen:
            continue
        roles = "; ".join(
            f"{escape(role)}: " + (escape(title) if title is not None else "not a role in its file")
            for role, title in seen.items()
        )
        lines.append(f"- {escape(column.label)}: {roles}")
    return ["Roles:", "", *lines, ""] if lines else []


# --- csv ------------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A value a spreadsheet shows as text: line breaks and tabs become
    spaces, controls and invisible characters are shown, and a value that
    starts like a formula (after any spaces, which some importers trim) gets a
    leading apostrophe."""
    shown = visible(_LINE_BREAKS.sub(" ", text))
    return "'" + shown if shown.lstrip().startswith(_FORMULA_STARTS) else shown


def render_csv(matrix: Matrix, options: RenderOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        csv_cell(value)
        for value in ("duty", "title", "scope", *(c.label for c in matrix.columns), "status")
    )
    for row in matrix.rows:
        cells = ["; ".join(_cell_words(cell)) for cell in row.cells]
        writer.writerow(
            csv_cell(value) for value in (row.duty, row.title, row.scope, *cells, row.status)
        )
    return buffer.getvalue()


# --- json -----------------------------------------------------------------------------------


def document(matrix: Matrix) -> dict[str, Any]:
    return {
        "version": 1,
        "partnership": (
            {"id": matrix.partnership_id, "name": matrix.partnership_name}
            if matrix.partnership_id is not None
            else None
        ),
        "summary": {
            "duties": len(matrix.rows),
            "organisations": len(matrix.columns),
            "gaps": matrix.gaps,
            "overlaps": matrix.overlaps,
        },
        "notes": list(matrix.notes),
        "organisations": [
            {
                "id": c.id,
                "name": c.name,
                "label": c.label,
                "sector": c.sector,
                "member": c.member,
                "path": c.path,
            }
            for c in matrix.columns
        ],
        "duties": [
            {
                "id": row.duty,
                "title": row.title,
                "scope": row.scope,
                "applies_to": list(row.applies_to) if row.applies_to is not None else None,
                "max_within": row.max_within,
                "status": row.status,
                "gap": row.gap,
                "overlap": row.overlap,
                "missing": list(row.missing),
                "overlapping": list(row.overlapping),
            }
            for row in matrix.rows
        ],
        "cells": {
            row.duty: {cell.organisation: _json_cell(cell) for cell in row.cells}
            for row in matrix.rows
        },
    }


def _json_cell(cell: Cell) -> dict[str, Any]:
    return {
        "applicable": cell.applicable,
        "missing": cell.missing,
        "overlap": cell.overlap,
        "entries": [
            {
                "raci": e.raci,
                "letter": e.letter,
                "role": e.role,
                "role_title": e.role_title,
                "within": e.within,
            }
            for e in cell.entries
        ],
    }


def render_json(matrix: Matrix, options: RenderOptions) -> str:
    from policycoord.output.reporters.json_report import dumps

    return dumps(document(matrix))
