"""New values as the YAML library writes them: text a person typed is
hostile input, so a string is written plain only where every YAML 1.1 reader
(the project's loader, libyaml) reads it back as the same string, and quoted
otherwise (`yes`, `null`, `2026-01-01`, `007`, `12:30`, `: `, `#`, a leading
`-`...). Text holding control, invisible or bidirectional-control characters
is written double-quoted with those characters as escapes (`"\\u202e"`), so
that the file itself never holds them. Several lines of text are a literal
block (`|`) when that reads back exactly, and double-quoted otherwise; text
replacing a block (`|` or `>`) stays a block where it reads back exactly.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from policycoord.input.loading.invisible import ESCAPED_HIDDEN


class EscapingEmitter(Emitter):
    """ruamel's emitter, writing hidden characters in double-quoted text as
    escapes (it writes them as they are when unicode is allowed)."""

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        if not needs_escapes(text):
            super().write_double_quoted(text, split)
            return
        allowed = self.allow_unicode
        self.allow_unicode = False
        try:
            super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = allowed


def to_node(value: Any, old: Any = None, *, flow: bool = False) -> Any:
    """`value` as a node of ruamel's round-trip tree; a string keeps the
    quoting of the string it replaces (`old`) where that reads back exactly.
    `flow`: the node goes inside a flow collection (`{a: b}`, `[a, b]`),
    where `,`, `[`, `]`, `{`, `}` and a leading `:` end a plain scalar."""
    if isinstance(value, str):
        return styled(value, old, flow=flow)
    if isinstance(value, list | tuple):
        inner = flow or (isinstance(old, CommentedSeq) and old.fa.flow_style())
        seq = CommentedSeq(to_node(item, flow=inner) for item in value)
        if inner:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        inner = flow or (isinstance(old, CommentedMap) and old.fa.flow_style())
        mapping = CommentedMap(
            (styled(k, flow=inner), to_node(v, flow=inner)) for k, v in value.items()
        )
        if inner:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, datetime.datetime | datetime.date | bool | int | float) or value is None:
        return value
    raise TypeError(type(value).__name__)  # check_value refused it before


def styled(text: str, old: Any = None, *, flow: bool = False) -> Any:
    """A string with the quoting it needs (see the module's docstring), in a
    flow collection when `flow`."""
    if needs_escapes(text):
        return DoubleQuotedScalarString(text)
    one_paragraph = "\n" not in text.rstrip("\n")
    if isinstance(old, FoldedScalarString) and one_paragraph and _literal_reads_back(text):
        return _folded(text, old)
    if "\n" in text or isinstance(old, LiteralScalarString | FoldedScalarString):
        if _literal_reads_back(text):
            return LiteralScalarString(text)
        return DoubleQuotedScalarString(text)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(text)
    if isinstance(old, SingleQuotedScalarString) or not plain_is_safe(text, flow=flow):
        return SingleQuotedScalarString(text)
    return text


def _folded(text: str, old: FoldedScalarString) -> FoldedScalarString:
    """`text` as a folded block (`>`) whose lines are as wide as those of the
    block it replaces (`old`, as the file wrapped it), so that a fix of a few
    words in a wrapped summary changes the lines around them, not the
    layout of the whole block."""
    old_folds = sorted(getattr(old, "fold_pos", None) or ())
    starts = [0, *(position + 1 for position in old_folds)]
    ends = [*old_folds, len(str(old).rstrip("\n"))]
    width = max((end - start for start, end in zip(starts, ends, strict=True)), default=0)
    folded: FoldedScalarString = FoldedScalarString(text)
    if old_folds and width > 0:  # where ruamel's representer folds the lines
        setattr(folded, "fold_pos", _fold_positions(text.rstrip("\n"), width))  # noqa: B010
    return folded


def _fold_positions(body: str, width: int) -> list[int]:
    """Where to fold `body` (at single spaces between words, as YAML folds)
    so that no line is wider than `width` unless a word is."""
    positions: list[int] = []
    line_start, candidate = 0, -1
    for index, char in enumerate(body):
        foldable = (char == " " and 0 < index < len(body) - 1 and body[index - 1] != " ") and body[
            index + 1
        ] != " "
        if not foldable:
            continue
        if index - line_start > width and candidate > line_start:
            positions.append(candidate)
            line_start = candidate + 1
        candidate = index
    if len(body) - line_start > width and candidate > line_start:
        positions.append(candidate)
    return positions


#: Unicode categories written as escapes: controls, format characters (bidi
#: controls, zero-width), line and paragraph separators, private use, unassigned
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


def needs_escapes(text: str) -> bool:
    """Whether `text` holds a character that is written as an escape (a line
    break aside): anything PC009 finds, and every other control or format
    character."""
    if ESCAPED_HIDDEN.search(text):
        return True
    return any(unicodedata.category(ch) in _ESCAPED_CATEGORIES for ch in text if ch != "\n")


def plain_is_safe(text: str, *, flow: bool = False) -> bool:
    """Whether `text` written plain reads back as the same string in YAML 1.1,
    as PyYAML's own emitter decides (it resolves with the loader's rules);
    with `flow`, inside a flow collection."""
    if text == "" or text != text.strip():
        return False
    if flow:
        dumped = yaml.safe_dump([text], allow_unicode=True, width=1 << 30, default_flow_style=True)
        return not dumped[1:].startswith(("'", '"', "|", ">", "!"))
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1 << 30, default_flow_style=False)
    return not dumped.startswith(("'", '"', "|", ">", "!"))


def _literal_reads_back(text: str) -> bool:
    """A literal block keeps text whose lines start with no space (the first)
    and end with none, and which ends with at most one line break."""
    lines = text.split("\n")
    if text.startswith((" ", "\n")) or text.endswith("\n\n") or "\n\n\n" in text:
        return False
    return all(line == line.rstrip(" ") for line in lines)
