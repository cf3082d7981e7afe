"""PC201 unknown-escalation-target."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Fix, FixEdit, Location, Severity, Violation
from policycoord.core.text import closest, did_you_mean, listing
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Organisation, Partnership, Role, RoleRef


class UnknownEscalationTarget(Rule):
    """An escalation names an organisation, role or concern that does not exist.

    ## What it does
    Reports a step's `to` or `out_of_hours` that names an organisation with
    no policy file, or a role its organisation does not have; a `receives`
    entry whose `role` is not a role of the receiving organisation itself;
    an `escalations` or `receives` entry whose `concern` the partnership does
    not define; and a concern's `must_reach` role that does not exist. It
    suggests the closest existing role (or organisation) id when the name
    looks like a typo, and, for a role of another organisation, the roles
    that organisation lists as receiving the concern (from the sender, and
    working 24/7 for an `out_of_hours` route, where it has such roles), to
    agree with it and point the step at. A step to a member whose policy
    file is missing is left to PC006, and a run over named files only does
    not guess about organisations it did not read. Without a `concerns`
    section (or with an empty one) in the partnership file, like the rest of
    the escalation family it reports nothing: PC008 says there is nothing
    to compare against.

    ## Why it matters
    A path that sends a worry about a child to a team that was renamed or
    never existed ends with a phone call nobody answers. The person with the
    concern follows the policy to the letter and the child is not referred;
    the partnership believes the path works because it is written down.

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
      - {id: edt, title: Emergency Duty Team}
    receives:
      - {concern: significant-harm, role: mash, from: ["*"]}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Juniors Football Club, sector: sport}
    roles:
      - {id: dso, title: Club Welfare Officer}
    escalations:
      - concern: significant-harm
        steps:
          - {to: dso, within: immediately}
          - {to: northshire-cs/front-door, within: 24 hours, out_of_hours: northshire-cs/edt}
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -      - {to: northshire-cs/front-door, within: 24 hours, out_of_hours: northshire-cs/edt}
    +      - {to: northshire-cs/mash, within: 24 hours, out_of_hours: northshire-cs/edt}
    ```
    """

    code = "PC201"
    name = "unknown-escalation-target"
    default_severity = Severity.ERROR
    family = "escalation"
    fix_kind = "unsafe"
    fix_note = (
        "Where the name looks like a typo of a role (or concern) that exists, the fix writes "
        "that one instead: check it is the team you meant."
    )
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.concerns:
            return  # without concerns the family says nothing; PC008 says why
        concern_ids = [concern.id for concern in partnership.concerns]
        for concern in partnership.concerns:
            yield from _must_reach(model, concern)
        for org in model.organisations:
            for escalation in org.escalations:
                if escalation.concern not in concern_ids:
                    yield _unknown_concern(
                        org,
                        partnership,
                        escalation.concern,
                        escalation.origin.at("concern"),
                        concern_ids,
                        what="escalates",
                    )
                for step in escalation.steps:
                    for field, ref in (("to", step.to), ("out_of_hours", step.out_of_hours)):
                        if ref is None:
                            continue
                        found = _unknown_target(model, org, escalation.concern, ref, field=field)
                        if found is not None:
                            message, suggestion = found
                            location = step.origin.at(field)
                            yield Violation(
                                message=message,
                                location=location,
                                subject=f"{escalation.concern}:{ref.text}",
                                suggestion=suggestion,
                                organisation=org.id,
                                fix=_target_fix(model, ref, location),
                            )
            for receipt in org.receives:
                if receipt.concern not in concern_ids:
                    yield _unknown_concern(
                        org,
                        partnership,
                        receipt.concern,
                        receipt.origin.at("concern"),
                        concern_ids,
                        what="receives",
                    )
                if org.role(receipt.role) is None:
                    yield _unknown_receiving_role(
                        org, receipt.concern, receipt.role, receipt.origin.at("role")
                    )


_SHOWN = 6  # ids listed in a message before "and N more"


def _ids(ids: Sequence[str], conjunction: str = "and") -> str:
    """`a, b and c`; at most a few, then how many more."""
    if len(ids) > _SHOWN:
        return ", ".join(ids[:_SHOWN]) + f" {conjunction} {len(ids) - _SHOWN} more"
    return listing(ids, conjunction)


def _its_roles(org: Organisation) -> str:
    """`its roles: mash, edt and lado` / `its policy defines no roles`."""
    role_ids = [role.id for role in org.roles]
    return f"its roles: {_ids(role_ids)}" if role_ids else "its policy defines no roles"


def _unknowable(model: Model, org_id: str) -> bool:
    """True when an organisation without a file may still exist: a member
    whose file is missing (PC006 says so) or a run over named files only."""
    return not model.complete or org_id in model.members


def _unknown_target(
    model: Model, org: Organisation, concern: str, ref: RoleRef, *, field: str
) -> tuple[str, str] | None:
    """The message and suggestion for a step target that does not exist, or None."""
    how = "outside office hours " if field == "out_of_hours" else ""
    said = f"{org.name} escalates {concern} {how}to `{ref.text}`"
    target = model.organisation(ref.organisation)
    if target is None:
        if _unknowable(model, ref.organisation):
            return None
        known = sorted(model.by_id)
        guess = did_you_mean(ref.organisation, known)
        return (
            f"{said}, but no policy file in the partnership declares the organisation "
            f"`{ref.organisation}`.",
            f"{guess}Otherwise write the target as `organisation-id/role-id` with the id of an "
            "organisation that has a policy file, or ask that organisation to add its policy.",
        )
    if target.role(ref.role) is not None:
        return None
    guess = did_you_mean(ref.role, [role.id for role in target.roles])
    owner = "it" if target.id == org.id else target.name
    missing = f"{owner} has no role `{ref.role}` ({_its_roles(target)})."
    if target.id == org.id:
        advice = _own_role_advice(org, ref)
    else:
        advice = _receiving_role_advice(model, org, target, concern, ref, field=field)
    suggestion = f"{guess}Otherwise {advice[0].lower()}{advice[1:]}" if guess else advice
    return f"{said}, but {missing}", suggestion


def _replace(location: Location, old: str, new: str, what: str) -> Fix:
    return Fix(
        kind="unsafe",
        description=f"Write `{new}` for `{old}` ({what}).",
        edits=(FixEdit(location.path, location.pointer, "set", new, old),),
    )


def _target_fix(model: Model, ref: RoleRef, location: Location) -> Fix | None:
    """The role (or organisation) id closest to one that does not exist, written
    as the reference was (bare for the organisation's own role)."""
    target = model.organisation(ref.organisation)
    if target is None:
        match = closest(ref.organisation, sorted(model.by_id))
        if match is None or "/" not in ref.text:
            return None
        return _replace(location, ref.text, f"{match}/{ref.role}", "the closest organisation id")
    role = closest(ref.role, [role.id for role in target.roles])
    if role is None:
        return None
    new = f"{ref.organisation}/{role}" if "/" in ref.text else role
    return _replace(location, ref.text, new, "the closest role id")


def _own_role_advice(org: Organisation, ref: RoleRef) -> str:
    """Point the step at one of the organisation's own roles, or add the missing one."""
    add = f"if `{ref.role}` is a role your policy has left out, add it under `roles:` in {org.path}"
    if not org.roles:
        return f"Add the role that first hears of the concern: {add}."
    roles = [_titled(role.title, role.id) for role in org.roles]
    return f"Point this step at one of your own roles ({_ids(roles, 'or')}), or, {add}."


def _receiving_role_advice(
    model: Model,
    org: Organisation,
    target: Organisation,
    concern: str,
    ref: RoleRef,
    *,
    field: str,
) -> str:
    """Re-point the step at a role of the receiving organisation that takes
    the concern (by title and id), or ask it for the role that is missing."""
    receivers = _receivers(model, org, target, concern, night=field == "out_of_hours")
    if not receivers:
        return (
            f"Agree with {target.name} which of its roles takes {concern} from you (its policy "
            f"lists none as receiving it); then point this step at that role, and ask it to "
            "record the hand-off as a `receives` entry."
        )
    names = _ids([_titled(role.title, role.key) for role in receivers])
    example = f"`{field}: {receivers[0].key}`"
    if len(receivers) == 1:
        which = f"its {names} receives it. Then point this step at it ({example})"
    else:
        which = f"its {names} receive it. Then point this step at one (for example {example})"
    return (
        f"Agree with {target.name} which of its roles takes {concern} from you: {which}; or, "
        f"if `{ref.role}` is a team it has left out of its policy, ask it to add the role."
    )


def _receivers(
    model: Model, sender: Organisation, target: Organisation, concern: str, *, night: bool
) -> list[Role]:
    """The roles of `target` with a `receives` entry for the concern: those
    that accept it from the sender when there are any, and of those the
    ones that work 24/7 for an `out_of_hours` route when there are any."""
    receipts = [r for r in model.receipts_for(concern) if r.organisation == target.id]
    accepting = [r for r in receipts if r.accepts(sender)] or receipts
    roles = [role for r in accepting if (role := target.role(r.role)) is not None]
    roles = list({role.id: role for role in roles}.values())
    if night:
        return [role for role in roles if role.around_the_clock] or roles
    return roles


def _titled(title: str, key: str) -> str:
    """`Multi-Agency Safeguarding Hub (`northshire-cs/mash`)`, or `` `mash` `` untitled."""
    return f"`{key}`" if title in (key, key.rpartition("/")[2]) else f"{title} (`{key}`)"


def _unknown_concern(
    org: Organisation,
    partnership: Partnership,
    concern: str,
    location: Location,
    concern_ids: list[str],
    *,
    what: str,
) -> Violation:
    guess = did_you_mean(concern, concern_ids)
    listed = f"the concerns in {partnership.path} are {_ids(concern_ids)}"
    if len(concern_ids) == 1:
        listed = f"the only concern in {partnership.path} is {concern_ids[0]}"
    section = "an escalation path" if what == "escalates" else "a `receives` entry"
    match = closest(concern, concern_ids)
    return Violation(
        message=(
            f"{org.name} has {section} for the concern `{concern}`, but {partnership.name} "
            f"has no such concern: {listed}."
        ),
        location=location,
        subject=concern,
        suggestion=(
            f"{guess}Otherwise use one of the concern ids in {partnership.path}, or ask the "
            "partnership to add this concern."
        ),
        organisation=org.id,
        fix=_replace(location, concern, match, "the closest concern id") if match else None,
    )


def _unknown_receiving_role(
    org: Organisation, concern: str, role: str, location: Location
) -> Violation:
    guess = did_you_mean(role, [item.id for item in org.roles])
    match = closest(role, [item.id for item in org.roles])
    add = f"if `{role}` is a role your policy has left out, add it under `roles:` in {org.path}"
    if org.roles:
        roles = _ids([_titled(item.title, item.id) for item in org.roles], "or")
        advice = f"name the role that takes {concern} when it arrives ({roles}), or, {add}."
    else:
        advice = f"{add}."
    return Violation(
        message=(
            f"{org.name} says its role `{role}` receives {concern}, but it has no role "
            f"`{role}` ({_its_roles(org)})."
        ),
        location=location,
        subject=f"{concern}:{role}",
        suggestion=f"{guess}Otherwise {advice}" if guess else f"{advice[0].upper()}{advice[1:]}",
        organisation=org.id,
        fix=_replace(location, role, match, "the closest role id") if match else None,
    )


def _must_reach(model: Model, concern: Concern) -> Iterator[Violation]:
    for index, ref in enumerate(concern.must_reach):
        if not ref.organisation:
            holders = sorted(
                f"{org.id}/{ref.role}" for org in model.organisations if org.role(ref.role)
            )
            hint = f" Roles with that id: {_ids(holders)}." if holders else ""
            yield Violation(
                message=(
                    f"The concern {concern.id} must reach `{ref.text}`, which does not say "
                    "whose role it is."
                ),
                location=concern.origin.at("must_reach", index),
                subject=f"{concern.id}:{ref.text}",
                suggestion=f"Write it as `organisation-id/role-id`.{hint}",
            )
            continue
        target = model.organisation(ref.organisation)
        if target is None:
            if _unknowable(model, ref.organisation):
                continue
            guess = did_you_mean(ref.organisation, sorted(model.by_id))
            yield Violation(
                message=(
                    f"The concern {concern.id} must reach `{ref.text}`, but no policy file in "
                    f"the partnership declares the organisation `{ref.organisation}`."
                ),
                location=concern.origin.at("must_reach", index),
                subject=f"{concern.id}:{ref.text}",
                suggestion=(
                    f"{guess}Otherwise name a role of an organisation that has a policy file."
                ),
            )
        elif target.role(ref.role) is None:
            guess = did_you_mean(ref.role, [role.id for role in target.roles])
            yield Violation(
                message=(
                    f"The concern {concern.id} must reach `{ref.text}`, but {target.name} has "
                    f"no role `{ref.role}` ({_its_roles(target)})."
                ),
                location=concern.origin.at("must_reach", index),
                subject=f"{concern.id}:{ref.text}",
                suggestion=(
                    f"{guess}Otherwise name the role of {target.name} that must receive this "
                    "concern, or ask it to add the role to its policy."
                ),
            )
