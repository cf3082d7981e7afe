"""Export, then import: untouched workbooks leave every file byte-identical;
one changed cell changes one line and the import reports the finding it
introduces; the same repository gives byte-identical workbooks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ACCEPTANCE, EXAMPLES

from tests.workbook.helpers import changed, copy_repository, export, run_import, snapshot

PARTNERSHIPS = [
    EXAMPLES,
    *(p for p in sorted(ACCEPTANCE.iterdir()) if (p / "partnership.yaml").is_file()),
]


@pytest.mark.parametrize("source", PARTNERSHIPS, ids=lambda p: p.name)
def test_untouched_workbooks_change_no_file(source: Path, tmp_path: Path) -> None:
    repository = copy_repository(source, tmp_path / "repo")
    before = snapshot(repository)
    workbooks = export(repository, tmp_path / "out")
    assert workbooks, "every organisation gets a workbook"
    result = run_import(repository, *workbooks.values())
    assert result.refused == ()
    assert [one.changed_lines for one in result.imported] == [0] * len(workbooks)
    assert result.written == ()
    assert (result.introduced, result.fixed) == ((), ())
    assert snapshot(repository) == before


def test_examples_every_organisation_exported(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbooks = export(repository, tmp_path / "out")
    organisations = sorted(p.stem for p in (repository / "orgs").glob("*.yaml"))
    assert sorted(workbooks) == organisations
    assert all(path.name == f"{org}.xlsx" for org, path in workbooks.items())


def test_same_repository_gives_byte_identical_workbooks(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    first = {k: v.read_bytes() for k, v in export(repository, tmp_path / "one").items()}
    second = {k: v.read_bytes() for k, v in export(repository, tmp_path / "two").items()}
    assert first == second
    with zipfile.ZipFile(tmp_path / "one" / "st-marys-primary.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core


def test_one_changed_cell_changes_one_line_and_reports_what_it_introduces(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    before = snapshot(repository)
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]

    def slower(book: openpyxl.Workbook) -> None:
        sheet = book["Escalation steps"]
        assert (
            sheet["B3"].value
            == "Northshire Council Children's Services: Multi-Agency Safeguarding Hub"
        )
        assert sheet["C3"].value == "4 hours"
        sheet["C3"] = "3 working days"

    edited = changed(workbook, tmp_path / "edited.xlsx", slower)
    result = run_import(repository, edited)
    assert result.refused == ()
    assert result.written == ("orgs/st-marys-primary.yaml",)
    after = snapshot(repository)
    old = before["orgs/st-marys-primary.yaml"].decode().splitlines()
    new = after["orgs/st-marys-primary.yaml"].decode().splitlines()
    differ = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert differ == [("        within: 4 hours", "        within: 3 working days")]
    assert {k: v for k, v in after.items() if k != "orgs/st-marys-primary.yaml"} == {
        k: v for k, v in before.items() if k != "orgs/st-marys-primary.yaml"
    }
    codes = {(f.code, f.location.path, f.location.cell) for f in result.introduced}
    assert ("PC204", "../edited.xlsx", "'Escalation steps'!A2") in codes
    assert [f.code for f in result.failing] == ["PC204"]  # exit status 1 (cli)
    # the introduced finding is in the report too, at the cell, in every format's terms
    assert any(f.code == "PC204" and f.location.cell for f in result.report.findings)


def test_dry_run_writes_nothing_and_says_what_would_change(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    before = snapshot(repository)
    workbook = export(repository, tmp_path / "out", "riverside-fc")["riverside-fc"]

    def retitle(book: openpyxl.Workbook) -> None:
        book["Roles"]["B2"] = "Club Safeguarding Officer"

    result = run_import(repository, changed(workbook, tmp_path / "e.xlsx", retitle), dry_run=True)
    assert result.dry_run and result.written == ()
    assert [one.changed_lines for one in result.imported] == [1]
    assert "Club Safeguarding Officer" in result.imported[0].text
    assert snapshot(repository) == before


def test_added_row_deleted_row_and_drop_down_labels_read_back_as_ids(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]

    def fill_in(book: openpyxl.Workbook) -> None:
        sheet = book["Responsibilities"]
        row = next(r for r in range(2, 80) if not sheet.cell(r, 1).value)
        sheet.cell(
            row, 1, "Report an allegation against someone who works with children to the LADO"
        )
        sheet.cell(row, 2, "Headteacher")
        sheet.cell(row, 3, "Accountable (owns it and answers for it)")
        sheet.cell(row, 4, "1 working day")
        book["Glossary"].delete_rows(2)

    result = run_import(repository, changed(workbook, tmp_path / "e.xlsx", fill_in))
    text = (repository / "orgs/st-marys-primary.yaml").read_text()
    added = (
        "  - duty: report-allegation-to-lado\n    role: headteacher\n"
        "    raci: accountable\n    within: 1 working day\n"
    )
    assert added in text
    assert "term: DDSL" not in text and "  - term: SCR\n" in text  # its first row deleted
    fixed = {f.code for f in result.fixed}
    assert "PC102" in fixed  # the duty it lacked is now owned


def test_workbook_holds_drop_down_lists_help_protection_and_what_it_was_made_from(
    tmp_path: Path,
) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[:2] == ["Start here", "Organisation"]
    assert book["Lists"].sheet_state == "hidden"
    assert book["policycoord"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    steps = book["Escalation steps"]
    assert steps.protection.sheet and not steps.protection.insertRows
    validations = {str(v.sqref): v for v in steps.data_validations.dataValidation}
    to = (
        validations["B2:B66"]
        if "B2:B66" in validations
        else next(v for k, v in validations.items() if k.startswith("B2:"))
    )
    assert to.type == "list" and to.formula1.startswith("Lists!$")
    column = to.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    offered = [c.value for c in book["Lists"][column][1:]]
    assert "Northshire Council Children's Services: Multi-Agency Safeguarding Hub" in offered
    within = next(v for k, v in validations.items() if k.startswith("C2:"))
    assert "working day" in within.prompt
    meta = {
        row[0]: row[1]
        for row in book["policycoord"].iter_rows(max_row=5, max_col=2, values_only=True)
    }
    assert meta["format"] == "1" and meta["partnership"] == "northshire"
    assert meta["organisation"] == "st-marys-primary" and len(meta["sha256"]) == 64
    findings = [row for row in book["Findings"].iter_rows(min_row=2, values_only=True) if row[3]]
    assert any(
        row[0] == "Organisation"
        and "“Report an allegation against someone who works with children to the LADO”" in row[3]
        for row in findings
    )
    start = "\n".join(str(c.value) for c in book["Start here"]["A"] if c.value)
    assert "2027-09-01" in start and "Roles" in start
