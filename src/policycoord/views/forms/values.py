"""Values between a file and a form's controls, both ways.

- `shown_text(value)`: how a control shows a value (a date as 2026-09-01,
  a number as written); control and invisible characters (bidi overrides,
  zero-width spaces, escape sequences) as visible marks such as `<U+202E>`
  or `\\x1b`, never as themselves; newlines and tabs kept.
- `as_submitted(kind, text)`: what a browser sends back for that text (a
  one-line input drops newlines; a text area sends every line end as CR LF,
  which reading turns into LF).
- `encode` / `decode`: a value with its YAML type (text, whole number, date,
  true/false, nothing, lists, mappings) as JSON text for a hidden input, so
  that a value the controls cannot show exactly comes back as it was when
  nobody changed it. Decoding never raises: a hostile hidden input is read
  as nothing.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any, Final

from policycoord.core.text import INVISIBLE_CHARACTERS

_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_MAX_DEPTH: Final = 64
_MAX_SCALAR: Final = 1_000_000
_SCALAR_TAGS: Final = ("b", "s", "i", "f", "t", "d")


def shown_text(value: Any) -> str:
    """The text a control shows for `value` (see the module)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return editable(value)
    return editable(json.dumps(_plain(value), ensure_ascii=False, default=str))


def editable(text: str) -> str:
    """`text` with control and invisible characters shown as marks, line
    ends and tabs kept, so that nothing in a control is obeyed."""
    text = INVISIBLE_CHARACTERS.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)
    return _CONTROL.sub(_mark, text)


def _mark(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0x2028 <= code <= 0x2029:
        return f"<U+{code:04X}>"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def as_submitted(kind: str, text: str) -> str:
    """What reading gets back when a browser submits a control showing `text`."""
    if kind == "textarea":
        return normalise_lines(text)
    return text.replace("\r", "").replace("\n", "")


def normalise_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def encode(value: Any) -> str:
    """`value` with its types as JSON text (see the module)."""
    return json.dumps(_tagged(value), ensure_ascii=True, separators=(",", ":"))


def _tagged(value: Any) -> Any:
    if value is None:
        return ["n"]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, dict):
        return ["m", [[_tagged(key), _tagged(item)] for key, item in value.items()]]
    if isinstance(value, list | tuple):
        return ["l", [_tagged(item) for item in value]]
    return ["s", str(value)]


class _Unreadable(Exception):
    pass


def decode(text: str) -> tuple[bool, Any]:
    """(True, the value) that `encode` wrote, or (False, None) for anything else."""
    try:
        return True, _untagged(json.loads(text), 0)
    except (ValueError, TypeError, RecursionError, OverflowError, _Unreadable):
        return False, None


def _scalar(tag: str, raw: Any) -> Any:
    if tag == "b" and isinstance(raw, bool):
        return raw
    if not isinstance(raw, str) or len(raw) > _MAX_SCALAR:
        raise _Unreadable
    if tag == "s":
        return raw
    if tag == "i":
        return int(raw)
    if tag == "f":
        return float(raw)
    if tag == "t":
        return datetime.datetime.fromisoformat(raw)
    if tag == "d":
        return datetime.date.fromisoformat(raw)
    raise _Unreadable


def _untagged(node: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH or not isinstance(node, list) or not node:
        raise _Unreadable
    tag = node[0]
    if tag == "n" and len(node) == 1:
        return None
    if len(node) != 2:
        raise _Unreadable
    if tag in _SCALAR_TAGS:
        return _scalar(tag, node[1])
    if tag not in ("l", "m") or not isinstance(node[1], list):
        raise _Unreadable
    if tag == "l":
        return [_untagged(item, depth + 1) for item in node[1]]
    mapping: dict[Any, Any] = {}
    for pair in node[1]:
        if not isinstance(pair, list) or len(pair) != 2:
            raise _Unreadable
        key = _untagged(pair[0], depth + 1)
        if isinstance(key, dict | list):
            raise _Unreadable
        mapping[key] = _untagged(pair[1], depth + 1)
    return mapping
