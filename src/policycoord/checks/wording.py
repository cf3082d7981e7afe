"""Small helpers that rules share to say things the same way in messages."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Sequence

from policycoord.core.findings import Location
from policycoord.core.timeframes import long_date as long_date  # re-exported for the rules
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Duty, Organisation


def place(location: Location) -> str:
    """`orgs/st-marys-primary.yaml:23`: where to look, for a message."""
    return f"{location.path}:{location.line}"


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def days_ago(day: datetime.date, today: datetime.date) -> str:
    """`116 days ago`, `1 day ago`."""
    days = (today - day).days
    return f"{days} day{'s' if days != 1 else ''} ago"


def either(items: Iterable[str]) -> str:
    """`A`, `A or B`, `A, B or C`."""
    return listing(items, "or")


def must_reach_names(model: Model, concern: Concern) -> list[str]:
    """`Northshire Children's Services Multi-Agency Safeguarding Hub
    (`northshire-cs/mash`)` for each of a concern's must_reach roles (the
    reference alone when it does not exist)."""
    names = []
    for ref in concern.must_reach:
        owner = model.organisation(ref.organisation)
        role = model.role(ref)
        if owner is None or role is None:
            names.append(f"`{ref.text}`")
        else:
            names.append(f"{owner.name} {role.title} (`{ref.key}`)")
    return names


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option most like `word`, if one is close enough to be a typo."""
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """`Did you mean `dsl`? ` or nothing."""
    match = closest(word, options)
    return f"Did you mean `{match}`? " if match else ""


def organisation_name(model: Model, org_id: str) -> str:
    """An organisation's name, or its id when it has no file."""
    org = model.organisation(org_id)
    return org.name if org is not None else org_id


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
