"""What the policy files say, as frozen value objects with locations: the
partnership's framework (duties, concerns, glossary, mission, waivers) and
each organisation's policy (roles, responsibilities, escalation paths...).

Rules read only these and the Model that holds them (model.py). Every object
carries an `Origin`, which locates the object and any of its fields in its
file (`item.origin.at("within")`), so a rule never computes a line number and
never sees YAML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from policycoord.core.findings import Location
from policycoord.core.timeframes import Timeframe

if TYPE_CHECKING:
    from policycoord.input.loading import SourceMap

SECTORS = (
    "education",
    "early-years",
    "social-care",
    "police",
    "health",
    "primary-care",
    "voluntary",
    "sport",
    "faith",
    "youth-justice",
    "housing",
    "other",
)


class Origin(NamedTuple):
    """Where an object was written: its file, its JSON pointer, the file's map.
    (A named tuple: one is made for every item of every file, and a named
    tuple is made in half the time of a frozen dataclass.)"""

    path: str
    pointer: str
    source_map: SourceMap

    @property
    def location(self) -> Location:
        line, column = self.source_map.position(self.pointer)
        return Location(self.path, line, column, self.pointer)

    def at(self, *fields: str | int) -> Location:
        """The location of a field below this object (or of the object itself
        when the field was not written)."""
        pointer = self.pointer + "".join(f"/{part}" for part in fields)
        line, column = self.source_map.position(pointer)
        return Location(self.path, line, column, pointer)

    def key_at(self, *fields: str | int) -> Location:
        """The location of a field's key (`responsibilities:`) rather than of
        its value; the value's location when the key was not recorded."""
        pointer = self.pointer + "".join(f"/{part}" for part in fields)
        line, column = self.source_map.key_position(pointer)
        return Location(self.path, line, column, pointer)


@dataclass(frozen=True, slots=True)
class RoleRef:
    """A reference to a role: `role-id` of the same organisation, or
    `org-id/role-id`. `text` is as written."""

    organisation: str
    role: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.organisation}/{self.role}"

    @staticmethod
    def parse(text: str, owner: str) -> RoleRef:
        organisation, slash, role = text.partition("/")
        if slash:
            return RoleRef(organisation, role, text)
        return RoleRef(owner, text, text)


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach a role (`contact:`); `hours` says when someone answers."""

    phone: str | None
    email: str | None
    hours: str | None  # "office" | "24/7" | None (counts as office hours)

    @property
    def around_the_clock(self) -> bool:
        return self.hours == "24/7"


@dataclass(frozen=True, slots=True)
class Role:
    """A role in an organisation (`roles:`): who holds duties and receives escalations."""

    organisation: str
    id: str
    title: str
    contact: Contact | None
    deputy: str | None
    origin: Origin

    @property
    def key(self) -> str:
        return f"{self.organisation}/{self.id}"

    @property
    def around_the_clock(self) -> bool:
        return self.contact is not None and self.contact.around_the_clock


@dataclass(frozen=True, slots=True)
class Responsibility:
    """One role's part in one duty (`responsibilities:`), with its RACI letter."""

    organisation: str
    duty: str
    role: str
    raci: str  # responsible | accountable | consulted | informed
    within: Timeframe | None
    notes: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an escalation path: to whom, how fast, and the night route."""

    to: RoleRef
    within: Timeframe | None
    action: str | None
    out_of_hours: RoleRef | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Escalation:
    """An organisation's escalation path for one concern (`escalations:`)."""

    organisation: str
    concern: str
    steps: tuple[Step, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Receipt:
    """A hand-off an organisation accepts (`receives`)."""

    organisation: str
    concern: str
    role: str
    sources: tuple[str, ...]  # sectors, organisation ids, or "*"; empty = anyone
    within: Timeframe | None
    origin: Origin

    def accepts(self, sender: Organisation) -> bool:
        """True when `from` lets this sender in: omitted (anyone), `*`, the
        sender's sector or its id (SPEC §3.1, PC206)."""
        if not self.sources:
            return True
        return bool({"*", sender.sector, sender.id} & set(self.sources))


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry; `organisation` is None for the shared glossary."""

    term: str
    meaning: str
    definition: str | None
    organisation: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Sharing:
    """An information-sharing agreement with another organisation (`sharing:`)."""

    with_organisation: str
    purpose: str | None
    basis: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Commitment:
    """What an organisation commits to under a mission theme (`commitments:`)."""

    theme: str | None
    text: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Review:
    """When a policy was approved and is next due for review (`review:`)."""

    approved: datetime.date | None
    next_review: datetime.date | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class DuplicateId:
    """An id written again where it must be unique (the first one is kept)."""

    kind: str  # role | duty | concern | theme
    id: str
    organisation: str | None
    where: Origin  # the repeat
    first: Origin


@dataclass(frozen=True, slots=True)
class Organisation:
    """One policy file, built: its roles, duties, paths, glossary and commitments."""

    id: str
    name: str
    sector: str
    path: str
    review: Review | None
    roles: tuple[Role, ...]
    responsibilities: tuple[Responsibility, ...]
    escalations: tuple[Escalation, ...]
    receives: tuple[Receipt, ...]
    glossary: tuple[Term, ...]
    sharing: tuple[Sharing, ...]
    commitments: tuple[Commitment, ...]
    summary: str | None
    origin: Origin
    roles_by_id: dict[str, Role] = field(default_factory=dict)
    duplicate_ids: tuple[DuplicateId, ...] = ()

    def role(self, role_id: str) -> Role | None:
        return self.roles_by_id.get(role_id)

    @property
    def file_origin(self) -> Origin:
        """The whole policy file (`origin` is its `organisation` block), for
        the sections beside it: `file_origin.key_at("responsibilities")`."""
        return Origin(self.path, "", self.origin.source_map)


@dataclass(frozen=True, slots=True)
class Duty:
    """A duty of the partnership's framework (`duties:`) that members must own."""

    id: str
    title: str
    scope: str  # each-member | partnership
    applies_to: tuple[str, ...] | None  # sectors; None = every member
    max_within: Timeframe | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Concern:
    """A kind of concern (`concerns:`) and where its escalation paths must end."""

    id: str
    title: str
    must_reach: tuple[RoleRef, ...]
    max_total: Timeframe | None
    out_of_hours_required: bool
    applies_to: tuple[str, ...] | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class AvoidTerm:
    """A term the partnership asks its members not to use (`avoid:`), and what to say instead."""

    term: str
    use: str
    why: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the joint mission (`mission.themes`)."""

    id: str
    title: str
    description: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Mission:
    """The partnership's joint mission: its vision and themes."""

    vision: str | None
    themes: tuple[Theme, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Waiver:
    """An accepted finding (`waivers:`): what it covers, who approved it, until when."""

    code: str
    organisation: str
    subject: str | None
    reason: str | None
    approved_by: tuple[str, ...]
    expires: datetime.date | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """The partnership's `rules:` block: codes ignored, severities, fail level."""

    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None


@dataclass(frozen=True, slots=True)
class Partnership:
    """The partnership file, built: members, framework, glossary, mission, rules."""

    id: str
    name: str
    path: str
    members: tuple[str, ...] | None
    policies: tuple[str, ...] | None
    duties: tuple[Duty, ...] | None  # None: the section is absent
    concerns: tuple[Concern, ...] | None
    glossary: tuple[Term, ...] | None
    allow_acronyms: tuple[str, ...]
    avoid: tuple[AvoidTerm, ...]
    mission: Mission | None
    review_max_age: str | None
    waivers: tuple[Waiver, ...]
    rules: RulesConfig
    origin: Origin
    duplicate_ids: tuple[DuplicateId, ...] = ()
