"""Changes applied to ruamel.yaml's round-trip tree of a document, found by
walking the tree beside the project's own data (a pointer token names a
key as the loader reads it; the tree's key at the same place is changed).

A change that would reach into a node shared through an anchor (`&name`,
used again as `*name`) or a merge key (`<<`) is refused: changing it would
change every place that uses it, which a form cannot show.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from policycoord.editing.changes import (
    Change,
    ChangeError,
    Delete,
    Insert,
    Move,
    Rename,
    SetValue,
    apply_one,
    check_value,
    list_index,
    mapping_key,
    move_target,
    parse_pointer,
    renamed_key,
)
from policycoord.editing.comments import give_following, take_following
from policycoord.editing.values import styled, to_node


def apply_to_tree(tree: Any, data: Any, changes: Sequence[Change]) -> Any:
    """Apply `changes` to `tree` in place; returns the data they give
    (`data`, the loader's, is not modified)."""
    data = copy.deepcopy(data)
    for change in changes:
        tokens = parse_pointer(change.pointer)
        if isinstance(change, SetValue | Insert):
            check_value(change.value, change.pointer)
        if not tokens:
            raise ChangeError("Change the document one field at a time, not as a whole.")
        parent = _tree_container(tree, data, tokens[:-1], change.pointer)
        _shared_check(parent, change.pointer)
        if isinstance(change, Rename):
            _rename(parent, data, tokens, change)
        elif isinstance(parent, CommentedMap):
            _change_mapping(parent, data, tokens, change)
        else:
            _change_list(parent, tokens[-1], change)
        data = apply_one(data, change)
    return data


def _tree_container(tree: Any, data: Any, tokens: Sequence[str], pointer: str) -> Any:
    node, plain = tree, data
    _shared_check(node, pointer)
    for token in tokens:
        if isinstance(plain, dict) and isinstance(node, CommentedMap):
            node, plain = (
                node[_tree_key(node, plain, token, pointer)],
                plain[mapping_key(plain, token)],
            )
        elif isinstance(plain, list) and isinstance(node, CommentedSeq):
            index = list_index(plain, token, pointer, end_ok=False)
            node, plain = node[index], plain[index]
        else:
            raise ChangeError(f"{pointer}: there is no such place in the file.")
        _shared_check(node, pointer)
    if not isinstance(node, CommentedMap | CommentedSeq):
        raise ChangeError(f"{pointer}: its parent is not a list or a mapping.")
    return node


def _tree_key(node: CommentedMap, plain: dict[Any, Any], token: str, pointer: str) -> Any:
    """The tree's key at the place of the data's key that `token` names."""
    key = mapping_key(plain, token)
    if key is None:
        raise ChangeError(f"{pointer}: there is no `{token}` in the file.")
    keys = list(node.keys())
    if len(keys) != len(plain) or getattr(node, "merge", None):
        raise ChangeError(
            f"{pointer}: this part of the file uses a YAML merge key (<<); "
            "edit it in a text editor."
        )
    position = next(i for i, k in enumerate(plain) if k is key)
    return keys[position]


def _shared_check(node: Any, pointer: str) -> None:
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        raise ChangeError(
            f"{pointer}: this part of the file is shared through the YAML anchor "
            f"&{anchor.value} (used again as *{anchor.value}); changing it here would "
            "change every place that uses it. Edit it in a text editor."
        )


def _change_mapping(
    node: CommentedMap, data: Any, tokens: Sequence[str], change: SetValue | Delete | Insert | Move
) -> None:
    plain = _plain_container(data, tokens[:-1])
    token = tokens[-1]
    if isinstance(change, Insert | Move):
        raise ChangeError(f"{change.pointer}: inserting and moving are for list items.")
    keys = list(node.keys())
    if mapping_key(plain, token) is None:
        if isinstance(change, Delete):
            raise ChangeError(f"{change.pointer}: there is no `{token}` to delete.")
        last = keys[-1] if keys else None
        rest = take_following(node, last)
        flow = bool(node.fa.flow_style())
        key = styled(token, flow=flow)
        node[key] = to_node(change.value, flow=flow)
        give_following(node, key, rest)
        return
    key = _tree_key(node, plain, token, change.pointer)
    _shared_check(node[key], change.pointer)
    rest = take_following(node, key)
    if isinstance(change, SetValue):
        node[key] = to_node(change.value, node[key], flow=bool(node.fa.flow_style()))
        give_following(node, key, rest)
        return
    position = keys.index(key)
    del node[key]
    if position > 0:
        give_following(node, keys[position - 1], rest)


def _rename(node: Any, data: Any, tokens: Sequence[str], change: Rename) -> None:
    """A key renamed where it is: its value, position and comments kept."""
    plain = _plain_container(data, tokens[:-1])
    renamed_key(plain, tokens[-1], change)
    if not isinstance(node, CommentedMap):
        raise ChangeError(f"{change.pointer}: only a mapping's keys can be renamed.")
    key = _tree_key(node, plain, tokens[-1], change.pointer)
    position = list(node.keys()).index(key)
    value = node[key]
    slot = node.ca.items.pop(key, None)
    del node[key]
    new = styled(change.key)
    node.insert(position, new, value)
    if slot is not None:
        node.ca.items[new] = slot


def _change_list(node: CommentedSeq, token: str, change: SetValue | Delete | Insert | Move) -> None:
    index = list_index(node, token, change.pointer, end_ok=isinstance(change, Insert))
    if index < len(node):
        _shared_check(node[index], change.pointer)
    if isinstance(change, SetValue):
        rest = take_following(node, index)
        node[index] = to_node(change.value, node[index], flow=bool(node.fa.flow_style()))
        give_following(node, index, rest)
    elif isinstance(change, Insert):
        rest = take_following(node, index - 1) if index > 0 else ""
        node.insert(index, to_node(change.value, flow=bool(node.fa.flow_style())))
        give_following(node, index, rest)
    elif isinstance(change, Delete):
        rest = take_following(node, index)
        del node[index]
        if index > 0:
            give_following(node, index - 1, rest)
    else:
        _move(node, index, move_target(node, change))


def _move(node: CommentedSeq, start: int, target: int) -> None:
    if start == target:
        return
    rest = take_following(node, start)
    item, slot = node[start], node.ca.items.get(start)
    del node[start]
    if start > 0:
        give_following(node, start - 1, rest)
    before = take_following(node, target - 1) if target > 0 else ""
    node.insert(target, item)
    if slot is not None:
        node.ca.items[target] = slot
    give_following(node, target, before)


def _plain_container(data: Any, tokens: Sequence[str]) -> Any:
    node = data
    for token in tokens:
        node = node[mapping_key(node, token)] if isinstance(node, dict) else node[int(token)]
    return node
