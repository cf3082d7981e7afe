"""Helpers shared by the editing tests (`from editing.helpers import ...`)."""

from __future__ import annotations

import difflib
import textwrap

from policycoord.editing import Document, Edited, Refusal, edit, open_bytes
from policycoord.editing.changes import Change


def opened(text: str, path: str = "orgs/test.yaml") -> Document:
    """A document from dedented text; fails the test when refused."""
    document = open_bytes(textwrap.dedent(text).encode("utf-8"), path)
    assert isinstance(document, Document), document
    return document


def edited(document: Document, *changes: Change) -> Edited:
    result = edit(document, list(changes))
    assert isinstance(result, Edited), result
    return result


def refused(document: Document, *changes: Change) -> Refusal:
    result = edit(document, list(changes))
    assert isinstance(result, Refusal), result
    return result


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+) between two texts."""
    return [
        line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"
    ]
