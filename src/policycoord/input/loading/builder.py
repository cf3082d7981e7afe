"""The full reading's builder: one document's events -> data + source map.

It records the position of every value and key as it builds, and finds
what only the events show: a repeated key (PC002, both lines; PyYAML would
silently keep the last), merge keys `<<` included; an anchor defined twice
or an alias to no anchor (PC001); a recursive alias, aliases expanding past
MAX_ALIAS_EXPANSION, nesting past MAX_DEPTH and tags other than YAML's
standard ones (PC005, refused).
"""

from __future__ import annotations

from typing import Any, Final

from yaml.constructor import ConstructorError
from yaml.nodes import ScalarNode

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.pointers import escape_pointer_token, key_text
from policycoord.input.loading.refusals import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    Refused,
    clip,
    tag_name,
    too_deep,
    wrong_or_unsafe_tag,
    yaml_error_reason,
)
from policycoord.input.loading.yaml_parser import (
    CONSTRUCTOR,
    KEY_ONLY_TAGS,
    MAP_TAG,
    MAPPING_TAGS,
    MERGE_TAG,
    SCALAR_CONSTRUCTORS,
    SEQ_TAG,
    SEQUENCE_TAGS,
    SET_TAG,
    STR_TAG,
    VALUE_TAG,
    YAML_TAG,
    resolve_plain,
)


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = (
        "anchor",
        "container",
        "is_map",
        "key",
        "key_pos",
        "key_ready",
        "merges",
        "pointer",
        "pos",
        "seen",
        "size",
        "tag",
    )

    def __init__(
        self,
        is_map: bool,
        pointer: str | None,
        anchor: str | None,
        tag: str,
        pos: tuple[int, int],
    ) -> None:
        self.is_map = is_map
        self.container: Any = {} if is_map else []
        self.pointer = pointer
        self.anchor = anchor
        self.tag = tag
        self.pos = pos
        self.key: Any = None
        self.key_pos = pos
        self.key_ready = False
        self.merges: list[Any] | None = None
        self.seen: dict[Any, tuple[int, int]] | None = {} if is_map else None
        self.size = 1


class Builder:
    """Turns one document's events into data and a source map."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[str, tuple[int, int]] = {}
        self.keys: dict[str, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.anchor_lines: dict[str, int] = {}
        self.stack: list[_Frame] = []
        self.expansion = 0
        self.duplicates: list[Violation] = []
        self.escaped_invisibles: list[tuple[str, tuple[int, int], str]] = []

    # -- positions --------------------------------------------------------
    def child_pointer(self) -> str | None:
        """The pointer of the node that starts now (None for a mapping key)."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if top.pointer is None:
            return None
        if top.is_map:
            if not top.key_ready or top.key is _MERGE_KEY:
                return None  # a key, or what a merge key `<<` brings in: no pointer of its own
            return top.pointer + "/" + escape_pointer_token(key_text(top.key))
        return top.pointer + "/" + str(len(top.container))

    def define_anchor(self, name: str, mark: Any) -> None:
        """Note a new anchor; like PyYAML, refuse one defined twice (an alias
        would silently mean the second one)."""
        first = self.anchor_lines.get(name)
        if first is not None:
            raise Refused(
                "PC001",
                f"The anchor `&{name}` is defined twice (first on line {first}); "
                f"an alias `*{name}` would not say which one it means.",
                mark.line + 1,
                mark.column + 1,
                suggestion="Give each anchor its own name.",
            )
        self.anchor_lines[name] = mark.line + 1

    # -- nodes --------------------------------------------------------------
    def scalar(self, event: Any) -> tuple[Any, str]:
        tag = event.tag
        value = event.value
        mark = event.start_mark
        if event.anchor is not None:
            self.define_anchor(event.anchor, mark)
        if tag is None or tag == "!":
            tag = resolve_plain(value) if event.implicit[0] else STR_TAG
        if tag == STR_TAG:
            return value, tag
        if tag in (MERGE_TAG, VALUE_TAG):
            return value, tag
        construct = SCALAR_CONSTRUCTORS.get(tag)
        if construct is None:
            raise wrong_or_unsafe_tag(tag, mark, "a single value")
        try:
            return construct(CONSTRUCTOR, ScalarNode(tag, value)), tag
        except (
            ConstructorError,
            ValueError,
            TypeError,
            OverflowError,
            LookupError,  # `!!bool maybe`, `!!int ""`
            AttributeError,  # `!!timestamp soon`
        ) as error:
            raise Refused(
                "PC001",
                f"`{clip(value)}` cannot be read as {tag_name(tag)}: {yaml_error_reason(error)}.",
                mark.line + 1,
                mark.column + 1,
                suggestion="Correct the value, or put it in quotes if it is meant as text.",
            ) from None

    def open(self, event: Any, is_map: bool) -> None:
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            raise too_deep(mark.line + 1, mark.column + 1)
        tag = event.tag
        if tag is None or tag == "!":
            tag = MAP_TAG if is_map else SEQ_TAG
        elif tag not in (MAPPING_TAGS if is_map else SEQUENCE_TAGS):
            raise wrong_or_unsafe_tag(tag, mark, "a mapping" if is_map else "a list")
        pos = (mark.line + 1, mark.column + 1)
        pointer = self.child_pointer()
        if pointer is not None:
            self.values[pointer] = pos
        if event.anchor is not None:
            self.define_anchor(event.anchor, mark)
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(is_map, pointer, event.anchor, tag, pos))

    def close(self, mark: Any) -> None:
        frame = self.stack.pop()
        value = frame.container
        if frame.is_map:
            if frame.merges:
                _apply_merges(value, frame.merges)
            if frame.tag == SET_TAG:
                value = set(value)
        elif frame.tag != SEQ_TAG:
            value = self.pairs(frame, mark)
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, frame.size)
        self.add(value, frame.pos, frame.size, STR_TAG if frame.is_map else SEQ_TAG, None)

    def pairs(self, frame: _Frame, mark: Any) -> list[tuple[Any, Any]]:
        """`!!omap` and `!!pairs`: a list of one-entry mappings, as tuples."""
        result: list[tuple[Any, Any]] = []
        for item in frame.container:
            if not isinstance(item, dict) or len(item) != 1:
                raise Refused(
                    "PC001",
                    f"A `!!{frame.tag.removeprefix(YAML_TAG)}` list must hold "
                    "mappings of exactly one key each.",
                    frame.pos[0],
                    frame.pos[1],
                    suggestion="Remove the tag and write a plain list or mapping.",
                )
            result.append(next(iter(item.items())))
        return result

    def alias(self, event: Any) -> None:
        mark = event.start_mark
        name = event.anchor
        line, column = mark.line + 1, mark.column + 1
        if name in self.open_anchors:
            raise Refused(
                "PC005",
                f"The alias `*{name}` refers to the mapping or list that contains it, "
                "which would make it endless.",
                line,
                column,
                suggestion="Write the content out instead of using an alias.",
                subject="recursive-alias",
            )
        if name not in self.anchors:
            raise Refused(
                "PC001",
                f"The alias `*{name}` refers to no anchor `&{name}` above it.",
                line,
                column,
                suggestion=f"Define `&{name}` before using `*{name}`, or write the value out.",
            )
        value, size = self.anchors[name]
        self.expansion += size
        if self.expansion > MAX_ALIAS_EXPANSION:
            raise Refused(
                "PC005",
                "Aliases in this file repeat more than "
                f"{MAX_ALIAS_EXPANSION:,} values (a 'YAML bomb' can make a small file "
                "enormous); policycoord stops reading it.",
                line,
                column,
                suggestion="Write values out rather than nesting aliases.",
                subject="alias-expansion",
            )
        self.add(value, (line, column), size, None, None)

    def add(
        self,
        value: Any,
        pos: tuple[int, int],
        size: int,
        tag: str | None,
        pointer: str | None,
    ) -> None:
        """A node is complete: put it into its parent (or make it the root)."""
        if tag in KEY_ONLY_TAGS and (
            not self.stack or not self.stack[-1].is_map or self.stack[-1].key_ready
        ):
            raise Refused(
                "PC001",
                f"`{clip(str(value))}` here is read as YAML's special "
                f"{'merge key `<<`' if tag == MERGE_TAG else 'value key `=`'}, which can "
                "only be a key, not a value.",
                pos[0],
                pos[1],
                suggestion=f'Put it in quotes ("{value}") if it is meant as text.',
            )
        if not self.stack:
            self.root = value
            if pointer is not None:
                self.values[pointer] = pos
            return
        top = self.stack[-1]
        top.size += size
        if not top.is_map:
            if pointer is not None:
                self.values[pointer] = pos
            top.container.append(value)
            return
        if not top.key_ready:
            self.take_key(top, value, pos, tag)
            return
        top.key_ready = False
        key = top.key
        if key is _MERGE_KEY:
            if top.merges is None:
                top.merges = []
            top.merges.append((value, pos))
            return
        if pointer is not None:
            self.values[pointer] = pos
        top.container[key] = value

    def take_key(self, top: _Frame, key: Any, pos: tuple[int, int], tag: str | None) -> None:
        if tag == MERGE_TAG:
            key = _MERGE_KEY  # checked for repeats like any key, then applied on close
        elif tag == VALUE_TAG:
            key = "="
        try:
            hash(key)
        except TypeError:
            raise Refused(
                "PC001",
                "A mapping key here is itself a list or mapping, which YAML "
                "files for policycoord cannot use.",
                pos[0],
                pos[1],
                suggestion="Use a plain word as the key.",
            ) from None
        seen = top.seen
        assert seen is not None
        first = seen.get(key)
        if first is not None:
            self.duplicates.append(self.duplicate(top, key, first, pos))
        else:
            seen[key] = pos
        if top.pointer is not None and key is not _MERGE_KEY:
            self.keys[top.pointer + "/" + escape_pointer_token(key_text(key))] = pos
        top.key = key
        top.key_ready = True

    def duplicate(
        self, top: _Frame, key: Any, first: tuple[int, int], pos: tuple[int, int]
    ) -> Violation:
        if key is _MERGE_KEY:
            return Violation(
                message=(
                    f"The merge key `<<` appears more than once in the same mapping (first on line "
                    f"{first[0]}, again on line {pos[0]}); YAML readers disagree on which of "
                    "the two wins where they share a key."
                ),
                location=Location(self.path, pos[0], pos[1], top.pointer or ""),
                subject="<<",
                suggestion="Use one merge key with a list, `<<: [*first, *second]` "
                "(where they share a key, the first listed wins).",
                related=(Location(self.path, first[0], first[1], top.pointer or ""),),
            )
        pointer = (top.pointer or "") + "/" + escape_pointer_token(key_text(key))
        where = f"`{clip(key_text(key))}`"
        return Violation(
            message=(
                f"The key {where} appears more than once in the same mapping (first on line "
                f"{first[0]}, again on line {pos[0]}); YAML readers silently keep only the "
                "last one, so the first is lost."
            ),
            location=Location(self.path, pos[0], pos[1], pointer),
            subject=key_text(key),
            suggestion=f"Remove one of the two {where} entries, or merge them into one.",
            related=(Location(self.path, first[0], first[1], pointer),),
        )

    root: Any = None


_MERGE_KEY: Final = object()


def _apply_merges(mapping: dict[Any, Any], merges: list[tuple[Any, tuple[int, int]]]) -> None:
    """YAML merge keys (`<<`), exactly as PyYAML's SafeConstructor applies them:
    merged entries first (earlier sources win), then the mapping's own."""
    merged: list[tuple[Any, Any]] = []
    for value, pos in merges:
        if isinstance(value, dict):
            merged.extend(value.items())
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            for item in reversed(value):
                merged.extend(item.items())
        else:
            raise Refused(
                "PC001",
                "A merge key `<<` must be followed by a mapping, or a list of mappings.",
                pos[0],
                pos[1],
                suggestion="Write the fields out in full instead of merging them with `<<`.",
            )
    own = list(mapping.items())
    mapping.clear()
    mapping.update(merged)
    mapping.update(own)
