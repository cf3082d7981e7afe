"""Findings where a person filling in a workbook looks for them: a finding
in an imported organisation's file is moved to the cell its value came from
(`file.xlsx:Roles!C4`), what was noticed reading the workbook becomes a
finding of its own, and what changed in a file since its export is said in
words."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from policycoord.core.findings import (
    Finding,
    Location,
    Report,
    Severity,
    Summary,
    fingerprint,
)
from policycoord.editing.differences import changes_between
from policycoord.editing.document import Document
from policycoord.input.loading import load_bytes
from policycoord.input.workbooks.layout import (
    DETAILS,
    FIRST_ROW,
    PARTS,
    Words,
    cell_name,
    cell_words,
)
from policycoord.input.workbooks.reading import Note
from policycoord.input.workbooks.sections import Place, detail_texts, part_rows, policy_data


class Imported(Protocol):
    """A workbook read into its organisation's file (workbook_import.Imported)."""

    @property
    def file(self) -> str: ...
    @property
    def workbook(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def places(self) -> dict[str, Place]: ...
    @property
    def notes(self) -> tuple[Note, ...]: ...
    @property
    def wording(self) -> Callable[[str], str] | None: ...


def place_of(places: dict[str, Place], pointer: str) -> Place | None:
    """The cell of `pointer`, or of the nearest value above it that has one."""
    while True:
        if pointer in places:
            return places[pointer]
        if not pointer:
            return None
        pointer = pointer.rpartition("/")[0]


def workbook_places(data: Any, words: Words) -> dict[str, Place]:
    """The cell of each value of a policy's data in its exported workbook."""
    details = detail_texts(data, words)
    parts = {
        part.name: [(FIRST_ROW + i, texts) for i, texts in enumerate(part_rows(data, part, words))]
        for part in PARTS
    }
    rows = tuple(FIRST_ROW + index for index in range(len(DETAILS)))
    old = data if isinstance(data, dict) else {}
    return policy_data(details, rows, parts, old, words)[1]


def moved(location: Location, workbook: str, places: dict[str, Place]) -> Location:
    place = place_of(places, location.pointer) or Place("Organisation", 2, 2)
    return Location(
        workbook,
        place.row,
        place.column,
        location.pointer,
        cell_name(place.sheet, place.row, place.column),
    )


def in_workbook(report: Report, imported: Sequence[Imported]) -> Report:
    """`report` with the findings in the imported files moved to their
    workbooks' cells, and only those (plus the notes of reading them); the
    findings a waiver or the baseline suppressed there are counted so too."""
    by_file = {one.file: one for one in imported if one.file}
    findings = [_in_cell(f, by_file[f.location.path]) for f in _in(report.findings, by_file)]
    suppressed = tuple(
        dataclasses.replace(s, finding=_in_cell(s.finding, by_file[s.finding.location.path]))
        for s in report.suppressed
        if s.finding.location.path in by_file
    )
    findings.extend(
        note_finding(note, one.workbook, one.organisation) for one in imported for note in one.notes
    )
    findings.sort(key=Finding.sort_key)
    counts = {severity: sum(f.severity is severity for f in findings) for severity in Severity}
    summary = Summary(
        files=len(imported),
        organisations=len({one.organisation for one in imported}),
        error=counts[Severity.ERROR],
        warning=counts[Severity.WARNING],
        info=counts[Severity.INFO],
        suppressed=len(suppressed),
    )
    return dataclasses.replace(
        report, findings=tuple(findings), summary=summary, suppressed=suppressed
    )


def _in(findings: Sequence[Finding], by_file: dict[str, Imported]) -> list[Finding]:
    return [f for f in findings if f.location.path in by_file]


def _in_cell(finding: Finding, one: Imported) -> Finding:
    """A finding of an imported file at the workbook's cell (and its related
    locations in that file too)."""
    related = tuple(
        moved(r, one.workbook, one.places) if r.path == one.file else r for r in finding.related
    )
    location = moved(finding.location, one.workbook, one.places)
    wording = one.wording
    return dataclasses.replace(
        finding,
        location=location,
        related=related,
        message=wording(finding.message) if wording is not None else finding.message,
        suggestion=wording(finding.suggestion) if wording is not None else finding.suggestion,
    )


def note_finding(note: Note, workbook: str, organisation: str) -> Finding:
    """What was noticed reading a workbook, as a PC005 warning at its cell."""
    location = Location(workbook, note.row, note.column, "", note.cell)
    code = "PC005"
    return Finding(
        code=code,
        name="unsafe-or-oversized-input",
        severity=Severity.WARNING,
        message=note.message,
        location=location,
        subject=note.cell,
        suggestion=note.suggestion,
        organisation=organisation,
        fingerprint=fingerprint(
            code=code,
            organisation=organisation,
            pointer=note.cell,
            subject=note.message,
            path=workbook,
        ),
        family="input",
    )


def what_changed(exported_text: str, document: Document, words: Words) -> str:
    """What changed in a file since the workbook's export, in words: the
    cells of the exported workbook whose values changed."""
    if not exported_text:
        return (
            "the workbook does not hold the text it was exported from, so what changed is not known"
        )
    before = load_bytes(exported_text.encode("utf-8"), document.path)
    changes = changes_between(before.data, document.loaded.data)
    if not changes:
        return "only its layout or comments changed"
    places = workbook_places(before.data, words)
    said = [_in_words(place_of(places, change.pointer)) for change in changes[:5]]
    more = f", and {len(changes) - 5} more" if len(changes) > 5 else ""
    return "changed since: " + "; ".join(dict.fromkeys(said)) + more


def _in_words(place: Place | None) -> str:
    return cell_words(place.sheet, place.row, place.column) if place else "the whole policy"
