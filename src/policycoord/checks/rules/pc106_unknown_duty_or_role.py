"""PC106 unknown-duty-or-role."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policycoord.checks.rules.base import Rule, closest_fix
from policycoord.checks.wording import duty_label, possessive, role_label
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import did_you_mean, listing
from policycoord.model.model import Model
from policycoord.model.policies import Duty, Organisation, Partnership, Responsibility, Role


class UnknownDutyOrRole(Rule):
    """A responsibility names a duty the partnership lacks, or a role its organisation lacks.

    ## What it does
    Reports a responsibility whose `duty` is not one of the partnership's
    duties, or whose `role` is not one of its own organisation's roles, and
    a role whose `deputy` is not a role of the same organisation. It
    suggests the closest existing id when the name looks like a typo.
    Without a `duties` section (or with an empty one) in the partnership
    file, like the rest of the responsibility family it reports nothing:
    PC008 says there is nothing to compare against.

    ## Why it matters
    A responsibility for a duty nobody agreed, or held by a role that does
    not exist, is a promise that nobody will keep: the partnership counts the
    duty as covered while no named person will act for the child. A deputy
    that does not exist means no cover when the lead is away.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    duties:
      - id: refer-to-childrens-social-care
        title: Refer a child at risk of significant harm to children's social care
        scope: each-member
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
        deputy: ddsl
    responsibilities:
      - duty: refer-to-childrens-socal-care
        role: dls
        raci: accountable
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
         deputy: ddsl
    +  - id: ddsl
    +    title: Deputy Designated Safeguarding Lead
    @@
    -  - duty: refer-to-childrens-socal-care
    -    role: dls
    +  - duty: refer-to-childrens-social-care
    +    role: dsl
    ```
    """

    code = "PC106"
    name = "unknown-duty-or-role"
    default_severity = Severity.ERROR
    family = "gaps"
    fix_kind = "unsafe"
    fix_note = (
        "Where the name looks like a typo of a duty, role or deputy that exists, the fix "
        "writes that one instead: check it is the one you meant."
    )
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or not partnership.duties:
            return  # without duties the family says nothing; PC008 says why (issue 4)
        by_id = {duty.id: duty for duty in partnership.duties}
        duty_ids = list(by_id)
        for org in model.organisations:
            for role in org.roles:
                if role.deputy is not None and org.role(role.deputy) is None:
                    yield _unknown_deputy(org, role)
            for resp in org.responsibilities:
                if resp.duty not in by_id:
                    yield _unknown_duty(org, resp, partnership, duty_ids)
                if org.role(resp.role) is None:
                    yield _unknown_role(org, resp, by_id.get(resp.duty))


_SHOWN = 5  # ids listed in a message before "and N more"


def _ids(ids: Sequence[str]) -> str:
    """`a`, `b` and `c`; at most a few, then how many more."""
    quoted = [f"`{i}`" for i in ids[:_SHOWN]]
    if len(ids) > _SHOWN:
        return ", ".join(quoted) + f" and {len(ids) - _SHOWN} more"
    return listing(quoted)


def _roles_written(org: Organisation) -> str:
    role_ids = [role.id for role in org.roles]
    if not role_ids:
        return "its policy defines no roles at all"
    return _written("role", role_ids, org.path)


def _written(kind: str, ids: Sequence[str], path: str) -> str:
    """`the only role in orgs/a.yaml is `dsl`` / `the roles in ... are ...`."""
    if len(ids) == 1:
        return f"the only {kind} in {path} is {_ids(ids)}"
    return f"the {kind}s in {path} are {_ids(ids)}"


def _unknown_duty(
    org: Organisation, resp: Responsibility, partnership: Partnership, duty_ids: list[str]
) -> Violation:
    guess = did_you_mean(resp.duty, duty_ids)
    if guess:
        suggestion = (
            f"{guess}Otherwise use one of the duty ids in {partnership.path}, or ask the "
            "partnership to add this duty."
        )
    else:
        suggestion = (
            f"Use one of the duty ids in {partnership.path} ({_ids(duty_ids)}), or ask the "
            "partnership to add this duty."
        )
    return Violation(
        message=(
            f"{org.name} names a responsibility for the duty `{resp.duty}`, but "
            f"{partnership.name} has no such duty: "
            f"{_written('duty', duty_ids, partnership.path)}."
        ),
        location=resp.origin.at("duty"),
        subject=f"duty:{resp.duty}",
        suggestion=suggestion,
        organisation=org.id,
        fix=closest_fix(resp.origin.at("duty"), resp.duty, duty_ids, "duty id"),
    )


def _unknown_role(org: Organisation, resp: Responsibility, known: Duty | None) -> Violation:
    duty = duty_label(known) if known is not None else f"`{resp.duty}`"
    guess = did_you_mean(resp.role, [role.id for role in org.roles])
    add = (
        f"if `{resp.role}` is a role your policy has left out, add it under `roles:` in {org.path}"
    )
    if org.roles:
        advice = f"give the responsibility to the one of your roles that holds it, or, {add}."
    else:
        advice = (
            f"add the role that holds it under `roles:` in {org.path} (your policy defines none "
            f"yet), with `id: {resp.role}` and its title."
        )
    suggestion = f"{guess}Otherwise {advice}" if guess else f"{advice[0].upper()}{advice[1:]}"
    return Violation(
        message=(
            f"{org.name} gives its responsibility for {duty} to the role `{resp.role}`, "
            f"which it does not have: {_roles_written(org)}."
        ),
        location=resp.origin.at("role"),
        subject=f"role:{resp.role}",
        suggestion=suggestion,
        organisation=org.id,
        fix=closest_fix(resp.origin.at("role"), resp.role, [r.id for r in org.roles], "role id"),
    )


def _unknown_deputy(org: Organisation, role: Role) -> Violation:
    deputy = role.deputy or ""
    others = [other.id for other in org.roles if other.id != role.id]
    guess = did_you_mean(deputy, others)
    add = f"add a role with `id: {deputy}` under `roles:` in {org.path}"
    if guess:
        suggestion = f"{guess}Otherwise {add}, or remove the `deputy`."
    elif others:
        suggestion = f"Name another of {possessive(org.name)} roles as the deputy, or {add}."
    else:
        suggestion = f"{add[0].upper()}{add[1:]}, so that someone covers when the lead is away."
    return Violation(
        message=(
            f"{possessive(org.name)} role {role_label(org, role.id)} names `{deputy}` as its "
            f"deputy, which it does not have: {_roles_written(org)}."
        ),
        location=role.origin.at("deputy"),
        subject=f"deputy:{role.id}",
        suggestion=suggestion,
        organisation=org.id,
        fix=closest_fix(role.origin.at("deputy"), deputy, others, "role id"),
    )
