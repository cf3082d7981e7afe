"""Workbooks the import refuses, with a clear message and nothing written:
another partnership or organisation, a newer format, a file changed in the
repository since the export (unless --force), an organisation id changed,
two workbooks for one organisation, a file that is not a workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES

from tests.workbook.helpers import changed, copy_repository, export, run_import, snapshot


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return copy_repository(EXAMPLES, tmp_path / "repo")


@pytest.fixture
def workbook(repository: Path, tmp_path: Path) -> Path:
    return export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]


def meta(key: str, value: str) -> object:
    def change(book: openpyxl.Workbook) -> None:
        sheet = book["policycoord"]
        for row in sheet.iter_rows(max_row=5, max_col=2):
            if row[0].value == key:
                row[1].value = value

    return change


def refused(repository: Path, *workbooks: Path, force: bool = False) -> str:
    before = snapshot(repository)
    result = run_import(repository, *workbooks, force=force)
    assert result.refused, "refused"
    assert result.report is None  # nothing checked: exit status 2 (cli)
    assert result.written == () and snapshot(repository) == before, "nothing written"
    return " ".join(reason for _, reason in result.refused)


def test_another_partnership(repository: Path, workbook: Path, tmp_path: Path) -> None:
    other = changed(workbook, tmp_path / "w.xlsx", meta("partnership", "southshire"))
    reason = refused(repository, other)
    assert "a workbook of the partnership `southshire`, not of `northshire`" in reason


def test_an_organisation_not_in_the_partnership(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    other = changed(workbook, tmp_path / "w.xlsx", meta("organisation", "st-elsewhere"))
    assert (
        "the workbook of the organisation `st-elsewhere`, which is not in this partnership"
        in refused(repository, other)
    )


def test_a_workbook_exported_from_another_organisations_file(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    other = changed(workbook, tmp_path / "w.xlsx", meta("organisation", "riverside-fc"))
    # the file it says it came from is St Mary's, now another organisation's
    assert "is now the policy of st-marys-primary, not of riverside-fc" in refused(
        repository, other
    )


def test_the_organisation_id_changed_in_the_workbook(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    def rename(book: openpyxl.Workbook) -> None:
        book["Organisation"]["B2"] = "riverside-fc"

    reason = refused(repository, changed(workbook, tmp_path / "w.xlsx", rename))
    assert (
        "gives the organisation `riverside-fc` on the sheet “Organisation”, but it was "
        "exported for `st-marys-primary`" in reason
    )


def test_a_newer_workbook_format(repository: Path, workbook: Path, tmp_path: Path) -> None:
    newer = changed(workbook, tmp_path / "w.xlsx", meta("format", "2"))
    assert "newer policycoord (workbook format 2; this one reads format 1)" in refused(
        repository, newer
    )


def test_not_a_policycoord_workbook(repository: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"
    book.save(tmp_path / "plain.xlsx")
    assert "is not a workbook policycoord exported" in refused(repository, tmp_path / "plain.xlsx")
    (tmp_path / "text.xlsx").write_text("not a zip")
    reason = refused(repository, tmp_path / "text.xlsx")
    assert "is not an Excel workbook (.xlsx): the file is not a workbook's zip archive" in reason
    assert "File is not a zip file" not in reason  # the library's words are not shown


def test_two_workbooks_for_one_organisation(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(workbook.read_bytes())
    assert "is for `st-marys-primary`, as another workbook given is" in refused(
        repository, workbook, copy
    )


def test_one_refused_workbook_stops_every_write(repository: Path, tmp_path: Path) -> None:
    workbooks = export(repository, tmp_path / "out", "st-marys-primary", "riverside-fc")

    def retitle(book: openpyxl.Workbook) -> None:
        book["Roles"]["B2"] = "Club Safeguarding Officer"

    good = changed(workbooks["riverside-fc"], tmp_path / "good.xlsx", retitle)
    bad = changed(workbooks["st-marys-primary"], tmp_path / "bad.xlsx", meta("format", "9"))
    refused(repository, good, bad)


def test_changed_since_export_is_refused_and_says_what_changed(
    repository: Path, workbook: Path
) -> None:
    policy = repository / "orgs/st-marys-primary.yaml"
    policy.write_text(policy.read_text().replace("title: Headteacher", "title: Head of School"))
    reason = refused(repository, workbook)
    assert "orgs/st-marys-primary.yaml has changed in the repository since" in reason
    assert "row 4 of the Roles sheet, “Title”" in reason and "--force" in reason


def test_changed_since_export_with_force_takes_the_workbooks_contents(
    repository: Path, workbook: Path
) -> None:
    policy = repository / "orgs/st-marys-primary.yaml"
    original = policy.read_text()
    policy.write_text(original.replace("title: Headteacher", "title: Head of School"))
    result = run_import(repository, workbook, force=True)
    assert result.refused == ()
    assert result.written == ("orgs/st-marys-primary.yaml",)
    assert "row 4 of the Roles sheet, “Title”" in result.imported[0].overwritten
    assert policy.read_text() == original  # the workbook's contents replace the change


def test_a_sheet_deleted_or_a_column_moved_is_refused(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    def delete(book: openpyxl.Workbook) -> None:
        book.remove(book["Glossary"])

    deleted = changed(workbook, tmp_path / "d.xlsx", delete)
    assert "has no sheet “Glossary”" in refused(repository, deleted)

    def move(book: openpyxl.Workbook) -> None:
        book["Roles"].delete_cols(3)  # Phone gone: Email would be read as the phone

    moved = changed(workbook, tmp_path / "m.xlsx", move)
    assert "the columns of the sheet “Roles” are not the ones policycoord wrote" in refused(
        repository, moved
    )


def test_a_workbook_imported_twice_is_no_change_the_second_time(
    repository: Path, workbook: Path, tmp_path: Path
) -> None:
    # the file changed since the export only through this workbook's own import:
    # it already holds what the workbook says, so nothing is refused or written
    def retitle(book: openpyxl.Workbook) -> None:
        book["Roles"]["B2"] = "Designated Safeguarding Lead (Deputy Head)"

    edited = changed(workbook, tmp_path / "edited.xlsx", retitle)
    first = run_import(repository, edited)
    assert first.refused == () and first.written == ("orgs/st-marys-primary.yaml",)
    after_first = snapshot(repository)
    second = run_import(repository, edited)
    assert second.refused == () and second.written == ()
    assert second.failing == () and second.failed == ()  # exit status 0 (cli)
    assert snapshot(repository) == after_first


@pytest.mark.parametrize("version", ["\u00b2", "1" * 5000, "-1", ""])
def test_a_format_version_that_is_not_a_number_is_refused_in_words(
    repository: Path, workbook: Path, tmp_path: Path, version: str
) -> None:
    # "²" is a digit to str.isdigit() but not to int(): never an internal error
    odd = changed(workbook, tmp_path / "odd.xlsx", meta("format", version))
    assert "is not a workbook policycoord exported" in refused(repository, odd)
