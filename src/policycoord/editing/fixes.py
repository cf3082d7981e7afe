"""Findings' fixes (core.findings.Fix) applied to policy files, through the
same editing as every other change: comments, key order and layout kept,
only the fixed lines changed, the result read back before it is kept.

`fixed(document, fixes)` works out a document's new text (for the editor
server's code actions and fix-all, and for `check --fix` before it saves);
`fix_files` applies the fixes of a report's findings to the files and saves
them; `fix_until_stable` is `check --fix`'s whole loop. A fix is applied
only when the file still holds what it was worked out from (each edit's
`old`), and only one fix per place in one pass: two fixes of one text would
overwrite each other; the second is left for the next pass
(`fix_until_stable` checks again and applies what is left, as ruff does).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from policycoord.core.findings import Finding, Fix, FixEdit, Report
from policycoord.editing.changes import (
    Change,
    ChangeError,
    Delete,
    Rename,
    SetValue,
    mapping_key,
    parse_pointer,
)
from policycoord.editing.document import Document, Refusal, open_document
from policycoord.editing.edit import Edited, edit, same
from policycoord.editing.saving import Conflict, Failed, Saved, Unchanged, save

_ABSENT = object()

#: passes of fixing and checking again before `fix_until_stable` stops
MAX_PASSES: Final = 10


@dataclass(frozen=True, slots=True)
class Fixed:
    """What fixing one document gives: its new text (None: nothing applied),
    the fixes applied and those left, each with the reason."""

    path: str
    text: str | None
    applied: tuple[Fix, ...]
    left: tuple[tuple[Fix, str], ...]


@dataclass(frozen=True, slots=True)
class FileFixed:
    """One file after `fix_files`: what was applied, and how saving went."""

    path: str
    applied: tuple[Fix, ...]
    left: tuple[tuple[Fix, str], ...]
    saved: Saved | Unchanged | Conflict | Failed | Refusal | None


def wanted(findings: Iterable[Finding], *, unsafe: bool) -> list[Fix]:
    """The fixes of these findings that may be applied: the safe ones, and
    with `unsafe` the others too; each once."""
    fixes: list[Fix] = []
    for finding in findings:
        fix = finding.fix
        if fix is not None and (fix.kind == "safe" or unsafe) and fix not in fixes:
            fixes.append(fix)
    return fixes


def fixed(document: Document, fixes: Sequence[Fix]) -> Fixed:
    """The document's text with as many of `fixes` (those for its path) as
    apply together, in order."""
    changes: list[Change] = []
    touched: list[str] = []
    applied: list[Fix] = []
    left: list[tuple[Fix, str]] = []
    result: Edited | None = None
    for fix in fixes:
        edits = [e for e in fix.edits if e.path == document.path]
        reason = _why_not(document.loaded.data, edits, touched)
        if reason is None:
            attempt = edit(document, [*changes, *(_change(e) for e in edits)])
            if isinstance(attempt, Refusal):
                reason = attempt.reason
            else:
                result = attempt
                changes.extend(_change(e) for e in edits)
                touched.extend(place for e in edits for place in _places(e))
                applied.append(fix)
        if reason is not None:
            left.append((fix, reason))
    text = result.text if result is not None and not result.unchanged else None
    return Fixed(document.path, text, tuple(applied), tuple(left))


def fix_files(
    root: str | os.PathLike[str], fixes: Sequence[Fix], *, write: bool = True
) -> list[FileFixed]:
    """Apply `fixes` to the files under `root` they name (display paths, as
    findings give them) and save each file changed (with `write`)."""
    by_path: dict[str, list[Fix]] = {}
    for fix in fixes:
        for path in dict.fromkeys(e.path for e in fix.edits):
            by_path.setdefault(path, []).append(fix)
    results: list[FileFixed] = []
    for path in sorted(by_path):
        file = Path(root) / path
        document = open_document(file, path)
        if isinstance(document, Refusal):
            left = tuple((fix, document.reason) for fix in by_path[path])
            results.append(FileFixed(path, (), left, document))
            continue
        outcome = fixed(document, by_path[path])
        saved = None
        if outcome.text is not None and write:
            saved = save(document, file, outcome.text)
        results.append(FileFixed(path, outcome.applied, outcome.left, saved))
    return results


@dataclass(frozen=True, slots=True)
class FixRun:
    """What `fix_until_stable` did: each pass's files, and the last check's report."""

    report: Report
    passes: tuple[tuple[FileFixed, ...], ...]

    @property
    def applied(self) -> int:
        """The fixes applied and saved, over every pass."""
        return sum(len(r.applied) for done in self.passes for r in done if saved_well(r))

    @property
    def changed(self) -> tuple[str, ...]:
        """The files changed, sorted."""
        paths = {r.path for done in self.passes for r in done if r.applied and saved_well(r)}
        return tuple(sorted(paths))

    @property
    def unsafe_left(self) -> int:
        """Findings of the last report whose fix needs a person's eye."""
        return sum(1 for f in self.report.findings if f.fix is not None and f.fix.kind == "unsafe")


def saved_well(result: FileFixed) -> bool:
    """Whether a file's fixes reached the file (or there was nothing to save)."""
    return not isinstance(result.saved, Conflict | Failed | Refusal)


def fix_until_stable(
    check: Callable[[], Report],
    root: str | os.PathLike[str],
    *,
    unsafe: bool,
    max_passes: int = MAX_PASSES,
    each_pass: Callable[[Sequence[FileFixed]], None] | None = None,
) -> FixRun:
    """Check, apply the findings' fixes to the files under `root` (the safe
    ones, and with `unsafe` the others), check again while a pass changed
    something (at most `max_passes`); `each_pass` hears each pass's files.
    The report is the last check's: what is left."""
    report = check()
    passes: list[tuple[FileFixed, ...]] = []
    for _ in range(max_passes):
        fixes = wanted(report.findings, unsafe=unsafe)
        if not fixes:
            break
        results = tuple(fix_files(root, fixes))
        passes.append(results)
        if each_pass is not None:
            each_pass(results)
        if not any(r.applied and saved_well(r) for r in results):
            break
        report = check()
    return FixRun(report, tuple(passes))


def _change(fix_edit: FixEdit) -> Change:
    if fix_edit.op == "delete":
        return Delete(fix_edit.pointer)
    if fix_edit.op == "rename":
        return Rename(fix_edit.pointer, str(fix_edit.value))
    return SetValue(fix_edit.pointer, fix_edit.value)


def _places(fix_edit: FixEdit) -> list[str]:
    """The pointers an edit changes: a rename's new key too."""
    if fix_edit.op != "rename":
        return [fix_edit.pointer]
    parent = fix_edit.pointer.rpartition("/")[0]
    token = str(fix_edit.value).replace("~", "~0").replace("/", "~1")
    return [fix_edit.pointer, f"{parent}/{token}"]


def _why_not(data: Any, edits: Sequence[FixEdit], touched: Sequence[str]) -> str | None:
    """Why these edits cannot be applied now, or None."""
    if not edits:
        return "It changes no place in this file."
    for fix_edit in edits:
        if any(_overlap(place, other) for place in _places(fix_edit) for other in touched):
            return "Another fix changes the same place; check again to apply it."
        found = _value_at(data, fix_edit.pointer)
        expected = _ABSENT if fix_edit.old is None else fix_edit.old
        if found is _ABSENT or expected is _ABSENT:
            if found is not expected:
                return "The file has changed since the fix was worked out."
        elif not same(found, expected):
            return "The file has changed since the fix was worked out."
    return None


def _overlap(one: str, other: str) -> bool:
    return one == other or one.startswith(other + "/") or other.startswith(one + "/")


def _value_at(data: Any, pointer: str) -> Any:
    try:
        tokens = parse_pointer(pointer)
    except ChangeError:
        return _ABSENT
    for token in tokens:
        if isinstance(data, dict):
            key = mapping_key(data, token)
            if key is None:
                return _ABSENT
            data = data[key]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return _ABSENT
    return data
