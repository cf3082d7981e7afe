"""The fewest changes that turn what a file holds into what a person asked for.

A front end that is handed a whole value back (a form's section, a
workbook's sheets) asks `changes_between(old, new)` for the changes to
apply, so that everything the person did not change is left alone and keeps
its bytes: a mapping's keys keep the file's order (a new key goes last), a
list's unchanged items stay where they are and only items added, removed or
changed are touched (matched as `difflib` matches lines), and a changed item
is changed field by field. Values are compared with their types: `1`,
`True`, `"1"` and the date `2026-01-01` and the text `"2026-01-01"` all
differ.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from policycoord.editing.changes import Change, Delete, Insert, SetValue
from policycoord.input.loading import escape_pointer_token


def changes_between(old: Any, new: Any, pointer: str = "") -> list[Change]:
    """Changes that make `old` (at `pointer` of a document) equal to `new`,
    in the order `edit()` applies them (each sees the ones before)."""
    if _canonical(old) == _canonical(new):
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return _mapping_changes(old, new, pointer)
    if _is_list(old) and _is_list(new):
        return _list_changes(old, new, pointer)
    return [SetValue(pointer, new)]


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _mapping_changes(old: Mapping[Any, Any], new: Mapping[Any, Any], pointer: str) -> list[Change]:
    changes: list[Change] = [Delete(_child(pointer, key)) for key in old if key not in new]
    for key, value in new.items():
        if key in old:
            changes.extend(changes_between(old[key], value, _child(pointer, key)))
        else:
            changes.append(SetValue(_child(pointer, key), value))
    return changes


def _list_changes(old: Sequence[Any], new: Sequence[Any], pointer: str) -> list[Change]:
    """Matched blocks kept; the rest changed from the end backwards, so that
    every index still names the item it named in `old`."""
    matcher = difflib.SequenceMatcher(
        a=[_canonical(item) for item in old], b=[_canonical(item) for item in new], autojunk=False
    )
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        # what is left over first (it lies after the paired items)...
        changes.extend(Delete(_child(pointer, i)) for i in reversed(range(i1 + paired, i2)))
        changes.extend(
            Insert(_child(pointer, i1 + paired + k), new[j1 + paired + k])
            for k in range(j2 - j1 - paired)
        )
        # ...then the items that changed in place, field by field
        for k in reversed(range(paired)):
            changes.extend(changes_between(old[i1 + k], new[j1 + k], _child(pointer, i1 + k)))
    return changes


def _child(pointer: str, token: object) -> str:
    return f"{pointer}/{escape_pointer_token(str(token))}"


def _canonical(value: Any) -> Hashable:
    """A value with its type, hashable: what two values must share to be the same."""
    if isinstance(value, Mapping):
        return ("map", frozenset((_canonical(k), _canonical(v)) for k, v in value.items()))
    if _is_list(value):
        return ("list", tuple(_canonical(item) for item in value))
    return (type(value).__name__, value if isinstance(value, Hashable) else repr(value))
