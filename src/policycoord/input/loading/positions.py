"""Lines and columns in a file's text, counted as libyaml counts them.

libyaml ends a line at LF, CRLF, a lone CR, NEL, U+2028 or U+2029; its
columns count characters, and a byte-order mark at the start is not one. The
positions worked out here from the text (an invisible character, a decoding
error, the end of a text) agree with the ones libyaml reports.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

#: What libyaml counts as a line break, so that positions worked out from the
#: text agree with the ones libyaml reports.
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_starts(text: str) -> list[int]:
    """The offset at which each line of the text starts."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def position_in(text: str, starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, as libyaml counts them
    (a byte-order mark at the start is not a column)."""
    index = bisect.bisect_right(starts, offset) - 1
    column = offset - starts[index] + 1
    if index == 0 and offset > 0 and text.startswith("\ufeff"):
        column -= 1
    return index + 1, column


def position_of_offset(text: str, offset: int) -> tuple[int, int]:
    return position_in(text, line_starts(text), offset)


def character_at(text: str, line: int, column: int) -> str:
    starts = line_starts(text)
    if not 0 < line <= len(starts):
        return ""
    offset = starts[line - 1] + column - 1
    if line == 1 and text.startswith("\ufeff"):
        offset += 1
    end = starts[line] if line < len(starts) else len(text)
    return text[offset] if starts[line - 1] <= offset < end else ""


def end_of_text(text: str) -> tuple[int, int] | None:
    """Where a text that does not end with a line break ends (1-based line
    and column just past its last character); None for one that does, or an
    empty one. libyaml puts the end of such a text on a line of its own after
    the last one, and with it an error or an empty value found there."""
    if not text or text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        return None
    return position_of_offset(text, len(text))
