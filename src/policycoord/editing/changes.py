"""Changes to a policy document, as data, addressed by JSON pointer (RFC 6901)
as the source map, the model and messages address fields.

- `SetValue(pointer, value)`: a mapping's key (added at the end when new) or
  a list's item gets `value`: a scalar, a mapping or a list.
- `Delete(pointer)`: a mapping's key or a list's item goes.
- `Insert(pointer, value)`: a new list item before the item at the
  pointer's last token (an index, or `-` for the end).
- `Move(pointer, to)`: a list item moves to index `to` of the same list.
- `Rename(pointer, key)`: a mapping's key becomes `key`, in its place (its
  value, its position and its comments kept): a misspelt field put right.

`apply_to_data` applies changes to plain data (what the project's loader
gives): the data a changed file must load to, decided without the YAML
library that writes the file.
"""

from __future__ import annotations

import copy
import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from policycoord.input.loading import key_text


class ChangeError(Exception):
    """A change that cannot be applied, with the reason in words."""


@dataclass(frozen=True, slots=True)
class SetValue:
    pointer: str
    value: Any


@dataclass(frozen=True, slots=True)
class Delete:
    pointer: str


@dataclass(frozen=True, slots=True)
class Insert:
    pointer: str
    value: Any


@dataclass(frozen=True, slots=True)
class Move:
    pointer: str
    to: int


@dataclass(frozen=True, slots=True)
class Rename:
    pointer: str
    key: str


Change: TypeAlias = SetValue | Delete | Insert | Move | Rename


def change_from_dict(raw: Mapping[str, Any]) -> Change:
    """A change from its JSON form: `{"op": "set", "path": "/a/0", "value": ...}`
    (ops: set, delete, insert, move with `to`); ChangeError when malformed."""
    op, path = raw.get("op"), raw.get("path")
    if not isinstance(path, str):
        raise ChangeError("A change needs a `path`: a JSON pointer such as /roles/0/title.")
    if op == "set" and "value" in raw:
        return SetValue(path, raw["value"])
    if op == "insert" and "value" in raw:
        return Insert(path, raw["value"])
    if op == "delete":
        return Delete(path)
    if op == "move" and isinstance(raw.get("to"), int) and not isinstance(raw["to"], bool):
        return Move(path, raw["to"])
    raise ChangeError(
        f"Unknown change `{op}`: expected set or insert (with a value), "
        "delete, or move (with `to`, an index)."
    )


def parse_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of a JSON pointer; "" is the whole document."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ChangeError(f"`{pointer}` is not a JSON pointer: it must start with '/'.")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def list_index(items: Sequence[Any], token: str, pointer: str, *, end_ok: bool) -> int:
    """The list index a pointer token names; `-` (and len) only where `end_ok`."""
    size = len(items)
    if token == "-" and end_ok:
        return size
    if not token.isascii() or not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise ChangeError(f"{pointer}: `{token}` is not a list index.")
    index = int(token)
    if index > size or (index == size and not end_ok):
        raise ChangeError(f"{pointer}: the list has {size} items; there is no item {index}.")
    return index


def mapping_key(mapping: Mapping[Any, Any], token: str) -> Any:
    """The key of `mapping` that a pointer token names, or None."""
    for key in mapping:
        if key_text(key) == token:
            return key
    return None


def check_value(value: Any, pointer: str, depth: int = 0) -> None:
    """Refuse what a policy file cannot hold: only text, numbers, true/false,
    null, dates, lists and mappings with text keys."""
    if depth > 50:
        raise ChangeError(f"{pointer}: the new value is nested too deeply.")
    if value is None or isinstance(value, bool | int | str | datetime.date):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ChangeError(f"{pointer}: {value} is not a number a policy file can hold.")
        return
    if isinstance(value, list | tuple):
        for item in value:
            check_value(item, pointer, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ChangeError(f"{pointer}: a mapping's keys must be text, not `{key}`.")
            check_value(item, pointer, depth + 1)
        return
    raise ChangeError(f"{pointer}: a policy file cannot hold a {type(value).__name__}.")


def plain(value: Any) -> Any:
    """A new value as the loader would give it back (tuples as lists)."""
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def apply_to_data(data: Any, changes: Sequence[Change]) -> Any:
    """`data` (not modified) with `changes` applied in order."""
    result = copy.deepcopy(data)
    for change in changes:
        result = apply_one(result, change)
    return result


def apply_one(data: Any, change: Change) -> Any:
    tokens = parse_pointer(change.pointer)
    if isinstance(change, SetValue | Insert):
        check_value(change.value, change.pointer)
    if not tokens:
        if isinstance(change, SetValue) and isinstance(change.value, dict):
            return plain(change.value)
        raise ChangeError("The whole document can only be replaced by a mapping.")
    parent = container_at(data, tokens[:-1], change.pointer)
    last = tokens[-1]
    if isinstance(change, Rename):
        rename_key(parent, last, change)
        return data
    if isinstance(parent, dict):
        if not isinstance(change, SetValue | Delete):
            raise ChangeError(f"{change.pointer}: inserting and moving are for list items.")
        key = mapping_key(parent, last)
        if isinstance(change, SetValue):
            parent[last if key is None else key] = plain(change.value)
        elif key is None:
            raise ChangeError(f"{change.pointer}: there is no `{last}` to delete.")
        else:
            del parent[key]
        return data
    _apply_to_list(parent, last, change)
    return data


def renamed_key(mapping: Any, token: str, change: Rename) -> Any:
    """The key of `mapping` that `change` renames; ChangeError when there is
    none, when the new name is taken or not text, or when it is no mapping."""
    if not isinstance(mapping, dict):
        raise ChangeError(f"{change.pointer}: only a mapping's keys can be renamed.")
    if not isinstance(change.key, str) or not change.key:
        raise ChangeError(f"{change.pointer}: a field's new name must be text.")
    key = mapping_key(mapping, token)
    if key is None:
        raise ChangeError(f"{change.pointer}: there is no `{token}` to rename.")
    if mapping_key(mapping, change.key) is not None:
        raise ChangeError(f"{change.pointer}: there is a `{change.key}` already.")
    return key


def rename_key(mapping: Any, token: str, change: Rename) -> None:
    """The key renamed in place: every key keeps its position."""
    key = renamed_key(mapping, token, change)
    items = list(mapping.items())
    mapping.clear()
    for old, value in items:
        mapping[change.key if old is key else old] = value


def _apply_to_list(items: list[Any], last: str, change: Change) -> None:
    index = list_index(items, last, change.pointer, end_ok=isinstance(change, Insert))
    if isinstance(change, SetValue):
        items[index] = plain(change.value)
    elif isinstance(change, Insert):
        items.insert(index, plain(change.value))
    elif isinstance(change, Delete):
        del items[index]
    elif isinstance(change, Move):
        target = move_target(items, change)
        items.insert(target, items.pop(index))


def move_target(items: Sequence[Any], change: Move) -> int:
    if not 0 <= change.to < len(items):
        raise ChangeError(
            f"{change.pointer}: cannot move to {change.to}: the list has {len(items)} items."
        )
    return change.to


def container_at(data: Any, tokens: Sequence[str], pointer: str) -> Any:
    """The mapping or list the tokens lead to, or ChangeError saying where it stops."""
    node = data
    for depth, token in enumerate(tokens):
        where = "/" + "/".join(tokens[: depth + 1])
        if isinstance(node, dict):
            key = mapping_key(node, token)
            if key is None:
                raise ChangeError(f"{pointer}: there is no {where}.")
            node = node[key]
        elif isinstance(node, list):
            node = node[list_index(node, token, pointer, end_ok=False)]
        else:
            raise ChangeError(
                f"{pointer}: {where} is inside a value that is not a list or mapping."
            )
    if not isinstance(node, dict | list):
        raise ChangeError(f"{pointer}: its parent is not a list or a mapping.")
    return node
