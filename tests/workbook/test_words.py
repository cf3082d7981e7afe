"""What a workbook says, and what the import says of a workbook, speaks of
sheets, rows and column headings in plain words: never the policy file's
field names (`out_of_hours`, `commitments:`), JSON pointers (`/roles/2`),
YAML files' line numbers (`orgs/x.yaml:40`) or backticks."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import ACCEPTANCE, EXAMPLES

from policycoord.input.workbooks.layout import SHEET_NAMES
from tests.workbook.helpers import changed, copy_repository, export, run_import

#: What only a YAML file or a programmer would write.
NOT_WORDS = {
    "backticks": re.compile(r"`"),
    "a file's line": re.compile(r"\.ya?ml:\d+|\bline \d+"),
    "a policy file's path": re.compile(r"\borgs/[\w/-]+\.ya?ml"),
    # ids the drop-down lists have labels for (an unknown one, such as
    # northshire-cs/front-door, is shown as it is written)
    "another organisation's role id": re.compile(r"“northshire-cs/(mash|edt|lado)”"),
    "a duty id": re.compile(r"“report-allegations?-to-lado”"),
    "a JSON pointer": re.compile(r"(?<![\w/])/[a-z_]+/(\d+|-)\b"),
    "a field name": re.compile(
        r"\b(out_of_hours|max_total|max_within|must_reach|next_review|applies_to)\b"
        # a key as YAML writes it ("its roles: mash", "Escalation steps: ..." are words)
        r"|\b(commitments|escalations|receives|responsibilities|glossary|within|raci|"
        r"contact|review|theme|concern|duty|to|from|with):(\s|$)"
    ),
}


def plain(text: str) -> list[str]:
    return [what for what, pattern in NOT_WORDS.items() if pattern.search(text)]


@pytest.mark.parametrize("source", [EXAMPLES, ACCEPTANCE / "harbour"], ids=lambda p: p.name)
def test_the_findings_sheet_is_in_words(source: Path, tmp_path: Path) -> None:
    repository = copy_repository(source, tmp_path / "repo")
    workbooks = export(repository, tmp_path / "out")
    rows = 0
    for organisation, path in workbooks.items():
        book = openpyxl.load_workbook(path)
        for sheet, row, _, message, suggestion in book["Findings"].iter_rows(
            min_row=2, values_only=True
        ):
            if sheet is None:
                continue
            rows += 1
            assert sheet in SHEET_NAMES, (organisation, sheet)
            assert isinstance(row, int) and row >= 2, (organisation, sheet, row)
            for text in (message, suggestion):
                assert plain(str(text or "")) == [], (organisation, text)
        start = " ".join(str(c.value) for c in book["Start here"]["A"] if c.value)
        assert plain(start) == [], start
    assert rows > 10  # the examples' findings are there, reworded, not left out


def test_the_import_speaks_of_cells(tmp_path: Path) -> None:
    repository = copy_repository(EXAMPLES, tmp_path / "repo")
    workbook = export(repository, tmp_path / "out", "riverside-fc")["riverside-fc"]

    def hostile(book: openpyxl.Workbook) -> None:
        book["Roles"]["C2"] = "=1+1"  # a formula: noted, in words
        book["Roles"]["B2"] = "Welfare \u202e Officer"  # PC009 speaks of the cell, not a line
        book["Escalation steps"]["C3"] = "3 working days"

    result = run_import(repository, changed(workbook, tmp_path / "r.xlsx", hostile), dry_run=True)
    assert result.refused == ()
    assert result.report is not None
    for finding in result.report.findings:
        assert plain(finding.message) == [], finding.message
        assert plain(finding.suggestion) == [], finding.suggestion
    formula = next(f for f in result.report.findings if "formula" in f.message)
    assert formula.message.startswith("Row 2 of the Roles sheet, “Phone” holds a formula")
    dead_end = next(f for f in result.report.findings if f.code == "PC201")
    assert "“To” column" in dead_end.suggestion
    invisible = next(f for f in result.report.findings if f.code == "PC009")
    assert invisible.message.startswith("The text in row 2 of the Roles sheet, “Title” is written")
