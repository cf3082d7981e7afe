"""Changes applied to an opened document: the new text, which keeps every
byte of what did not change (splice.py), checked by reading it back with the
project's own loader.

`edit` never returns text that the project's loader reads differently from
what the changes mean: the new text must load, without a problem that
stops reading (PC001, PC002, PC005), to exactly the file's data with the
changes applied (types included: `"yes"` stays text, `1` stays a number).
Otherwise the edit is refused and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policycoord.editing.changes import Change, ChangeError, apply_to_data, check_value, plain
from policycoord.editing.document import (
    REFUSING_CODES,
    Document,
    Layout,
    Refusal,
    make_yaml,
    render,
)
from policycoord.editing.splice import Relayout, splice
from policycoord.editing.tree import apply_to_tree
from policycoord.editing.values import to_node
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE, load_bytes


@dataclass(frozen=True, slots=True)
class Edited:
    """The new text of a document, and what changed in it. `text` is what
    `save` takes (without the file's byte-order mark, which `save` and
    `new_bytes` put back); `new_bytes` are the bytes the file would hold."""

    document: Document
    text: str
    #: original lines replaced: (first, last), 1-based and inclusive; last is
    #: first - 1 where lines were only inserted before line `first`
    replaced: tuple[tuple[int, int], ...]
    #: lines whose layout changes beyond the change itself (empty for most files)
    relayouts: tuple[Relayout, ...]
    #: what the new text loads to
    data: Any

    @property
    def unchanged(self) -> bool:
        return self.new_bytes == self.document.raw

    @property
    def new_bytes(self) -> bytes:
        return (("\ufeff" if self.document.bom else "") + self.text).encode("utf-8")


def edit(document: Document, changes: Sequence[Change]) -> Edited | Refusal:
    """`document` with `changes` applied in order (see the module)."""
    if not changes:
        return Edited(document, document.text, (), (), document.loaded.data)
    yaml = document.yaml()
    try:
        tree = document.take_tree()
        intended = apply_to_data(document.loaded.data, changes)
        apply_to_tree(tree, document.loaded.data, changes)
    except ChangeError as error:
        return Refusal(str(error))
    try:
        after = render(yaml, tree)
    except Exception as error:  # ruamel.yaml's errors share no base class
        return Refusal(f"The new value could not be written as YAML ({type(error).__name__}).")
    spliced = splice(document.working, document.rendered, after)
    text = spliced.text.replace("\n", "\r\n") if document.layout.crlf else spliced.text
    result = Edited(document, text, spliced.replaced, spliced.relayouts, intended)
    problem = _reads_back(result, intended)
    return result if problem is None else problem


def _reads_back(result: Edited, intended: Any) -> Refusal | None:
    raw = result.new_bytes
    if len(raw) > DEFAULT_MAX_FILE_SIZE:
        return Refusal(f"The file would be over the {DEFAULT_MAX_FILE_SIZE:,}-byte limit.")
    loaded = load_bytes(raw, result.document.path)
    stopping = tuple((c, v) for c, v in loaded.problems if c in REFUSING_CODES)
    if stopping or not loaded.loaded:
        return Refusal(
            "With this change the file could not be read back; nothing was changed.", stopping
        )
    if not same(loaded.data, intended):
        return Refusal(
            "With this change the file would read back differently from what was asked; "
            "nothing was changed."
        )
    return None


def same(left: Any, right: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1, a date
    is not text)."""
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(
            same(k1, k2) and same(left[k1], right[k2]) for k1, k2 in zip(left, right, strict=True)
        )
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def new_text(data: dict[str, Any], layout: Layout | None = None) -> str | Refusal:
    """The text of a new file holding `data` (a new organisation), in the
    layout of the shipped examples unless another is given; checked as
    `edit` checks a change."""
    try:
        check_value(data, "")
    except ChangeError as error:
        return Refusal(str(error))
    yaml = make_yaml(layout or Layout())
    text = render(yaml, to_node(data))
    loaded = load_bytes(text.encode("utf-8"), "new.yaml")
    refused = any(code in REFUSING_CODES for code, _ in loaded.problems)
    if refused or not loaded.loaded or not same(loaded.data, plain(data)):
        return Refusal("The new file could not be written exactly as given.")
    return text
