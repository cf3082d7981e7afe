"""The fast path: the data of an ordinary file, without its positions.

Most files are ordinary: one document of mappings, lists and scalars, with
no anchor, alias, tag, merge key, repeated key or escaped invisible
character. `plain_data` reads such a file faster than the full reading
(full_reading.py) and records no position; the source map is worked out
later, by `plain_positions`, only if a finding needs it (most files of a
large run never do). Anything else raises `NotPlain` (or a YAMLError), and
the full reading reads the file instead, so every finding comes from one
place and the data is the same either way.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any, Final

from yaml import events as ev
from yaml.constructor import ConstructorError
from yaml.nodes import ScalarNode

from policycoord.input.loading.invisible import ESCAPED_HIDDEN
from policycoord.input.loading.pointers import escape_pointer_token, key_text
from policycoord.input.loading.positions import end_of_text
from policycoord.input.loading.refusals import MAX_DEPTH
from policycoord.input.loading.yaml_parser import (
    CONSTRUCTOR,
    KEY_ONLY_TAGS,
    RESOLVERS,
    SCALAR_CONSTRUCTORS,
    STR_TAG,
    Parser,
    events_inside,
    parser_events,
    resolve_plain,
)


class NotPlain(Exception):
    """The fast path met something that only `parse` reads (or refuses) right.
    (Raised afresh each time: one shared instance would keep the traceback of
    its last raise, and with it the frames of the whole run that called it.)"""


#: No key is waiting for its value (a sentinel for the fast path).
_NO_KEY: Final = object()
#: The first characters of a plain scalar that may be something other than text.
_RESOLVED_FIRSTS: Final = frozenset(key for key in RESOLVERS if key is not None)
_SCALAR_ERRORS: Final = (
    ConstructorError,
    ValueError,
    TypeError,
    OverflowError,
    LookupError,
    AttributeError,
)


def plain_data(raw: bytes, *, escapes: bool) -> tuple[Any, tuple[tuple[Any, ...], ...] | None]:
    """The data of an ordinary file, fast: one document of mappings, lists
    and scalars, with no anchor, alias, tag, merge key, repeated key, escaped
    invisible character or value that cannot be built. Anything else raises
    NotPlain (or a YAMLError) and `parse` reads the file instead, so every
    finding comes from one place and the data is the same either way (a test
    compares them). No position is recorded: the source map is worked out
    later, if a finding needs it (SourceMap.of_source). Also returns the
    paths of the dates in the data (LoadedFile.dates), None when a key is
    not text."""
    get_event = Parser(raw).get_event
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
        raise NotPlain  # an empty file
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
                raise NotPlain
            value = event.value
            if event.implicit[0]:
                if value[:1] in firsts and (tag := seen_tag(value) or resolve(value)) != str_tag:
                    value = _plain_scalar(tag, value)
                    if dates is not None and isinstance(value, datetime.date):
                        dates = _noted(dates, stack, container, key, no_key)
            elif escapes and event.style == '"' and ESCAPED_HIDDEN.search(value):
                raise NotPlain
            if type(container) is dict:
                if key is no_key:
                    if value in container:
                        raise NotPlain  # a repeated key
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
                raise NotPlain
            opened: Any = {} if kind is mapping_start else []
            if type(container) is dict:
                if key is no_key:
                    raise NotPlain  # a mapping or list as a key
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
            raise NotPlain
    if type(get_event()) is not ev.StreamEndEvent:
        raise NotPlain  # a second document
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


def plain_positions(
    raw: bytes,
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The source map (`values`, `keys`) of a file the fast path read, as
    `parse` records it, without building the data again: such a file has
    no anchor, alias, tag, merge key or repeated key, so each value's
    pointer follows from the keys and list positions above it (a key's
    text as `parse` gives it: `1`, `true`, `null` as written by YAML)."""
    text = raw.decode("utf-8")
    parser = Parser(raw)
    end = end_of_text(text)
    events = parser_events(parser) if end is None else events_inside(parser, end)
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
                        tag = resolve_plain(value)
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
    """`resolve_plain`, remembering the tags of short scalars."""
    tag = _TAGS_SEEN.get(value)
    if tag is None:
        tag = resolve_plain(value)
        if len(value) <= 32:
            if len(_TAGS_SEEN) >= _TAGS_KEPT:
                _TAGS_SEEN.clear()
            _TAGS_SEEN[value] = tag
    return tag


def _plain_scalar(tag: str, value: str) -> Any:
    """A plain scalar that YAML reads as a number, true/false, null or a date."""
    if tag in KEY_ONLY_TAGS:
        raise NotPlain  # `<<` or `=`
    try:
        return SCALAR_CONSTRUCTORS[tag](CONSTRUCTOR, ScalarNode(tag, value))
    except _SCALAR_ERRORS:
        raise NotPlain from None
