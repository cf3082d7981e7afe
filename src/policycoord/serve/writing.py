"""Writing a change a person made in the browser into a policy file, through
`policycoord.editing` only: the file is opened again, checked to hold the
bytes the page was made from (the SHA-256 the form carries), changed by
JSON pointer, saved atomically (never over a newer file), and the workspace
re-reads that file alone. The answer says what was written and what the
change fixed and introduced, or why nothing was written, with the person's
own text handed back so nothing is lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from policycoord.editing import (
    Change,
    Conflict,
    Delete,
    Document,
    Move,
    Refusal,
    Rename,
    Saved,
    SetValue,
    Unchanged,
    changes_between,
    edit,
    new_text,
    open_document,
    save,
)
from policycoord.editing.document import Snapshot, read_regular
from policycoord.serve.pages import Outcome, saved_outcome
from policycoord.serve.state import Served, Target, section_words
from policycoord.workflows.workspace import Checked, difference

CONFLICT_HEADING = "Not saved: the file changed while this page was open"


@dataclass(frozen=True, slots=True)
class Written:
    outcome: Outcome
    checked: Checked
    saved: bool
    #: the SHA-256 of the file's bytes now, when known (saved or unchanged)
    sha256: str = ""


def opened(served: Served, target: Target, *, keep: bool = False) -> Document | Refusal:
    """The target's file, opened for editing (refused when it is not one the
    workspace reads, or editing it would be unsafe). `keep`: kept for the
    save of the page made from it, which then reads the file's bytes and,
    when they are the same, does not open them again (ruamel.yaml is slow)."""
    file = served.file(target)
    if not served.workspace.reads(file):
        return Refusal("This file is not one of the partnership's policy files.")
    kept, served.kept = served.kept, None
    if kept is not None and kept.path == target.display and kept.spare:
        again = _same_bytes(kept, file)
        if again is not None:
            return again
    document = open_document(file, target.display)
    if keep and isinstance(document, Document):
        served.kept = document
    return document


def _same_bytes(kept: Document, file: Path) -> Document | None:
    """`kept`, as of now, if the file still holds its bytes."""
    try:
        raw, status = read_regular(file)
    except OSError:
        return None
    if raw != kept.raw:
        return None
    now = Snapshot(kept.snapshot.sha256, len(raw), status.st_mtime_ns, status.st_mode & 0o7777)
    return replace(kept, snapshot=now)


def section_changes(data: Any, section: str, new: Any) -> list[Change]:
    """The fewest changes that make the file's `section` hold `new` (an
    absent section stays absent while nothing is written in it)."""
    pointer = f"/{section}"
    if not isinstance(data, dict) or section not in data:
        return [] if _empty(new) else [SetValue(pointer, new)]
    if new is None:
        return [Delete(pointer)]
    return changes_between(data[section], new, pointer)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def write(
    served: Served,
    target: Target,
    sha256: str,
    changes_for: Callable[[Any], Sequence[Change]],
    *,
    what: str,
    document: Document | Refusal | None = None,
) -> Written:
    """Apply `changes_for(file's data)` to the target's file, if it still
    holds the bytes whose SHA-256 the page carried (`document`: the file
    as just opened, if the caller has it)."""
    workspace = served.workspace
    before = workspace.latest()
    document = opened(served, target) if document is None else document
    if isinstance(document, Refusal):
        return Written(_refused(document, ""), before, False)
    changes = list(changes_for(document.loaded.data))
    if document.snapshot.sha256 != sha256:
        kept = _kept_text(document.loaded.data, changes)
        return Written(_conflict(target, kept), workspace.check(), False)
    edited = edit(document, changes)
    if isinstance(edited, Refusal):
        return Written(_refused(edited, _kept_text(document.loaded.data, changes)), before, False)
    outcome = save(document, served.file(target), edited.text)
    if isinstance(outcome, Unchanged):
        words = "Nothing changed, so the file was not written."
        return Written(Outcome("unchanged", words), before, False, sha256)
    if isinstance(outcome, Conflict):
        return Written(_conflict(target, outcome.text), workspace.check(), False)
    if not isinstance(outcome, Saved):
        return Written(
            Outcome("refused", "Not saved", (outcome.reason,), kept=outcome.text), before, False
        )
    after = workspace.reread([served.file(target)])
    heading = f"Saved {what} in {target.display}"
    change = difference(before.report, after.report)
    now = hashlib.sha256(edited.new_bytes).hexdigest()
    return Written(saved_outcome(heading, after, served, change), after, True, now)


def write_section(
    served: Served, target: Target, section: str, new: Any, sha256: str, document: Document
) -> Written:
    return write(
        served,
        target,
        sha256,
        lambda data: section_changes(data, section, new),
        what=section_words(section).lower(),
        document=document,
    )


def _conflict(target: Target, kept: str) -> Outcome:
    return Outcome(
        "conflict",
        CONFLICT_HEADING,
        (
            f"{target.display} was changed by someone or something else (another editor, a "
            "git pull) after this page was opened, so nothing was written over it.",
            "Your values are kept below and in the form. Compare them with the file as it "
            "is now (open its page in a new tab), then save again to write them.",
        ),
        kept=kept,
    )


def refusal_lines(refusal: Refusal) -> tuple[str, ...]:
    """Why, in words: the reason, then each finding behind it (once)."""
    found = [
        f"{code}: {v.message}" for code, v in refusal.findings if v.message not in refusal.reason
    ]
    return (refusal.reason, *dict.fromkeys(found))


def _refused(refusal: Refusal, kept: str) -> Outcome:
    return Outcome("refused", "Not saved", refusal_lines(refusal), kept=kept)


def _in_words(change: Change) -> str:
    """One change as a line a person can copy from: `/roles/0/title: "DSL"`,
    `/roles/2: removed`, `/roles/2: moved to place 1`."""
    if isinstance(change, Delete):
        return f"{change.pointer}: removed"
    if isinstance(change, Move):
        return f"{change.pointer}: moved to place {change.to + 1}"
    if isinstance(change, Rename):
        return f"{change.pointer}: renamed {change.key}"
    return f"{change.pointer}: {json.dumps(change.value, ensure_ascii=False, default=str)}"


def _kept_text(data: Any, changes: Sequence[Change]) -> str:
    """The person's values as YAML, to copy from when they could not be written."""
    from policycoord.editing.changes import apply_to_data

    try:
        wanted = apply_to_data(data, changes)
    except Exception:  # a change that no longer fits the file: show the changes themselves
        return "\n".join(_in_words(change) for change in changes)
    touched = {change.pointer.split("/")[1] for change in changes if change.pointer.count("/")}
    if isinstance(wanted, dict):
        wanted = {key: value for key, value in wanted.items() if key in touched} or wanted
    text = new_text(wanted) if isinstance(wanted, dict) else ""
    return text if isinstance(text, str) else ""
