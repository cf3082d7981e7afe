"""PC009: invisible and bidirectional-control characters, in the text itself
or written with escapes in a double-quoted string (`"\\u202e"`, `"\\e[31m"`).

Such characters make text read differently from what it says (a role id
with a zero-width space in it looks like another, a right-to-left override
reverses what follows). `has_invisible` decides cheaply whether a file
needs looking at; `invisible_characters` gives one finding a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from policycoord.core.findings import Location, Violation
from policycoord.core.text import INVISIBLE_CHARACTERS
from policycoord.input.loading.positions import line_starts, position_in

#: What an escape in double-quoted text can hide: invisible characters, and
#: control characters (an escaped `\e[31m` is a terminal colour code) other
#: than tab and line feed. Raw control characters are refused by YAML itself.
ESCAPED_HIDDEN: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|" + INVISIBLE_CHARACTERS.pattern)


def invisible_characters(
    text: str, path: str, nearest_pointer: Callable[[int, int], str]
) -> list[Violation]:
    """PC009: one violation per line holding invisible or bidi characters.
    `nearest_pointer`: the file's `SourceMap.nearest_pointers()`, which says
    what value a position is in."""
    found: list[Violation] = []
    starts = line_starts(text)
    search = 1 if text.startswith("\ufeff") else 0  # a byte-order mark at the start is allowed
    while (match := INVISIBLE_CHARACTERS.search(text, search)) is not None:
        offset = match.start()
        line, column = position_in(text, starts, offset)
        line_end = starts[line] if line < len(starts) else len(text)
        search = line_end  # one finding per line
        on_line = INVISIBLE_CHARACTERS.findall(text, offset, line_end)
        names = ", ".join(sorted({_describe_invisible(c) for c in on_line}))
        pointer = nearest_pointer(line, column)
        found.append(
            Violation(
                message=(
                    f"Line {line} holds invisible characters ({names}); they can make "
                    "text read differently from what it really says."
                ),
                location=Location(path, line, column, pointer),
                subject=f"{pointer}:{names}",
                suggestion="Retype the text on this line without them (they often come "
                "from copying out of a web page or a word processor).",
            )
        )
    return found


_INVISIBLE_NAMES: Final = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u00ad": "soft hyphen",
    "\u061c": "Arabic letter mark",
    "\u034f": "combining grapheme joiner",
    "\u115f": "Hangul choseong filler",
    "\u1160": "Hangul jungseong filler",
    "\u3164": "Hangul filler",
    "\uffa0": "halfwidth Hangul filler",
    "\x1b": "escape (starts terminal control codes)",
}


def _describe_invisible(char: str) -> str:
    default = "control character" if ord(char) < 0xA0 else "invisible format character"
    name = _INVISIBLE_NAMES.get(char, default)
    return f"U+{ord(char):04X} {name}"


#: Every byte below 128: what is left of UTF-8 without them is its other characters.
_ASCII_BYTES: Final = bytes(range(128))


def has_invisible(raw: bytes) -> bool:
    """Whether UTF-8 bytes hold an invisible character, looked for among the
    characters that are not ASCII only: removing ASCII bytes from UTF-8
    leaves the other characters whole (each of their bytes is 128 or more),
    and a policy with curly quotes and dashes has a few dozen of them, so
    this costs a twentieth of searching the whole text."""
    return (
        INVISIBLE_CHARACTERS.search(raw.translate(None, _ASCII_BYTES).decode("utf-8")) is not None
    )


def escaped_invisible(path: str, pointer: str, line: int, column: int, value: str) -> Violation:
    names = ", ".join(sorted({_describe_invisible(c) for c in ESCAPED_HIDDEN.findall(value)}))
    return Violation(
        message=(
            f"The text on line {line} is written with escapes that put invisible or control "
            f"characters into it ({names}); they can make it read differently from what it "
            "really says."
        ),
        location=Location(path, line, column, pointer),
        subject=f"{pointer}:{names}",
        suggestion="Remove the escapes (such as `\\e`, `\\x1b` or `\\u202e`) that write "
        "those characters.",
    )
