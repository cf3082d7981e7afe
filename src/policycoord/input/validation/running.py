"""Running the schema over one loaded file: `validate` -> PC003 findings.

Valid documents, the common case, cost one fast `is_valid`; an invalid one
has its errors (windows.py) explained in plain English (explanations.py),
each once, by line, at most MAX_SCHEMA_FINDINGS of them and one more that
counts the rest.
"""

from __future__ import annotations

from policycoord.core.findings import Violation
from policycoord.input.loading import LoadedFile
from policycoord.input.validation.explanations import author_id, explain, not_a_mapping
from policycoord.input.validation.json_data import json_ready
from policycoord.input.validation.schemas import validator_for
from policycoord.input.validation.windows import first_errors


def validate(loaded: LoadedFile, kind: str) -> list[Violation]:
    """PC003 violations for one loaded file against the `kind` schema."""
    if not loaded.loaded:
        return []
    if loaded.data is None or not isinstance(loaded.data, dict):
        return [not_a_mapping(loaded, kind)]
    document = json_ready(loaded)
    if isinstance(document.get("policycoord"), float):
        # JSON Schema takes 1.0 for 1 (`const: 1`), but the format version
        # is the whole number 1 (SPEC: `policycoord: 1`): compare it as written.
        document = {**document, "policycoord": str(document["policycoord"])}
    validator = validator_for(kind)
    if validator.is_valid(document):
        return []
    author = author_id(loaded.data, loaded.path)
    errors, unread, stopped = first_errors(validator, document, kind)
    # A value in the wrong form (`2027-01-01T10:00:00` for a date) also fails
    # `format: date`; the form is what to fix, so say only that.
    misshapen = {
        tuple(error.instance_path) for error in errors if type(error.kind).__name__ == "Pattern"
    }
    found: list[Violation] = []
    for error in errors:
        if type(error.kind).__name__ == "Format" and tuple(error.instance_path) in misshapen:
            continue
        found.extend(explain(error, loaded, kind, author))
    # (windows overlap in the mappings around them: each problem once)
    found = list({(v.subject, v.location, v.message): v for v in found}.values())
    found.sort(key=lambda v: (v.location.line, v.location.column, v.message))
    return _capped(found, unread, stopped)


#: at most this many PC003 findings a file; one more says how many were left out
MAX_SCHEMA_FINDINGS = 50


def _capped(found: list[Violation], unread: int, stopped: bool = False) -> list[Violation]:
    """The first MAX_SCHEMA_FINDINGS findings (by line), and one more that
    counts the rest, so that a generated file cannot flood a report or the
    memory (`roles: [1, 1, ...]` is one error an item). `stopped`: the file
    was not read to its end, so the count is only of what was read."""
    rest = max(0, len(found) - MAX_SCHEMA_FINDINGS) + unread
    if not rest:
        return found
    kept = found[:MAX_SCHEMA_FINDINGS]
    where = (
        found[MAX_SCHEMA_FINDINGS].location
        if len(found) > MAX_SCHEMA_FINDINGS
        else kept[-1].location
    )
    message = (
        f"{rest:,} more problems with this file's structure are not listed, the next at "
        f"line {where.line}."
    )
    if stopped:
        message = (
            f"At least {rest:,} more problems with this file's structure are not listed, the "
            f"next at line {where.line}; policycoord stopped counting them part of the way "
            "through the file."
        )
    summary = Violation(
        message=message,
        location=where,
        subject="more-PC003",
        suggestion="Fix the problems listed, then run policycoord again to see the rest.",
    )
    return [*kept, summary]
