"""Tests for policycoord.core.timeframes: worst-case timeframes and review ages."""

from __future__ import annotations

import calendar
import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.core.timeframes import (
    MAX_AGE_REGEX,
    TIMEFRAME_PATTERN,
    TIMEFRAME_REGEX,
    MaxAge,
    Timeframe,
    Unit,
    add_max_age,
    format_duration,
    is_older_than,
    parse_max_age,
    parse_timeframe,
    total_worst_case_minutes,
    working_days_explanation,
)

settings.register_profile("timeframes", deadline=None)
settings.load_profile("timeframes")

AMOUNTS = st.integers(min_value=1, max_value=999_999)
SMALL_AMOUNTS = st.integers(min_value=1, max_value=2_000)
UNIT_WORDS = {
    "minute": Unit.MINUTE,
    "hour": Unit.HOUR,
    "day": Unit.DAY,
    "working day": Unit.WORKING_DAY,
    "week": Unit.WEEK,
}
NOMINAL = {
    Unit.MINUTE: 1,
    Unit.HOUR: 60,
    Unit.DAY: 1440,
    Unit.WORKING_DAY: 1440,
    Unit.WEEK: 7 * 1440,
}


def tf(text: str) -> Timeframe:
    parsed = parse_timeframe(text)
    assert parsed is not None, text
    return parsed


def hours(text: str) -> float:
    return tf(text).worst_case_hours


# --- the pattern -----------------------------------------------------------


def test_regex_is_the_schema_string() -> None:
    assert TIMEFRAME_REGEX == (
        "^(immediately|[1-9][0-9]{0,5} (minute|hour|day|working day|week)s?)$"
    )
    assert TIMEFRAME_PATTERN.pattern == TIMEFRAME_REGEX
    assert MAX_AGE_REGEX == "^[1-9][0-9]{0,3} (month|year)s?$"


# --- parsing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("immediately", 0, Unit.IMMEDIATELY),
        ("1 minute", 1, Unit.MINUTE),
        ("45 minutes", 45, Unit.MINUTE),
        ("1 hour", 1, Unit.HOUR),
        ("24 hours", 24, Unit.HOUR),
        ("1 day", 1, Unit.DAY),
        ("3 days", 3, Unit.DAY),
        ("1 working day", 1, Unit.WORKING_DAY),
        ("15 working days", 15, Unit.WORKING_DAY),
        ("1 week", 1, Unit.WEEK),
        ("2 weeks", 2, Unit.WEEK),
        ("999999 hours", 999_999, Unit.HOUR),
        # the grammar allows a mismatched plural; both spellings are accepted
        ("1 hours", 1, Unit.HOUR),
        ("5 working day", 5, Unit.WORKING_DAY),
    ],
)
def test_parse_accepts(text: str, amount: int, unit: Unit) -> None:
    parsed = parse_timeframe(text)
    assert parsed == Timeframe(text=text, amount=amount, unit=unit)
    assert parsed.text == text


@pytest.mark.parametrize(
    "value",
    [
        "0 hours",
        "0 minutes",
        "01 hour",
        "1 Hours",
        "1 HOUR",
        "Immediately",
        "immediately ",
        " immediately",
        " 1 hour",
        "1 hour ",
        "1  hour",
        "1\thour",
        "1 hour\n",
        "1hour",
        "1 workday",
        "1 working-day",
        "1 workingday",
        "1 business day",
        "1 month",
        "1 year",
        "1 hr",
        "1.5 hours",
        "-1 hours",
        "1000000 hours",
        "one hour",
        "hour",
        "",
        "24 hours or less",
        1,
        1.0,
        None,
        True,
        ["1 hour"],
        b"1 hour",
    ],
)
def test_parse_rejects(value: object) -> None:
    assert parse_timeframe(value) is None


@given(amount=AMOUNTS, word=st.sampled_from(sorted(UNIT_WORDS)), plural=st.booleans())
def test_round_trip(amount: int, word: str, plural: bool) -> None:
    text = f"{amount} {word}{'s' if plural else ''}"
    parsed = tf(text)
    assert parsed.text == text
    assert parsed.amount == amount
    assert parsed.unit is UNIT_WORDS[word]
    assert TIMEFRAME_PATTERN.fullmatch(text)
    # the canonical spelling parses back to the same worst case
    again = tf(parsed.canonical)
    assert again.worst_case_minutes == parsed.worst_case_minutes
    assert again.amount == amount and again.unit is parsed.unit
    # singular and plural mean the same
    other = tf(f"{amount} {word}{'' if plural else 's'}")
    assert other.worst_case_minutes == parsed.worst_case_minutes


@given(st.text(max_size=30))
def test_parse_agrees_with_pattern(text: str) -> None:
    # JSON Schema `$` anchors only at the very end, so a trailing newline never matches.
    expected = re.fullmatch(TIMEFRAME_REGEX[1:-1], text) is not None
    assert (parse_timeframe(text) is not None) is expected


# --- worst cases -----------------------------------------------------------


def test_immediately_is_zero() -> None:
    t = tf("immediately")
    assert t.worst_case_minutes == 0
    assert t.worst_case_hours == 0.0
    assert t.nominal_minutes() == 0
    assert not t.turns_on_working_days
    assert t.canonical == "immediately"


@pytest.mark.parametrize(
    ("text", "expected_hours"),
    [
        ("30 minutes", 0.5),
        ("90 minutes", 1.5),
        ("1 hour", 1),
        ("24 hours", 24),
        ("72 hours", 72),
        ("1 day", 24),
        ("2 days", 48),
        ("1 week", 168),
        ("2 weeks", 336),
        ("1 working day", 96),
        ("2 working days", 120),
        ("4 working days", 168),
        ("5 working days", 192),
        ("6 working days", 264),
        ("10 working days", 360),
        ("15 working days", 528),
        ("45 working days", 24 * (45 + 18) + 24),
    ],
)
def test_worst_case_hours(text: str, expected_hours: float) -> None:
    assert hours(text) == expected_hours
    assert tf(text).worst_case_minutes == round(expected_hours * 60)


def test_equivalences() -> None:
    assert hours("24 hours") == hours("1 day")
    assert hours("1 week") == hours("7 days") == hours("168 hours")
    assert tf("60 minutes").worst_case_minutes == tf("1 hour").worst_case_minutes
    assert hours("1 working day") > hours("24 hours")
    assert hours("1 working day") == hours("96 hours") == hours("4 days")


@given(n=SMALL_AMOUNTS)
def test_day_week_hour_agree(n: int) -> None:
    assert hours(f"{n} days") == hours(f"{24 * n} hours")
    assert hours(f"{n} weeks") == hours(f"{7 * n} days") == hours(f"{168 * n} hours")
    assert tf(f"{n} hours").worst_case_minutes == tf(f"{60 * n} minutes").worst_case_minutes


@given(n=AMOUNTS)
def test_working_days_formula(n: int) -> None:
    t = tf(f"{n} working days")
    weekends = -(-n // 5)
    assert t.worst_case_minutes == 60 * (24 * (n + 2 * weekends) + 24)
    assert t.worst_case_minutes % 60 == 0
    assert t.turns_on_working_days
    assert t.nominal_minutes() == n * 1440


@given(n=AMOUNTS)
def test_working_days_worse_than_days(n: int) -> None:
    working = tf(f"{n} working days").worst_case_minutes
    plain = tf(f"{n} days").worst_case_minutes
    assert working >= plain
    assert working > plain
    # at least one weekend and the bank holiday: three extra days
    assert working - plain >= 3 * 1440


@given(n=st.integers(min_value=1, max_value=999_998))
def test_working_days_monotonic(n: int) -> None:
    shorter = tf(f"{n} working days").worst_case_minutes
    longer = tf(f"{n + 1} working days").worst_case_minutes
    assert longer > shorter
    # a step crosses a weekend exactly when n is a multiple of five
    assert longer - shorter == (72 if n % 5 == 0 else 24) * 60


@given(amount=AMOUNTS, word=st.sampled_from(sorted(UNIT_WORDS)))
def test_nominal_vs_worst_case(amount: int, word: str) -> None:
    t = tf(f"{amount} {word}")
    assert t.nominal_minutes() == amount * NOMINAL[t.unit]
    assert t.worst_case_hours == t.worst_case_minutes / 60
    if t.unit is Unit.WORKING_DAY:
        assert t.turns_on_working_days
        assert t.worst_case_minutes > t.nominal_minutes()
    else:
        assert not t.turns_on_working_days
        assert t.worst_case_minutes == t.nominal_minutes()


def test_timeframe_is_frozen() -> None:
    t = tf("1 hour")
    with pytest.raises(AttributeError):
        t.amount = 2  # type: ignore[misc]
    assert hash(t) == hash(tf("1 hour"))


def test_canonical() -> None:
    assert tf("1 hours").canonical == "1 hour"
    assert tf("5 working day").canonical == "5 working days"
    assert tf("2 weeks").canonical == "2 weeks"


# --- totals ----------------------------------------------------------------


def test_total() -> None:
    path = [tf("immediately"), tf("1 working day"), tf("24 hours"), tf("30 minutes")]
    assert total_worst_case_minutes(path) == (96 + 24) * 60 + 30
    assert total_worst_case_minutes([]) == 0
    assert total_worst_case_minutes(iter(path)) == total_worst_case_minutes(path)


@given(
    st.lists(
        st.tuples(SMALL_AMOUNTS, st.sampled_from(sorted(UNIT_WORDS))),
        max_size=8,
    )
)
def test_total_is_sum(items: list[tuple[int, str]]) -> None:
    tfs = [tf(f"{n} {w}") for n, w in items]
    assert total_worst_case_minutes(tfs) == sum(t.worst_case_minutes for t in tfs)
    assert total_worst_case_minutes(tfs) >= sum(t.nominal_minutes() for t in tfs)


# --- format_duration -------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "immediately"),
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (90, "1 hour 30 minutes"),
        (120, "2 hours"),
        (1440, "24 hours"),
        (72 * 60, "72 hours"),
        (96 * 60, "96 hours"),
        (96 * 60 + 1, "4 days 1 minute"),
        (97 * 60, "4 days 1 hour"),
        (100 * 60, "4 days 4 hours"),
        (120 * 60, "5 days"),
        (168 * 60, "7 days"),
        (192 * 60, "8 days"),
        (528 * 60, "22 days"),
        (100 * 60 + 30, "4 days 4 hours 30 minutes"),
    ],
)
def test_format_duration(minutes: int, expected: str) -> None:
    assert format_duration(minutes) == expected


def test_format_duration_negative() -> None:
    with pytest.raises(ValueError):
        format_duration(-1)


_PART = re.compile(r"(\d+) (day|hour|minute)s?")


@given(st.integers(min_value=1, max_value=10_000_000))
def test_format_duration_reads_back(minutes: int) -> None:
    text = format_duration(minutes)
    per = {"day": 1440, "hour": 60, "minute": 1}
    parts = text.split(" ")
    assert len(parts) % 2 == 0
    total = 0
    for i in range(0, len(parts), 2):
        m = _PART.fullmatch(f"{parts[i]} {parts[i + 1]}")
        assert m is not None, text
        n = int(m.group(1))
        assert n >= 1
        assert parts[i + 1].endswith("s") == (n != 1)
        total += n * per[m.group(2)]
    assert total == minutes
    assert ("day" in text) == (minutes > 96 * 60)


# --- working_days_explanation ----------------------------------------------


def test_explanation_one_working_day() -> None:
    assert working_days_explanation(tf("1 working day")) == (
        "`1 working day` can mean 96 hours: a referral made on the Friday evening "
        "before a bank-holiday Monday may wait until Tuesday"
    )
    # as written with a stray plural, the sentence still uses the standard spelling
    assert working_days_explanation(tf("1 working days")) == working_days_explanation(
        tf("1 working day")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "5 working days",
            "`5 working days` can mean 192 hours (weekends and a bank holiday included)",
        ),
        (
            "15 working days",
            "`15 working days` can mean 528 hours (weekends and a bank holiday included)",
        ),
        (
            "2 working day",
            "`2 working days` can mean 120 hours (weekends and a bank holiday included)",
        ),
    ],
)
def test_explanation_n_working_days(text: str, expected: str) -> None:
    assert working_days_explanation(tf(text)) == expected


@pytest.mark.parametrize(
    "text", ["immediately", "1 minute", "24 hours", "1 day", "5 days", "1 week"]
)
def test_explanation_none_for_other_units(text: str) -> None:
    assert working_days_explanation(tf(text)) is None


# --- review.max_age --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 month", (1, "month")),
        ("12 months", (12, "month")),
        ("1 year", (1, "year")),
        ("2 years", (2, "year")),
        ("3 year", (3, "year")),
        ("9999 months", (9999, "month")),
    ],
)
def test_parse_max_age(text: str, expected: tuple[int, str]) -> None:
    assert parse_max_age(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        "0 months",
        "10000 months",
        "12 Months",
        "12  months",
        " 12 months",
        "12 months ",
        "12 months\n",
        "1 week",
        "1 day",
        "12",
        "",
        12,
        None,
    ],
)
def test_parse_max_age_rejects(value: object) -> None:
    assert parse_max_age(value) is None


D = datetime.date


@pytest.mark.parametrize(
    ("start", "age", "expected"),
    [
        (D(2026, 1, 31), (1, "month"), D(2026, 2, 28)),
        (D(2024, 1, 31), (1, "month"), D(2024, 2, 29)),
        (D(2024, 2, 29), (1, "year"), D(2025, 2, 28)),
        (D(2024, 2, 29), (4, "year"), D(2028, 2, 29)),
        (D(2024, 2, 29), (12, "month"), D(2025, 2, 28)),
        (D(2026, 3, 31), (1, "month"), D(2026, 4, 30)),
        (D(2026, 8, 31), (6, "month"), D(2027, 2, 28)),
        (D(2026, 1, 15), (12, "month"), D(2027, 1, 15)),
        (D(2026, 11, 30), (3, "month"), D(2027, 2, 28)),
        (D(2026, 12, 31), (1, "month"), D(2027, 1, 31)),
        (D(2026, 5, 1), (1, "year"), D(2027, 5, 1)),
    ],
)
def test_add_max_age(start: datetime.date, age: MaxAge, expected: datetime.date) -> None:
    assert add_max_age(start, age) == expected


def test_add_max_age_past_year_9999() -> None:
    with pytest.raises(OverflowError):
        add_max_age(D(9999, 6, 1), (1, "year"))
    assert add_max_age(D(9999, 6, 1), (6, "month")) == D(9999, 12, 1)


@given(
    start=st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
    age=st.one_of(
        st.tuples(st.integers(min_value=1, max_value=9999), st.just("month")),
        st.tuples(st.integers(min_value=1, max_value=7000), st.just("year")),
    ),
)
def test_add_max_age_property(start: datetime.date, age: MaxAge) -> None:
    amount, unit = age
    result = add_max_age(start, age)
    months = amount * 12 if unit == "year" else amount
    distance = (result.year - start.year) * 12 + (result.month - start.month)
    assert distance == months
    assert result.day <= start.day
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)
    assert result > start
    assert is_older_than(start, age, result) is False
    assert is_older_than(start, age, result + datetime.timedelta(days=1))


def test_is_older_than_boundaries() -> None:
    approved = D(2025, 1, 31)
    age = parse_max_age("12 months")
    assert age is not None
    assert not is_older_than(approved, age, D(2025, 6, 1))
    assert not is_older_than(approved, age, D(2026, 1, 30))
    assert not is_older_than(approved, age, D(2026, 1, 31))
    assert is_older_than(approved, age, D(2026, 2, 1))
    # clipped month end: 2026-01-31 + 1 month is 2026-02-28
    assert not is_older_than(D(2026, 1, 31), (1, "month"), D(2026, 2, 28))
    assert is_older_than(D(2026, 1, 31), (1, "month"), D(2026, 3, 1))
    # today before approval is never overdue
    assert not is_older_than(approved, age, D(2020, 1, 1))
    # a max age reaching past year 9999 is never exceeded
    assert not is_older_than(D(9000, 1, 1), (9999, "year"), D(9999, 12, 31))
