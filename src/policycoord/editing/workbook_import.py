"""`policycoord workbook import`: returned workbooks into the repository.

Each workbook is read (`input.workbooks`: values only, hostile input
refused or noticed), turned into the policy data of its organisation over
the file it was exported from (`sections.policy_data`), and the fewest
changes from the file's data to it (`changes_between`) applied through
`edit()`, so that everything the workbook did not change keeps its bytes:
an untouched workbook changes nothing, one changed cell one line. The
repository is checked before and as it would be after (`workbook_check`),
and what the workbooks fix and introduce is matched as `diff` matches it.

Refused, with the reason in words and nothing written (for any workbook
refused, no workbook is written): a file that is not a workbook policycoord
exported, a newer workbook format, another partnership or organisation, an
organisation file that changed since the export (unless `force`), and a
workbook whose contents cannot be written as the policy file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report
from policycoord.editing.differences import changes_between
from policycoord.editing.document import Document, Refusal, open_document
from policycoord.editing.edit import Edited, edit
from policycoord.editing.saving import Conflict, Failed, save
from policycoord.editing.workbook_check import check_with_texts
from policycoord.editing.workbook_findings import in_workbook, note_finding, what_changed
from policycoord.input.discovery import display_path, locate_partnership
from policycoord.input.workbooks.archive import Refused
from policycoord.input.workbooks.layout import FORMAT_VERSION
from policycoord.input.workbooks.reading import Note, Workbook, read_workbook
from policycoord.input.workbooks.sections import Place, policy_data
from policycoord.model.model import Model
from policycoord.views.choices import choices_for
from policycoord.views.workbook_words import ExportedWords, words_for
from policycoord.workflows.diffing import introduced_and_fixed
from policycoord.workflows.pipeline import Options, check_with_model


@dataclass(frozen=True, slots=True)
class Imported:
    """One workbook read into its organisation's file."""

    workbook: str
    file: str
    organisation: str
    edited: Edited
    places: dict[str, Place]
    #: what had changed in the file since the export, replaced under --force
    overwritten: str = ""
    #: what was noticed reading the workbook (formulas, hidden sheets, links)
    notes: tuple[Note, ...] = ()

    @property
    def changed_lines(self) -> int:
        """Lines of the file replaced, added or removed."""
        if self.edited.unchanged:
            return 0
        old = self.edited.document.text.splitlines()
        new = self.edited.text.splitlines()
        import difflib

        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
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
    def exit_status(self) -> int:
        if self.refused or self.failed:
            return 2
        fail_on = self.report.fail_on if self.report is not None else "error"
        from policycoord.core.findings import fails

        return 1 if any(fails(f.severity, fail_on) for f in self.introduced) else 0


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
    options = dataclasses.replace(options or Options(), baseline=None)
    partnership_file = locate_partnership(
        [], partnership=partnership, cwd=Path(cwd, repository or ".")
    ).absolute()
    model, before = check_with_model(
        [], partnership=str(partnership_file), cwd=partnership_file.parent, options=options
    )
    if model.partnership is None:
        raise PolicycoordError(
            f"The partnership file {display_path(partnership_file, partnership_file.parent)} "
            "cannot be read; fix it (policycoord check says how) before importing workbooks."
        )
    imported: list[Imported] = []
    refused: list[tuple[str, str]] = []
    documents: dict[str, Document] = {}
    for given in files:
        shown = display_path(Path(cwd, given).absolute(), cwd.absolute())
        outcome = _one(Path(cwd, given), shown, model, partnership_file.parent, force=force)
        if isinstance(outcome, str):
            refused.append((shown, outcome))
        elif outcome[0].organisation in {done.organisation for done in imported}:
            refused.append(
                (
                    shown,
                    f"{shown} is for {outcome[0].organisation}, as another workbook given "
                    "is; import one at a time.",
                )
            )
        else:
            imported.append(outcome[0])
            documents[outcome[0].file] = outcome[1]
    if refused:
        return ImportResult(tuple(imported), tuple(refused), dry_run=dry_run)
    return _checked_and_saved(
        imported, documents, before, partnership_file, options, dry_run=dry_run
    )


def _one(
    filename: Path, shown: str, model: Model, root: Path, *, force: bool
) -> str | tuple[Imported, Document]:
    """One workbook read and applied (not saved), or why it is refused."""
    try:
        workbook = read_workbook(filename, shown)
    except Refused as refused:
        return str(refused)
    problem = _wrong_workbook(workbook, model)
    if problem:
        return problem
    organisation = model.organisation(workbook.meta["organisation"])
    assert organisation is not None  # _wrong_workbook said so
    document = open_document(root / organisation.path, organisation.path)
    if isinstance(document, Refusal):
        return f"{shown} cannot go into {organisation.path}: {document.reason}"
    words = ExportedWords(workbook.lists, words_for(choices_for(model), organisation.id))
    data, places = policy_data(
        workbook.details, workbook.detail_rows, workbook.parts, document.loaded.data, words
    )
    claimed = (
        data.get("organisation", {}).get("id")
        if isinstance(data.get("organisation"), dict)
        else None
    )
    if claimed != organisation.id:
        return (
            f"{shown} gives {_organisation_id(claimed)} on the sheet “Organisation”, but it was "
            f"exported for `{organisation.id}`; the id cannot be changed in a workbook."
        )
    changes = changes_between(document.loaded.data, data)
    overwritten = ""
    # a file changed since the export matters only when the workbook would change
    # it: one already holding what the workbook says (imported before) is no change
    if changes and hashlib.sha256(document.raw).hexdigest() != workbook.meta.get("sha256"):
        overwritten = what_changed(workbook.exported_text, document)
        if not force:
            return (
                f"{organisation.path} has changed in the repository since {shown} was exported "
                f"({overwritten}). Export a new workbook, or import this one with --force to "
                "replace those changes with the workbook's."
            )
    result = edit(document, changes)
    if isinstance(result, Refusal):
        return f"{shown} cannot be written into {organisation.path}: {result.reason}"
    found = Imported(
        shown, organisation.path, organisation.id, result, places, overwritten, workbook.notes
    )
    return found, document


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
    if model.organisation(org) is None:
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
    imported: list[Imported],
    documents: dict[str, Document],
    before: Report,
    partnership_file: Path,
    options: Options,
    *,
    dry_run: bool,
) -> ImportResult:
    texts = {one.file: one.edited.new_bytes for one in imported}
    _, after = check_with_texts(partnership_file, texts, options)
    introduced, fixed = introduced_and_fixed(before, after)
    report = in_workbook(after, imported)
    shown_introduced = in_workbook(dataclasses.replace(after, findings=introduced), imported)
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    if not dry_run:
        root = partnership_file.parent
        for one in imported:
            outcome = save(documents[one.file], root / one.file, one.edited.text)
            if isinstance(outcome, Conflict | Failed):
                failed.append((one.file, outcome.reason))
            elif not one.edited.unchanged:
                written.append(one.file)
    return ImportResult(
        tuple(imported),
        (),
        shown_introduced.findings,
        fixed,
        report,
        tuple(written),
        tuple(failed),
        dry_run,
    )


__all__ = ["ImportResult", "Imported", "import_workbooks", "note_finding"]
