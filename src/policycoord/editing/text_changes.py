"""Findings' safe fixes as text: what SARIF's `fixes` carry (the
characters replaced and what replaces them), worked out through the same
editing as `check --fix` (comments and layout kept) on the files as they
are, one fix at a time, each against the file's own text.

The change of a fix is the smallest stretch of whole words in which the
file's text and the fixed text differ (`24 Hours` -> `24 hours` replaces
`Hours`), its ends given as 1-based lines and columns counting characters,
as the findings' locations count them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from policycoord.core.findings import Finding, Fix, TextChange
from policycoord.editing.document import Document, Refusal, open_document
from policycoord.editing.fixes import fixed


def text_changes(
    root: str | os.PathLike[str], findings: Iterable[Finding]
) -> dict[str, tuple[TextChange, ...]]:
    """Each finding's safe fix as text changes (by the finding's
    fingerprint), for the findings whose fix applies to the files under
    `root` as they are; the others are left out."""
    documents: dict[str, Document | None] = {}
    changes: dict[str, tuple[TextChange, ...]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.kind != "safe" or not fix.edits:
            continue
        found = _changes_of(root, fix, documents)
        if found:
            changes[finding.fingerprint] = found
    return changes


def _changes_of(
    root: str | os.PathLike[str], fix: Fix, documents: dict[str, Document | None]
) -> tuple[TextChange, ...]:
    out: list[TextChange] = []
    for path in sorted({e.path for e in fix.edits}):
        if path not in documents:
            opened = open_document(Path(root) / path, path)
            documents[path] = None if isinstance(opened, Refusal) else opened
        document = documents[path]
        if document is None:
            return ()
        outcome = fixed(document, [fix])
        if outcome.left or outcome.text is None:
            return ()
        out.append(smallest_change(path, document.text, outcome.text))
    return tuple(out)


def smallest_change(path: str, old: str, new: str) -> TextChange:
    """The one stretch of `old` that `new` replaces: after their common
    start, before their common end, widened to whole words."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    while start > 0 and _inside_word(old, start) and _inside_word(new, start):
        start -= 1  # whole words, as a person reads the change
    while end > 0 and _inside_word(old, len(old) - end) and _inside_word(new, len(new) - end):
        end -= 1
    line, column = _position(old, start)
    end_line, end_column = _position(old, len(old) - end)
    return TextChange(path, line, column, end_line, end_column, new[start : len(new) - end])


def _inside_word(text: str, offset: int) -> bool:
    """Whether `offset` falls between two letters or digits of one word."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `offset` (a line
    ends after `\\n`; a `\\r` before it is a character of its line)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
