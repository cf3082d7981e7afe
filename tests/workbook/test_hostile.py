"""Hostile workbooks are normal input: formulas (values only, never worked
out), text that starts with `=`, macros, zip bombs, huge sheets and files,
entity declarations, links to other workbooks, hidden and foreign sheets,
control and bidi characters. Each is refused with nothing written, or
read with what was noticed reported at its cell."""

from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES

from policycoord.input.workbooks.archive import MAX_FILE_SIZE
from policycoord.input.workbooks.reading import MAX_ROWS
from tests.workbook.helpers import (
    changed,
    copy_repository,
    export,
    rezipped,
    run_import,
    sheet_member,
    snapshot,
)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return copy_repository(EXAMPLES, tmp_path / "repo")


@pytest.fixture
def workbook(repository: Path, tmp_path: Path) -> Path:
    return export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]


POLICY = "orgs/st-marys-primary.yaml"


def refused(repository: Path, hostile: Path) -> str:
    before = snapshot(repository)
    result = run_import(repository, hostile)
    assert result.refused  # exit status 2 (cli)
    assert snapshot(repository) == before
    return result.refused[0][1]


def test_a_formula_is_never_worked_out_its_shown_value_is_read_and_noted(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    with_formula = changed(
        workbook, tmp_path / "f.xlsx", lambda b: b["Roles"].__setitem__("B3", '=UPPER("x")')
    )
    member = sheet_member(with_formula, "Roles")

    def cached(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        text = data.decode()
        text, count = re.subn(
            r'<c r="B3"([^>]*)><f>UPPER\("x"\)</f><v\s*/?>(</v>)?</c>',
            r'<c r="B3" t="str"><f>UPPER("x")</f><v>Deputy lead (as shown)</v></c>',
            text,
        )
        assert count == 1, text[:2000]
        return text.encode()

    hostile = rezipped(with_formula, tmp_path / "cached.xlsx", cached)
    result = run_import(repository, hostile)
    assert result.refused == ()
    notes = [f for f in result.report.findings if f.code == "PC005"]
    assert [(f.location.cell, f.severity.value) for f in notes] == [("Roles!B3", "warning")]
    assert "never works formulas out" in notes[0].message
    assert "title: Deputy lead (as shown)\n" in (repository / POLICY).read_text()
    assert "UPPER" not in (repository / POLICY).read_text()


@pytest.mark.parametrize(
    ("cell", "formula"),
    [
        ("B2", '=HYPERLINK("http://evil.example","Click")'),  # a role's Title
        ("F2", "=A1"),  # a role's Deputy
        ("B3", "=B2"),  # the Organisation sheet's name
    ],
)
def test_a_formula_without_a_saved_value_keeps_what_the_file_holds(
    repository: Path, workbook: Path, tmp_path: Path, cell: str, formula: str
) -> None:
    """openpyxl saves a formula with no value: it read as an empty cell, and
    the role's title (or deputy) was deleted from the policy file."""
    sheet = "Organisation" if cell == "B3" else "Roles"
    assert openpyxl.load_workbook(workbook)[sheet][cell].value  # a value the file holds
    before = snapshot(repository)
    hostile = changed(workbook, tmp_path / "f.xlsx", lambda b: b[sheet].__setitem__(cell, formula))
    saved = openpyxl.load_workbook(hostile, data_only=True)[sheet][cell]
    assert saved.value is None  # a formula, no value saved
    assert openpyxl.load_workbook(hostile)[sheet][cell].value == formula
    result = run_import(repository, hostile)
    assert result.refused == ()
    notes = [f for f in result.report.findings if f.code == "PC005"]
    assert [(f.location.cell, f.severity.value) for f in notes] == [(f"{sheet}!{cell}", "warning")]
    assert "kept what the policy file holds" in notes[0].message
    assert result.imported[0].changed_lines == 0
    assert snapshot(repository) == before


def test_text_that_starts_with_equals_is_text_both_ways(repository: Path, tmp_path: Path) -> None:
    policy = repository / POLICY
    policy.write_text(
        policy.read_text().replace("  - term: SCR\n", '  - term: "=HYPERLINK(1)"\n', 1)
    )
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]
    book = openpyxl.load_workbook(workbook)
    cell = next(c for c in book["Glossary"]["A"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"  # written as text, never as a formula
    before = snapshot(repository)
    assert run_import(repository, workbook).imported[0].changed_lines == 0
    assert snapshot(repository) == before

    def typed(book: openpyxl.Workbook) -> None:
        book["Glossary"]["A2"] = "=1+1"
        book["Glossary"]["A2"].data_type = "s"

    run_import(repository, changed(workbook, tmp_path / "t.xlsx", typed))
    assert "  - term: =1+1\n" in policy.read_text() or "  - term: '=1+1'\n" in policy.read_text()


@pytest.mark.parametrize("suffix", [".xlsm", ".XLSM", ".xltm"])
def test_a_macro_enabled_workbook_is_refused_by_its_name(
    repository: Path, workbook: Path, tmp_path: Path, suffix: str
) -> None:
    macro = tmp_path / f"policy{suffix}"
    macro.write_bytes(workbook.read_bytes())
    assert "macro-enabled workbook" in refused(repository, macro)


def test_a_workbook_holding_macros_is_refused_whatever_its_name(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    hostile = rezipped(
        workbook, tmp_path / "m.xlsx", lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}
    )
    assert "holds macros" in refused(repository, hostile)

    def macro_type(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return data

    typed = rezipped(workbook, tmp_path / "t.xlsx", macro_type)
    assert "macro-enabled workbook" in refused(repository, typed)


def test_a_zip_bomb_is_refused_before_it_is_expanded(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    bomb = rezipped(
        workbook,
        tmp_path / "bomb.xlsx",
        lambda n, d: d,
        {"xl/media/image1.png": b"\0" * (40 * 1024 * 1024)},
    )
    assert bomb.stat().st_size < 1024 * 1024  # small on disk, 40 MB expanded
    assert "zip bomb" in refused(repository, bomb)


def test_a_file_over_the_size_limit_is_refused_unread(repository: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as stream:
        stream.truncate(MAX_FILE_SIZE + 1)
    assert "more than a policy workbook can be" in refused(repository, huge)


def test_a_sheet_with_too_many_rows_is_refused(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    def grow(book: openpyxl.Workbook) -> None:
        sheet = book["Glossary"]
        for row in range(2, MAX_ROWS + 10):
            sheet.cell(row, 1, f"T{row}")

    assert f"more than {MAX_ROWS:,} rows" in refused(
        repository, changed(workbook, tmp_path / "g.xlsx", grow)
    )


def test_an_entity_declaration_is_refused(repository: Path, workbook: Path, tmp_path: Path) -> None:
    member = sheet_member(workbook, "Roles")

    def laughs(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        head = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        )
        return head + data

    assert "declares XML entities" in refused(
        repository, rezipped(workbook, tmp_path / "e.xlsx", laughs)
    )


def test_links_to_other_workbooks_are_noticed_never_followed(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    link = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    hostile = rezipped(
        workbook, tmp_path / "l.xlsx", lambda n, d: d, {"xl/externalLinks/externalLink1.xml": link}
    )
    result = run_import(repository, hostile, dry_run=True)
    assert result.refused == ()
    notes = [f.message for f in result.report.findings if f.code == "PC005"]
    assert any("links to other workbooks" in note for note in notes)


def test_hidden_and_foreign_sheets_are_noticed(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    def hide(book: openpyxl.Workbook) -> None:
        book.security.lockStructure = False
        book["Glossary"]["B2"] = "Deputy DSL (hidden change)"
        book["Glossary"].sheet_state = "hidden"
        book.create_sheet("Notes")["A1"] = "term: ignored"

    result = run_import(repository, changed(workbook, tmp_path / "h.xlsx", hide), dry_run=True)
    notes = {f.location.cell: f.message for f in result.report.findings if f.code == "PC005"}
    assert "hidden" in notes["Glossary!A1"]
    assert "not one policycoord wrote" in notes["Notes!A1"]
    assert "meaning: Deputy DSL (hidden change)" in result.imported[0].text  # read, and said


def test_bidi_and_control_characters_are_escaped_in_the_file_and_reported_at_the_cell(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    def trojan(book: openpyxl.Workbook) -> None:
        book["Roles"]["B2"] = "Lead \u202eredaeh\u202c"

    result = run_import(repository, changed(workbook, tmp_path / "b.xlsx", trojan))
    text = (repository / POLICY).read_text()
    assert "\u202e" not in text and "\\u202E" in text
    found = [f for f in result.report.findings if f.code == "PC009"]
    assert [f.location.cell for f in found] == ["Roles!B2"]


def test_control_characters_in_a_policy_are_shown_in_the_workbook_and_left_alone(
    repository: Path, tmp_path: Path
) -> None:
    policy = repository / POLICY
    policy.write_text(
        policy.read_text().replace(
            "meaning: Single Central Record", 'meaning: "Single\\a Central\\u202E Record"', 1
        )
    )
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]
    values = [c.value for c in openpyxl.load_workbook(workbook)["Glossary"]["B"]]
    assert "Single\\x07 Central<U+202E> Record" in values
    before = snapshot(repository)
    assert run_import(repository, workbook).imported[0].changed_lines == 0
    assert snapshot(repository) == before


def test_a_fifo_in_place_of_a_workbook_is_refused_without_waiting(
    repository: Path, tmp_path: Path
) -> None:
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    assert "is not a regular file" in refused(repository, pipe)
