"""The fixes of schema errors (PC003), where the file says what it meant.

Safe: the format version written as text or left out (`policycoord: 1`), a
timeframe written loosely (`24 Hours`, `24hrs` -> `24 hours`). Unsafe (a
person looks first): a misspelt field renamed, in its place, to the field
it was probably meant to be (`rolse` -> `roles`), a value outside a list of
allowed values replaced by the closest allowed one (`educaton` ->
`education`).
"""

from __future__ import annotations

from typing import Any

from policycoord.core.findings import Fix, FixEdit
from policycoord.core.text import closest
from policycoord.core.timeframes import TIMEFRAME_REGEX, tidy_timeframe


def version_fix(path: str, value: Any, *, present: bool) -> Fix:
    """`policycoord: 1`, for a file that leaves it out or writes `"1"`."""
    certain = not present or str(value).strip() in ("1", "1.0")
    if present:
        written = f'the text "{value[:20]}"' if isinstance(value, str) else f"`{str(value)[:20]}`"
        described = f"Write the format version as the number 1 (not {written})."
    else:
        described = "Add `policycoord: 1` (the format version) to the file."
    return Fix(
        kind="safe" if certain else "unsafe",
        description=described,
        edits=(FixEdit(path, "/policycoord", "set", 1, value if present else None),),
    )


def timeframe_fix(path: str, pointer: str, node: dict[str, Any], value: Any) -> Fix | None:
    """`24 hours` for `24 Hours`, when the failing pattern is the timeframe's."""
    if node.get("pattern") != TIMEFRAME_REGEX:
        return None
    tidy = tidy_timeframe(value)
    if tidy is None:
        return None
    return Fix(
        kind="safe",
        description=f"Write the timeframe as `{tidy}`.",
        edits=(FixEdit(path, pointer, "set", tidy, value),),
    )


def closest_value_fix(path: str, pointer: str, value: Any, options: list[str]) -> Fix | None:
    """The allowed value closest to what was written (a did-you-mean)."""
    if not isinstance(value, str):
        return None
    match = closest(value, options)
    if match is None:
        return None
    return Fix(
        kind="unsafe",
        description=f"Write `{match}` for `{value[:40]}`.",
        edits=(FixEdit(path, pointer, "set", match, value),),
    )


def rename_field_fix(
    path: str, mapping_pointer: str, mapping: Any, key: str, meant: str
) -> Fix | None:
    """The misspelt field `key` renamed to `meant` where it is (its place,
    value and comments kept), when the mapping has no `meant` already."""
    if not meant or not isinstance(mapping, dict) or meant in mapping or key not in mapping:
        return None
    token = key.replace("~", "~0").replace("/", "~1")
    return Fix(
        kind="unsafe",
        description=f"Rename the field `{key[:40]}` to `{meant}`.",
        edits=(FixEdit(path, f"{mapping_pointer}/{token}", "rename", meant, mapping[key]),),
    )
