"""Which organisation a file that could not be read says it is, from the
part of it that can be read: a file that does not parse is reported under
its organisation, not as a member without a file (SPEC §3.1 PC006; issue 19).

Only the text is looked at (no YAML is built from a broken file): the first
`organisation:` mapping's `id:`, in block or flow style, within the first
lines of the file.
"""

from __future__ import annotations

import re
from typing import Final

#: how much of a broken file is looked at for its organisation's id
LOOKED_AT: Final = 64 * 1024

_ID: Final = r"""["']?([a-z0-9][a-z0-9-]{0,99})["']?"""
_FLOW: Final = re.compile(r"^organisation:\s*\{[^\n}]*?\bid:\s*" + _ID + r"\s*[,}\n]", re.M)
_BLOCK: Final = re.compile(
    r"^organisation:[ \t]*(?:#[^\n]*)?\n(?:[ \t]+\S[^\n]*\n|[ \t]*\n)*?[ \t]+id:[ \t]*"
    + _ID
    + r"[ \t]*(?:#[^\n]*)?$",
    re.M,
)


def claimed_organisation(text: str) -> str | None:
    """The id the file's `organisation:` names, or None when the readable
    part names none."""
    head = text[:LOOKED_AT]
    found = [match for pattern in (_FLOW, _BLOCK) if (match := pattern.search(head))]
    if not found:
        return None
    return min(found, key=lambda match: match.start()).group(1)
