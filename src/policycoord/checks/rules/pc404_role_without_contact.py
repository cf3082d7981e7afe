"""PC404 role-without-contact."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import possessive
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Origin, Role


class RoleWithoutContact(Rule):
    """A role that other organisations escalate to has no way to reach it.

    ## What it does
    Finds every role that a step of another organisation's escalation path
    targets (its `to` or its `out_of_hours`), and reports the role when it
    has no `contact`, or a `contact` with neither a `phone` nor an `email`
    (its `hours` alone reach nobody). One finding per role, on the role's
    `contact` (or the role itself when it has none), belonging to the
    organisation that owns the role, with up to three of the steps that
    target it as related locations; the message counts and names the
    organisations that escalate to it. Steps inside an organisation are not
    counted: its own staff know how to reach their colleagues. A target
    that does not exist is left to PC201.

    ## Why it matters
    An escalation path is a promise that someone will pick up. When a
    school's policy says "refer to the MASH" and the MASH's entry gives no
    phone number or email address, the member of staff with a worried
    child in front of them has to search for one, and a referral that
    should take minutes can take hours.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    roles:
      - id: mash
        title: Multi-Agency Safeguarding Hub
        contact: {hours: office}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
        contact: {phone: "01632 960500", hours: office}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dsl, within: immediately}
          - {to: northshire-cs/mash, within: 24 hours}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-cs.yaml
    -    contact: {hours: office}
    +    contact: {phone: "01632 960100", email: mash@northshire-council.example, hours: office}
    ```
    """

    code = "PC404"
    name = "role-without-contact"
    default_severity = Severity.WARNING
    family = "governance"

    def check(self, model: Model) -> Iterator[Violation]:
        callers = _callers(model)
        if not callers:
            return
        for owner in model.organisations:
            for role in owner.roles:
                found = callers.get(role.key)
                if found is not None:
                    yield _violation(owner, role, found)


#: At most this many organisations are named, and this many steps related.
SHOWN = 3


@dataclass(slots=True)
class _Callers:
    """The other organisations whose escalation steps target a role."""

    senders: dict[str, Organisation] = field(default_factory=dict)  # by id, in path order
    steps: list[tuple[Origin, str]] = field(default_factory=list)  # each step, and its field

    def first_steps(self) -> list[Location]:
        """The SHOWN steps that come first by path, line and column. Only the
        steps in the first files by path are located: a role that hundreds of
        organisations escalate to does not make every one of their files give
        its positions."""
        steps = self.steps
        if len(steps) > SHOWN:
            last_path = sorted(origin.path for origin, _ in steps)[SHOWN - 1]
            steps = [(origin, name) for origin, name in steps if origin.path <= last_path]
        located = [origin.at(name) for origin, name in steps]
        return sorted(located, key=Location.sort_key)[:SHOWN]


def reachable(role: Role) -> bool:
    """True when the role gives a phone number or an email address (hours
    alone reach nobody)."""
    contact = role.contact
    if contact is None:
        return False
    return bool((contact.phone or "").strip() or (contact.email or "").strip())


def _callers(model: Model) -> dict[str, _Callers]:
    """Per role key (`org/role`) without a usable contact, who escalates to it."""
    found: dict[str, _Callers] = {}
    for sender in model.organisations:
        for escalation in sender.escalations:
            for step in escalation.steps:
                for name, ref in (("to", step.to), ("out_of_hours", step.out_of_hours)):
                    if ref is None or ref.organisation == sender.id:
                        continue  # a step inside the organisation
                    role = model.role(ref)
                    if role is None or reachable(role):
                        continue  # PC201 reports a target that does not exist
                    callers = found.setdefault(role.key, _Callers())
                    callers.senders.setdefault(sender.id, sender)
                    callers.steps.append((step.origin, name))
    return found


def _who(senders: list[Organisation]) -> str:
    """`2 organisations escalate to it (A and B)`, naming at most three."""
    names = [org.name for org in senders[:SHOWN]]
    if len(senders) > SHOWN:
        names.append(f"{len(senders) - SHOWN} more")
    count = len(senders)
    verb = "organisation escalates" if count == 1 else "organisations escalate"
    return f"{count} {verb} to it ({listing(names)})"


def _violation(owner: Organisation, role: Role, callers: _Callers) -> Violation:
    location = role.origin.at("contact") if role.contact is not None else role.origin.location
    label = f"`{role.id}`" if role.title == role.id else f"{role.title} (`{role.id}`)"
    if role.contact is None:
        lack = "has no contact details"
        suggestion = (
            "Say how staff who escalate to it reach it: a phone number or an email address, "
            f"and when it answers. Add them to the role `{role.id}` at {place(location)} as "
            "`contact: {phone: ..., email: ..., hours: ...}`, with `hours: 24/7` if it answers "
            "around the clock."
        )
    else:
        lack = "has a `contact` with no phone number or email address"
        hours = role.contact.hours or "..."
        suggestion = (
            "Give a phone number and an email address that reach it, so that everyone who "
            f"escalates to it can. Add them to the `contact` of the role `{role.id}` at "
            f"{place(location)}: `contact: {{phone: ..., email: ..., hours: {hours}}}`."
        )
    senders = list(callers.senders.values())
    steps = callers.first_steps()
    return Violation(
        message=(
            f"{possessive(owner.name)} {label} {lack}, but {_who(senders)}: their staff have "
            "no phone number or email address to reach it when they are worried about a child."
        ),
        location=location,
        subject=role.id,
        suggestion=suggestion,
        organisation=owner.id,
        related=tuple(steps),
    )
