"""`policycoord workbook export`: one workbook per organisation, pre-filled
with what the repository holds and the organisation's current findings.

The repository is checked once; each organisation's file is opened as the
editing stage opens it (a file that could not be imported back, such as one
that is not well-formed YAML, is not exported: its findings say why), and its
workbook written atomically as `<organisation id>.xlsx`."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report
from policycoord.core.text import did_you_mean
from policycoord.editing import Document, Refusal, open_document
from policycoord.editing.workbook_findings import place_of
from policycoord.input.discovery import locate_partnership
from policycoord.input.workbooks.layout import DETAILS, FIRST_ROW, PARTS
from policycoord.input.workbooks.sections import detail_texts, part_rows, policy_data
from policycoord.model.model import Model
from policycoord.model.policies import Organisation
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
) -> list[Exported | NotExported]:
    """Write the workbooks of `organisations` (all by default) into `folder`."""
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
    for organisation in chosen:
        document = open_document(root / organisation.path, organisation.path)
        if isinstance(document, Refusal):
            results.append(NotExported(organisation.id, document.reason))
            continue
        receivers = receiving | named_roles(model, organisation.id)
        words = words_for(choices, organisation.id, receivers)
        contents = _contents(model, report, organisation, document, words, return_to)
        target = folder / f"{organisation.id}.xlsx"
        _write_bytes(target, workbook_bytes(build(contents)))
        results.append(Exported(organisation.id, target))
    return results


def _chosen(model: Model, wanted: Sequence[str]) -> list[Organisation]:
    known = {org.id: org for org in model.organisations}
    for org_id in wanted:
        if org_id not in known:
            raise PolicycoordError(
                f"There is no organisation `{org_id}` in this partnership. "
                f"{did_you_mean(org_id, sorted(known))}"
            )
    ids = sorted(set(wanted)) if wanted else sorted(known)
    return [known[org_id] for org_id in ids]


def _contents(
    model: Model,
    report: Report,
    organisation: Organisation,
    document: Document,
    words: ChoiceWords,
    return_to: str,
) -> Contents:
    data = document.loaded.data
    partnership = model.partnership
    assert partnership is not None
    return Contents(
        partnership_id=partnership.id,
        partnership_name=partnership.name,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        path=organisation.path,
        sha256=hashlib.sha256(document.raw).hexdigest(),
        text=document.raw.decode("utf-8-sig"),
        data=data,
        words=words,
        findings=_finding_rows(report.findings, organisation, data, words),
        due=_due(data),
        return_to=return_to,
    )


def _due(data: object) -> str:
    review = data.get("organisation", {}).get("review") if isinstance(data, dict) else None
    due = review.get("next_review") if isinstance(review, dict) else None
    return f"{due} (your policy's next review)" if due else "the date in the email it came with"


def _finding_rows(
    findings: Sequence[Finding], organisation: Organisation, data: object, words: ChoiceWords
) -> tuple[FindingRow, ...]:
    """The organisation's findings, each with the sheet and row it concerns."""
    details = detail_texts(data, words)
    parts = {
        part.name: [(FIRST_ROW + i, texts) for i, texts in enumerate(part_rows(data, part, words))]
        for part in PARTS
    }
    rows = tuple(FIRST_ROW + index for index in range(len(DETAILS)))
    old = data if isinstance(data, dict) else {}
    _, places = policy_data(details, rows, parts, old, words)
    found = []
    for finding in findings:
        if finding.organisation != organisation.id:
            continue
        place = (
            place_of(places, finding.location.pointer)
            if finding.location.path == organisation.path
            else None
        )
        sheet = place.sheet if place is not None else finding.location.path
        row = place.row if place is not None else 0
        found.append(
            FindingRow(sheet, row, finding.severity.value, finding.message, finding.suggestion)
        )
    return tuple(found)


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
