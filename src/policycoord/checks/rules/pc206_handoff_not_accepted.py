"""PC206 handoff-not-accepted."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Escalation, Organisation, Receipt, RoleRef, Step


class HandoffNotAccepted(Rule):
    """A step hands a concern to an organisation that does not accept it from the sender.

    ## What it does
    For every step (and every `out_of_hours` alternative) that hands a
    concern to a role of another organisation, checks that the receiving
    organisation has a `receives` entry for that concern whose `role` is the
    step's target and whose `from` names the sender's sector, the sender's
    id or `"*"` (an entry without `from` accepts the concern from anyone). A
    step to a role of the sender's own organisation is not a hand-off. A
    target organisation or role that does not exist is left to PC201, and
    so is a concern the partnership lacks. The finding is on the sender's
    step, with the receiver's `receives` entries for the concern (or its id
    when it has none) as related locations. Without a `concerns` section
    (or with an empty one) it reports nothing: PC008 says there is nothing
    to compare against.

    ## Why it matters
    A hand-off works only if both sides agree on it. When a club sends its
    referrals to a team that does not expect them from clubs, the referral
    is bounced, redirected or left in a queue that nobody watches, while the
    club believes the child is being helped.

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
      - {concern: significant-harm, role: mash, from: [health]}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dsl, within: immediately}
          - {to: northshire-cs/mash, within: 24 hours}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-cs.yaml
    -  - {concern: significant-harm, role: mash, from: [health]}
    +  - {concern: significant-harm, role: mash, from: [health, education]}
    ```
    """

    code = "PC206"
    name = "handoff-not-accepted"
    default_severity = Severity.WARNING
    family = "escalation"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        concern_ids = {concern.id for concern in partnership.concerns}
        for sender in model.organisations:
            for escalation in sender.escalations:
                if escalation.concern not in concern_ids:
                    continue  # PC201 reports the concern
                receipts = model.receipts_for(escalation.concern)
                for step in escalation.steps:
                    for field, ref in (("to", step.to), ("out_of_hours", step.out_of_hours)):
                        if ref is None or ref.organisation == sender.id:
                            continue  # not a hand-off
                        receiver = model.organisation(ref.organisation)
                        if receiver is None or receiver.role(ref.role) is None:
                            continue  # PC201 reports the target
                        if model.accepting_receipts(escalation.concern, sender, ref):
                            continue
                        own = tuple(r for r in receipts if r.organisation == receiver.id)
                        yield _not_accepted(sender, receiver, escalation, step, field, ref, own)


#: A sector as people say it: "from schools and colleges".
SECTOR_WORDS = {
    "education": "schools and colleges",
    "early-years": "early-years settings",
    "social-care": "social care",
    "police": "the police",
    "health": "health services",
    "primary-care": "GP practices",
    "voluntary": "voluntary and community groups",
    "sport": "sports clubs",
    "faith": "faith groups",
    "youth-justice": "youth justice services",
    "housing": "housing services",
    "other": "other organisations",
}


def _from_whom(sources: tuple[str, ...]) -> str:
    """`education and health` for a `from` list, ids and sectors as written."""
    return listing(f"`{source}`" for source in sources)


def _not_accepted(
    sender: Organisation,
    receiver: Organisation,
    escalation: Escalation,
    step: Step,
    field: str,
    ref: RoleRef,
    own: tuple[Receipt, ...],
) -> Violation:
    concern = escalation.concern
    how = "outside office hours " if field == "out_of_hours" else ""
    at_role = [r for r in own if r.role == ref.role]
    elsewhere = [r for r in own if r.role != ref.role]
    whom = SECTOR_WORDS.get(sender.sector, sender.sector)
    related: tuple[Location, ...] = tuple(r.origin.location for r in own) or (
        receiver.origin.at("id"),
    )
    if at_role:
        because = (
            "accepts it there only from "
            f"{_from_whom(tuple(s for r in at_role for s in r.sources))} "
            f"({place(at_role[0].origin.location)}): not from {whom}, nor from "
            f"`{sender.id}` by name"
        )
    elif elsewhere:
        roles = listing(dict.fromkeys(r.role for r in elsewhere))
        because = (
            f"does not list {ref.role} as receiving that concern from {whom}: it receives "
            f"{concern} at {roles} ({place(elsewhere[0].origin.location)})"
        )
    else:
        because = (
            f"does not list {ref.role} as receiving that concern from {whom}, nor from "
            f"anyone ({place(_receives_or_id(receiver))})"
        )
    return Violation(
        message=(
            f"{sender.name} escalates {concern} {how}to {ref.key}, but {receiver.name} {because}."
        ),
        location=step.origin.at(field),
        subject=f"{concern}:{ref.key}",
        suggestion=_suggestion(sender, receiver, concern, ref, own, at_role),
        organisation=sender.id,
        related=related,
    )


def _receives_or_id(org: Organisation) -> Location:
    if org.receives:
        return org.file_origin.key_at("receives")
    return org.origin.at("id")


def _suggestion(
    sender: Organisation,
    receiver: Organisation,
    concern: str,
    ref: RoleRef,
    own: tuple[Receipt, ...],
    at_role: list[Receipt],
) -> str:
    """What to agree with the receiver, in words, then the `receives` change
    that records it; or the roles that already accept the hand-off."""
    role = receiver.role(ref.role)
    title = role.title if role is not None and role.title != role.id else f"`{ref.role}` role"
    whom = SECTOR_WORDS.get(sender.sector, sender.sector)
    agree = (
        f"Agree with {receiver.name} that its {title} takes {concern} from {whom} (or from "
        f"{sender.name} alone)"
    )
    if at_role:
        record = (
            f"then it adds `{sender.sector}` (or `{sender.id}`) to the `from` of its `receives` "
            f"entry for `{ref.role}` ({place(at_role[0].origin.at('from'))})"
        )
    else:
        record = (
            f"then it adds `{{concern: {concern}, role: {ref.role}, from: [{sender.sector}]}}` "
            f"under `receives:` in {receiver.path}"
        )
    accepting = list(dict.fromkeys(_titled(receiver, r.role) for r in own if r.accepts(sender)))
    if accepting:
        instead = (
            f"Or escalate instead to a role that already accepts it: {listing(accepting, 'or')}."
        )
    else:
        instead = "Or escalate instead to a role that accepts it."
    return f"{agree}; {record}. {instead}"


def _titled(org: Organisation, role_id: str) -> str:
    """`Emergency Duty Team (`northshire-cs/edt`)`, or the reference alone."""
    role = org.role(role_id)
    key = f"{org.id}/{role_id}"
    if role is None or role.title == role.id:
        return f"`{key}`"
    return f"{role.title} (`{key}`)"
