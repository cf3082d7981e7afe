"""Where each value of a file is (the source map), and a file once loaded.

Positions are recorded once, here: a JSON pointer leads to the line and
column where its value (or its key) starts, so that a schema error, a model
object and every finding can say where it is.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.fast_path import plain_positions


class SourceMap:
    """Where each value of a file starts, by JSON pointer (1-based line, column).

    `keys` holds where each mapping key starts, for findings about a key
    itself (a field that should not be there). A pointer that is not in the
    map (inside an alias's expansion) falls back to its nearest ancestor.

    The map of a file read on the fast path (`plain_data`) is worked out
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
        self._values, self._keys = plain_positions(raw)
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
    #: when the file could not be read: the organisation id its readable part
    #: names (claims.py), so that its problems are reported under it
    claimed: str | None = None

    def location(self, pointer: str) -> Location:
        line, column = self.source_map.position(pointer)
        return Location(self.path, line, column, pointer)

    def key_location(self, pointer: str) -> Location:
        line, column = self.source_map.key_position(pointer)
        return Location(self.path, line, column, pointer)
