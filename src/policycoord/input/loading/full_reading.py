"""The full reading: every event of a file through the builder, with positions.

Why events: building the data ourselves from `yaml.parse` events (C parser)
costs about half of what PyYAML's own safe loader takes, and it is the only
place where every value's line and column is known. So the source map
(JSON pointer -> line, column) is built in the same pass, and the checks
that must see the raw YAML happen here too (builder.py). A file that is not
well-formed YAML, holds a control character YAML does not allow, or holds
more than one document is refused here (PC001), with the reason in plain
English and the line and column where libyaml stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import yaml
from yaml import events as ev

from policycoord.core.findings import Violation
from policycoord.input.loading.builder import Builder
from policycoord.input.loading.invisible import ESCAPED_HIDDEN
from policycoord.input.loading.positions import character_at, end_of_text, position_of_offset
from policycoord.input.loading.refusals import Refused, too_deep
from policycoord.input.loading.source_map import SourceMap
from policycoord.input.loading.yaml_parser import Parser, events_inside, parser_events


@dataclass(frozen=True, slots=True, eq=False)
class Parsed:
    """What `parse` read: the data, its source map, repeated keys, escaped invisibles."""

    data: Any
    source_map: SourceMap
    duplicates: list[Violation]
    escaped_invisibles: list[tuple[str, tuple[int, int], str]]


def parse(raw: bytes, text: str, path: str) -> Parsed:
    """Build the data and source map of one document; raise Refused on a
    problem that stops reading."""
    builder = Builder(path)
    parser = Parser(raw)
    # Only a double-quoted string written with `\` escapes can hold invisible
    # characters that the text itself does not show (looked up once: per
    # scalar it would cost the whole file each time).
    escapes = "\\" in text
    end = end_of_text(text)
    events = parser_events(parser) if end is None else events_inside(parser, end)
    try:
        documents = _build(builder, events, escapes=escapes)
    except yaml.MarkedYAMLError as error:
        raise _not_well_formed(error, text, end) from None
    except yaml.reader.ReaderError as error:
        raise _control_character(error, raw, text) from None
    except yaml.YAMLError as error:  # pragma: no cover - every YAMLError above is marked
        raise Refused("PC001", f"This is not well-formed YAML: {error}.", 1, 1) from None
    if documents == 0:
        builder.values.setdefault("", (1, 1))
    return Parsed(
        builder.root,
        SourceMap(builder.values, builder.keys),
        builder.duplicates,
        builder.escaped_invisibles,
    )


def _build(builder: Builder, events: Iterator[Any], *, escapes: bool) -> int:
    """Give every event to the builder; return how many documents began (a
    second one is refused). `escapes`: the text holds a backslash, so a
    double-quoted scalar may hide an invisible character behind an escape."""
    documents = 0
    for event in events:
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
                raise Refused(
                    "PC001",
                    "The file holds more than one YAML document (a second one "
                    "starts here); a policy file is one document.",
                    mark.line + 1,
                    mark.column + 1,
                    suggestion="Remove the `---` line and what follows it, or move "
                    "it to a file of its own.",
                )
    return documents


def _not_well_formed(
    error: yaml.MarkedYAMLError, text: str, end: tuple[int, int] | None
) -> Refused:
    """libyaml's syntax error, in plain English where it stopped (moved back
    to the end of a text that does not end with a line break)."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if end is not None and line > end[0]:
        line, column = end
    problem = str(error.problem or error.context or "the YAML is not well-formed")
    if "maximum nesting depth" in problem:  # libyaml's own bound, met before ours
        return too_deep(line, column)
    if character_at(text, line, column) == "\t":
        problem = "found character '\\t' that cannot start any token"
    return Refused(
        "PC001",
        f"This is not well-formed YAML: {problem}.",
        line,
        column,
        suggestion=_syntax_suggestion(problem),
    )


def _control_character(error: yaml.reader.ReaderError, raw: bytes, text: str) -> Refused:
    """A character YAML does not allow anywhere (a control character)."""
    offset = len(raw[: error.position].decode("utf-8", errors="replace"))
    line, column = position_of_offset(text, offset)
    character = error.character
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return Refused(
        "PC001",
        f"The file contains a control character ({shown}) that YAML does not allow.",
        line,
        column,
        suggestion="Delete the character; it is often left by copying from another program.",
    )


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
