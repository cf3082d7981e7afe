"""Text, the same way everywhere: user text made safe to show, and the small
phrasing helpers that messages share.

Safe to show. `visible()` is for a terminal or a page: nothing in the text
is interpreted. Control characters (C0, DEL, C1: ANSI escape sequences start
with one) are shown as `\\xNN`; invisible format characters (bidi overrides,
zero-width spaces) and the Unicode line and paragraph separators (U+2028,
U+2029: some viewers break the line there, so one finding could pass for
two) as `<U+XXXX>`. Rich markup is never parsed because reporters build rich
`Text` objects, never markup strings.

A CI log is a terminal that obeys more: GitHub's runner takes any line that
starts with `::` (after spaces) as a workflow command, and a line holding
`##[` anywhere as a command in its older form (`##[error]...`,
`##[stop-commands]...`). A name can start a line of a report (the terminal
report starts lines with paths and organisation names, and wraps long ones
when colour is forced), so every `::` is shown as `:\\x3a` and every `##[` as
`#\\x23[`: nothing a policy file says can annotate, mask or silence a CI log.

`shown()` is for every other format but JSON: `visible()`, plus the code
points that a UTF-8 encoder or an XML 1.0 parser refuses: lone surrogates (a
file name that is not valid UTF-8 reaches Python as `\\udcXX`) and the
noncharacters U+FFFE and U+FFFF. The result can be written as UTF-8, put in
XML, and read by a person without anything in it being obeyed.

Phrasing: `place`, `listing`, `either`, `days_ago`, `did_you_mean`, so that
every message says these things the same way (the labels that need the model,
such as a role's title, are in checks/wording.py).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Final

from policycoord.core.findings import Location

#: Unicode "format" characters (category Cf): bidirectional controls,
#: zero-width characters and other invisible marks that can make text read
#: differently from what it is (CVE-2021-42574, "Trojan Source").
INVISIBLE_CHARACTERS: Final = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    # not format characters, but blank where a letter seems to be (look-alike ids)
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0]"
)

_CONTROLS: Final = {
    **{code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))},
    **{code: f"<U+{code:04X}>" for code in (0x2028, 0x2029)},
}


#: What GitHub's runner reads as a workflow command (see the module).
_LOG_COMMANDS: Final = re.compile(r"::|##\[")


def visible(text: str) -> str:
    """Text with every control and invisible character shown, not obeyed,
    and no workflow command for a CI log to obey."""
    shown = text.translate(_CONTROLS)
    if INVISIBLE_CHARACTERS.search(shown):
        shown = INVISIBLE_CHARACTERS.sub(lambda m: f"<U+{ord(m.group()):04X}>", shown)
    if _LOG_COMMANDS.search(shown):
        shown = _LOG_COMMANDS.sub(lambda m: ":\\x3a" if m.group() == "::" else "#\\x23[", shown)
    return shown


_UNWRITABLE: Final = re.compile("[\ud800-\udfff\ufffe\uffff]")


def shown(text: str) -> str:
    """`text` with every control, invisible and unwritable character shown."""
    return writable(visible(text))


def writable(text: str) -> str:
    """`text` with only the unwritable characters (see the module) shown,
    for values that must otherwise stay exactly as written (paths)."""
    if _UNWRITABLE.search(text):
        return _UNWRITABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return text


# -- phrasing -----------------------------------------------------------------------------


def place(location: Location) -> str:
    """`orgs/st-marys-primary.yaml:23`: where to look, for a message."""
    return f"{location.path}:{location.line}"


def possessive(name: str) -> str:
    """A name's possessive: `St Mary's Primary's`, but `Children's
    Services'` (a name ending in a plural s takes the apostrophe alone)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def days_ago(day: datetime.date, today: datetime.date) -> str:
    """`116 days ago`, `1 day ago`."""
    days = (today - day).days
    return f"{days} day{'s' if days != 1 else ''} ago"


def either(items: Iterable[str]) -> str:
    """`A`, `A or B`, `A, B or C`."""
    return listing(items, "or")


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option most like `word`, if one is close enough to be a typo."""
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """`Did you mean `dsl`? ` or nothing."""
    match = closest(word, options)
    return f"Did you mean `{match}`? " if match else ""
