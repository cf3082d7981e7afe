"""PC202 escalation-cycle."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import must_reach_names, organisation_name, possessive
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import either, listing
from policycoord.model.escalation import Cycle, EscalationGraph, Mode, describe
from policycoord.model.model import Model


class EscalationCycle(Rule):
    """Following escalations for a concern comes back to where it started.

    ## What it does
    Walks every organisation's escalation path for each concern in the
    partnership file, continuing along the receiving organisation's own path
    at each hand-off, in office hours and out of hours. When the
    walk comes back to a step it has already taken, the concern goes round
    in a loop. Each loop is reported once per concern and set of roles, on
    the organisation on it whose file sorts first, at the step that organisation
    takes on the loop; the message names every organisation and role around
    the loop in order, and the other steps of the loop are the related
    locations. A loop that only happens out of hours (or only in office
    hours) says so. A loop is not also reported as a dead end (PC203).
    Without a `concerns` section (or with an empty one) it reports nothing:
    PC008 says there is nothing to compare against.

    ## Why it matters
    A worry about a child that is passed from the school to the club and from
    the club back to the school never reaches anyone who can act on it. Each
    organisation believes it has done its part by passing it on, and the
    child is left where they were, with everyone sure somebody else has it.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    concerns:
      - id: significant-harm
        title: A child is suffering, or likely to suffer, significant harm
        must_reach: [northshire-cs/mash]
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: Multi-Agency Safeguarding Hub}
    receives:
      - {concern: significant-harm, role: mash, from: ["*"]}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Juniors Football Club, sector: sport}
    roles:
      - {id: dso, title: Club Welfare Officer}
    receives:
      - {concern: significant-harm, role: dso, from: [education]}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dso, within: immediately}
          - {to: st-marys-primary/dsl, within: 1 hour}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    receives:
      - {concern: significant-harm, role: dsl, from: [sport]}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dsl, within: immediately}
          - {to: riverside-fc/dso, within: 1 hour}
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -      - {to: st-marys-primary/dsl, within: 1 hour}
    +      - {to: northshire-cs/mash, within: 1 hour}
    # file: orgs/st-marys-primary.yaml
    -      - {to: riverside-fc/dso, within: 1 hour}
    +      - {to: northshire-cs/mash, within: 1 hour}
    ```
    """

    code = "PC202"
    name = "escalation-cycle"
    default_severity = Severity.ERROR
    family = "escalation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            graph = model.escalation_graphs.get(concern.id)
            if graph is None:
                continue
            found: dict[frozenset[str], tuple[Cycle, list[Mode]]] = {}
            for mode in (Mode.OFFICE_HOURS, Mode.OUT_OF_HOURS):
                for cycle in graph.cycles(mode):
                    roles = frozenset(hop.target.key for hop in cycle.hops)
                    if roles in found:
                        found[roles][1].append(mode)
                    else:
                        found[roles] = (cycle, [mode])
            for roles, (cycle, modes) in found.items():
                yield _finding(model, graph, cycle, roles, modes)


def _finding(
    model: Model,
    graph: EscalationGraph,
    cycle: Cycle,
    roles: frozenset[str],
    modes: list[Mode],
) -> Violation:
    concern = graph.concern
    first = cycle.hops[0]
    when = f" ({modes[0].value})" if len(modes) == 1 else ""
    who = organisation_name(model, first.state.organisation)
    ends = must_reach_names(model, graph.concern)
    agree = "Agree between these organisations who carries the concern on"
    if ends:
        where = "where the partnership says it must arrive (`must_reach`)"
        advice = (
            f"{agree}; then end the path at {either(ends)}, {where}, instead of handing it back"
        )
    else:
        advice = f"{agree}; then end one organisation's path there instead of handing it back"
    names = listing(organisation_name(model, org_id) for org_id in cycle.organisations)
    return Violation(
        message=(
            f"Following `{concern.id}` ({concern.title}) comes back to where it started: "
            f"{describe(list(cycle.hops), graph)} → back to the start{when}. "
            "The concern goes round "
            f"between {names}."
        ),
        location=first.location,
        subject=f"{concern.id}:" + ",".join(sorted(roles)),
        suggestion=f"{advice}: for example, change this step of {possessive(who)} path.",
        organisation=first.state.organisation,
        related=tuple(hop.location for hop in cycle.hops[1:]),
    )
