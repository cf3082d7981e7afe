"""A policy file's data as a workbook's rows, and rows back as data.

Writing: `detail_texts` and `part_rows` give what each cell shows.
Reading: `policy_data` turns the rows read back into the file's data,
keeping every value a row did not change exactly as the file holds it (its
type included: the date `2026-09-01` and the text "2026-09-01" differ), so
that a workbook returned untouched gives the file's data again and
`editing.changes_between` finds no change. Positions record the cell each
value came from, so that findings point at `Roles!C4`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from policycoord.core.text import INVISIBLE_CHARACTERS, writable
from policycoord.input.loading import escape_pointer_token
from policycoord.input.workbooks.layout import (
    DETAILS,
    FIRST_ROW,
    LIST_KINDS,
    ORGANISATION_SHEET,
    PARTS,
    Column,
    Part,
    Words,
)

#: A row as read: its number and the text of each of the part's columns.
Row = tuple[int, tuple[str, ...]]

#: What a formula cell with no stored value reads as (a cell can never hold
#: NUL): `policy_data` gives it what the exported workbook showed there, so
#: that the field stays as the policy file holds it.
KEPT: Final = "\x00"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Place:
    """A cell: its sheet, 1-based row and column."""

    sheet: str
    row: int
    column: int


def safe_text(text: str) -> str:
    """Text a cell may hold and a person reads as it is: control characters
    (but line breaks and tabs), invisible and bidi characters and what UTF-8
    cannot encode are shown (`\\x07`, `<U+202E>`), never written into the
    workbook. A cell left so reads back as the file's value (`text_of`)."""
    return writable(INVISIBLE_CHARACTERS.sub(_code_point, text.translate(_CONTROLS)))


def _code_point(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


_CONTROLS: Final = {
    code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (9, 10)
}


def text_of(kind: str, value: Any, words: Words) -> str:
    """What a cell shows for `value` (absent: empty), made safe (`safe_text`)."""
    return safe_text(_plain_text(kind, value, words))


def _plain_text(kind: str, value: Any, words: Words) -> str:
    if value is None:
        return ""
    if kind == "senders" and isinstance(value, list):
        return "; ".join(_plain_text("senders", item, words) for item in value)
    if isinstance(value, str):
        return words.shown(kind, value) if kind in (*LIST_KINDS, "senders") else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def value_of(kind: str, text: str, words: Words) -> Any:
    """The value a cell's text stands for, when it is not what the file held."""
    text = text.strip()
    if kind == "senders":
        parts = [part.strip() for part in re.split(r"[;\n]", text)]
        return [words.value("senders", part) for part in parts if part]
    if kind in LIST_KINDS:
        return words.value(kind, text)
    if kind == "date" and _DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _get(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _has(data: Any, path: Sequence[str]) -> bool:
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return False
        data = data[key]
    return True


def _pointer_path(pointer: str) -> tuple[str, ...]:
    return tuple(token for token in pointer.split("/")[1:])


def detail_texts(data: Any, words: Words) -> list[str]:
    """What the organisation's sheet shows, one value per detail."""
    return [text_of(d.kind, _get(data, _pointer_path(d.pointer)), words) for d in DETAILS]


def _entries(data: Any, part: Part) -> list[Any]:
    found = _get(data, _pointer_path(part.pointer))
    return list(found) if isinstance(found, list) else []


def _entry_texts(columns: Sequence[Column], entry: Any, words: Words) -> tuple[str, ...]:
    return tuple(text_of(c.kind, _get(entry, c.field), words) for c in columns)


def escalation_rows(entry: Any, part: Part, words: Words) -> list[tuple[str, ...]]:
    """An escalation's rows: one per step, the concern on each; one row for
    an escalation without steps."""
    own = [c for c in part.columns if not c.step]
    steps = _get(entry, ("steps",))
    head = _entry_texts(own, entry, words)
    step_columns = [c for c in part.columns if c.step]
    if not isinstance(steps, list) or not steps:
        return [head + ("",) * len(step_columns)]
    return [head + _entry_texts(step_columns, step, words) for step in steps]


def part_rows(data: Any, part: Part, words: Words) -> list[tuple[str, ...]]:
    """What a part's sheet shows, one tuple of texts per row."""
    if part.pointer == "/escalations":
        return [row for e in _entries(data, part) for row in escalation_rows(e, part, words)]
    return [_entry_texts(part.columns, entry, words) for entry in _entries(data, part)]


def _build(
    columns: Sequence[tuple[int, Column]],
    texts: tuple[str, ...],
    old: Any,
    words: Words,
) -> dict[str, Any]:
    """An entry from a row's texts: each unchanged cell keeps the old value;
    fields the sheet does not show are kept from the old entry."""
    shown = {c.field[0] for _, c in columns}
    entry: dict[str, Any] = {}
    if isinstance(old, Mapping):
        entry.update((k, v) for k, v in old.items() if k not in shown)
    for index, column in columns:
        text = texts[index]
        if isinstance(old, Mapping) and _has(old, column.field):
            before = _get(old, column.field)
            if text == text_of(column.kind, before, words):
                _put(entry, column.field, before, old)
                continue
        if text.strip():
            _put(entry, column.field, value_of(column.kind, text, words), old)
    return entry


def _put(entry: dict[str, Any], path: tuple[str, ...], value: Any, old: Any) -> None:
    """Set `path` in `entry`; a mapping on the way (`contact`) is created
    where the old entry had it (keeping its other keys) or where needed."""
    target = entry
    for depth, key in enumerate(path[:-1]):
        if not isinstance(target.get(key), dict):
            before = _get(old, path[: depth + 1])
            kept = dict(before) if isinstance(before, Mapping) else {}
            shown = _shown_below(path[: depth + 1])
            target[key] = {k: v for k, v in kept.items() if k not in shown}
        target = target[key]
    target[path[-1]] = value


def _shown_below(prefix: tuple[str, ...]) -> set[str]:
    return {
        c.field[len(prefix)]
        for part in PARTS
        for c in part.columns
        if len(c.field) > len(prefix) and c.field[: len(prefix)] == prefix
    }


def _part_entries(
    part: Part, rows: Sequence[Row], old: list[Any], words: Words
) -> tuple[list[Any], dict[str, Place]]:
    columns = list(enumerate(part.columns))
    entries: list[Any] = []
    places: dict[str, Place] = {}
    for number, texts in rows:
        index = len(entries)
        before = old[index] if index < len(old) else None
        if before is not None and texts == _entry_texts(part.columns, before, words):
            entries.append(before)  # as exported (an entry shown blank included)
        elif any(text.strip() for text in texts):
            entries.append(_build(columns, texts, before, words))
        else:
            continue  # a blank row
        pointer = f"{part.pointer}/{index}"
        places[pointer] = Place(part.name, number, 1)
        for column_index, column in columns:
            field = "/".join(escape_pointer_token(key) for key in column.field)
            places[f"{pointer}/{field}"] = Place(part.name, number, column_index + 1)
    return entries, places


def _groups(rows: Sequence[Row], expected: Sequence[list[tuple[str, ...]]]) -> list[list[Row]]:
    """Rows of the escalation sheet by escalation. Where the next rows are
    exactly the rows the old file's next escalation was exported as, they
    are that escalation (so two paths for one concern stay two, and an
    escalation shown as a blank row stays); otherwise a blank row is
    skipped, and a row whose concern is blank or the same as the row above
    continues the escalation above."""
    groups: list[list[Row]] = []
    current = None
    at = 0
    while at < len(rows):
        want = expected[len(groups)] if len(groups) < len(expected) else None
        if want and [texts for _, texts in rows[at : at + len(want)]] == want:
            groups.append(list(rows[at : at + len(want)]))
            current, at = want[0][0].strip(), at + len(want)
            continue
        number, texts = rows[at]
        concern = texts[0].strip()
        if not any(t.strip() for t in texts):
            pass  # a blank row
        elif groups and (not concern or concern == current):
            groups[-1].append((number, texts))
        else:
            groups.append([(number, texts)])
            current = concern
        at += 1
    return groups


def _escalation_entries(
    part: Part, rows: Sequence[Row], old: list[Any], words: Words
) -> tuple[list[Any], dict[str, Place]]:
    own = [(i, c) for i, c in enumerate(part.columns) if not c.step]
    steps_at = [(i, c) for i, c in enumerate(part.columns) if c.step]
    entries: list[Any] = []
    places: dict[str, Place] = {}
    expected = [escalation_rows(entry, part, words) for entry in old]
    for index, group in enumerate(_groups(rows, expected)):
        before = old[index] if index < len(old) else None
        texts = [t for _, t in group]
        if before is not None and texts == escalation_rows(before, part, words):
            entries.append(before)
        else:
            entries.append(_escalation(group, own, steps_at, before, words))
        pointer = f"{part.pointer}/{index}"
        places[pointer] = places[f"{pointer}/concern"] = Place(part.name, group[0][0], 1)
        places[f"{pointer}/steps"] = Place(part.name, group[0][0], 2)
        for step, (number, _) in enumerate(r for r in group if _has_step(r, steps_at)):
            places[f"{pointer}/steps/{step}"] = Place(part.name, number, 2)
            for column_index, column in steps_at:
                at = f"{pointer}/steps/{step}/{escape_pointer_token(column.field[0])}"
                places[at] = Place(part.name, number, column_index + 1)
    return entries, places


def _has_step(row: Row, steps_at: Sequence[tuple[int, Column]]) -> bool:
    return any(row[1][i].strip() for i, _ in steps_at)


def _escalation(
    group: list[Row],
    own: list[tuple[int, Column]],
    steps_at: list[tuple[int, Column]],
    before: Any,
    words: Words,
) -> dict[str, Any]:
    first = group[0][1]
    concern = next((t for _, t in group if t[0].strip()), first)
    entry = _build(own, concern, before, words)
    old_steps = _get(before, ("steps",))
    old_steps = old_steps if isinstance(old_steps, list) else []
    steps: list[Any] = []
    for _, texts in (row for row in group if _has_step(row, steps_at)):
        old_step = old_steps[len(steps)] if len(steps) < len(old_steps) else None
        step_texts = tuple(texts[i] for i, _ in steps_at)
        columns = [(n, c) for n, (_, c) in enumerate(steps_at)]
        if old_step is not None and step_texts == _entry_texts(
            [c for _, c in columns], old_step, words
        ):
            steps.append(old_step)
        else:
            steps.append(_build(columns, step_texts, old_step, words))
    if steps or _has(before, ("steps",)):
        entry["steps"] = steps
    return entry


def policy_data(
    details: Sequence[str],
    detail_rows: Sequence[int],
    parts: Mapping[str, Sequence[Row]],
    old: Mapping[str, Any],
    words: Words,
) -> tuple[dict[str, Any], dict[str, Place]]:
    """The policy data a workbook holds: the organisation's details (one text
    each, on rows `detail_rows`) and each part's rows, over `old`, the data
    of the file it was exported from (keys the workbook does not show, such
    as `policycoord`, are kept from it)."""
    details, parts = _as_exported(details, parts, old, words)
    data: dict[str, Any] = dict(old)
    places: dict[str, Place] = {}
    organisation = _details(details, old, words)
    for detail, row in zip(DETAILS, detail_rows, strict=True):
        places[detail.pointer] = Place(ORGANISATION_SHEET, row, 2)
    places["/organisation"] = places["/organisation/id"]
    places["/organisation/review"] = places["/organisation/review/approved"]
    data.pop("summary", None)
    data.update(organisation)
    for part in PARTS:
        rows = parts.get(part.name, ())
        key = part.pointer[1:]
        before = old.get(key)
        old_entries = list(before) if isinstance(before, list) else []
        build = _escalation_entries if part.pointer == "/escalations" else _part_entries
        entries, found = build(part, rows, old_entries, words)
        places.update(found)
        places[part.pointer] = Place(part.name, FIRST_ROW - 1, 1)
        if entries or isinstance(before, list):
            data[key] = entries
    return data, places


def _as_exported(
    details: Sequence[str], parts: Mapping[str, Sequence[Row]], old: Any, words: Words
) -> tuple[Sequence[str], Mapping[str, Sequence[Row]]]:
    """Each `KEPT` cell given the text the exported workbook showed in that
    cell (nothing, below the exported rows)."""
    exported = detail_texts(old, words)
    details = [exported[i] if text == KEPT else text for i, text in enumerate(details)]
    kept: dict[str, Sequence[Row]] = {}
    for part in PARTS:
        rows = parts.get(part.name, ())
        shown = part_rows(old, part, words)
        kept[part.name] = [
            (
                number,
                _kept(
                    texts, shown[number - FIRST_ROW] if 0 <= number - FIRST_ROW < len(shown) else ()
                ),
            )
            for number, texts in rows
        ]
    return details, kept


def _kept(texts: tuple[str, ...], shown: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        (shown[i] if i < len(shown) else "") if text == KEPT else text
        for i, text in enumerate(texts)
    )


def _details(details: Sequence[str], old: Mapping[str, Any], words: Words) -> dict[str, Any]:
    """`organisation` and `summary` from the organisation sheet's values;
    what the sheet does not show is kept from the old file."""
    organisation = old.get("organisation")
    kept: dict[str, Any] = {}
    if isinstance(organisation, Mapping):
        kept = {k: v for k, v in organisation.items() if k not in ("id", "name", "sector")}
        review = organisation.get("review")
        if isinstance(review, Mapping):
            kept["review"] = {k: v for k, v in review.items() if k not in _REVIEW_SHOWN}
        elif "review" in organisation and any(t.strip() for t in details[3:5]):
            del kept["review"]
    result: dict[str, Any] = {"organisation": kept}
    for detail, text in zip(DETAILS, details, strict=True):
        path = _pointer_path(detail.pointer)
        if _has(old, path) and text == text_of(detail.kind, _get(old, path), words):
            _set(result, path, _get(old, path))
        elif text.strip():
            _set(result, path, value_of(detail.kind, text, words))
    if "organisation" not in old and not result["organisation"]:
        del result["organisation"]
    return result


_REVIEW_SHOWN = ("approved", "next_review")


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[path[-1]] = value
