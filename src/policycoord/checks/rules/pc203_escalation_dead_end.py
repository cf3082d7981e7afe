"""PC203 escalation-dead-end."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import must_reach_names
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import either
from policycoord.model.escalation import EscalationGraph, Mode, Outcome, State, describe
from policycoord.model.model import Model
from policycoord.model.policies import RoleRef


class EscalationDeadEnd(Rule):
    """An escalation path ends without reaching a role the concern must reach.

    ## What it does
    For every concern in the partnership file with `must_reach` roles, walks
    each organisation's escalation path for it, continuing along the
    receiving organisation's own path at each hand-off (SPEC §3.1), in office
    hours and out of hours. A walk that ends (at its last step, at a role
    that does not exist, or at an organisation with no path of its own for
    the concern) without passing one of the `must_reach` roles is a dead end.
    It is reported on the organisation where the walk starts, at its
    escalation entry for the concern, with the step where the walk ends as
    the related location; the message names each hop. The office-hours dead
    end is reported; an out-of-hours one only when the office-hours walk is
    fine or ends somewhere else. A walk that goes round in a loop is PC202's,
    not a dead end. Concerns without `must_reach` and partnerships without a
    `concerns` section (or with an empty one) give nothing.

    ## Why it matters
    The person worried about a child does exactly what the policy says, and
    the concern stops with someone who cannot act on it, or with a team that
    no longer exists. Nobody with the power to protect the child ever hears
    about it, and everyone along the way believes it was passed on.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    concerns:
      - id: significant-harm
        title: A child is suffering, or likely to suffer, significant harm
        must_reach: [northshire-cs/mash, northshire-cs/edt]
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: MASH}
      - {id: edt, title: EDT}
    receives:
      - {concern: significant-harm, role: mash, from: ["*"]}
      - {concern: significant-harm, role: edt, from: ["*"]}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Juniors Football Club, sector: sport}
    roles:
      - {id: dso, title: Club Welfare Officer}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dso, within: immediately}
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
           - {to: dso, within: immediately}
    +      - {to: northshire-cs/mash, within: 4 hours, out_of_hours: northshire-cs/edt}
    ```
    """

    code = "PC203"
    name = "escalation-dead-end"
    default_severity = Severity.ERROR
    family = "escalation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            graph = model.escalation_graphs.get(concern.id)
            if graph is None or not concern.must_reach:
                continue
            for start in graph.starts():
                office = graph.outcome(start, Mode.OFFICE_HOURS)
                night = graph.outcome(start, Mode.OUT_OF_HOURS)
                if _dead(office):
                    yield _finding(model, graph, start, Mode.OFFICE_HOURS)
                if _dead(night) and not (
                    _dead(office)
                    and office.end is not None
                    and night.end is not None
                    and office.end.key == night.end.key
                ):
                    yield _finding(model, graph, start, Mode.OUT_OF_HOURS)


def _dead(outcome: Outcome) -> bool:
    """The walk ends without passing a must_reach role (a cycle is PC202's)."""
    return not outcome.reaches and not outcome.cycle and outcome.end is not None


def _end(model: Model, graph: EscalationGraph, end: RoleRef) -> str:
    """`Northshire Children's Services MASH`, and why the walk stops there
    when that is not plain: the role does not exist, or its organisation has
    no path for the concern to carry on along."""
    owner = model.organisation(end.organisation)
    if owner is None:
        return f"`{end.text}`, whose organisation has no policy file"
    role = owner.role(end.role)
    if role is None:
        return f"{owner.name} `{end.role}`, which does not exist"
    said = f"{owner.name} {role.title}"
    path = graph.paths.get(owner.id)
    if path is None:
        return f"{said}, where {owner.name} has no path for {graph.concern.id} to carry it on"
    return said


def _short(model: Model, ref: RoleRef) -> str:
    """`MASH`: a must_reach role by its title, or as written when it does not exist."""
    role = model.role(ref)
    return role.title if role is not None else f"`{ref.text}`"


def _finding(model: Model, graph: EscalationGraph, start: State, mode: Mode) -> Violation:
    concern = graph.concern
    hops = list(graph.walk(start, mode))
    last = hops[-1]
    when = "Out of hours, the" if mode is Mode.OUT_OF_HOURS else "The"
    short = either([_short(model, ref) for ref in concern.must_reach])
    return Violation(
        message=(
            f"{when} {concern.id} path goes {describe(hops, graph)} and ends at "
            f"{_end(model, graph, last.target)}, without reaching {short}."
        ),
        location=graph.paths[start.organisation].origin.at("concern"),
        subject=concern.id if mode is Mode.OFFICE_HOURS else f"{concern.id}:out-of-hours",
        suggestion=(
            "Continue the path"
            + (" out of hours" if mode is Mode.OUT_OF_HOURS else "")
            + f" to {either(must_reach_names(model, graph.concern))}, or hand it to an "
            "organisation whose own path for the concern gets there."
        ),
        organisation=start.organisation,
        related=(last.location,),
    )
