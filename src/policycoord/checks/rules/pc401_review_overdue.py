"""PC401 review-overdue."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import possessive
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import days_ago, place
from policycoord.core.timeframes import add_max_age, long_date, parse_max_age
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Origin, Partnership, Review


class ReviewOverdue(Rule):
    """An organisation's policy is overdue for review.

    ## What it does
    For every organisation with a policy file, reads `organisation: review:`
    and reports the policy when its `next_review` date is before today (the
    run date, or `--today`), or when its `approved` date is older than the
    partnership's `review: max_age:` (`12 months`, `2 years`). The age is
    counted on the calendar from `approved`, the day clipped to the month's
    end: approved on 31 January with a `max_age` of `1 month`, the policy is
    current until 28 (or 29) February and overdue from 1 March. Due on the
    day itself is not overdue. One finding per organisation, even when both
    dates say so: it is on `next_review` when that date has passed, otherwise
    on `approved`, with the other date and the partnership's `max_age` as
    related locations. A policy without review dates is not reported, an
    `approved` date still to come never makes a policy overdue, and without
    a `max_age` (or with one policycoord cannot read, which PC003 reports)
    only `next_review` counts.

    ## Why it matters
    Safeguarding practice, statutory guidance and the people in post change
    every year: a new Designated Safeguarding Lead, a renamed referral team,
    a new edition of Keeping Children Safe in Education. A policy nobody has
    reviewed sends staff and volunteers to people who have left and
    procedures that no longer exist, at the moment a child needs them to act.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    review:
      max_age: 12 months
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: Riverside Juniors Football Club
      sector: sport
      review: {approved: 2025-07-01, next_review: 2026-07-31}
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -  review: {approved: 2025-07-01, next_review: 2026-07-31}
    +  review: {approved: 2026-10-20, next_review: 2027-10-20}
    ```
    """

    code = "PC401"
    name = "review-overdue"
    default_severity = Severity.WARNING
    family = "governance"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        max_age = partnership.review_max_age if partnership is not None else None
        max_age_at = _max_age_location(partnership) if partnership is not None else None
        partnership_path = partnership.path if partnership is not None else "partnership.yaml"
        for org in model.organisations:
            review = org.review
            if review is None:
                continue
            found = overdue(
                approved=review.approved,
                next_review=review.next_review,
                max_age=max_age if max_age_at is not None else None,
                today=model.today,
            )
            if found is None:
                continue
            related: list[Location] = []
            if found.next_review_passed:
                location = review.origin.at("next_review")
                if review.approved is not None:
                    related.append(review.origin.at("approved"))
            else:
                location = review.origin.at("approved")
                if review.next_review is not None:
                    related.append(review.origin.at("next_review"))
            if found.lapsed is not None and max_age_at is not None:
                related.append(max_age_at)
            yield Violation(
                message=_message(org, review, found, max_age or "", max_age_at, model.today),
                location=location,
                subject="review",
                anchor="/organisation/review",  # the same finding whichever date passed
                suggestion=_suggestion(
                    org, max_age if parse_max_age(max_age) else None, partnership_path
                ),
                organisation=org.id,
                related=tuple(related),
            )


def approval_lapses(approved: datetime.date, max_age: str | None) -> datetime.date | None:
    """The last day an approval is current: `approved` plus the partnership's
    `review.max_age` on the calendar, the day clipped to the month's end
    (2025-01-31 + `1 month` is 2025-02-28). None when `max_age` is not a
    period policycoord understands, or the date would be past year 9999."""
    age = parse_max_age(max_age)
    if age is None:
        return None
    try:
        return add_max_age(approved, age)
    except OverflowError:
        return None


@dataclass(frozen=True, slots=True)
class Overdue:
    """Why a policy is overdue for review: `next_review` passed, its approval
    lapsed (then `lapsed` is the last day it was current), or both."""

    next_review_passed: bool
    lapsed: datetime.date | None


def overdue(
    *,
    approved: datetime.date | None,
    next_review: datetime.date | None,
    max_age: str | None,
    today: datetime.date,
) -> Overdue | None:
    """Whether a policy is overdue on `today`. Due on the day itself is not
    overdue; neither is an approval that is still current on `today` (nor
    one dated in the future)."""
    passed = next_review is not None and next_review < today
    lapsed = approval_lapses(approved, max_age) if approved is not None else None
    if lapsed is not None and not lapsed < today:
        lapsed = None
    if not passed and lapsed is None:
        return None
    return Overdue(passed, lapsed)


def _every(max_age: str) -> str:
    """`every 12 months`, `every year`: the partnership's `max_age` as a period."""
    age = parse_max_age(max_age)
    if age is None:
        return f"every {max_age}"
    amount, unit = age
    return f"every {unit}" if amount == 1 else f"every {amount} {unit}s"


def _max_age_location(partnership: Partnership) -> Location:
    """The partnership's `review: max_age:` line."""
    return Origin(partnership.path, "", partnership.origin.source_map).at("review", "max_age")


def _message(
    org: Organisation,
    review: Review,
    found: Overdue,
    max_age: str,
    max_age_at: Location | None,
    today: datetime.date,
) -> str:
    policy = f"{possessive(org.name)} policy"
    sentences = []
    if found.next_review_passed and review.next_review is not None:
        sentences.append(
            f"{policy} was due for review on {long_date(review.next_review)}, "
            f"{days_ago(review.next_review, today)}."
        )
    if found.lapsed is not None and review.approved is not None and max_age_at is not None:
        approved = f"approved on {long_date(review.approved)}"
        asks = f"the partnership asks for a review at least {_every(max_age)} ({place(max_age_at)})"
        if found.next_review_passed:
            sentences.append(f"It was {approved}; {asks}.")
        else:
            sentences.append(
                f"{policy} was {approved}; {asks}, so it was due by "
                f"{long_date(found.lapsed)}, {days_ago(found.lapsed, today)}."
            )
            if review.next_review is not None:
                sentences.append(
                    f"Its own `next_review`, {long_date(review.next_review)}, is later than "
                    "the partnership allows."
                )
    return " ".join(sentences)


def _suggestion(org: Organisation, max_age: str | None, partnership_path: str) -> str:
    within = f", no more than {max_age} after the new approval" if max_age else ""
    return (
        f"Review the policy and have it approved again, then update `review: approved:` and "
        f"`next_review:` in {org.path}{within}. If the partnership board has agreed to a "
        f"delay, record it as a waiver in {partnership_path}, with its reason and expiry date."
    )
