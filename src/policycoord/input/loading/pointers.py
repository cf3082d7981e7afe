"""JSON pointers (RFC 6901), as the source map, the model and messages write them."""

from __future__ import annotations


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer segment (RFC 6901)."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def key_text(key: object) -> str:
    """A mapping key as the text a JSON pointer and a message use."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)
