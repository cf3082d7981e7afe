"""Labels that messages share and that need the model: an organisation's name,
a duty's or a role's label, the names of a concern's must-reach roles; and a
finding's subject in words (the phrasing that needs no model is in
core/text.py)."""

from __future__ import annotations

from policycoord.core.text import listing
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Duty, Organisation, RoleRef


def must_reach_names(model: Model, concern: Concern) -> list[str]:
    """`role_name` of each of a concern's must_reach roles."""
    return [role_name(model, ref) for ref in concern.must_reach]


def role_name(model: Model, ref: RoleRef) -> str:
    """`Northshire Children's Services Multi-Agency Safeguarding Hub
    (`northshire-cs/mash`)`, or the reference alone when it does not exist."""
    owner = model.organisation(ref.organisation)
    role = model.role(ref)
    if owner is None or role is None:
        return f"`{ref.text}`"
    return f"{owner.name} {role.title} (`{ref.key}`)"


def organisation_name(model: Model, org_id: str) -> str:
    """An organisation's name, or its id when it has no file."""
    org = model.organisation(org_id)
    return org.name if org is not None else org_id


def possessive(name: str) -> str:
    """`St Mary's Primary School's`, `Northshire Children's Services'`."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def duty_label(duty: Duty) -> str:
    """`` `report-allegation-to-lado` (Report an allegation ... to the LADO) ``,
    or the id alone when the duty has no title of its own."""
    if duty.title == duty.id:
        return f"`{duty.id}`"
    return f"`{duty.id}` ({duty.title})"


def role_label(org: Organisation, role_id: str, where: str = "") -> str:
    """`Designated Safeguarding Lead (`dsl`)`, or `` `dsl` `` for a role the
    organisation does not have; `where` (`orgs/st-marys-primary.yaml:14`) is
    added inside the brackets."""
    role = org.role(role_id)
    if role is None or role.title == role.id:
        return f"`{role_id}` ({where})" if where else f"`{role_id}`"
    return f"{role.title} (`{role_id}`, {where})" if where else f"{role.title} (`{role_id}`)"


#: The kinds a subject names before its id (`role:dls`), as words.
_KINDS = {"duty": "the duty", "role": "the role", "deputy": "the deputy of"}


def subject_in_words(subject: str) -> str:
    """A finding's subject, which rules build as keys (`significant-harm:
    northshire-cs/mash`, `role:dls`, `significant-harm:out-of-hours`), in
    words that still show each id a waiver's `subject` can name:
    `` `significant-harm` at `northshire-cs/mash` ``, `` the role `dls` ``,
    `` `significant-harm` out of hours ``."""
    first, *rest = subject.split(":")
    if first in _KINDS and len(rest) == 1:
        return f"{_KINDS[first]} `{rest[0]}`"
    if first.startswith("/"):  # a file problem's JSON pointer
        return f"the value at `{first}`"
    words = f"`{first}`"
    for part in rest:
        if part == "out-of-hours":
            words += " out of hours"
        elif "," in part:  # the roles of a cycle
            words += " between " + listing(f"`{role}`" for role in part.split(","))
        elif part:
            words += f" at `{part}`"
    return words
