"""PC105 timeframes-disagree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import duty_label, organisation_name
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing, place
from policycoord.core.timeframes import Timeframe, format_duration
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Responsibility


class TimeframesDisagree(Rule):
    """Organisations commit to different timeframes for the same `partnership` duty.

    ## What it does
    For each duty with `scope: partnership`, compares the `within` of every
    responsibility that is `accountable` or `responsible` for it. When
    organisations promise timeframes whose worst cases differ, it reports
    the duty once, listing each organisation, its timeframe (and its worst
    case when that differs from the words) and where it is written.
    Timeframes are compared by their worst case in hours, so `24 hours` and
    `1 day` agree, while `1 working day` (up to 96 hours) does not agree
    with `24 hours`. `consulted` and `informed` entries, responsibilities
    without `within`, and `each-member` duties (where each organisation
    acts for itself) are not compared; nor are two timeframes written by the
    same organisation alone.

    ## Why it matters
    A duty the partnership carries out together only works if everyone
    expects the same pace. When the police plan for a strategy discussion
    within 24 hours and children's social care within a working day, each
    waits for the other, and the child waits for both.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    duties:
      - id: convene-strategy-discussion
        title: Convene a strategy discussion about a child at risk of significant harm
        scope: partnership
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - id: mash
        title: Multi-Agency Safeguarding Hub
    responsibilities:
      - duty: convene-strategy-discussion
        role: mash
        raci: accountable
        within: 1 working day
    # file: orgs/northshire-police.yaml
    policycoord: 1
    organisation: {id: northshire-police, name: Northshire Police, sector: police}
    roles:
      - id: ppu
        title: Public Protection Unit
    responsibilities:
      - duty: convene-strategy-discussion
        role: ppu
        raci: responsible
        within: 24 hours
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
         scope: partnership
    +    max_within: 24 hours
    # file: orgs/northshire-cs.yaml
    -    within: 1 working day
    +    within: 1 day
    ```
    """

    code = "PC105"
    name = "timeframes-disagree"
    default_severity = Severity.WARNING
    family = "conflicts"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.duties:
            return
        for duty in partnership.duties:
            if duty.scope != "partnership":
                continue
            commitments = _commitments(duty.id, model)
            worst_cases = {within.worst_case_minutes for _, within in commitments}
            organisations = {resp.organisation for resp, _ in commitments}
            if len(worst_cases) < 2 or len(organisations) < 2:
                continue
            related = tuple(resp.origin.at("within") for resp, _ in commitments)
            parts = [
                f"{organisation_name(model, resp.organisation)} {_timeframe(within)} "
                f"({place(where)})"
                for (resp, within), where in zip(commitments, related, strict=True)
            ]
            yield Violation(
                message=(
                    f"Organisations commit to different timeframes for {duty_label(duty)}, "
                    f"a duty {partnership.name} carries out together: {listing(parts)}."
                ),
                location=duty.origin.at("id"),
                subject=duty.id,
                suggestion=_suggestion(model, duty, commitments),
                organisation=None,
                related=related,
            )


_COMMITTING = frozenset({"accountable", "responsible"})


def _timeframe(within: Timeframe) -> str:
    """`1 working day` (at worst 96 hours): the worst case only when the words differ."""
    worst = format_duration(within.worst_case_minutes)
    if worst == within.text:
        return f"`{within.text}`"
    return f"`{within.text}` (at worst {worst})"


def _commitments(duty_id: str, model: Model) -> list[tuple[Responsibility, Timeframe]]:
    return [
        (resp, resp.within)
        for resp in model.responsibilities_for(duty_id)
        if resp.raci in _COMMITTING and resp.within is not None
    ]


def _suggestion(
    model: Model, duty: Duty, commitments: Sequence[tuple[Responsibility, Timeframe]]
) -> str:
    fastest = min(within.worst_case_minutes for _, within in commitments)
    first = next(within for _, within in commitments if within.worst_case_minutes == fastest)
    holders = dict.fromkeys(
        organisation_name(model, resp.organisation)
        for resp, within in commitments
        if within.worst_case_minutes == fastest
    )
    advice = (
        f"Agree one timeframe for `{duty.id}` across the partnership and write it in each "
        f"of these policies; the fastest promised now is `{first.text}` ({listing(holders)})."
    )
    if duty.max_within is None:
        advice += (
            " Recording it as the duty's `max_within` in the partnership file lets "
            "policycoord hold everyone to it."
        )
    return advice
