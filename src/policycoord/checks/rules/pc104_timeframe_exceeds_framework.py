"""PC104 timeframe-exceeds-framework."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, role_label
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import place
from policycoord.core.timeframes import Timeframe, Unit, format_duration, working_days_explanation
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Responsibility


class TimeframeExceedsFramework(Rule):
    """A responsibility's `within` is longer, at worst, than the duty's `max_within`.

    ## What it does
    Compares every responsibility that gives a `within` (whatever its
    `raci`) with the `max_within` of its duty in the partnership file. Both
    are taken at their worst case in hours, never as words: `1 day` and
    `24 hours` agree, but `1 working day` can mean 96 hours (a weekend for
    every five working days, plus a bank holiday). When the commitment only
    exceeds the limit because it counts working days, the message says so.
    Responsibilities without `within`, duties without `max_within`, and
    duties the partnership does not define (PC106) are not compared.

    ## Why it matters
    The partnership's limit is a promise to children: a referral about a
    child at risk of significant harm is made within 24 hours. A policy
    that quietly allows longer means a child can wait over a long weekend
    for help everyone believes arrives the next day.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    duties:
      - id: refer-to-childrens-social-care
        title: Refer a child at risk of significant harm to children's social care
        scope: each-member
        max_within: 24 hours
    # file: orgs/riverside-surgery.yaml
    policycoord: 1
    organisation: {id: riverside-surgery, name: Riverside Surgery, sector: primary-care}
    roles:
      - id: gp-lead
        title: Practice Safeguarding Lead
    responsibilities:
      - duty: refer-to-childrens-social-care
        role: gp-lead
        raci: accountable
        within: 1 working day
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-surgery.yaml
    -    within: 1 working day
    +    within: 24 hours
    ```
    """

    code = "PC104"
    name = "timeframe-exceeds-framework"
    default_severity = Severity.ERROR
    family = "conflicts"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.duties:
            return
        limits = {duty.id: duty for duty in partnership.duties if duty.max_within is not None}
        if not limits:
            return
        for org in model.organisations:
            for resp in org.responsibilities:
                duty = limits.get(resp.duty)
                if duty is None or duty.max_within is None or resp.within is None:
                    continue
                within, limit = resp.within, duty.max_within
                if within.worst_case_minutes <= limit.worst_case_minutes:
                    continue
                related = duty.origin.at("max_within")
                yield Violation(
                    message=(
                        f"{org.name} {_commits(within)} on {duty_label(duty)}, but "
                        f"{partnership.name} {_limit(limit)} for it ({place(related)}). "
                        f"{_why(within, limit)}"
                    ),
                    location=resp.origin.at("within"),
                    subject=duty.id,
                    suggestion=_suggestion(org, resp, limit, _turns_on_working_days(within, limit)),
                    organisation=org.id,
                    related=(related,),
                )


def _commits(within: Timeframe) -> str:
    if within.unit is Unit.IMMEDIATELY:
        return "commits to act `immediately`"
    return f"commits to act within `{within.text}`"


def _limit(limit: Timeframe) -> str:
    if limit.unit is Unit.IMMEDIATELY:
        return "expects it `immediately`"
    return f"allows at most `{limit.text}`"


def _turns_on_working_days(within: Timeframe, limit: Timeframe) -> bool:
    """The commitment would fit if its working days were plain 24-hour days."""
    return within.turns_on_working_days and within.nominal_minutes() <= limit.worst_case_minutes


def _why(within: Timeframe, limit: Timeframe) -> str:
    explanation = working_days_explanation(within)
    if explanation is not None and _turns_on_working_days(within, limit):
        if limit.turns_on_working_days:
            explanation += f", while `{limit.text}` means at most {_worst(limit)}"
        return explanation + "."
    allowed = "no wait at all" if limit.worst_case_minutes == 0 else _worst(limit)
    return f"At worst that is {_worst(within)}, against {allowed}."


def _worst(timeframe: Timeframe) -> str:
    return format_duration(timeframe.worst_case_minutes)


def _suggestion(org: Organisation, resp: Responsibility, limit: Timeframe, days: bool) -> str:
    where = place(resp.origin.at("within"))
    target = "`immediately`" if limit.unit is Unit.IMMEDIATELY else f"`{limit.text}` or less"
    commit = "Commit to act on it " + ("" if limit.unit is Unit.IMMEDIATELY else "within ")
    commit += target
    if days:
        commit += ", in hours or calendar days so that it holds over weekends and bank holidays"
    return (
        f"{commit}, and write that as the `within` of {role_label(org, resp.role, where)}; or "
        "ask the partnership to agree a longer limit for this duty (its `max_within`)."
    )
