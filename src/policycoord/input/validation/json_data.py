"""YAML data as a JSON Schema validator sees it (JSON has no dates, sets or
keys other than text)."""

from __future__ import annotations

import datetime
from typing import Any

from policycoord.input.loading import LoadedFile, key_text


def json_compatible(value: Any) -> Any:
    """A copy of YAML data that a JSON Schema validator accepts: dates as
    ISO text (so `approved: 2026-09-01` and `"2026-09-01"` agree), keys as
    text, sets and pairs as lists, binary as its base64 text."""
    if isinstance(value, dict):
        return {key_text(k): json_compatible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_compatible(v) for v in value]
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, datetime.date):  # datetime too: fails the date pattern
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted((json_compatible(v) for v in value), key=repr)
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return str(value)


def json_ready(loaded: LoadedFile) -> Any:
    """`json_compatible(loaded.data)`, copying only what must change when
    the loader noted where the dates are (the common case: a policy file's
    two review dates), rather than the whole document."""
    if loaded.dates is None:
        return json_compatible(loaded.data)
    document = loaded.data
    for path in loaded.dates:
        document = _with_text_date(document, path)
    return document


def _with_text_date(node: Any, path: tuple[Any, ...]) -> Any:
    """A copy of `node` along `path`, with the date at its end as ISO text."""
    if not path:
        return node.isoformat()
    head, rest = path[0], path[1:]
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = _with_text_date(node[head], rest)
    return copy
