"""Timeframes and review ages, compared by their worst case.

A timeframe such as ``24 hours`` or ``1 working day`` is a promise about how
long a child may wait. policycoord never compares these as strings: it turns
each into the longest time it can actually mean (SPEC §2.1):

- ``immediately`` is 0;
- minutes and hours are as written; a day is 24 hours; a week is 168 hours;
- ``N working days`` is ``24 × (N + 2 × ceil(N / 5)) + 24`` hours: a weekend
  for every five working days, plus one bank holiday.

Why the worst case matters: a referral made on the Friday evening before a
bank-holiday Monday, with "1 working day" to respond, may wait until Tuesday
evening: 96 hours, not 24. A partnership that promises "24 hours" must not
accept "1 working day" silently.

Review ages (``review.max_age``, e.g. ``12 months``) are counted on the
calendar from the approval date, with the day clipped to the month's end.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "MAX_AGE_PATTERN",
    "MAX_AGE_REGEX",
    "TIMEFRAME_PATTERN",
    "TIMEFRAME_REGEX",
    "MaxAge",
    "Timeframe",
    "Unit",
    "add_max_age",
    "format_duration",
    "is_older_than",
    "parse_max_age",
    "parse_timeframe",
    "tidy_timeframe",
    "total_worst_case_minutes",
    "working_days_explanation",
]

TIMEFRAME_REGEX: str = r"^(immediately|[1-9][0-9]{0,5} (minute|hour|day|working day|week)s?)$"
"""The timeframe grammar; the JSON Schemas use the same string."""

TIMEFRAME_PATTERN: re.Pattern[str] = re.compile(TIMEFRAME_REGEX)

MAX_AGE_REGEX: str = r"^[1-9][0-9]{0,3} (month|year)s?$"
"""The ``review.max_age`` grammar; the JSON Schema uses the same string."""

MAX_AGE_PATTERN: re.Pattern[str] = re.compile(MAX_AGE_REGEX)

MaxAge: TypeAlias = tuple[int, Literal["month", "year"]]
"""A parsed ``review.max_age``: an amount and ``"month"`` or ``"year"``."""

_MINUTES_PER_HOUR = 60
_MINUTES_PER_DAY = 24 * _MINUTES_PER_HOUR


class Unit(enum.Enum):
    """The unit of a timeframe; the value is the singular word as written."""

    IMMEDIATELY = "immediately"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WORKING_DAY = "working day"
    WEEK = "week"


_NOMINAL_MINUTES: dict[Unit, int] = {
    Unit.IMMEDIATELY: 0,
    Unit.MINUTE: 1,
    Unit.HOUR: _MINUTES_PER_HOUR,
    Unit.DAY: _MINUTES_PER_DAY,
    Unit.WORKING_DAY: _MINUTES_PER_DAY,
    Unit.WEEK: 7 * _MINUTES_PER_DAY,
}


def _working_days_worst_case_hours(n: int) -> int:
    """Hours that ``n`` working days can span: weekends plus one bank holiday."""
    return 24 * (n + 2 * math.ceil(n / 5)) + 24


@dataclass(frozen=True, slots=True)
class Timeframe:
    """A parsed timeframe: ``text`` as written, ``amount`` and ``unit``.

    ``immediately`` has amount 0.
    """

    text: str
    amount: int
    unit: Unit

    @property
    def worst_case_minutes(self) -> int:
        """The longest time this timeframe can mean, in minutes (SPEC §2.1)."""
        if self.unit is Unit.WORKING_DAY:
            return _working_days_worst_case_hours(self.amount) * _MINUTES_PER_HOUR
        return self.nominal_minutes()

    @property
    def worst_case_hours(self) -> float:
        """The worst case in hours (may be fractional for minutes)."""
        return self.worst_case_minutes / _MINUTES_PER_HOUR

    @property
    def turns_on_working_days(self) -> bool:
        """True if the worst case depends on weekends and bank holidays."""
        return self.unit is Unit.WORKING_DAY

    def nominal_minutes(self) -> int:
        """Minutes with a working day counted as a plain 24-hour day.

        Equal to ``worst_case_minutes`` except for working days, so callers can
        tell when a difference comes only from weekends and bank holidays.
        """
        return self.amount * _NOMINAL_MINUTES[self.unit]

    @property
    def canonical(self) -> str:
        """The timeframe in a standard spelling, e.g. ``1 working day``, ``5 hours``."""
        if self.unit is Unit.IMMEDIATELY:
            return "immediately"
        suffix = "" if self.amount == 1 else "s"
        return f"{self.amount} {self.unit.value}{suffix}"


_UNITS_BY_WORD: dict[str, Unit] = {unit.value: unit for unit in Unit}


def parse_timeframe(text: object) -> Timeframe | None:
    """Parse a timeframe string; None if ``text`` is not exactly a valid timeframe."""
    if not isinstance(text, str):
        return None
    match = TIMEFRAME_PATTERN.fullmatch(text)
    if match is None:
        return None
    if text == "immediately":
        return Timeframe(text=text, amount=0, unit=Unit.IMMEDIATELY)
    amount_text = text.partition(" ")[0]
    word: str = match.group(2)
    return Timeframe(text=text, amount=int(amount_text), unit=_UNITS_BY_WORD[word])


def total_worst_case_minutes(timeframes: Iterable[Timeframe]) -> int:
    """Sum of the worst cases, in minutes (0 for no timeframes)."""
    return sum(tf.worst_case_minutes for tf in timeframes)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_duration(minutes: int) -> str:
    """A duration in plain English for messages.

    Rule: 0 is "immediately"; under an hour is minutes ("45 minutes"); up to
    and including 96 hours is hours then any minutes ("1 hour 30 minutes",
    "24 hours", "96 hours"); beyond 96 hours is days then any hours and minutes
    ("4 days 4 hours", "8 days"). Zero parts are left out; singular for 1.
    Raises ValueError for a negative duration.
    """
    if minutes < 0:
        raise ValueError(f"negative duration: {minutes} minutes")
    if minutes == 0:
        return "immediately"
    hours, mins = divmod(minutes, _MINUTES_PER_HOUR)
    parts: list[str] = []
    if minutes > 96 * _MINUTES_PER_HOUR:
        days, hours = divmod(hours, 24)
        parts.append(_plural(days, "day"))
    if hours:
        parts.append(_plural(hours, "hour"))
    if mins:
        parts.append(_plural(mins, "minute"))
    return " ".join(parts)


def working_days_explanation(tf: Timeframe) -> str | None:
    """The SPEC §2.1 sentence explaining a working-day worst case; None otherwise."""
    if tf.unit is not Unit.WORKING_DAY:
        return None
    hours = tf.worst_case_minutes // _MINUTES_PER_HOUR
    if tf.amount == 1:
        return (
            f"`1 working day` can mean {hours} hours: a referral made on the Friday "
            "evening before a bank-holiday Monday may wait until Tuesday"
        )
    return (
        f"`{tf.amount} working days` can mean {hours} hours (weekends and a bank holiday included)"
    )


def parse_max_age(text: object) -> MaxAge | None:
    """Parse ``review.max_age`` (``N month(s)`` or ``N year(s)``); None if invalid."""
    if not isinstance(text, str) or MAX_AGE_PATTERN.fullmatch(text) is None:
        return None
    amount_text, _, word = text.partition(" ")
    amount = int(amount_text)
    if word.startswith("month"):
        return (amount, "month")
    return (amount, "year")


def add_max_age(start: datetime.date, months_or_years: MaxAge) -> datetime.date:
    """``start`` plus a max age on the calendar, the day clipped to the month's end.

    2026-01-31 + 1 month is 2026-02-28; 2024-02-29 + 1 year is 2025-02-28.
    Raises OverflowError if the result is past year 9999.
    """
    amount, unit = months_or_years
    months = amount * 12 if unit == "year" else amount
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    if year > datetime.MAXYEAR:
        raise OverflowError(f"{start.isoformat()} + {amount} {unit}(s) is past year 9999")
    month = month0 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def is_older_than(approved: datetime.date, max_age: MaxAge, today: datetime.date) -> bool:
    """True when ``today`` is after ``approved`` plus ``max_age`` (not on the day itself)."""
    try:
        limit = add_max_age(approved, max_age)
    except OverflowError:
        return False
    return today > limit


def long_date(day: datetime.date) -> str:
    """`31 July 2026`: a date as a board paper writes it (no leading zero,
    the month in English whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


#: how people write the units when not in the form the schema asks for
_UNIT_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "mn"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hour"),
    **dict.fromkeys(("d", "day", "days"), "day"),
    **dict.fromkeys(("working day", "working days", "workingday", "workingdays"), "working day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "week"),
}
_LOOSE = re.compile(r"([0-9]+)\s*([a-z][a-z ]*?)")


def tidy_timeframe(text: object) -> str | None:
    """The timeframe `text` means when it is written loosely (`24 Hours`,
    `24hrs`, `1 working-day`, ` immediately `) in the form the schema
    takes (`24 hours`, `1 working day`), or None when it is not certainly a
    timeframe (or is already written in that form)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    words = " ".join(text.replace("-", " ").replace("_", " ").lower().split())
    words = words.rstrip(".")
    if words == "immediately":
        tidy = "immediately"
    else:
        match = _LOOSE.fullmatch(words)
        if match is None or match.group(2) not in _UNIT_SPELLINGS:
            return None
        amount = int(match.group(1))
        if not 1 <= amount <= 999_999:
            return None
        unit = _UNIT_SPELLINGS[match.group(2)]
        tidy = f"{amount} {unit}{'' if amount == 1 else 's'}"
    return tidy if tidy != text and parse_timeframe(tidy) is not None else None
