"""The list buttons of a form without script: `add:/roles`,
`remove:/roles/2`, `up:/roles/2`, `down:/roles/2`, applied to the value just
read, so that the page is shown again with the item added, removed or moved
(nothing is saved). A button that names no list of the form, or an item
that is not there, changes nothing."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Final

from policycoord.views.forms.fields import Field

VERBS: Final = ("add", "remove", "up", "down")


@dataclass(frozen=True, slots=True)
class Applied:
    data: Any
    action: str | None
    focus: str | None


def apply_action(root: Field, data: Any, action: str) -> Applied:
    """`data` (the section's value) with the list button `action` applied."""
    verb, _, pointer = action.partition(":")
    tokens = _tokens(root.name, pointer)
    if verb not in VERBS or tokens is None:
        return Applied(data, None, None)
    if verb == "add":
        found = _field_at(root, tokens)
        if found is None or found.kind != "list":
            return Applied(data, None, None)
        return _add(root, data, tokens, found, action)
    if not tokens or not _is_index(tokens[-1]):
        return Applied(data, None, None)
    found = _field_at(root, tokens[:-1])
    if found is None or found.kind != "list":
        return Applied(data, None, None)
    return _move_or_remove(root, data, tokens, verb, action)


def _tokens(section: str, pointer: str) -> list[str] | None:
    """The pointer's tokens below the section, or None when it is not below it."""
    if pointer != section and not pointer.startswith(section + "/"):
        return None
    rest = pointer[len(section) :]
    return [_unescape(token) for token in rest.split("/")[1:]]


def _is_index(token: str) -> bool:
    return token.isascii() and token.isdigit() and len(token) <= 9


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _field_at(root: Field, tokens: list[str]) -> Field | None:
    node: Field | None = root
    for token in tokens:
        if node is None:
            return None
        if node.kind == "object":
            node = next((child for child in node.children if child.key == token), None)
        elif node.kind == "list" and _is_index(token):
            node = node.template
        else:
            return None
    return node


def _container(data: Any, tokens: list[str]) -> Any:
    """The value at `tokens` in `data`, or None when it is not there."""
    node = data
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and _is_index(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _add(root: Field, data: Any, tokens: list[str], found: Field, action: str) -> Applied:
    data = copy.deepcopy(data)
    empty: Any = {} if found.template is not None and found.template.kind == "object" else ""
    if not tokens:
        data = list(data) if isinstance(data, list) else []
        data.append(empty)
        return Applied(data, action, f"{root.name}/{len(data) - 1}")
    if data is None and root.kind == "object":
        data = {}
    parent = _container(data, tokens[:-1])
    if not isinstance(parent, dict):
        return Applied(data, None, None)
    items = parent.get(tokens[-1])
    if not isinstance(items, list):
        items = parent[tokens[-1]] = []
    items.append(empty)
    return Applied(data, action, f"{action.partition(':')[2]}/{len(items) - 1}")


def _move_or_remove(root: Field, data: Any, tokens: list[str], verb: str, action: str) -> Applied:
    data = copy.deepcopy(data)
    items = _container(data, tokens[:-1])
    index = int(tokens[-1])
    if not isinstance(items, list) or index >= len(items):
        return Applied(data, None, None)
    list_pointer = action.partition(":")[2].rpartition("/")[0]
    if verb == "remove":
        del items[index]
        return Applied(data, action, list_pointer)
    other = index - 1 if verb == "up" else index + 1
    if not 0 <= other < len(items):
        return Applied(data, None, None)
    items[index], items[other] = items[other], items[index]
    return Applied(data, action, f"{list_pointer}/{other}")
