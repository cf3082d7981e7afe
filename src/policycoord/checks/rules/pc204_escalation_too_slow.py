"""PC204 escalation-too-slow."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing, place, possessive
from policycoord.core.timeframes import Timeframe, format_duration, working_days_explanation
from policycoord.model.escalation import (
    EscalationGraph,
    Hop,
    Mode,
    Outcome,
    State,
    describe,
    organisations_passed,
    same_walk,
)
from policycoord.model.model import Model
from policycoord.model.policies import Concern


class EscalationTooSlow(Rule):
    """The worst-case time along an escalation path is longer than the concern's `max_total`.

    ## What it does
    For every concern with a `max_total`, walks each organisation's path for
    it, in office hours and out of hours, and adds up the worst
    case of every step's `within` up to the first `must_reach` role (out of
    hours, or its stand-in: a 24/7 role of the same organisation that
    receives the concern, such as the emergency duty team for the MASH; or
    to the end of the walk). A hand-off continues along the receiving
    organisation's own path, so its steps count too; a step without
    `within` counts as no time. When the sum is longer than `max_total` at
    worst, the finding is on the organisation's escalation entry for the
    concern, with every step that has a `within` on the way as related
    locations. There is one finding per concern and starting organisation:
    when both walks are too slow it gives both (said once when they are the
    same walk); when only the out-of-hours walk is, its subject ends in
    `:out-of-hours`. A walk that runs
    into a cycle is left to PC202. When the path would fit if working days
    were plain 24-hour days, the message says so. Without a `concerns`
    section (or with an empty one) it reports nothing: PC008 says there is
    nothing to compare against.

    ## Why it matters
    `max_total` is the partnership's promise of how long a worried adult's
    concern may take to reach the people who can protect the child. Each
    organisation's own deadline can look reasonable while the steps added
    together break that promise: a referral made on a Friday evening can
    sit until Tuesday while the child stays where they are.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    concerns:
      - id: significant-harm
        title: A child is suffering, or likely to suffer, significant harm
        must_reach: [northshire-cs/mash]
        max_total: 24 hours
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: Multi-Agency Safeguarding Hub}
    receives:
      - {concern: significant-harm, role: mash}
    # file: orgs/northshire-academy.yaml
    policycoord: 1
    organisation: {id: northshire-academy, name: Northshire Academy, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dsl, within: immediately}
          - {to: northshire-cs/mash, within: 1 working day}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-academy.yaml
    -      - {to: northshire-cs/mash, within: 1 working day}
    +      - {to: northshire-cs/mash, within: 4 hours}
    ```
    """

    code = "PC204"
    name = "escalation-too-slow"
    default_severity = Severity.ERROR
    family = "escalation"
    scope = "walk"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            limit = concern.max_total
            graph = model.escalation_graphs.get(concern.id)
            if limit is None or graph is None:
                continue
            for start in graph.starts_of(model.organisations):
                slow = {
                    mode: outcome
                    for mode in (Mode.OFFICE_HOURS, Mode.OUT_OF_HOURS)
                    if _too_slow(outcome := graph.outcome(start, mode), limit)
                }
                if slow:  # both walks too slow is one finding (SPEC §3.1)
                    yield _finding(graph, concern, limit, start, slow)


def _allows(limit: Timeframe) -> str:
    """`` `24 hours` ``, or `` `1 working day` (at worst 96 hours) ``."""
    if limit.turns_on_working_days:
        return f"`{limit.text}` (at worst {format_duration(limit.worst_case_minutes)})"
    return f"`{limit.text}`"


def _working_days_for(walks: list[list[Hop]], limit: Timeframe) -> str:
    """The §2.1 wording when every walk the message gives would fit if
    working days were plain days (said once)."""
    said = [_working_days(walk, limit) for walk in walks]
    return said[0] if said and all(said) else ""


def _working_days(hops: list[Hop], limit: Timeframe) -> str:
    """The §2.1 wording when the path fits if working days were plain days."""
    withins = [hop.step.within for hop in hops if hop.step.within is not None]
    if not any(within.turns_on_working_days for within in withins):
        return ""
    if sum(within.nominal_minutes() for within in withins) > limit.worst_case_minutes:
        return ""
    explanations = dict.fromkeys(
        text for within in withins if (text := working_days_explanation(within)) is not None
    )
    return " It would fit if working days were plain days, but " + "; ".join(explanations) + "."


def _too_slow(outcome: Outcome, limit: Timeframe) -> bool:
    return not outcome.cycle and outcome.minutes > limit.worst_case_minutes


def _finding(
    graph: EscalationGraph,
    concern: Concern,
    limit: Timeframe,
    start: State,
    slow: dict[Mode, Outcome],
) -> Violation:
    """One finding for the walks from `start` that are too slow: the
    office-hours walk, the out-of-hours one, or both (said once when they
    are the same walk)."""
    org = graph.organisations[start.organisation]
    walks = {mode: list(graph.walk_to_must_reach(start, mode)) for mode in slow}
    limit_at = concern.origin.at("max_total")
    office = walks.get(Mode.OFFICE_HOURS)
    night = walks.get(Mode.OUT_OF_HOURS)
    if night is not None and office is not None and same_walk(office, night):
        night = None
    parts = []
    if office is not None:
        took = format_duration(slow[Mode.OFFICE_HOURS].minutes)
        parts.append(
            f"The {concern.id} path goes {describe(office, graph)}: at worst that takes {took}"
        )
    if night is not None:
        took = format_duration(slow[Mode.OUT_OF_HOURS].minutes)
        parts.append(
            f"{'out of hours it' if parts else f'Out of hours, the {concern.id} path'} goes "
            f"{describe(night, graph)}: at worst that takes {took}"
        )
    hops = [hop for walk in walks.values() for hop in walk]
    message = (
        "; ".join(parts)
        + f", but the partnership allows {_allows(limit)} for the whole path ({place(limit_at)})."
        + _working_days_for([walk for walk in (office, night) if walk is not None], limit)
    )
    timed = list({hop.state: hop for hop in hops if hop.step.within is not None}.values())
    slowest = max(timed, key=lambda hop: hop.minutes)
    slowest_org = graph.organisations[slowest.state.organisation]
    days = any(hop.step.within.turns_on_working_days for hop in timed if hop.step.within)
    who = listing(dict.fromkeys(graph.organisations[h.state.organisation].name for h in timed))
    suggestion = (
        f"Agree quicker timeframes with {who}, so that the steps together take "
        f"`{limit.text}` or less at worst"
        f"{', in hours or calendar days rather than working days' if days else ''}; "
        f"the longest is {possessive(slowest_org.name)} "
        f"`{slowest.step.within.text if slowest.step.within else ''}` "
        f"({place(slowest.step.origin.at('within'))}). Then change those steps' `within`s. "
        f"Or ask the partnership to agree a longer limit for {concern.id} (its `max_total`)."
    )
    return Violation(
        message=message,
        location=graph.paths[start.organisation].origin.at("concern"),
        subject=concern.id if Mode.OFFICE_HOURS in slow else f"{concern.id}:out-of-hours",
        suggestion=suggestion,
        organisation=org.id,
        related=tuple(hop.step.origin.at("within") for hop in timed),
        about=organisations_passed(walks.values(), start.organisation),
    )
