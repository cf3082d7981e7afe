"""`policycoord workbook export`: one workbook per organisation, pre-filled
with what the repository holds and the organisation's current findings.

The repository is checked once; each organisation's file is opened as the
editing stage opens it (a file that could not be imported back, such as one
that is not well-formed YAML, is not exported: its findings say why), and its
workbook written atomically as `<organisation id>.xlsx`. A member listed in
the partnership's `members` with no policy file gets a workbook too, with
only its id filled in (the partnership file names members by id alone):
the organisation fills in the rest, and `workbook import` makes its file."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report
from policycoord.core.text import did_you_mean, listing, visible
from policycoord.editing import Refusal, open_document
from policycoord.editing.workbook_findings import place_of, workbook_places
from policycoord.editing.workbook_wording import Wording, cell_of_line_in
from policycoord.input.discovery import locate_partnership
from policycoord.input.loading import load_bytes
from policycoord.input.workbooks.layout import FIRST_ROW, ORGANISATION_SHEET, PARTS
from policycoord.input.workbooks.sections import part_rows
from policycoord.model.model import Model
from policycoord.output.workbooks.deterministic import workbook_bytes
from policycoord.output.workbooks.sheets import Contents, FindingRow, build
from policycoord.views.choices import choices_for
from policycoord.views.workbook_words import (
    ChoiceWords,
    named_roles,
    receiving_roles,
    words_for,
)
from policycoord.workflows.pipeline import Options, check_with_model

RETURN_TO: Final = "the partnership's business manager, who sent it to you"


@dataclass(frozen=True, slots=True)
class Exported:
    organisation: str
    path: Path
    #: a member with no policy file yet: the workbook holds only its id
    new: bool = False


@dataclass(frozen=True, slots=True)
class NotExported:
    organisation: str
    reason: str


def export_workbooks(
    paths: Sequence[str] = (),
    *,
    folder: Path,
    organisations: Sequence[str] = (),
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
    return_to: str = RETURN_TO,
    force: bool = False,
) -> list[Exported | NotExported]:
    """Write the workbooks of `organisations` (all by default) into `folder`.
    A workbook already there that differs from the one to be written (one an
    organisation sent back, not yet imported) is never replaced unless
    `force`: nothing is written and PolicycoordError names them."""
    cwd = cwd or Path.cwd()
    root = locate_partnership(paths, partnership=partnership, cwd=cwd).parent
    model, report = check_with_model(paths, partnership=partnership, cwd=cwd, options=options)
    if model.partnership is None:
        raise PolicycoordError(
            "The partnership file cannot be read; fix it (policycoord check says how) "
            "before exporting workbooks."
        )
    chosen = _chosen(model, organisations)
    folder = Path(cwd, folder)
    if not folder.is_dir():
        try:  # a new folder for them, in a folder that is there
            folder.mkdir()
        except OSError as error:
            raise PolicycoordError(
                f"Cannot write the workbooks into {folder}: {error.strerror or error}."
            ) from None
    choices = choices_for(model)
    receiving = receiving_roles(model)
    results: list[Exported | NotExported] = []
    planned: dict[Path, bytes] = {}
    for org_id in chosen:
        organisation = model.organisation(org_id)
        source = Source(org_id, org_id, "", b"", {"policycoord": 1, "organisation": {"id": org_id}})
        if organisation is not None:
            document = open_document(root / organisation.path, organisation.path)
            if isinstance(document, Refusal):
                results.append(NotExported(org_id, document.reason))
                continue
            source = Source(
                org_id, organisation.name, organisation.path, document.raw, document.loaded.data
            )
        words = words_for(choices, org_id, receiving | named_roles(model, org_id))
        contents = _contents(model, report, source, words, return_to)
        contents = dataclasses.replace(
            contents, findings=_finding_rows(report.findings, model, source, words)
        )
        target = folder / f"{org_id}.xlsx"
        planned[target] = workbook_bytes(build(contents))
        results.append(Exported(org_id, target, new=organisation is None))
    if not force:
        _refuse_to_replace(planned)
    for target, raw in planned.items():
        _write_bytes(target, raw)
    return results


def _refuse_to_replace(planned: dict[Path, bytes]) -> None:
    """Exit status 2, nothing written, when a workbook in the folder differs
    from what would replace it: it may hold what an organisation wrote."""
    differing = [target for target, raw in planned.items() if _differs(target, raw)]
    if not differing:
        return
    names = listing(f"`{target.name}`" for target in differing)
    several = len(differing) > 1
    raise PolicycoordError(
        f"Not exporting: {visible(str(differing[0].parent))} already holds "
        f"{'workbooks' if several else 'a workbook'} of the same name that "
        f"{'differ' if several else 'differs'} from what would be written ({visible(names)}); "
        f"{'they' if several else 'it'} may hold what an organisation filled in. Import "
        f"{'them' if several else 'it'} first (policycoord workbook import), or export into "
        "another folder (-o FOLDER); --force replaces what is there. Nothing was written."
    )


def _differs(target: Path, raw: bytes) -> bool:
    """Whether something other than `raw` is at `target` (a file that
    cannot be read, or a folder or link there, differs)."""
    if not os.path.lexists(target):
        return False
    try:
        return target.is_symlink() or target.read_bytes() != raw
    except OSError:
        return True


@dataclass(frozen=True, slots=True)
class Source:
    """What a workbook is made from: an organisation's file, or, for a member
    with none, its id alone (`path` "" and no bytes)."""

    organisation: str
    name: str
    path: str
    raw: bytes
    data: object


def _chosen(model: Model, wanted: Sequence[str]) -> list[str]:
    """The ids of the organisations asked for (all by default): those with a
    policy file and the members without one."""
    known = {org.id for org in model.organisations} | set(missing_members(model))
    for org_id in wanted:
        if org_id not in known:
            raise PolicycoordError(
                f"There is no organisation `{org_id}` in this partnership, neither a policy "
                f"file nor a member. {did_you_mean(org_id, sorted(known))}".rstrip()
            )
    return sorted(set(wanted)) if wanted else sorted(known)


def missing_members(model: Model) -> tuple[str, ...]:
    """The members listed in the partnership file that have no policy file."""
    members = model.partnership.members if model.partnership is not None else None
    return tuple(m for m in members or () if model.organisation(m) is None)


def _contents(
    model: Model, report: Report, source: Source, words: ChoiceWords, return_to: str
) -> Contents:
    partnership = model.partnership
    assert partnership is not None
    return Contents(
        partnership_id=partnership.id,
        partnership_name=partnership.name,
        organisation_id=source.organisation,
        organisation_name=source.name,
        path=source.path,
        sha256=hashlib.sha256(source.raw).hexdigest() if source.path else "",
        text=source.raw.decode("utf-8-sig"),
        data=source.data,
        words=words,
        findings=(),
        due=_due(source.data),
        return_to=return_to,
        new=not source.path,
    )


def _due(data: object) -> str:
    review = data.get("organisation", {}).get("review") if isinstance(data, dict) else None
    due = review.get("next_review") if isinstance(review, dict) else None
    return f"{due} (your policy's next review)" if due else "the date in the email it came with"


def _finding_rows(
    findings: Sequence[Finding], model: Model, source: Source, words: ChoiceWords
) -> tuple[FindingRow, ...]:
    """The organisation's findings, each with the sheet and row it concerns
    (a finding placed outside its policy, such as "no policy file", on its
    id's row), in the workbook's words (`workbook_wording`)."""
    places = workbook_places(source.data, words)
    wording = Wording(
        source.path,
        cell_of_line_in(_nearest(source), places),
        {org.path: org.name for org in model.organisations if org.path != source.path},
        words,
        model.partnership.path if model.partnership is not None else "partnership.yaml",
    )
    # a finding about a whole part ("no escalation path") names its first empty row
    blank_row = {part.name: FIRST_ROW + len(part_rows(source.data, part, words)) for part in PARTS}
    found = []
    for finding in findings:
        if finding.organisation != source.organisation:
            continue
        place = (
            place_of(places, finding.location.pointer)
            if source.path and finding.location.path == source.path
            else None
        ) or places["/organisation/id"]
        message, suggestion = _FOR_THE_ORGANISATION.get(
            finding.code, (wording(finding.message), wording(finding.suggestion))
        )
        found.append(
            FindingRow(
                place.sheet,
                place.row if place.row >= FIRST_ROW else blank_row[place.sheet],
                finding.severity.value,
                message,
                suggestion,
            )
        )
    return tuple(found)


#: Findings whose words are advice for the partnership's repository (a policy
#: file's path, the partnership file), as the organisation reads them instead.
_FOR_THE_ORGANISATION: Final = {
    "PC006": (
        "The partnership has no policy from you yet: this workbook is how you send it.",
        f"Fill in at least your organisation's name and sector on the {ORGANISATION_SHEET} "
        "sheet, and as much of the other sheets as you can, then send the workbook back.",
    ),
}


def _nearest(source: Source) -> Callable[[int, int], str] | None:
    if not source.path:
        return None
    return load_bytes(source.raw, source.path).source_map.nearest_pointers()


def _write_bytes(target: Path, raw: bytes) -> None:
    """`raw` into `target` atomically: a temporary file beside it, renamed."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
