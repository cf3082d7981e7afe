"""The YAML parser, and what both readings of a file share.

libyaml's C parser (through PyYAML) gives the events both readings walk;
this module also holds YAML's standard tags, how a plain scalar's tag is
resolved (as PyYAML's resolver does) and the constructors that build a
scalar's value (PyYAML's SafeConstructor: nothing is ever built from any
other tag).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

import yaml
from yaml import events as ev
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:
    from yaml import cyaml

    Parser: Any = cyaml.CParser  # type: ignore[attr-defined]
    HAVE_LIBYAML: Final = True
except (ImportError, AttributeError):  # pragma: no cover - PyYAML built without libyaml
    Parser = yaml.SafeLoader
    HAVE_LIBYAML = False  # type: ignore[misc]

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
KEY_ONLY_TAGS: Final = frozenset({MERGE_TAG, VALUE_TAG})
SEQUENCE_TAGS: Final = frozenset({SEQ_TAG, OMAP_TAG, PAIRS_TAG})

SCALAR_CONSTRUCTORS: Final[dict[str, Callable[[SafeConstructor, ScalarNode], Any]]] = {
    tag: func
    for tag, func in SafeConstructor.yaml_constructors.items()
    if tag is not None and tag not in MAPPING_TAGS | SEQUENCE_TAGS
}
CONSTRUCTOR: Final = SafeConstructor()
RESOLVERS: Final = Resolver.yaml_implicit_resolvers
_WILDCARD_RESOLVERS: Final = RESOLVERS.get(None, [])  # type: ignore[call-overload,unused-ignore]


def resolve_plain(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (fast path for words)."""
    resolvers = RESOLVERS.get(value[0] if value else "", [])
    for tag, regexp in resolvers:
        if regexp.match(value):
            return str(tag)
    for tag, regexp in _WILDCARD_RESOLVERS:
        if regexp.match(value):
            return str(tag)
    return STR_TAG


def parser_events(parser: Any) -> Iterator[Any]:
    """The parser's events, up to the end of the stream."""
    get_event = parser.get_event
    while True:
        event = get_event()
        if event is None:
            return
        yield event
        if type(event) is ev.StreamEndEvent:
            return


def events_inside(parser: Any, end: tuple[int, int]) -> Iterator[Any]:
    """`parser_events`, with a mark past the end of the text moved back to `end`."""
    last_line = end[0] - 1  # libyaml counts from 0
    for event in parser_events(parser):
        mark = event.start_mark
        if mark is not None and mark.line > last_line:
            event.start_mark = yaml.Mark(mark.name, mark.index, last_line, end[1] - 1, None, 0)
        yield event
