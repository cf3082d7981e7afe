"""Make user text safe to show in a terminal: nothing in it is interpreted.

Control characters (C0, DEL, C1: ANSI escape sequences start with one) are
shown as `\\xNN`; invisible format characters (bidi overrides, zero-width
spaces) and the Unicode line and paragraph separators (U+2028, U+2029: some
viewers break the line there, so one finding could pass for two) as
`<U+XXXX>`. Rich markup is never parsed because reporters build
rich `Text` objects, never markup strings.
"""

from __future__ import annotations

from typing import Final

from policycoord.loading import INVISIBLE_CHARACTERS

_CONTROLS: Final = {
    **{code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))},
    **{code: f"<U+{code:04X}>" for code in (0x2028, 0x2029)},
}


def visible(text: str) -> str:
    """Text with every control and invisible character shown, not obeyed."""
    shown = text.translate(_CONTROLS)
    if INVISIBLE_CHARACTERS.search(shown):
        shown = INVISIBLE_CHARACTERS.sub(lambda m: f"<U+{ord(m.group()):04X}>", shown)
    return shown
