"""Positions as the editor counts them and as policycoord does.

policycoord's locations are 1-based lines and columns counting characters;
the protocol's positions are 0-based lines and characters counting UTF-16
code units (an emoji is two). A location names where a value starts; the
token there (a plain, quoted or flow value on that line) gives the end of
the range an editor underlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types


@dataclass(frozen=True, slots=True)
class Lines:
    """A text's lines (without their ends), for converting positions."""

    lines: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls(tuple(text.splitlines()) or ("",))

    def line(self, number: int) -> str:
        """The 0-based line `number`, or "" past the end."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def to_utf16(self, line: int, column: int) -> int:
        """The UTF-16 offset of 0-based character `column` of 0-based `line`."""
        text = self.line(line)[: max(column, 0)]
        return len(text.encode("utf-16-le")) // 2

    def from_utf16(self, line: int, character: int) -> int:
        """The 0-based character at UTF-16 offset `character` (clamped to the line)."""
        text = self.line(line)
        units = 0
        for index, char in enumerate(text):
            if units >= character:
                return index
            units += 2 if ord(char) > 0xFFFF else 1
        return len(text)

    def range_at(self, line: int, column: int) -> types.Range:
        """The range of the token starting at 1-based `line`, `column`."""
        row, start = line - 1, column - 1
        end = token_end(self.line(row), start)
        return types.Range(
            start=types.Position(line=max(row, 0), character=self.to_utf16(row, start)),
            end=types.Position(line=max(row, 0), character=self.to_utf16(row, end)),
        )


_FLOW_STOP = re.compile(r"\s*(?:[,\]}]|\s#)")
_PLAIN_STOP = re.compile(r"\s+#|\s*$")


def token_end(line: str, start: int) -> int:
    """Where the value starting at `start` ends on its line: after its
    closing quote, before a comment, or (inside `[...]`/`{...}`) before the
    next `,`, `]` or `}`; at least one character after `start` when the
    line has one."""
    if start >= len(line):
        return start
    first = line[start]
    if first in "\"'":
        end = start + 1
        while end < len(line):
            if line[end] == first:
                if first == "'" and line[end + 1 : end + 2] == "'":
                    end += 2
                    continue
                return end + 1
            end += 2 if first == '"' and line[end] == "\\" else 1
        return len(line)
    if first in "[{":
        return start + 1
    in_flow = any(mark in line[:start] for mark in "[{")
    stop = (_FLOW_STOP if in_flow else _PLAIN_STOP).search(line, start)
    end = stop.start() if stop is not None else len(line)
    return max(end, start + 1)


def in_range(position: types.Position, where: types.Range) -> bool:
    """Whether `position` is inside `where` (its end included: the cursor
    just after a word is on it)."""
    after_start = (position.line, position.character) >= (where.start.line, where.start.character)
    before_end = (position.line, position.character) <= (where.end.line, where.end.character)
    return after_start and before_end


def overlaps(one: types.Range, other: types.Range) -> bool:
    return (one.start.line, one.start.character) <= (other.end.line, other.end.character) and (
        other.start.line,
        other.start.character,
    ) <= (one.end.line, one.end.character)


def line_edits(old: str, new: str) -> list[types.TextEdit]:
    """One edit replacing only the lines that differ between `old` and `new`
    (whole lines: the columns of a line start are the same in any count)."""
    before = old.splitlines(keepends=True)
    after = new.splitlines(keepends=True)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_old, end_new = len(before), len(after)
    while end_old > start and end_new > start and before[end_old - 1] == after[end_new - 1]:
        end_old -= 1
        end_new -= 1
    if start == end_old and start == end_new:
        return []
    return [
        types.TextEdit(
            range=types.Range(
                start=types.Position(line=start, character=0),
                end=types.Position(line=end_old, character=0),
            ),
            new_text="".join(after[start:end_new]),
        )
    ]
