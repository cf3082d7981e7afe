"""One control's text as the value the file should hold, typed as the schema
says, with what to do when it does not fit."""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

from policycoord.views.choices import timeframe_in_words
from policycoord.views.forms.fields import ABSENT, Field
from policycoord.views.forms.values import normalise_lines, shown_text

_WHOLE_NUMBER: Final = re.compile(r"-?[0-9]{1,18}")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_scalar(field: Field, text: str, original: Any = ABSENT) -> tuple[Any, str]:
    """(the value, "") or (the text as typed, what to do); `(ABSENT, "")`
    for an empty control. `original` is what the file held: a date the
    file quoted stays quoted."""
    text = normalise_lines(text)
    if text == "":
        return ABSENT, ""
    if field.enum:
        return _enum_value(field, text), ""
    if field.kind == "integer":
        if _WHOLE_NUMBER.fullmatch(text.strip()):
            return int(text.strip()), ""
        return text, f"{field.label}: write a whole number, such as 3."
    if field.kind == "date":
        return _date(field, text, original)
    if field.kind == "timeframe":
        if field.pattern and not _matches(field.pattern, text):
            return text, timeframe_in_words(text)
        return text, ""
    if field.pattern and not _matches(field.pattern, text):
        return text, field.pattern_message or f"{field.label}: this is not written as it should be."
    return text, ""


def _enum_value(field: Field, text: str) -> Any:
    for value in field.enum:
        if shown_text(value) == text:
            return value
    return text


def _date(field: Field, text: str, original: Any) -> tuple[Any, str]:
    message = field.pattern_message or "Write a date as year-month-day, such as 2026-09-01."
    if not _ISO_DATE.fullmatch(text):
        return text, message
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return text, f"{text} is not a date in the calendar. {message}"
    if isinstance(original, str):
        return text, ""
    return day, ""


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True
