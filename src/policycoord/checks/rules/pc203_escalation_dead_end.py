"""PC203 escalation-dead-end."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import role_name
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import either
from policycoord.model.escalation import (
    EscalationGraph,
    Mode,
    Outcome,
    State,
    describe,
    organisations_passed,
    same_walk,
)
from policycoord.model.model import Model
from policycoord.model.policies import RoleRef


class EscalationDeadEnd(Rule):
    """An escalation path ends without reaching a role the concern must reach.

    ## What it does
    For every concern in the partnership file with `must_reach` roles, walks
    each organisation's escalation path for it, continuing along the
    receiving organisation's own path at each hand-off, in office
    hours and out of hours. A walk that ends (at its last step, at a role
    that does not exist, or at an organisation with no path of its own for
    the concern) without passing one of the `must_reach` roles is a dead end.
    Out of hours, a `must_reach` role that works office hours (the MASH) is
    stood in for by every role of the same organisation that works 24/7 and
    receives the concern (its emergency duty team): reaching it counts. It
    is reported on the organisation where the walk starts, at its
    escalation entry for the concern, with the step where the walk ends as
    the related location; the message names each hop. When both walks are
    dead ends it is one finding giving both. A walk that goes round in a
    loop is PC202's, not a dead end. Concerns without `must_reach` and
    partnerships without a `concerns` section (or with an empty one) give
    nothing.

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
        must_reach: [northshire-cs/mash]
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: MASH, contact: {hours: office}}
      - {id: edt, title: EDT, contact: {hours: 24/7}}
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
    scope = "walk"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            graph = model.escalation_graphs.get(concern.id)
            if graph is None or not concern.must_reach:
                continue
            for start in graph.starts_of(model.organisations):
                dead = [
                    mode
                    for mode in (Mode.OFFICE_HOURS, Mode.OUT_OF_HOURS)
                    if _dead(graph.outcome(start, mode))
                ]
                if dead:  # both walks failing is one finding (SPEC §3.1)
                    yield _finding(model, graph, start, tuple(dead))


def _dead(outcome: Outcome) -> bool:
    """The walk ends without passing a must_reach role (a cycle is PC202's)."""
    return not outcome.reaches and not outcome.cycle and outcome.end is not None


def _end(model: Model, graph: EscalationGraph, end: RoleRef) -> str:
    """`Northshire Children's Services MASH`, and why the walk stops there
    when that is not plain: the role does not exist, or its organisation has
    no path for the concern to carry on along."""
    owner = model.organisation(end.organisation)
    if owner is None:
        unread = [path for path, org in model.claimed_files.items() if org == end.organisation]
        if unread:
            return f"`{end.text}`, whose organisation's policy file ({unread[0]}) could not be read"
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


def _shorts(model: Model, refs: tuple[RoleRef, ...]) -> list[str]:
    """Each role by its title, with its organisation's name where two
    organisations' roles share a title (each council has a LADO)."""
    titles = [_short(model, ref) for ref in refs]
    shared = {title for title in titles if titles.count(title) > 1}
    return [
        f"{_organisation(model, ref)} {title}" if title in shared else title
        for ref, title in zip(refs, titles, strict=True)
    ]


def _organisation(model: Model, ref: RoleRef) -> str:
    owner = model.organisation(ref.organisation)
    return owner.name if owner is not None else f"`{ref.organisation}`"


def _targets(model: Model, graph: EscalationGraph, mode: Mode) -> list[RoleRef]:
    """What a walk in `mode` may end at to arrive: in office hours every
    must_reach role; out of hours the ones that work 24/7 and the stand-ins
    (a team closed at night is no destination then), maybe none."""
    if mode is Mode.OFFICE_HOURS:
        return list(graph.concern.must_reach)
    open_at_night = [ref for ref in graph.concern.must_reach if _around_the_clock(model, ref)]
    return [*open_at_night, *graph.stand_ins]


def _around_the_clock(model: Model, ref: RoleRef) -> bool:
    role = model.role(ref)
    return role is not None and role.around_the_clock


def _reaching(model: Model, graph: EscalationGraph, night: bool) -> str:
    """`MASH or EDT`; out of hours with stand-ins, `MASH or Emergency Duty
    Team, which stands in for it out of hours`."""
    short = either(_shorts(model, graph.concern.must_reach))
    if not night or not graph.stand_ins:
        return short
    standing = either(_shorts(model, graph.stand_ins))
    verb = "stands" if len(graph.stand_ins) == 1 else "stand"
    return f"{short}, or {standing}, which {verb} in out of hours"


def _could_stand_in(model: Model, graph: EscalationGraph, end: RoleRef) -> RoleRef | None:
    """The office-hours must_reach role that `end` would stand in for with a
    `receives` entry: `end` works 24/7, belongs to the must_reach role's
    organisation and does not receive the concern."""
    role = model.role(end)
    if role is None or not role.around_the_clock or graph.stands_in_for(end):
        return None
    for ref in graph.concern.must_reach:
        if (
            ref.organisation == end.organisation
            and not _around_the_clock(model, ref)
            and model.role(ref) is not None
        ):
            return ref
    return None


def _finding(
    model: Model, graph: EscalationGraph, start: State, modes: tuple[Mode, ...]
) -> Violation:
    concern = graph.concern
    walks = {mode: list(graph.walk(start, mode)) for mode in modes}
    both = len(modes) == 2
    alike = both and same_walk(walks[Mode.OFFICE_HOURS], walks[Mode.OUT_OF_HOURS])
    parts = []
    for mode, hops in walks.items():
        night = mode is Mode.OUT_OF_HOURS
        if night and alike:
            continue
        said = f"goes {describe(hops, graph)} and ends at {_end(model, graph, hops[-1].target)}"
        if not night:
            parts.append(f"The {concern.id} path {said}")
        elif both:
            parts.append(f"out of hours it {said}")
        else:
            parts.append(f"Out of hours, the {concern.id} path {said}")
    night_too = Mode.OUT_OF_HOURS in modes
    message = "; ".join(parts)  # the same walk day and night is said once
    message += f", without reaching {_reaching(model, graph, night_too)}."
    suggestion = _suggestion(model, graph, modes)
    night_end = walks[Mode.OUT_OF_HOURS][-1].target if night_too else None
    could = _could_stand_in(model, graph, night_end) if night_end is not None else None
    if night_end is not None and could is not None:
        owner = model.organisation(night_end.organisation)
        title = _short(model, night_end)
        message += (
            f" {title} works 24/7 but {owner.name if owner else night_end.organisation} "
            f"does not list it as receiving {concern.id}; with a `receives` entry for it, "
            f"it would stand in for {_short(model, could)} out of hours."
        )
        suggestion = (
            f"Agree with {owner.name if owner else night_end.organisation} that its "
            f"{title} takes {concern.id} out of hours; then add "
            f"`{{concern: {concern.id}, role: {night_end.role}}}` to its `receives`."
        )
        if Mode.OFFICE_HOURS in modes:
            suggestion += " In office hours: " + _suggestion(model, graph, (Mode.OFFICE_HOURS,))
    related = dict.fromkeys(hops[-1].location for hops in walks.values())
    return Violation(
        message=message,
        location=graph.paths[start.organisation].origin.at("concern"),
        subject=concern.id if Mode.OFFICE_HOURS in modes else f"{concern.id}:out-of-hours",
        suggestion=suggestion,
        organisation=start.organisation,
        related=tuple(related),
        about=organisations_passed(walks.values(), start.organisation),
    )


def _suggestion(model: Model, graph: EscalationGraph, modes: tuple[Mode, ...]) -> str:
    """Where to continue the path: in office hours to a must_reach role; out
    of hours only to one that is open then (a 24/7 must_reach role or a
    stand-in), never to a team that is closed at night; with none, which
    role to agree on."""
    said = []
    for mode in modes:
        night = mode is Mode.OUT_OF_HOURS
        names = [
            role_name(model, ref)
            + (" (it stands in out of hours)" if night and graph.stands_in_for(ref) else "")
            for ref in _targets(model, graph, mode)
        ]
        if names:
            said.append((" out of hours" if night else "", either(names)))
    if len(said) == 2 and said[0][1] == said[1][1]:
        said = [("", said[0][1])]
    text = "; ".join(f"continue the path{when} to {names}" for when, names in said)
    if text:
        text = (
            text[0].upper()
            + text[1:]
            + ", or hand it to an organisation whose own path for the concern gets there."
        )
    if Mode.OFFICE_HOURS in modes:
        text += (
            f" If it should end elsewhere, agree the roles {graph.concern.id} must reach at "
            "the partnership board and change its `must_reach` in the partnership file."
        )
    if Mode.OUT_OF_HOURS in modes and not _targets(model, graph, Mode.OUT_OF_HOURS):
        owners = either(dict.fromkeys(_organisation(model, r) for r in graph.concern.must_reach))
        text += (" " if text else "") + (
            f"Nothing that {graph.concern.id} must reach works at night: agree which team of "
            f"{owners} takes it out of hours (an emergency duty team); give that role "
            f"`contact.hours: 24/7` and a `receives` entry for {graph.concern.id}, and route "
            "the path's `out_of_hours` to it."
        )
    return text
