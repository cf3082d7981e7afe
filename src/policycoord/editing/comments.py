"""Comments that follow an entry, kept where a reader expects them.

ruamel.yaml attaches the comment lines and blank lines after an entry to
that entry's last scalar (the end of its line, then the lines below). Those
lines usually introduce what follows (`# Roles` above `roles:`), so when an
entry is added after the last one, or the last one is removed or moved, the
lines below it move to the new last entry; when an entry in the middle goes,
the lines below it stay, after the entry before it.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

#: the comment slot after a scalar value: ca.items[key][2] in a mapping,
#: ca.items[index][0] in a list
_SLOT = {CommentedMap: (4, 2), CommentedSeq: (2, 0)}


def entry_slot(container: Any, at: Any) -> tuple[list[Any], int]:
    """The comment slot after the last scalar of `container`'s entry `at`."""
    while True:
        child = container[at]
        if isinstance(child, CommentedMap | CommentedSeq) and len(child) > 0:
            container = child
            at = list(child.keys())[-1] if isinstance(child, CommentedMap) else len(child) - 1
            continue
        size, index = _SLOT[CommentedMap if isinstance(container, CommentedMap) else CommentedSeq]
        slot = container.ca.items.get(at)
        if slot is None:
            slot = container.ca.items[at] = [None] * size
        return slot, index


def last_key(container: Any) -> Any:
    if isinstance(container, CommentedMap):
        return list(container.keys())[-1] if len(container) else None
    return len(container) - 1 if len(container) else None


def take_following(container: Any, at: Any) -> str:
    """Remove and return the lines below the entry `at` (its own line's end
    comment stays)."""
    if at is None or not isinstance(container, CommentedMap | CommentedSeq):
        return ""
    slot, index = entry_slot(container, at)
    token = slot[index]
    if not isinstance(token, CommentToken):
        return ""
    head, newline, rest = token.value.partition("\n")
    if not newline or not rest:
        return ""
    if head.strip():
        token.value = head + "\n"
    else:
        slot[index] = None
    return rest


def give_following(container: Any, at: Any, rest: str) -> None:
    """Put lines taken by `take_following` below the entry `at`."""
    if not rest or at is None or not isinstance(container, CommentedMap | CommentedSeq):
        return
    slot, index = entry_slot(container, at)
    token = slot[index]
    if isinstance(token, CommentToken) and token.value.endswith("\n"):
        token.value = token.value + rest
    elif not isinstance(token, CommentToken):
        slot[index] = CommentToken("\n" + rest, CommentMark(0))
