"""A submitted form read back into the section's value: typed as the schema
says, lists in the order submitted, empty optional fields left out, the
original kept where nothing was changed (`@was`), keys the schema does not
know put back (`@extra`), and what does not fit collected as problems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from policycoord.views.forms.building import child_pointer
from policycoord.views.forms.fields import ABSENT, EXTRA, ITEMS, PRESENT, WAS, Field
from policycoord.views.forms.scalars import parse_scalar
from policycoord.views.forms.values import as_submitted, decode, normalise_lines, shown_text

Submitted = Mapping[str, Sequence[str]]

#: more items than this in one list is not a person's form
_MAX_ITEMS: Final = 100_000


@dataclass(slots=True)
class Reading:
    submitted: Submitted
    problems: list[tuple[str, str]] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.submitted.get(name)
        return str(values[0]) if values else None

    def original(self, pointer: str) -> Any:
        """What the file held at `pointer`, if the form kept it (`@was`)."""
        held = self.first(WAS + pointer)
        if held is None:
            return ABSENT
        readable, value = decode(held)
        return value if readable else ABSENT

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append((pointer, message))


def read_field(reading: Reading, field: Field, pointer: str, *, kept: bool = False) -> Any:
    """The value of `field` submitted at `pointer`, or ABSENT to leave it out."""
    original = reading.original(pointer)
    if _misplaced(field, original):
        return _read_raw(reading, pointer, original)
    if field.kind == "object":
        value = _read_object(reading, field, pointer, kept=kept, original=original)
    elif field.kind == "list":
        value = _read_list(reading, field, pointer)
    elif field.kind == "multiselect":
        return _read_multiselect(reading, field, pointer, original)
    else:
        return _read_scalar(reading, field, pointer, original)
    if value is ABSENT and original is not ABSENT and not kept:
        return original
    return value


def _misplaced(field: Field, original: Any) -> bool:
    """Whether the file held something else where the schema wants a mapping
    or a list (the form showed it as text)."""
    if original is ABSENT or original is None:
        return False
    if field.kind == "object":
        return not isinstance(original, dict)
    if field.kind in ("list", "multiselect"):
        return not isinstance(original, list)
    return False


def _read_raw(reading: Reading, pointer: str, original: Any) -> Any:
    text = as_submitted("textarea", normalise_lines(reading.first(pointer) or ""))
    if text == as_submitted("textarea", shown_text(original)):
        return original
    return text if text else ABSENT


def _read_scalar(reading: Reading, field: Field, pointer: str, original: Any) -> Any:
    text = normalise_lines(reading.first(pointer) or "")
    if original is not ABSENT:
        shown = as_submitted(field.kind, shown_text(original))
        if as_submitted(field.kind, text) == shown:
            return original
    value, problem = parse_scalar(field, text, original)
    if problem:
        reading.problem(pointer, problem)
    return value


def _read_multiselect(reading: Reading, field: Field, pointer: str, original: Any) -> Any:
    chosen = [normalise_lines(str(text)) for text in reading.submitted.get(pointer, ())]
    chosen = list(dict.fromkeys(chosen))
    if original is not ABSENT:
        shown = [] if original is None else _shown_items(original)
        if chosen == shown:
            return original
    if not chosen:
        return ABSENT
    values = []
    for text in chosen:
        value, problem = parse_scalar(field, text)
        if problem:
            reading.problem(pointer, problem)
        values.append(text if value is ABSENT else value)
    return values


def _shown_items(original: Any) -> list[str] | None:
    if not isinstance(original, list):
        return None
    return list(dict.fromkeys(shown_text(item) for item in original))


def _read_object(reading: Reading, field: Field, pointer: str, *, kept: bool, original: Any) -> Any:
    result: dict[Any, Any] = {}
    for child in field.children:
        value = read_field(reading, child, child_pointer(pointer, child.key))
        if value is not ABSENT:
            result[child.key] = value
    extras = reading.first(EXTRA + pointer)
    if extras is not None:
        readable, held = decode(extras)
        if readable and isinstance(held, dict):
            result.update({key: value for key, value in held.items() if key not in result})
    if not result and PRESENT + pointer not in reading.submitted:
        if original is not ABSENT:
            return original
        if not kept:
            return ABSENT
    for child in field.children:
        if child.required and child.key not in result:
            reading.problem(
                child_pointer(pointer, child.key), f"Fill in {child.label.lower()}: it is needed."
            )
    return result


def _read_list(reading: Reading, field: Field, pointer: str) -> Any:
    indices = _indices(reading.submitted.get(ITEMS + pointer, ()))
    if not indices and PRESENT + pointer not in reading.submitted:
        return ABSENT
    template = field.template
    values: list[Any] = []
    for index in indices:
        item_pointer = f"{pointer}/{index}"
        value = (
            ABSENT if template is None else read_field(reading, template, item_pointer, kept=True)
        )
        if value is ABSENT:
            value = ""
            reading.problem(item_pointer, f"This {field.noun} is empty: fill it in or remove it.")
        values.append(value)
    if len(values) < field.min_items:
        reading.problem(pointer, f"{field.label}: add at least {field.min_items}.")
    return values


def _indices(raw: Sequence[str]) -> list[int]:
    """The item numbers as submitted, in order, each once."""
    seen: dict[int, None] = {}
    for text in raw[:_MAX_ITEMS]:
        text = str(text)
        if text.isascii() and text.isdigit() and len(text) <= 6:
            seen.setdefault(int(text), None)
    return list(seen)
