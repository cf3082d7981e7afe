"""PC401's dates: when an approval lapses under `review.max_age` (counted on
the calendar, the day clipped to the month's end) and when a policy is
overdue. The grammar and the month arithmetic themselves are
`timeframes.parse_max_age` / `add_max_age` (tested in test_timeframes.py);
these tests pin what the rule builds on them."""

from __future__ import annotations

import datetime

import pytest

from policycoord.checks.rules.pc401_review_overdue import Overdue, approval_lapses, overdue

D = datetime.date


@pytest.mark.parametrize(
    ("approved", "max_age", "expected"),
    [
        # whole months and years
        (D(2025, 7, 1), "12 months", D(2026, 7, 1)),
        (D(2025, 7, 1), "1 year", D(2026, 7, 1)),
        (D(2025, 7, 1), "2 years", D(2027, 7, 1)),
        (D(2025, 7, 15), "1 month", D(2025, 8, 15)),
        (D(2025, 7, 15), "18 months", D(2027, 1, 15)),
        (D(2025, 12, 31), "1 month", D(2026, 1, 31)),
        # the day clipped to the month's end
        (D(2025, 1, 31), "1 month", D(2025, 2, 28)),
        (D(2025, 3, 31), "1 month", D(2025, 4, 30)),
        (D(2025, 8, 31), "6 months", D(2026, 2, 28)),
        (D(2025, 10, 31), "13 months", D(2026, 11, 30)),
        # leap years
        (D(2024, 1, 31), "1 month", D(2024, 2, 29)),
        (D(2023, 2, 28), "1 year", D(2024, 2, 28)),
        (D(2024, 2, 29), "1 year", D(2025, 2, 28)),
        (D(2024, 2, 29), "12 months", D(2025, 2, 28)),
        (D(2024, 2, 29), "4 years", D(2028, 2, 29)),
        (D(2024, 2, 29), "100 years", D(2124, 2, 29)),
        (D(2096, 2, 29), "4 years", D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2028, 1, 31), "1 month", D(2028, 2, 29)),
    ],
)
def test_approval_lapses(approved: datetime.date, max_age: str, expected: datetime.date) -> None:
    assert approval_lapses(approved, max_age) == expected


@pytest.mark.parametrize("max_age", [None, "", "12 weeks", "0 months", "twelve months", "12"])
def test_approval_lapses_without_a_readable_max_age(max_age: str | None) -> None:
    assert approval_lapses(D(2025, 1, 1), max_age) is None


def test_approval_lapses_past_year_9999_never() -> None:
    assert approval_lapses(D(9000, 1, 1), "9999 years") is None
    assert approval_lapses(D(9999, 6, 1), "6 months") == D(9999, 12, 1)


TODAY = D(2026, 11, 24)


def test_next_review_passed() -> None:
    found = overdue(approved=None, next_review=D(2026, 7, 31), max_age=None, today=TODAY)
    assert found == Overdue(next_review_passed=True, lapsed=None)


def test_due_on_the_day_itself_is_not_overdue() -> None:
    assert overdue(approved=None, next_review=TODAY, max_age=None, today=TODAY) is None
    assert overdue(
        approved=None, next_review=TODAY - datetime.timedelta(days=1), max_age=None, today=TODAY
    ) == Overdue(True, None)


def test_approval_older_than_max_age() -> None:
    found = overdue(approved=D(2025, 7, 1), next_review=None, max_age="12 months", today=TODAY)
    assert found == Overdue(next_review_passed=False, lapsed=D(2026, 7, 1))


def test_approval_current_on_its_last_day_and_overdue_the_day_after() -> None:
    approved = D(2025, 10, 31)  # + 13 months = 30 November 2026 (clipped)
    last = D(2026, 11, 30)
    assert overdue(approved=approved, next_review=None, max_age="13 months", today=last) is None
    after = last + datetime.timedelta(days=1)
    assert overdue(
        approved=approved, next_review=None, max_age="13 months", today=after
    ) == Overdue(False, last)


def test_month_end_clipping_decides_overdue() -> None:
    # 2025-01-31 + 1 month = 2025-02-28: current that day, overdue on 1 March
    approved = D(2025, 1, 31)
    assert (
        overdue(approved=approved, next_review=None, max_age="1 month", today=D(2025, 2, 28))
        is None
    )
    assert overdue(
        approved=approved, next_review=None, max_age="1 month", today=D(2025, 3, 1)
    ) == Overdue(False, D(2025, 2, 28))


def test_leap_day_approval() -> None:
    approved = D(2024, 2, 29)  # + 1 year = 2025-02-28
    assert (
        overdue(approved=approved, next_review=None, max_age="1 year", today=D(2025, 2, 28)) is None
    )
    assert overdue(
        approved=approved, next_review=None, max_age="1 year", today=D(2025, 3, 1)
    ) == Overdue(False, D(2025, 2, 28))


def test_both_reasons_at_once() -> None:
    found = overdue(
        approved=D(2025, 7, 1), next_review=D(2026, 7, 31), max_age="12 months", today=TODAY
    )
    assert found == Overdue(next_review_passed=True, lapsed=D(2026, 7, 1))


def test_approved_in_the_future_is_not_overdue() -> None:
    assert overdue(approved=D(2027, 1, 1), next_review=None, max_age="1 month", today=TODAY) is None


def test_nothing_without_dates_or_max_age() -> None:
    assert overdue(approved=None, next_review=None, max_age="12 months", today=TODAY) is None
    assert overdue(approved=D(2020, 1, 1), next_review=None, max_age=None, today=TODAY) is None
    assert overdue(approved=D(2020, 1, 1), next_review=None, max_age="1 week", today=TODAY) is None
