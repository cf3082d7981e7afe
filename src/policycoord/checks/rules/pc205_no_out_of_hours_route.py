"""PC205 no-out-of-hours-route."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import possessive
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import either, listing, place
from policycoord.model.escalation import EscalationGraph, Hop, Mode, State
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Organisation, Role


class NoOutOfHoursRoute(Rule):
    """A step goes to an office-hours role with no `out_of_hours`, though night cover is required.

    ## What it does
    For every concern whose `out_of_hours` is `required`, walks each
    organisation's path for it both as it is taken in office hours and as it
    is taken outside them (both walks must pass every check; a
    referral started at 3pm on a Friday can reach a team after it closes).
    Up to and including the first `must_reach` role of each walk (out of
    hours, or its stand-in: a 24/7 role of the same organisation that
    receives the concern; or to its end), each step whose target works
    office hours and that gives no `out_of_hours` alternative is reported
    once, however many walks pass it, at the step's `to`, with the target
    role as related location. A
    role without `contact.hours` counts as office hours; a target that does
    not exist is left to PC201. Without a `concerns` section (or with an
    empty one) it reports nothing: PC008 says there is nothing to compare
    against.

    ## Why it matters
    Children are hurt at night and at weekends too. A path that hands a
    referral to a team whose phones are off from Friday evening to Monday
    morning leaves the nurse or the coach with a child in front of them and
    nobody to call.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    concerns:
      - id: significant-harm
        title: A child is suffering, or likely to suffer, significant harm
        must_reach: [northshire-cs/mash]
        out_of_hours: required
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - {id: mash, title: Multi-Agency Safeguarding Hub, contact: {hours: office}}
      - {id: edt, title: Emergency Duty Team, contact: {hours: 24/7}}
    receives:
      - {concern: significant-harm, role: mash}
      - {concern: significant-harm, role: edt}
    # file: orgs/northshire-hospitals.yaml
    policycoord: 1
    organisation: {id: northshire-hospitals, name: Northshire Hospitals, sector: health}
    roles:
      - {id: ed-safeguarding, title: ED Safeguarding Nurse in Charge, contact: {hours: 24/7}}
    escalations:
      - concern: significant-harm
        steps:
          - {to: ed-safeguarding, within: immediately}
          - {to: northshire-cs/mash, within: 4 hours}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-hospitals.yaml
    -      - {to: northshire-cs/mash, within: 4 hours}
    +      - {to: northshire-cs/mash, within: 4 hours, out_of_hours: northshire-cs/edt}
    ```
    """

    code = "PC205"
    name = "no-out-of-hours-route"
    default_severity = Severity.ERROR
    family = "escalation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        for concern in partnership.concerns:
            graph = model.escalation_graphs.get(concern.id)
            if not concern.out_of_hours_required or graph is None:
                continue
            # both walks must pass (SPEC §3.1): a referral started in office hours can
            # reach an office-hours team after it has closed. Each step is looked at
            # once (linear in all), up to the first must_reach role of the walk.
            reported: set[State] = set()
            for mode in (Mode.OFFICE_HOURS, Mode.OUT_OF_HOURS):
                passed: set[State] = set()  # per mode: the walks differ
                for start in graph.starts():
                    for hop in graph.walk_to_must_reach(start, mode, stop_at=passed):
                        role = hop.role
                        # the target actually taken: out of hours, a step's own
                        # out_of_hours route must work 24/7 too
                        uncovered = not hop.step.out_of_hours or hop.via_out_of_hours
                        if (
                            role is not None
                            and not role.around_the_clock
                            and uncovered
                            and hop.state not in reported
                        ):
                            reported.add(hop.state)
                            yield _finding(graph, concern, hop, role)


def _office_only(role: Role) -> str:
    if role.contact is None or role.contact.hours is None:
        return "which gives no `contact.hours` and so counts as working office hours"
    return "which works office hours"


def _cover(graph: EscalationGraph, owner: str, target: str) -> tuple[list[str], bool, list[str]]:
    """The concern's must_reach roles that work 24/7, then its out-of-hours
    stand-ins (SPEC §3.1), as `owner` would write them; whether they are all
    stand-ins; and each as its organisation and title say it."""
    refs = []
    for ref in graph.concern.must_reach:
        org = graph.organisations.get(ref.organisation)
        role = org.role(ref.role) if org is not None else None
        if role is not None and role.around_the_clock:
            refs.append(ref)
    only_stand_ins = not refs
    # the stand-ins of the organisation the step goes to, if it has any: a
    # step to one council's MASH is not sent to another council's EDT at night
    own = [ref for ref in graph.stand_ins if ref.organisation == target]
    refs.extend(own or graph.stand_ins)
    written = [ref.role if ref.organisation == owner else ref.key for ref in refs]
    names = []
    for ref in refs:
        org = graph.organisations[ref.organisation]
        role = org.role(ref.role)
        names.append(f"{org.name} {role.title if role is not None else ref.role}")
    return list(dict.fromkeys(written)), only_stand_ins, list(dict.fromkeys(names))


def _open_at_night(graph: EscalationGraph, owner: Organisation) -> Role | None:
    """A role of the step's target organisation that works 24/7 but does not
    receive the concern: with a `receives` entry it would be the route."""
    receiving = {r.role for r in owner.receives if r.concern == graph.concern.id}
    for role in owner.roles:
        if role.around_the_clock and role.id not in receiving:
            return role
    return None


def _goes(hop: Hop) -> str:
    return "hands over to" if hop.handoff else "goes to its own"


def _route(hop: Hop) -> str:
    if hop.via_out_of_hours:
        return "that is the step's own out-of-hours route"
    return "the step gives no `out_of_hours` route"


def _finding(graph: EscalationGraph, concern: Concern, hop: Hop, role: Role) -> Violation:
    sender = graph.organisations[hop.state.organisation]
    owner = graph.organisations[hop.target.organisation]
    target = f"{owner.name} {role.title}" if hop.handoff else role.title
    at = hop.location  # the step's `to`, or its `out_of_hours` when that was the route taken
    cover, only_stand_ins, keepers = _cover(graph, sender.id, hop.target.organisation)
    if cover:
        add = listing(f"`out_of_hours: {ref}`" for ref in cover).replace(" and ", " or ")
        why = (
            f"stands in out of hours for the role {concern.id} must reach"
            if only_stand_ins
            else f"is a role {concern.id} must reach"
        )
        suggestion = (
            f"Agree that {either(keepers)} takes this referral out of hours "
            f"({'it works' if len(keepers) == 1 else 'each works'} 24/7 and {why}); then "
            f"{'use' if hop.via_out_of_hours else 'add'} {add} on this step ({place(at)})."
        )
    elif (night := _open_at_night(graph, owner)) is not None:
        ref = night.id if owner.id == sender.id else f"{owner.id}/{night.id}"
        suggestion = (
            f"Agree with {owner.name} that its {night.title}, which works 24/7, takes "
            f"{concern.id} out of hours; then it adds a `receives` entry for "
            f"{concern.id} with `role: {night.id}`, and this step gets "
            f"`out_of_hours: {ref}` ({place(at)})."
        )
    else:
        suggestion = (
            "Agree who takes this referral at night and at weekends: a team that works "
            "24/7, such as an emergency duty team or the police. Then add `out_of_hours:` "
            f"with that role on this step ({place(at)}), and give the role "
            "`contact.hours: 24/7`."
        )
    return Violation(
        message=(
            f"{possessive(sender.name)} {concern.id} path {_goes(hop)} {target}, "
            f"{_office_only(role)}, and {_route(hop)}: at night or at a weekend the "
            "referral has nowhere to go."
        ),
        location=at,
        subject=f"{concern.id}:{hop.target.key}",
        suggestion=suggestion,
        organisation=sender.id,
        related=(role.origin.location,),
    )
