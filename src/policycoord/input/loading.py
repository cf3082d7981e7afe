"""Bytes -> plain data + a source map, in one pass over libyaml's event stream.

Why events: building the data ourselves from `yaml.parse` events (C parser)
costs about half of what PyYAML's own safe loader takes, and it is the only
place where every value's line and column is known. So the source map (JSON
pointer -> line, column) is built in the same pass, and the checks that must
see the raw YAML happen here too:

- PC001 the file is not UTF-8, or not well-formed YAML (line and column),
  or defines one anchor twice (as PyYAML refuses to);
- PC002 a mapping repeats a key (both lines; PyYAML would silently keep the
  last), merge keys `<<` included (PyYAML versions disagree on which wins);
- PC005 a tag other than YAML's standard ones (`!!python/object` and friends
  are never constructed), aliases expanding past a bound (a YAML bomb),
  nesting deeper than a bound, a recursive alias, a file over the size limit
  (decided from the file's size before it is read);
- PC009 invisible or bidirectional-control characters;
- PC010 the file cannot be read at all (a folder, a named pipe or a device
  is refused without waiting on it).

The data equals what `yaml.safe_load` gives for every file without one of
those findings (merge keys, sets, ordered maps, timestamps and binary
included); a recursive alias is refused rather than built. Two known
exceptions, both checked by tests/input/test_loading.py: where PyYAML's
pure-Python parser and libyaml disagree (mostly tabs and directives), this
follows libyaml (as `yaml.CSafeLoader` does); and in `<<: [*a, *b]` the
first mapping wins for every key, as the YAML merge spec says, where PyYAML
6.0.4 lets the last win for keys longer than one character (yaml/pyyaml#953).

Lines are counted as libyaml counts them (LF, CRLF, lone CR, NEL, U+2028,
U+2029) everywhere, positions worked out from the text included; columns
count characters, and a byte-order mark is not one.
"""

from __future__ import annotations

import bisect
import datetime
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import yaml
from yaml import events as ev
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from policycoord.core.findings import Location, Violation
from policycoord.core.textsafe import INVISIBLE_CHARACTERS

try:
    from yaml import cyaml

    _Parser: Any = cyaml.CParser  # type: ignore[attr-defined]
    HAVE_LIBYAML: Final = True
except (ImportError, AttributeError):  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader
    HAVE_LIBYAML = False  # type: ignore[misc]

DEFAULT_MAX_FILE_SIZE: Final = 5 * 1024 * 1024
#: Nodes that aliases may add to a file by repeating what an anchor holds.
MAX_ALIAS_EXPANSION: Final = 100_000
#: How deeply collections may nest. Policy files need six or seven levels.
MAX_DEPTH: Final = 100

YAML_TAG: Final = "tag:yaml.org,2002:"
STR_TAG: Final = YAML_TAG + "str"
MAP_TAG: Final = YAML_TAG + "map"
SEQ_TAG: Final = YAML_TAG + "seq"
MERGE_TAG: Final = YAML_TAG + "merge"
VALUE_TAG: Final = YAML_TAG + "value"
SET_TAG: Final = YAML_TAG + "set"
OMAP_TAG: Final = YAML_TAG + "omap"
PAIRS_TAG: Final = YAML_TAG + "pairs"
MAPPING_TAGS: Final = frozenset({MAP_TAG, SET_TAG})
#: `<<` and `=`: only keys (PyYAML has no constructor for them as values).
_KEY_ONLY_TAGS: Final = frozenset({MERGE_TAG, VALUE_TAG})
SEQUENCE_TAGS: Final = frozenset({SEQ_TAG, OMAP_TAG, PAIRS_TAG})

_SCALAR_CONSTRUCTORS: Final[dict[str, Callable[[SafeConstructor, ScalarNode], Any]]] = {
    tag: func
    for tag, func in SafeConstructor.yaml_constructors.items()
    if tag is not None and tag not in MAPPING_TAGS | SEQUENCE_TAGS
}
_CONSTRUCTOR: Final = SafeConstructor()
_RESOLVERS: Final = Resolver.yaml_implicit_resolvers
_WILDCARD_RESOLVERS: Final = _RESOLVERS.get(None, [])  # type: ignore[call-overload,unused-ignore]

#: What an escape in double-quoted text can hide: invisible characters, and
#: control characters (an escaped `\e[31m` is a terminal colour code) other
#: than tab and line feed. Raw control characters are refused by YAML itself.
ESCAPED_HIDDEN: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|" + INVISIBLE_CHARACTERS.pattern)
#: PC002 or PC009 findings per file before the rest are summed up in one more.
MAX_FINDINGS_PER_KIND: Final = 20


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer segment (RFC 6901)."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def key_text(key: object) -> str:
    """A mapping key as the text a JSON pointer and a message use."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


class SourceMap:
    """Where each value of a file starts, by JSON pointer (1-based line, column).

    `keys` holds where each mapping key starts, for findings about a key
    itself (a field that should not be there). A pointer that is not in the
    map (inside an alias's expansion) falls back to its nearest ancestor.

    The map of a file read on the fast path (`_plain_data`) is worked out
    from the file's bytes, kept for that, the first time a position is asked
    for: most files of a large run never are (a position is needed only for
    a finding), and the bytes take a tenth of the memory of the map.
    """

    __slots__ = ("_keys", "_source", "_values")

    def __init__(
        self,
        values: dict[str, tuple[int, int]] | None = None,
        keys: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self._values = values if values is not None else {}
        self._keys = keys if keys is not None else {}
        self._source: tuple[bytes, str] | None = None

    @classmethod
    def of_source(cls, raw: bytes, path: str) -> SourceMap:
        """The map of a well-formed file, worked out when first needed."""
        later = cls()
        later._source = (raw, path)
        return later

    def __reduce__(self) -> tuple[Any, ...]:
        if self._source is not None:  # a worker sends the bytes, not the map
            return (SourceMap.of_source, self._source)
        return (SourceMap, (self._values, self._keys))

    def _work_out(self) -> None:
        assert self._source is not None
        raw, _ = self._source
        self._values, self._keys = _plain_positions(raw)
        self._source = None

    @property
    def values(self) -> dict[str, tuple[int, int]]:
        if self._source is not None:
            self._work_out()
        return self._values

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        if self._source is not None:
            self._work_out()
        return self._keys

    def position(self, pointer: str) -> tuple[int, int]:
        while True:
            found = self.values.get(pointer)
            if found is not None:
                return found
            if not pointer:
                return (1, 1)
            pointer = pointer[: pointer.rfind("/")]

    def key_position(self, pointer: str) -> tuple[int, int]:
        found = self.keys.get(pointer)
        return found if found is not None else self.position(pointer)

    def nearest_pointer(self, line: int, column: int) -> str:
        """The pointer of the last value that starts at or before a position."""
        return self.nearest_pointers()(line, column)

    def nearest_pointers(self) -> Callable[[int, int], str]:
        """`nearest_pointer` for many positions: sorts the map once."""
        ordered = sorted((pos, pointer) for pointer, pos in self.values.items())
        starts = [pos for pos, _ in ordered]

        def nearest(line: int, column: int) -> str:
            index = bisect.bisect_right(starts, (line, column)) - 1
            return ordered[index][1] if index >= 0 else ""

        return nearest


@dataclass(frozen=True, slots=True, eq=False)
class LoadedFile:
    """One file after loading: its data (when it could be built) and problems.

    `problems` are (code, Violation) pairs for PC001/PC002/PC005/PC009/PC010;
    the rules of those codes report them through the engine.
    """

    path: str
    data: Any
    loaded: bool
    source_map: SourceMap
    problems: tuple[tuple[str, Violation], ...] = ()
    size: int = 0
    #: Where the data holds dates (JSON has none), as paths of keys and
    #: indexes, for validation; None when not known (or keys are not text).
    dates: tuple[tuple[Any, ...], ...] | None = None

    def location(self, pointer: str) -> Location:
        line, column = self.source_map.position(pointer)
        return Location(self.path, line, column, pointer)

    def key_location(self, pointer: str) -> Location:
        line, column = self.source_map.key_position(pointer)
        return Location(self.path, line, column, pointer)


class _Refused(Exception):
    """Loading stops: the file gets one finding with this code and message."""

    def __init__(
        self,
        code: str,
        message: str,
        line: int,
        column: int,
        suggestion: str = "",
        subject: str = "",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.suggestion = suggestion
        self.subject = subject


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


_DUPLICATE = Violation(message="", location=Location("", 0, 0))


class _Builder:
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
            raise _Refused(
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
            tag = _resolve_plain(value) if event.implicit[0] else STR_TAG
        if tag == STR_TAG:
            return value, tag
        if tag in (MERGE_TAG, VALUE_TAG):
            return value, tag
        construct = _SCALAR_CONSTRUCTORS.get(tag)
        if construct is None:
            raise _wrong_or_unsafe_tag(tag, mark, "a single value")
        try:
            return construct(_CONSTRUCTOR, ScalarNode(tag, value)), tag
        except (
            ConstructorError,
            ValueError,
            TypeError,
            OverflowError,
            LookupError,  # `!!bool maybe`, `!!int ""`
            AttributeError,  # `!!timestamp soon`
        ) as error:
            raise _Refused(
                "PC001",
                f"`{_clip(value)}` cannot be read as {_tag_name(tag)}: {_reason(error)}.",
                mark.line + 1,
                mark.column + 1,
                suggestion="Correct the value, or put it in quotes if it is meant as text.",
            ) from None

    def open(self, event: Any, is_map: bool) -> None:
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            raise _too_deep(mark.line + 1, mark.column + 1)
        tag = event.tag
        if tag is None or tag == "!":
            tag = MAP_TAG if is_map else SEQ_TAG
        elif tag not in (MAPPING_TAGS if is_map else SEQUENCE_TAGS):
            raise _wrong_or_unsafe_tag(tag, mark, "a mapping" if is_map else "a list")
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
                raise _Refused(
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
            raise _Refused(
                "PC005",
                f"The alias `*{name}` refers to the mapping or list that contains it, "
                "which would make it endless.",
                line,
                column,
                suggestion="Write the content out instead of using an alias.",
                subject="recursive-alias",
            )
        if name not in self.anchors:
            raise _Refused(
                "PC001",
                f"The alias `*{name}` refers to no anchor `&{name}` above it.",
                line,
                column,
                suggestion=f"Define `&{name}` before using `*{name}`, or write the value out.",
            )
        value, size = self.anchors[name]
        self.expansion += size
        if self.expansion > MAX_ALIAS_EXPANSION:
            raise _Refused(
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
        if tag in _KEY_ONLY_TAGS and (
            not self.stack or not self.stack[-1].is_map or self.stack[-1].key_ready
        ):
            raise _Refused(
                "PC001",
                f"`{_clip(str(value))}` here is read as YAML's special "
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
            raise _Refused(
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
        where = f"`{_clip(key_text(key))}`"
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
            raise _Refused(
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


def _resolve_plain(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (fast path for words)."""
    resolvers = _RESOLVERS.get(value[0] if value else "", [])
    for tag, regexp in resolvers:
        if regexp.match(value):
            return str(tag)
    for tag, regexp in _WILDCARD_RESOLVERS:
        if regexp.match(value):
            return str(tag)
    return STR_TAG


def _too_deep(line: int, column: int) -> _Refused:
    return _Refused(
        "PC005",
        f"The file nests lists and mappings more than {MAX_DEPTH} levels deep; "
        "policycoord stops reading it to stay safe.",
        line,
        column,
        suggestion="A policy file needs only a few levels: check the indentation.",
        subject="depth",
    )


def _wrong_or_unsafe_tag(tag: str, mark: Any, kind: str) -> _Refused:
    """A standard tag on the wrong kind of node is a mistake (PC001); any
    other tag is refused as unsafe (PC005)."""
    if tag in SafeConstructor.yaml_constructors or tag in (MERGE_TAG, VALUE_TAG):
        return _Refused(
            "PC001",
            f"The tag `{_short_tag(tag)}` cannot be used on {kind}.",
            mark.line + 1,
            mark.column + 1,
            suggestion="Remove the tag.",
        )
    return _unsafe_tag(tag, mark)


def _unsafe_tag(tag: str, mark: Any) -> _Refused:
    return _Refused(
        "PC005",
        f"The tag `{_clip(_short_tag(tag))}` is not one of YAML's standard tags; policycoord never "
        "builds objects from tags, so it stops reading this file.",
        mark.line + 1,
        mark.column + 1,
        suggestion="Remove the tag: policy files hold only text, numbers, dates, lists "
        "and mappings.",
        subject=tag,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag


def _tag_name(tag: str) -> str:
    names = {
        "int": "a whole number",
        "float": "a number",
        "bool": "true or false",
        "null": "an empty value",
        "timestamp": "a date",
        "binary": "binary data",
    }
    short = tag.removeprefix(YAML_TAG)
    return names.get(short, f"`!!{short}`")


def _reason(error: Exception) -> str:
    if isinstance(error, ConstructorError) and error.problem:
        return str(error.problem)
    if isinstance(error, LookupError | AttributeError):
        return "it is not written in a form YAML accepts"
    text = str(error) or type(error).__name__
    return text.rstrip(".")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- parse errors in plain English -----------------------------------------

_HINTS: Final = (
    (
        "found character '\\t'",
        "YAML does not allow tab characters for indentation; use spaces.",
    ),
    (
        "mapping values are not allowed",
        "A colon followed by a space starts a new key here. If this is text that "
        "contains ': ', put the whole text in quotes.",
    ),
    ("could not find expected ':'", "A key is missing its colon, or a line is mis-indented."),
    ("did not find expected key", "Check the indentation: items of one mapping line up."),
    (
        "did not find expected '-' indicator",
        "Check the indentation: items of one list line up under each other.",
    ),
    ("found undefined tag handle", "Remove the `!` tag, or put the text in quotes."),
    (
        "found character that cannot start any token",
        "Characters such as `@`, `` ` `` or `%` cannot start a plain value; quote it.",
    ),
    ("found unexpected end of stream", "A quote or bracket is not closed."),
    (
        "did not find expected ',' or ",
        "A bracket opened above is not closed here, or its items are missing a comma.",
    ),
    ("but found another document", "The file holds more than one YAML document; keep one."),
)


def _syntax_suggestion(problem: str) -> str:
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return "Check the indentation and quoting around this line."


#: What libyaml counts as a line break, so that positions worked out from the
#: text agree with the ones libyaml reports.
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    """The offset at which each line of the text starts."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _position_in(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, as libyaml counts them
    (a byte-order mark at the start is not a column)."""
    index = bisect.bisect_right(starts, offset) - 1
    column = offset - starts[index] + 1
    if index == 0 and offset > 0 and text.startswith("\ufeff"):
        column -= 1
    return index + 1, column


def _position_of_offset(text: str, offset: int) -> tuple[int, int]:
    return _position_in(text, _line_starts(text), offset)


def _character_at(text: str, line: int, column: int) -> str:
    starts = _line_starts(text)
    if not 0 < line <= len(starts):
        return ""
    offset = starts[line - 1] + column - 1
    if line == 1 and text.startswith("\ufeff"):
        offset += 1
    end = starts[line] if line < len(starts) else len(text)
    return text[offset] if starts[line - 1] <= offset < end else ""


def _events(parser: Any) -> Iterator[Any]:
    get_event = parser.get_event
    while True:
        event = get_event()
        if event is None:
            return
        yield event
        if type(event) is ev.StreamEndEvent:
            return


def _end_of_text(text: str) -> tuple[int, int] | None:
    """Where a text that does not end with a line break ends (1-based line
    and column just past its last character); None for one that does, or an
    empty one. libyaml puts the end of such a text on a line of its own after
    the last one, and with it an error or an empty value found there."""
    if not text or text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        return None
    return _position_of_offset(text, len(text))


def _events_inside(parser: Any, end: tuple[int, int]) -> Iterator[Any]:
    """`_events`, with a mark past the end of the text moved back to `end`."""
    last_line = end[0] - 1  # libyaml counts from 0
    for event in _events(parser):
        mark = event.start_mark
        if mark is not None and mark.line > last_line:
            event.start_mark = yaml.Mark(mark.name, mark.index, last_line, end[1] - 1, None, 0)
        yield event


@dataclass(frozen=True, slots=True, eq=False)
class _Parsed:
    """What `parse` read: the data, its source map, repeated keys, escaped invisibles."""

    data: Any
    source_map: SourceMap
    duplicates: list[Violation]
    escaped_invisibles: list[tuple[str, tuple[int, int], str]]


def parse(raw: bytes, text: str, path: str) -> _Parsed:
    """Build the data and source map of one document; raise _Refused on a
    problem that stops reading."""
    builder = _Builder(path)
    parser = _Parser(raw)
    documents = 0
    # Only a double-quoted string written with `\` escapes can hold invisible
    # characters that the text itself does not show (looked up once: per
    # scalar it would cost the whole file each time).
    escapes = "\\" in text
    end = _end_of_text(text)
    try:
        for event in _events(parser) if end is None else _events_inside(parser, end):
            kind = type(event)
            if kind is ev.ScalarEvent:
                pointer = builder.child_pointer()
                mark = event.start_mark
                value, tag = builder.scalar(event)
                pos = (mark.line + 1, mark.column + 1)
                if escapes and event.style == '"':
                    # The scalar's text, not the built value (which may be an int or bytes).
                    source = event.value
                    if ESCAPED_HIDDEN.search(source):
                        builder.escaped_invisibles.append((pointer or "", pos, source))
                if event.anchor is not None:
                    builder.anchors[event.anchor] = (value, 1)
                builder.add(value, pos, 1, tag, pointer)
            elif kind is ev.MappingStartEvent:
                builder.open(event, True)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                builder.close(event.start_mark)
            elif kind is ev.SequenceStartEvent:
                builder.open(event, False)
            elif kind is ev.AliasEvent:
                pointer = builder.child_pointer()
                if pointer is not None:
                    builder.values[pointer] = (
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                builder.alias(event)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise _Refused(
                        "PC001",
                        "The file holds more than one YAML document (a second one "
                        "starts here); a policy file is one document.",
                        mark.line + 1,
                        mark.column + 1,
                        suggestion="Remove the `---` line and what follows it, or move "
                        "it to a file of its own.",
                    )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if end is not None and line > end[0]:
            line, column = end
        problem = str(error.problem or error.context or "the YAML is not well-formed")
        if "maximum nesting depth" in problem:  # libyaml's own bound, met before ours
            raise _too_deep(line, column) from None
        if _character_at(text, line, column) == "\t":
            problem = "found character '\\t' that cannot start any token"
        raise _Refused(
            "PC001",
            f"This is not well-formed YAML: {problem}.",
            line,
            column,
            suggestion=_syntax_suggestion(problem),
        ) from None
    except yaml.reader.ReaderError as error:
        offset = len(raw[: error.position].decode("utf-8", errors="replace"))
        line, column = _position_of_offset(text, offset)
        character = error.character
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise _Refused(
            "PC001",
            f"The file contains a control character ({shown}) that YAML does not allow.",
            line,
            column,
            suggestion="Delete the character; it is often left by copying from another program.",
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - every YAMLError above is marked
        raise _Refused("PC001", f"This is not well-formed YAML: {error}.", 1, 1) from None
    if documents == 0:
        builder.values.setdefault("", (1, 1))
    return _Parsed(
        builder.root,
        SourceMap(builder.values, builder.keys),
        builder.duplicates,
        builder.escaped_invisibles,
    )


class _NotPlain(Exception):
    """The fast path met something that only `parse` reads (or refuses) right.
    (Raised afresh each time: one shared instance would keep the traceback of
    its last raise, and with it the frames of the whole run that called it.)"""


#: No key is waiting for its value (a sentinel for the fast path).
_NO_KEY: Final = object()
#: The first characters of a plain scalar that may be something other than text.
_RESOLVED_FIRSTS: Final = frozenset(key for key in _RESOLVERS if key is not None)
_SCALAR_ERRORS: Final = (
    ConstructorError,
    ValueError,
    TypeError,
    OverflowError,
    LookupError,
    AttributeError,
)


def _plain_data(raw: bytes, *, escapes: bool) -> tuple[Any, tuple[tuple[Any, ...], ...] | None]:
    """The data of an ordinary file, fast: one document of mappings, lists
    and scalars, with no anchor, alias, tag, merge key, repeated key, escaped
    invisible character or value that cannot be built. Anything else raises
    _NotPlain (or a YAMLError) and `parse` reads the file instead, so every
    finding comes from one place and the data is the same either way (a test
    compares them). No position is recorded: the source map is worked out
    later, if a finding needs it (SourceMap.of_source). Also returns the
    paths of the dates in the data (LoadedFile.dates), None when a key is
    not text."""
    get_event = _Parser(raw).get_event
    scalar_event, mapping_start, sequence_start = (
        ev.ScalarEvent,
        ev.MappingStartEvent,
        ev.SequenceStartEvent,
    )
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    str_tag, firsts, resolve, intern = STR_TAG, _RESOLVED_FIRSTS, _resolved_tag, sys.intern
    seen_tag = _TAGS_SEEN.get
    no_key = _NO_KEY
    get_event()  # the stream starts
    if type(get_event()) is not ev.DocumentStartEvent:
        raise _NotPlain  # an empty file
    stack: list[tuple[Any, Any]] = []  # the enclosing collections, and where each open one sits
    container: Any = None  # the open mapping or list; None at the top
    key: Any = no_key
    root: Any = None
    dates: list[tuple[Any, ...]] | None = []
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            value = event.value
            if event.implicit[0]:
                if value[:1] in firsts and (tag := seen_tag(value) or resolve(value)) != str_tag:
                    value = _plain_scalar(tag, value)
                    if dates is not None and isinstance(value, datetime.date):
                        dates = _noted(dates, stack, container, key, no_key)
            elif escapes and event.style == '"' and ESCAPED_HIDDEN.search(value):
                raise _NotPlain
            if type(container) is dict:
                if key is no_key:
                    if value in container:
                        raise _NotPlain  # a repeated key
                    if type(value) is str:
                        # one copy of each key (`role`, `raci`) however many
                        # files use it: less memory, and smaller to send
                        key = intern(value)
                    else:
                        dates = None  # JSON needs text keys: validation converts it all
                        key = value
                else:
                    container[key] = value
                    key = no_key
            elif container is not None:
                container.append(value)
            else:
                root = value
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                raise _NotPlain
            opened: Any = {} if kind is mapping_start else []
            if type(container) is dict:
                if key is no_key:
                    raise _NotPlain  # a mapping or list as a key
                container[key] = opened
                stack.append((container, key))
            elif container is not None:
                stack.append((container, len(container)))
                container.append(opened)
            else:
                root = opened
                stack.append((None, no_key))
            container, key = opened, no_key
        elif kind is mapping_end or kind is sequence_end:
            container, key = stack.pop()
            key = no_key  # a mapping's waiting key went to what just closed
        elif kind is ev.DocumentEndEvent:
            break
        else:  # an alias
            raise _NotPlain
    if type(get_event()) is not ev.StreamEndEvent:
        raise _NotPlain  # a second document
    return root, None if dates is None else tuple(dates)


def _noted(
    dates: list[tuple[Any, ...]] | None,
    stack: list[tuple[Any, Any]],
    container: Any,
    key: Any,
    no_key: Any,
) -> list[tuple[Any, ...]] | None:
    """`dates` with the path of a date that has just been read."""
    if dates is None:
        return None
    if container is None:  # the whole document is a date
        dates.append(())
        return dates
    slot: Any
    if type(container) is list:
        slot = len(container)
    elif key is no_key:  # a date as a key: JSON needs text keys
        return None
    else:
        slot = key
    dates.append((*(where for _, where in stack[1:]), slot))
    return dates


def _plain_positions(
    raw: bytes,
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The source map (`values`, `keys`) of a file the fast path read, as
    `parse` records it, without building the data again: such a file has
    no anchor, alias, tag, merge key or repeated key, so each value's
    pointer follows from the keys and list positions above it (a key's
    text as `parse` gives it: `1`, `true`, `null` as written by YAML)."""
    text = raw.decode("utf-8")
    parser = _Parser(raw)
    end = _end_of_text(text)
    events = _events(parser) if end is None else _events_inside(parser, end)
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    # open collections: [pointer, is a mapping, waiting key's pointer or None, items so far]
    stack: list[list[Any]] = []
    scalar_event, mapping_start, sequence_start = (
        ev.ScalarEvent,
        ev.MappingStartEvent,
        ev.SequenceStartEvent,
    )
    for event in events:
        kind = type(event)
        is_scalar = kind is scalar_event
        if not is_scalar and kind is not mapping_start and kind is not sequence_start:
            if kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                stack.pop()
            continue
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        if not stack:
            pointer = ""
        else:
            top = stack[-1]
            if top[1]:  # a mapping
                if top[2] is None:  # this is a key
                    value = event.value
                    if event.implicit[0] and value[:1] in _RESOLVED_FIRSTS:
                        tag = _resolve_plain(value)
                        if tag != STR_TAG:
                            value = key_text(_plain_scalar(tag, value))
                    key_pointer = f"{top[0]}/{escape_pointer_token(value)}"
                    keys[key_pointer] = position
                    top[2] = key_pointer
                    continue
                pointer, top[2] = top[2], None
            else:
                pointer = f"{top[0]}/{top[3]}"
                top[3] += 1
        values[pointer] = position
        if not is_scalar:
            stack.append([pointer, kind is mapping_start, None, 0])
    return values, keys


#: The tags of plain scalars already resolved: the same keys (`name`,
#: `notes`) and values (`4 hours`, `office`) come back in every file, and a
#: lookup costs less than the resolver's regular expressions.
_TAGS_SEEN: dict[str, str] = {}
_TAGS_KEPT: Final = 4096


def _resolved_tag(value: str) -> str:
    """`_resolve_plain`, remembering the tags of short scalars."""
    tag = _TAGS_SEEN.get(value)
    if tag is None:
        tag = _resolve_plain(value)
        if len(value) <= 32:
            if len(_TAGS_SEEN) >= _TAGS_KEPT:
                _TAGS_SEEN.clear()
            _TAGS_SEEN[value] = tag
    return tag


def _plain_scalar(tag: str, value: str) -> Any:
    """A plain scalar that YAML reads as a number, true/false, null or a date."""
    if tag in _KEY_ONLY_TAGS:
        raise _NotPlain  # `<<` or `=`
    try:
        return _SCALAR_CONSTRUCTORS[tag](_CONSTRUCTOR, ScalarNode(tag, value))
    except _SCALAR_ERRORS:
        raise _NotPlain from None


def invisible_characters(text: str, path: str, source_map: SourceMap) -> list[Violation]:
    """PC009: one violation per line holding invisible or bidi characters."""
    found: list[Violation] = []
    starts = _line_starts(text)
    nearest_pointer = source_map.nearest_pointers()
    search = 1 if text.startswith("\ufeff") else 0  # a byte-order mark at the start is allowed
    while (match := INVISIBLE_CHARACTERS.search(text, search)) is not None:
        offset = match.start()
        line, column = _position_in(text, starts, offset)
        line_end = starts[line] if line < len(starts) else len(text)
        search = line_end  # one finding per line
        on_line = INVISIBLE_CHARACTERS.findall(text, offset, line_end)
        names = ", ".join(sorted({_describe_invisible(c) for c in on_line}))
        pointer = nearest_pointer(line, column)
        found.append(
            Violation(
                message=(
                    f"Line {line} holds invisible characters ({names}); they can make "
                    "text read differently from what it really says."
                ),
                location=Location(path, line, column, pointer),
                subject=f"{pointer}:{names}",
                suggestion="Retype the text on this line without them (they often come "
                "from copying out of a web page or a word processor).",
            )
        )
    return found


_INVISIBLE_NAMES: Final = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u00ad": "soft hyphen",
    "\u061c": "Arabic letter mark",
    "\u034f": "combining grapheme joiner",
    "\u115f": "Hangul choseong filler",
    "\u1160": "Hangul jungseong filler",
    "\u3164": "Hangul filler",
    "\uffa0": "halfwidth Hangul filler",
    "\x1b": "escape (starts terminal control codes)",
}


def _describe_invisible(char: str) -> str:
    default = "control character" if ord(char) < 0xA0 else "invisible format character"
    name = _INVISIBLE_NAMES.get(char, default)
    return f"U+{ord(char):04X} {name}"


def _refusal(path: str, refused: _Refused) -> Violation:
    return Violation(
        message=refused.message,
        location=Location(path, refused.line, refused.column, ""),
        subject=refused.subject or refused.code,
        suggestion=refused.suggestion,
    )


#: Every byte below 128: what is left of UTF-8 without them is its other characters.
_ASCII_BYTES: Final = bytes(range(128))


def _has_invisible(raw: bytes) -> bool:
    """Whether UTF-8 bytes hold an invisible character, looked for among the
    characters that are not ASCII only: removing ASCII bytes from UTF-8
    leaves the other characters whole (each of their bytes is 128 or more),
    and a policy with curly quotes and dashes has a few dozen of them, so
    this costs a twentieth of searching the whole text."""
    return (
        INVISIBLE_CHARACTERS.search(raw.translate(None, _ASCII_BYTES).decode("utf-8")) is not None
    )


def load_bytes(raw: bytes, path: str) -> LoadedFile:
    """Load a file's bytes (already read, within the size limit)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8")
        line, column = _position_of_offset(good, len(good))
        byte = raw[error.start]
        problem = Violation(
            message=(
                f"The file is not UTF-8 text: byte 0x{byte:02X} at line {line}, column "
                f"{column} is not valid UTF-8 (was it saved as Latin-1, Windows-1252 or "
                "UTF-16?)."
            ),
            location=Location(path, line, column, ""),
            subject="encoding",
            suggestion="Save the file as UTF-8 in your editor.",
        )
        return LoadedFile(path, None, False, SourceMap(), (("PC001", problem),), len(raw))
    invisible = not text.isascii() and _has_invisible(raw)
    if not invisible:
        try:
            data, dates = _plain_data(raw, escapes="\\" in text)
        except (_NotPlain, yaml.YAMLError):  # read it fully: that finds what is wrong
            pass
        else:
            source_map = SourceMap.of_source(raw, path)
            return LoadedFile(path, data, True, source_map, (), len(raw), dates)
    problems: list[tuple[str, Violation]] = []
    try:
        parsed = parse(raw, text, path)
    except _Refused as refused:
        problems.append((refused.code, _refusal(path, refused)))
        parsed = _Parsed(None, SourceMap(), [], [])
        loaded = False
    else:
        loaded = True
    problems.extend(("PC002", dup) for dup in parsed.duplicates)
    if invisible:
        literal = invisible_characters(text, path, parsed.source_map)
        problems.extend(("PC009", v) for v in literal)
    else:
        literal = []
    seen_lines = {v.location.line for v in literal}
    for pointer, (line, column), value in parsed.escaped_invisibles:
        if line not in seen_lines:
            seen_lines.add(line)
            problems.append(("PC009", _escaped_invisible(path, pointer, line, column, value)))
    problems = _capped(_capped(problems, "PC002"), "PC009")
    return LoadedFile(path, parsed.data, loaded, parsed.source_map, tuple(problems), len(raw))


_MORE: Final = {
    "PC009": (
        "hold invisible or control characters too",
        "Paste the text into a plain-text editor and save it again, or retype it.",
    ),
    "PC002": (
        "repeat a key of their mapping too",
        "Remove the repeated keys; an editor's search for each key name finds them.",
    ),
}


def _capped(problems: list[tuple[str, Violation]], code: str) -> list[tuple[str, Violation]]:
    """Keep the first MAX_FINDINGS_PER_KIND findings of `code` in a file (by
    line) and sum the rest up in one more, so that one pasted or generated
    file cannot flood a report."""
    chosen = sorted((v for c, v in problems if c == code), key=lambda v: v.location.sort_key())
    if len(chosen) <= MAX_FINDINGS_PER_KIND:
        return problems
    rest = chosen[MAX_FINDINGS_PER_KIND:]
    what, suggestion = _MORE[code]
    summary = Violation(
        message=(
            f"{len(rest):,} more lines of this file, from line {rest[0].location.line} to "
            f"line {rest[-1].location.line}, {what}."
        ),
        location=rest[0].location,
        subject=f"more-{code}",
        suggestion=suggestion,
    )
    kept = [(code, v) for v in chosen[:MAX_FINDINGS_PER_KIND]]
    return [(c, v) for c, v in problems if c != code] + kept + [(code, summary)]


def _escaped_invisible(path: str, pointer: str, line: int, column: int, value: str) -> Violation:
    names = ", ".join(sorted({_describe_invisible(c) for c in ESCAPED_HIDDEN.findall(value)}))
    return Violation(
        message=(
            f"The text on line {line} is written with escapes that put invisible or control "
            f"characters into it ({names}); they can make it read differently from what it "
            "really says."
        ),
        location=Location(path, line, column, pointer),
        subject=f"{pointer}:{names}",
        suggestion="Remove the escapes (such as `\\e`, `\\x1b` or `\\u202e`) that write "
        "those characters.",
    )


def load_file(
    filename: str | os.PathLike[str], path: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> LoadedFile:
    """Read and load one file; every problem, I/O included, becomes a finding.

    The size limit is decided from the open file's size before anything is
    read, and reading stops one byte past the limit in case the file grows.
    Opening never waits: a named pipe (which would block until someone writes
    to it) or a device is refused, not read.
    """
    try:
        descriptor = os.open(filename, _OPEN_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return _unreadable(path, _not_a_file(status.st_mode))
            if status.st_size > max_size:
                return _too_big(path, status.st_size, max_size)
            raw = _read_up_to(descriptor, status.st_size, max_size + 1)
        finally:
            os.close(descriptor)
    except IsADirectoryError:
        return _unreadable(path, "it is a folder, not a file")
    except FileNotFoundError:
        if os.path.islink(filename):
            return _unreadable(path, "it is a symbolic link to something that does not exist")
        return _unreadable(path, "it does not exist (was it moved or deleted during the run?)")
    except PermissionError:
        return _unreadable(path, "permission was denied")
    except OSError as error:
        return _unreadable(path, error.strerror or type(error).__name__)
    if len(raw) > max_size:
        return _too_big(path, len(raw), max_size)
    return load_bytes(raw, path)


def _read_up_to(descriptor: int, size: int, limit: int) -> bytes:
    """At most `limit` bytes of an open file whose size was `size`, read with
    `os.read` (a buffered file object reading `limit` bytes sets aside the
    whole limit first, for every file: a third of the time of reading it).
    Asks for one byte more than the size, so that a file that grew since is
    read on, up to the limit."""
    chunks: list[bytes] = []
    total = 0
    wanted = min(size + 1, limit)
    while total < limit:
        chunk = os.read(descriptor, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = min(max(wanted, 65536), limit - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


#: Read-only; never block on a named pipe; never become a terminal's controlling process.
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe, not a file"
    return "it is not a regular file (a device or a socket?)"


def _unreadable(path: str, why: str) -> LoadedFile:
    problem = Violation(
        message=f"The file could not be read: {why}.",
        location=Location(path, 1, 1, ""),
        subject="unreadable",
        suggestion="Check that the file exists and that you are allowed to read it.",
    )
    return LoadedFile(path, None, False, SourceMap(), (("PC010", problem),))


def _too_big(path: str, size: int, limit: int) -> LoadedFile:
    problem = Violation(
        message=(
            f"The file is {_megabytes(size)}, over the {_megabytes(limit)} limit for a "
            "policy file; policycoord did not read it."
        ),
        location=Location(path, 1, 1, ""),
        subject="file-size",
        suggestion="A policy file is a few kilobytes: check that this is the right file, "
        "or raise the limit with --max-file-size.",
    )
    return LoadedFile(path, None, False, SourceMap(), (("PC005", problem),), size)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    return f"{size / (1024 * 1024):.1f} MB"
