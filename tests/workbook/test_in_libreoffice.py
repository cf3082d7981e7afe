"""An exported workbook opened in a real spreadsheet program: LibreOffice
(headless, from Debian's libreoffice-calc-nogui) converts every sheet to CSV,
and saves the workbook again as .xlsx, which the import reads back with no
change. Skipped where LibreOffice is absent; under CI (`CI` set), where
.ci/run installs it, its absence is a failure."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ACCEPTANCE, EXAMPLES

from tests.output.reporters.test_html_in_browser import missing
from tests.workbook.helpers import copy_repository, export, run_import, snapshot

#: Every sheet to its own CSV file (`-1`), UTF-8 (76), comma-separated (44).
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing(
            "LibreOffice (soffice)",
            "apt-get install -y --no-install-recommends libreoffice-calc-nogui",
        )
    assert found is not None
    return found


def convert(soffice: str, workbook: Path | list[Path], to: str, out: Path, profile: Path) -> None:
    out.mkdir(exist_ok=True)
    workbooks = workbook if isinstance(workbook, list) else [workbook]
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, workbooks),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_libreoffice_opens_every_sheet(soffice: str, tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]
    convert(soffice, workbook, ALL_SHEETS_CSV, tmp_path / "csv", tmp_path / "profile")
    sheets = {p.stem.removeprefix("st-marys-primary-"): p for p in (tmp_path / "csv").glob("*.csv")}
    assert {"Start here", "Organisation", "Roles", "Escalation steps", "Findings"} <= set(sheets)
    with sheets["Roles"].open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["Role id", "Title", "Phone", "Email", "Hours", "Deputy"]
    assert rows[1][:5] == [
        "dsl",
        "Designated Safeguarding Lead (Deputy Headteacher)",
        "01632 960500",  # text, not the number 1632960500
        "dsl@stmarys.example",
        "Office hours only",
    ]
    with sheets["Organisation"].open(encoding="utf-8", newline="") as stream:
        details = {row[0]: row[1] for row in csv.reader(stream) if len(row) > 1}
    assert details["Next review due"] == "2027-09-01"  # text, not a date LibreOffice reformats


def test_a_workbook_saved_by_libreoffice_imports_with_no_change(
    soffice: str, tmp_path: Path
) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbooks = export(repository, tmp_path / "out", "st-marys-primary", "northshire-cs")
    for workbook in workbooks.values():
        convert(
            soffice,
            workbook,
            "xlsx:Calc MS Excel 2007 XML",
            tmp_path / "saved",
            tmp_path / "profile",
        )
    before = snapshot(repository)
    saved = sorted((tmp_path / "saved").glob("*.xlsx"))
    assert len(saved) == 2
    result = run_import(repository, *saved)
    assert result.refused == ()
    assert [one.changed_lines for one in result.imported] == [0, 0]
    assert snapshot(repository) == before


@pytest.mark.parametrize("source", [EXAMPLES, ACCEPTANCE / "harbour"], ids=lambda p: p.name)
def test_every_workbook_saved_by_libreoffice_comes_back_with_no_change(
    soffice: str, source: Path, tmp_path: Path
) -> None:
    # the whole round trip through a real spreadsheet program: every
    # organisation's workbook, and a member's with no policy file yet
    repository = copy_repository(source, tmp_path / "repo")
    file = repository / "partnership.yaml"
    text = file.read_text()
    members = "  members:\n"
    assert members in text
    file.write_text(text.replace(members, members + "    - new-member\n", 1))
    workbooks = export(repository, tmp_path / "out")
    assert "new-member" in workbooks
    convert(
        soffice,
        sorted(workbooks.values()),
        "xlsx:Calc MS Excel 2007 XML",
        tmp_path / "saved",
        tmp_path / "profile",
    )
    before = snapshot(repository)
    saved = sorted((tmp_path / "saved").glob("*.xlsx"))
    assert len(saved) == len(workbooks)
    result = run_import(repository, *saved)
    assert result.refused == ()
    assert [one.changed_lines for one in result.imported] == [0] * len(workbooks)
    assert result.written == () and (result.introduced, result.fixed) == ((), ())
    assert snapshot(repository) == before


def test_a_formula_libreoffice_saved_with_its_value_reads_that_value(
    soffice: str, tmp_path: Path
) -> None:
    """openpyxl saves a formula with no value (the import keeps what the file
    holds: test_hostile); LibreOffice works it out and saves its value,
    which is what the import reads (values only), and says so."""
    import openpyxl

    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbook = export(repository, tmp_path / "out", "st-marys-primary")["st-marys-primary"]
    book = openpyxl.load_workbook(workbook)
    book["Roles"]["B2"] = '=HYPERLINK("http://evil.example","Click")'
    book.save(tmp_path / "typed.xlsx")
    convert(
        soffice,
        tmp_path / "typed.xlsx",
        "xlsx:Calc MS Excel 2007 XML",
        tmp_path / "saved",
        tmp_path / "profile",
    )
    saved = tmp_path / "saved" / "typed.xlsx"
    assert openpyxl.load_workbook(saved, data_only=True)["Roles"]["B2"].value == "Click"
    result = run_import(repository, saved, dry_run=True)
    assert result.refused == ()
    notes = [f for f in result.report.findings if f.code == "PC005"]
    assert [f.location.cell for f in notes] == ["Roles!B2"]
    assert "read the value it last showed, “Click”" in notes[0].message
    assert "    title: Click\n" in result.imported[0].text
    assert "evil.example" not in result.imported[0].text
