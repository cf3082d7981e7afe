"""The errors of an invalid document, a window at a time when it is large.

The validator makes every error at once, so a large file of many errors
(`roles: [1, 1, ...]`) would cost seconds and a gigabyte; `first_errors` checks
such a document a window of WINDOW_VALUES values at a time and stops once
it has counted MAX_SCHEMA_ERRORS_COUNTED.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from typing import Any

from policycoord.input.validation.schemas import required_names

#: schema errors explained a file (the rest are only counted)
MAX_SCHEMA_ERRORS_READ = 1_000
#: schema errors counted a file before policycoord stops reading it (`first_errors`)
MAX_SCHEMA_ERRORS_COUNTED = 10_000
#: A document of more values than this that breaks the schema is first
#: checked a window of this many values at a time (`_Windows`).
WINDOW_VALUES = 5_000


class _Error:
    """A schema error, at its place in the whole document."""

    __slots__ = ("instance", "instance_path", "kind", "schema_path")

    def __init__(self, error: Any, instance_path: list[str | int]) -> None:
        self.instance_path = instance_path
        self.schema_path: list[str | int] = list(error.schema_path)
        self.kind = error.kind
        self.instance = error.instance


def first_errors(validator: Any, document: Any, kind: str) -> tuple[list[Any], int, bool]:
    """The first MAX_SCHEMA_ERRORS_READ errors of an invalid document, how
    many more there are, and whether policycoord stopped before the end
    (then the count is only of what it read).

    The validator makes every error at once, and `roles: [1, 1, ...]` in a
    1 MB file is half a million of them (10 s and 1 GB). So a document of
    more than WINDOW_VALUES values is first checked a window at a time, in
    file order, and policycoord stops after the window where the count
    reaches MAX_SCHEMA_ERRORS_COUNTED. When the windows hold fewer, so has
    the whole document (every error but a repeat across windows in a
    `uniqueItems` list shows in a window), and it is checked whole, as a
    small document is: the same errors and counts as ever."""
    windows = _Windows(document, required_names(kind))
    if windows.total > WINDOW_VALUES:
        errors, unread = windows.errors(validator)
        if windows.stopped:
            return errors, unread, True
    pending = validator.iter_errors(document)
    errors = list(itertools.islice(pending, MAX_SCHEMA_ERRORS_READ))
    unread = sum(1 for _ in pending)  # counted, not kept
    return errors, unread, False


#: windows: a container of this many values or more keeps its size...
_KEPT_SIZE = 16
#: ...and one of this many entries or more where each entry starts
_WIDE = 32


class _Windows:
    """A large document as windows of about WINDOW_VALUES values each, in
    file order (a value is a mapping, a list or a scalar; a value counts
    before the values in it). A window is the document with only the list
    items and mapping entries that reach into it, and with the fields of
    `required` names (`required_names`) of the mappings around it, their
    lists emptied. So a window's errors are errors of the document, but for
    `minItems` of a list it cut (not reported) and `uniqueItems` across
    windows (not seen): the schemas use no keyword where a value's validity
    depends on its neighbours otherwise (tests/input/test_validation_windows.py
    checks)."""

    def __init__(self, document: Any, required: frozenset[str]) -> None:
        self.document = document
        self.required = required
        self.sizes: dict[int, int] = {}  # id(container of _KEPT_SIZE+ values) -> values
        self.starts: dict[int, tuple[array[int], list[Any]]] = {}  # wide: entry starts, keys
        self.total = self._measure(document)
        self.count = 0  # errors counted (an unexpected field counts once for each field)
        self.stopped = False
        self._offsets: dict[int, int] = {}  # id(a window's list) -> its first item's index
        self._cut: set[int] = set()  # ids of a window's lists that lost items

    def _measure(self, node: Any) -> int:
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return 1
        total = 1
        if len(node) >= _WIDE:
            if any(issubclass(kind, dict | list) for kind in set(map(type, children))):
                starts = array("q")
                for child in children:
                    starts.append(total)
                    total += self._size(child) if isinstance(child, dict | list) else 1
            else:  # scalars only (`roles: [1, 1, ...]`)
                starts = array("q", range(1, len(node) + 1))
                total += len(node)
            self.starts[id(node)] = (starts, list(node) if isinstance(node, dict) else node)
        else:
            for child in children:
                total += self._size(child) if isinstance(child, dict | list) else 1
        if total >= _KEPT_SIZE:
            self.sizes[id(node)] = total
        return total

    def _size(self, node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        return self.sizes.get(id(node)) or self._measure(node)

    def errors(self, validator: Any) -> tuple[list[_Error], int]:
        """The first MAX_SCHEMA_ERRORS_READ errors of the windows in file
        order, each once, and how many more were counted (an unexpected field
        counts once for each field): the windows are read until the count
        reaches MAX_SCHEMA_ERRORS_COUNTED (then `stopped`) or the end."""
        kept: list[_Error] = []
        seen: set[tuple[Any, ...]] = set()
        unread = 0
        for low in range(0, self.total, WINDOW_VALUES):
            self._offsets, self._cut = {}, set()
            window = self._window(self.document, 0, low, low + WINDOW_VALUES)
            if validator.is_valid(window):
                continue
            for error in validator.iter_errors(window):
                path = self._whole_path(window, list(error.instance_path))
                keyword = type(error.kind).__name__
                if keyword == "MinItems" and id(self._at(window, error.instance_path)) in self._cut:
                    continue
                fields = tuple(getattr(error.kind, "unexpected", ()))
                missing = getattr(error.kind, "property", None)
                key = (tuple(path), tuple(error.schema_path), keyword, fields, missing)
                if key in seen:
                    continue
                seen.add(key)
                if self.count < MAX_SCHEMA_ERRORS_READ:
                    kept.append(_Error(error, path))
                else:
                    unread += max(1, len(fields))
                self.count += max(1, len(fields))
            if self.count >= MAX_SCHEMA_ERRORS_COUNTED and low + WINDOW_VALUES < self.total:
                self.stopped = True
                break
        return kept, unread

    def _window(self, node: Any, position: int, low: int, high: int) -> Any:
        """`node`, at `position` in file order, as the window [low, high) sees it."""
        size = self._size(node)
        if low <= position and position + size <= high:
            return node
        if position + size <= low or position >= high:
            return self._around(node)
        # The entries that reach into the window: those between the first
        # and the last lie in it whole, as they are.
        first, last, first_at, last_at = self._reaching(node, position, low, high)
        if isinstance(node, list):
            items = node[first:last]
            if items:
                items[0] = self._window(node[first], first_at, low, high)
            if len(items) > 1:
                items[-1] = self._window(node[last - 1], last_at, low, high)
            if len(items) < len(node):
                self._cut.add(id(items))
                self._offsets[id(items)] = first
            return items
        keys = self.starts[id(node)][1] if id(node) in self.starts else list(node)
        inside = {key: node[key] for key in keys[first:last]}
        if inside:
            inside[keys[first]] = self._window(node[keys[first]], first_at, low, high)
        if len(inside) > 1:
            inside[keys[last - 1]] = self._window(node[keys[last - 1]], last_at, low, high)
        around = {
            name: self._around(node[name])
            for name in self.required
            if name in node and name not in inside
        }
        return around | inside

    def _reaching(self, node: Any, position: int, low: int, high: int) -> tuple[int, int, int, int]:
        """The entries of `node` (at `position`) that reach into [low, high):
        from index `first` to before `last`, and where the first and the
        last of them start."""
        wide = self.starts.get(id(node))
        if wide is not None:
            starts = wide[0]
            first = max(0, bisect.bisect_right(starts, low - position) - 1)
            last = bisect.bisect_left(starts, high - position)
            if first >= last:
                return first, first, 0, 0
            return first, last, position + starts[first], position + starts[last - 1]
        reaching = []
        start = position + 1
        for index, child in enumerate(node.values() if isinstance(node, dict) else node):
            size = self._size(child)
            if start < high and start + size > low:
                reaching.append((index, start))
            start += size
        if not reaching:
            return 0, 0, 0, 0
        return reaching[0][0], reaching[-1][0] + 1, reaching[0][1], reaching[-1][1]

    def _around(self, node: Any) -> Any:
        """A value outside the window, in a mapping around it: only what its
        mapping needs to read as complete (its `required` fields, lists
        emptied)."""
        if isinstance(node, list):
            emptied: list[Any] = []
            if node:
                self._cut.add(id(emptied))
            return emptied
        if isinstance(node, dict):
            return {name: self._around(node[name]) for name in self.required if name in node}
        return node

    def _whole_path(self, window: Any, path: list[str | int]) -> list[str | int]:
        """A path in a window as a path in the whole document."""
        whole: list[str | int] = []
        node = window
        for part in path:
            if isinstance(node, list) and isinstance(part, int):
                whole.append(part + self._offsets.get(id(node), 0))
                node = node[part] if part < len(node) else None
            else:
                whole.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        return whole

    def _at(self, window: Any, path: Any) -> Any:
        node = window
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node
