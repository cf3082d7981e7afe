"""User text as every report format but JSON and the terminal shows it.

`shown()` is `textsafe.visible()` (controls as `\\xNN`, invisible format
characters and line separators as `<U+XXXX>`), plus the code points that a
UTF-8 encoder or an XML 1.0 parser refuses: lone surrogates (a file name
that is not valid UTF-8 reaches Python as `\\udcXX`) and the noncharacters
U+FFFE and U+FFFF. The result can be written as UTF-8, put in XML, and
read by a person without anything in it being obeyed.
"""

from __future__ import annotations

import re
from typing import Final

from policycoord.core.textsafe import visible

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
