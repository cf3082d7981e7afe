"""Every place a policy names something defined elsewhere: a role (its own
or another organisation's), a duty, a concern, a mission theme, another
organisation, a sender (a sector, an organisation or `*`); and the
partnership file's references to roles (a concern's `must_reach`). The one
list of the reference fields, read by everything that follows them: the
editor's symbol index (go to definition, references, rename) and the
incremental re-check (whose findings a changed file can change). A test
holds this list to the shipped schemas: a new reference field in the
schema that is not yielded here fails it (tests/model/test_references.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from policycoord.model.policies import Organisation, Origin, Partnership, RoleRef

Kind = Literal["role", "duty", "concern", "theme", "organisation", "sender"]


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference as written: `target` is what it names (a role as
    `org/role`, whoever's it is; an id; a sender as written), at `fields`
    below `origin`. `escalation`: a step's `to` or `out_of_hours`, which the
    escalation walk follows into the other organisation's policy."""

    kind: Kind
    target: str
    origin: Origin
    fields: tuple[str | int, ...]
    written: str
    escalation: bool = False

    @property
    def organisation(self) -> str | None:
        """The organisation it names, where it names one (a sender may be a
        sector or `*`: it is given as written)."""
        if self.kind == "role":
            return self.target.partition("/")[0]
        if self.kind in ("organisation", "sender"):
            return self.target
        return None


def _role(ref: RoleRef, origin: Origin, *fields: str | int, escalation: bool = False) -> Reference:
    return Reference("role", ref.key, origin, fields, ref.text, escalation)


def _own(org: Organisation, role: str, origin: Origin, *fields: str | int) -> Reference:
    return _role(RoleRef(org.id, role, role), origin, *fields)


def organisation_references(org: Organisation) -> Iterator[Reference]:
    """Every reference in one organisation's policy, in the file's order of sections."""
    for role in org.roles:
        if role.deputy is not None:
            yield _own(org, role.deputy, role.origin, "deputy")
    for resp in org.responsibilities:
        yield Reference("duty", resp.duty, resp.origin, ("duty",), resp.duty)
        yield _own(org, resp.role, resp.origin, "role")
    for escalation in org.escalations:
        origin = escalation.origin
        yield Reference("concern", escalation.concern, origin, ("concern",), escalation.concern)
        for step in escalation.steps:
            yield _role(step.to, step.origin, "to", escalation=True)
            if step.out_of_hours is not None:
                yield _role(step.out_of_hours, step.origin, "out_of_hours", escalation=True)
    for receipt in org.receives:
        yield Reference("concern", receipt.concern, receipt.origin, ("concern",), receipt.concern)
        yield _own(org, receipt.role, receipt.origin, "role")
        for number, source in enumerate(receipt.sources):
            yield Reference("sender", source, receipt.origin, ("from", number), source)
    for sharing in org.sharing:
        named = sharing.with_organisation
        yield Reference("organisation", named, sharing.origin, ("with",), named)
    for commitment in org.commitments:
        if commitment.theme is not None:
            theme = commitment.theme
            yield Reference("theme", theme, commitment.origin, ("theme",), theme)


def partnership_references(partnership: Partnership) -> Iterator[Reference]:
    """The partnership file's references to roles (a concern's `must_reach`)."""
    for concern in partnership.concerns or ():
        for number, ref in enumerate(concern.must_reach):
            yield _role(ref, concern.origin, "must_reach", number)
