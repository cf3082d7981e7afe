"""`policycoord workbook import`: returned workbooks into the repository.

Each workbook is read (`input.workbooks`: values only, hostile input
refused or noticed), turned into the policy data of its organisation over
the file it was exported from (`sections.policy_data`), and the fewest
changes from the file's data to it (`changes_between`) applied through
`edit()`, so that everything the workbook did not change keeps its bytes:
an untouched workbook changes nothing, one changed cell one line. A member
of the partnership with no policy file yet gets one (`new_files`: where
discovery reads it, never over a file that is there), once its workbook
gives at least the organisation's name and sector. The repository is
checked before and as it would be after, in the shared Workspace (the new
texts in place of their files, nothing written), and what the workbooks
fix and introduce is matched as `diff` matches it.

Refused, with the reason in words and nothing written (for any workbook
refused, no workbook is written): a file that is not a workbook policycoord
exported, a newer workbook format, another partnership or organisation, an
organisation file that changed since the export (unless `force`), and a
workbook whose contents cannot be written as the policy file.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policycoord.checks.engine import check_codes
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report, fails
from policycoord.editing.differences import changes_between
from policycoord.editing.document import Document, Refusal, open_document
from policycoord.editing.edit import edit, new_text
from policycoord.editing.new_files import (
    create_policy_file,
    inside,
    new_policy_path,
    read_by_discovery,
)
from policycoord.editing.saving import Conflict, Failed, save
from policycoord.editing.workbook_findings import in_workbook, note_finding, what_changed
from policycoord.editing.workbook_wording import Wording, cell_of_line_in
from policycoord.input.discovery import display_path
from policycoord.input.loading import load_bytes
from policycoord.input.workbooks.archive import Refused
from policycoord.input.workbooks.layout import FORMAT_VERSION, ORGANISATION_SHEET, PARTS, Words
from policycoord.input.workbooks.reading import Note, Workbook, read_workbook
from policycoord.input.workbooks.sections import Place, policy_data
from policycoord.model.model import Model
from policycoord.views.choices import choices_for, enum_choices
from policycoord.views.workbook_words import ExportedWords, words_for
from policycoord.workflows.pipeline import Options
from policycoord.workflows.workspace import Checked, Workspace, difference


@dataclass(frozen=True, slots=True)
class Imported:
    """One workbook read into its organisation's file."""

    workbook: str
    #: the file, as reports name it ("" for a new organisation's workbook
    #: returned with nothing filled in: no file is made)
    file: str
    organisation: str
    #: the file's text before the import ("" for a new file) and after it
    before: str
    text: str
    places: dict[str, Place]
    #: what had changed in the file since the export, replaced under --force
    overwritten: str = ""
    #: what was noticed reading the workbook (formulas, hidden sheets, links)
    notes: tuple[Note, ...] = ()
    #: the file is made by the import (a member that had no policy file)
    new: bool = False
    document: Document | None = None
    #: the findings' words in the workbook's terms (`workbook_wording`)
    wording: Wording | None = None

    @property
    def unchanged(self) -> bool:
        return not self.new and self.text == self.before

    @property
    def changed_lines(self) -> int:
        """Lines of the file replaced, added or removed."""
        if self.unchanged:
            return 0
        matcher = difflib.SequenceMatcher(
            a=self.before.splitlines(), b=self.text.splitlines(), autojunk=False
        )
        return sum(
            max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        )


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, with `dry_run`, would do)."""

    imported: tuple[Imported, ...]
    refused: tuple[tuple[str, str], ...]
    introduced: tuple[Finding, ...] = ()
    fixed: tuple[Finding, ...] = ()
    report: Report | None = None
    written: tuple[str, ...] = ()
    #: files that could not be written (another change got there first, a full disk)
    failed: tuple[tuple[str, str], ...] = ()
    dry_run: bool = False

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings the workbooks introduce at or above the fail level
        (the report's `fail_on`); what the files already held is not here."""
        if self.report is None:
            return ()
        level = self.report.fail_on
        return tuple(f for f in self.introduced if fails(f.severity, level))


def import_workbooks(
    files: Sequence[str],
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    repository: Path | None = None,
    options: Options | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> ImportResult:
    """Read `files` (returned workbooks, relative to `cwd`) into the
    repository around `repository` (default: `cwd`)."""
    cwd = cwd or Path.cwd()
    options = options or Options()
    check_codes([*options.select, *options.ignore])
    if options.baseline is not None:  # as given, from where the command was run
        options = dataclasses.replace(options, baseline=str(Path(cwd, options.baseline)))
    workspace = Workspace(Path(cwd, repository or "."), partnership=partnership, options=options)
    before = workspace.check()
    model = before.model
    if model.partnership is None:
        raise PolicycoordError(
            f"The partnership file {before.files[0]} cannot be read; fix it (policycoord check "
            "says how) before importing workbooks."
        )
    imported: list[Imported] = []
    refused: list[tuple[str, str]] = []
    for given in files:
        shown = display_path(Path(cwd, given).absolute(), cwd.absolute())
        outcome = _one(Path(cwd, given), shown, model, workspace.root, force=force)
        if isinstance(outcome, str):
            refused.append((shown, outcome))
        elif outcome.organisation in {done.organisation for done in imported}:
            refused.append(
                (
                    shown,
                    f"{shown} is for `{outcome.organisation}`, as another workbook given "
                    "is; import one at a time.",
                )
            )
        else:
            imported.append(outcome)
    if refused:
        return ImportResult(tuple(imported), tuple(refused), dry_run=dry_run)
    return _checked_and_saved(imported, workspace, before, dry_run=dry_run)


def _one(filename: Path, shown: str, model: Model, root: Path, *, force: bool) -> str | Imported:
    """One workbook read and applied (not saved), or why it is refused."""
    try:
        workbook = read_workbook(filename, shown)
    except Refused as refused:
        return str(refused)
    problem = _wrong_workbook(workbook, model)
    if problem:
        return problem
    org_id = workbook.meta["organisation"]
    organisation = model.organisation(org_id)
    words = ExportedWords(workbook.lists, words_for(choices_for(model), org_id))
    if organisation is None:  # a member with no policy file yet
        return _new_file(workbook, model, root, words)
    document = open_document(root / organisation.path, organisation.path)
    if isinstance(document, Refusal):
        return f"{shown} cannot go into {organisation.path}: {document.reason}"
    data, places = policy_data(
        workbook.details, workbook.detail_rows, workbook.parts, document.loaded.data, words
    )
    if _claimed(data) != organisation.id:
        return _id_changed(shown, data, organisation.id)
    changes = changes_between(document.loaded.data, data)
    overwritten = ""
    # a file changed since the export matters only when the workbook would change
    # it: one already holding what the workbook says (imported before) is no change
    if changes and hashlib.sha256(document.raw).hexdigest() != workbook.meta.get("sha256"):
        overwritten = _overwritten(workbook, document, words)
        if not force:
            return (
                f"{organisation.path} has changed in the repository since {shown} was exported "
                f"({overwritten}). Export a new workbook, or import this one with --force to "
                "replace those changes with the workbook's."
            )
    result = edit(document, changes)
    if isinstance(result, Refusal):
        return f"{shown} cannot be written into {organisation.path}: {result.reason}"
    return Imported(
        shown,
        organisation.path,
        organisation.id,
        document.text,
        result.text,
        places,
        overwritten,
        workbook.notes,
        document=document,
        wording=_wording(model, organisation.path, result.text, places, words),
    )


def _overwritten(workbook: Workbook, document: Document, words: ExportedWords) -> str:
    if not workbook.meta.get("file"):
        return f"it had no policy file when the workbook was exported; {document.path} is new"
    return what_changed(workbook.exported_text, document, words)


def _wording(model: Model, path: str, text: str, places: dict[str, Place], words: Words) -> Wording:
    """How the findings in the file's new text are worded in its workbook."""
    nearest = load_bytes(text.encode("utf-8"), path).source_map.nearest_pointers()
    return Wording(
        path,
        cell_of_line_in(nearest, places),
        {org.path: org.name for org in model.organisations if org.path != path},
        words,
        model.partnership.path if model.partnership is not None else "partnership.yaml",
    )


def _claimed(data: dict[str, Any]) -> object:
    organisation = data.get("organisation")
    return organisation.get("id") if isinstance(organisation, dict) else None


def _id_changed(shown: str, data: dict[str, Any], exported_for: str) -> str:
    return (
        f"{shown} gives {_organisation_id(_claimed(data))} on the sheet “{ORGANISATION_SHEET}”, "
        f"but it was exported for `{exported_for}`; the id cannot be changed in a workbook."
    )


def _new_file(workbook: Workbook, model: Model, root: Path, words: ExportedWords) -> str | Imported:
    """A member's first policy file from its workbook; nothing (no change)
    for a workbook returned with nothing filled in; or why it is refused."""
    shown, org_id = workbook.path, workbook.meta["organisation"]
    start = {"policycoord": 1}
    data, places = policy_data(workbook.details, workbook.detail_rows, workbook.parts, start, words)
    if _claimed(data) != org_id:
        return _id_changed(shown, data, org_id)
    if data == {**start, "organisation": {"id": org_id}}:
        return Imported(shown, "", org_id, "", "", places, notes=workbook.notes)
    organisation = data["organisation"]
    name, sector = organisation.get("name"), organisation.get("sector")
    if not isinstance(name, str) or not name.strip() or sector not in _SECTORS:
        return (
            f"{shown} is for `{org_id}`, which has no policy file yet. To make one, the sheet "
            f"“{ORGANISATION_SHEET}” needs the organisation's Name and its Sector (chosen from "
            "the list); nothing of it was imported."
        )
    where = new_policy_path(model, org_id, str(sector))
    problem = _cannot_create(model, root, where)
    if problem:
        return f"{shown} cannot be imported: {problem}"
    text = new_text(_in_order(data))
    if isinstance(text, Refusal):
        return f"{shown} cannot be written as {where}: {text.reason}"
    wording = _wording(model, where, text, places, words)
    return Imported(
        shown, where, org_id, "", text, places, notes=workbook.notes, new=True, wording=wording
    )


_SECTORS = frozenset(choice.value for choice in enum_choices("sector"))


def _cannot_create(model: Model, root: Path, where: str) -> str:
    """Why the new file cannot go at `where`, or ""."""
    patterns = model.partnership.policies if model.partnership is not None else None
    if not read_by_discovery(where, patterns):
        return (
            f"the partnership's policies patterns would not read {where}, where its file would "
            "go; change the patterns in the partnership file first."
        )
    if not inside(root, (root / where).parent):
        return f"{where} would be outside the repository."
    if os.path.lexists(root / where):
        return f"{where} is there already, and a new file is never written over it."
    return ""


def _in_order(data: dict[str, Any]) -> dict[str, Any]:
    """A new file's keys in the order of the shipped examples: the format,
    the organisation, each part in turn, the summary last."""
    order = ["policycoord", "organisation", *(part.pointer[1:] for part in PARTS), "summary"]
    return {key: data[key] for key in order if key in data}


def _wrong_workbook(workbook: Workbook, model: Model) -> str:
    meta, shown = workbook.meta, workbook.path
    version = meta.get("format", "")
    if not re.fullmatch(r"[0-9]{1,6}", version):  # str.isdigit() takes "²"
        return (
            f"{shown} is not a workbook policycoord exported (it says no workbook format); "
            "export one with `policycoord workbook export`."
        )
    if int(version) > FORMAT_VERSION:
        return (
            f"{shown} was made by a newer policycoord (workbook format {version}; this one "
            f"reads format {FORMAT_VERSION}). Update policycoord, then import it."
        )
    partnership = model.partnership.id if model.partnership is not None else ""
    if meta.get("partnership") != partnership:
        return (
            f"{shown} is a workbook of {_partnership_id(meta.get('partnership'))}, not of "
            f"`{partnership}`; nothing of it was imported."
        )
    org = meta.get("organisation", "")
    members = model.partnership.members if model.partnership is not None else None
    if model.organisation(org) is None and org not in (members or ()):
        return (
            f"{shown} is the workbook of {_organisation_id(org)}, which is not in this "
            "partnership; nothing of it was imported."
        )
    owner = model.organisation(org)
    if owner is not None and meta.get("file") and meta.get("file") != owner.path:
        other = next((o for o in model.organisations if o.path == meta.get("file")), None)
        if other is not None:
            return (
                f"{shown} was exported from {meta.get('file')}, which is now the policy of "
                f"{other.id}, not of {org}; export a new workbook."
            )
    return ""


def _organisation_id(value: object) -> str:
    """`st-marys-primary` as "the organisation `st-marys-primary`", in words when blank."""
    return f"the organisation `{value}`" if value else "no organisation id"


def _partnership_id(value: object) -> str:
    return f"the partnership `{value}`" if value else "no partnership"


def _checked_and_saved(
    imported: list[Imported], workspace: Workspace, before: Checked, *, dry_run: bool
) -> ImportResult:
    after = before
    for one in imported:
        if one.file and not one.unchanged:
            after = workspace.set_text(workspace.path(one.file), one.text, new=one.new)
    change = difference(before.report, after.report)
    report = in_workbook(after.report, imported)
    introduced = dataclasses.replace(after.report, findings=change.introduced)
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    if not dry_run:
        for one in imported:
            partnership = before.model.partnership
            patterns = partnership.policies if partnership is not None else None
            outcome = _save(one, workspace.root, patterns)
            if isinstance(outcome, str):
                failed.append((one.file, outcome))
            elif outcome:
                written.append(one.file)
    return ImportResult(
        tuple(imported),
        (),
        in_workbook(introduced, imported).findings,
        change.fixed,
        report,
        tuple(written),
        tuple(failed),
        dry_run,
    )


def _save(one: Imported, root: Path, patterns: Sequence[str] | None) -> bool | str:
    """Write one file: True when written, False when there was no change,
    else why it could not be written. A new member's file is made as serve
    makes one (editing/new_files.create_policy_file: nothing made before
    every check has passed)."""
    if not one.file or one.unchanged:
        return False
    target = root / one.file
    if one.document is not None:
        outcome = save(one.document, target, one.text)
        return outcome.reason if isinstance(outcome, Conflict | Failed) else True
    made = create_policy_file(root, one.file, one.text, patterns)
    return made.reason if isinstance(made, Refusal) else True


__all__ = ["ImportResult", "Imported", "import_workbooks", "note_finding"]
