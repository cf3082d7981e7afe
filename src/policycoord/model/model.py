"""The Model: everything the rules look at, with the indexes they need built
once (model/build.py makes it from the files read)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from policycoord.core.findings import FileProblem, Violation
from policycoord.model.escalation import EscalationGraph
from policycoord.model.policies import (
    Escalation,
    Organisation,
    Partnership,
    Receipt,
    Responsibility,
    Role,
    RoleRef,
)


@dataclass(frozen=True, slots=True)
class Model:
    """Everything the rules look at, with the indexes they need built once."""

    partnership: Partnership | None
    partnership_path: str | None
    organisations: tuple[Organisation, ...]  # one per id, sorted by path
    duplicate_organisations: tuple[Organisation, ...]  # later files with a taken id
    file_problems: tuple[FileProblem, ...]
    files: int
    today: datetime.date
    by_id: dict[str, Organisation] = field(default_factory=dict)
    unidentified_files: tuple[str, ...] = ()  # policy files whose organisation is unknown
    #: of those, the ones that say (in the part that can be read) or are named
    #: (`orgs/<member>.yaml`) whose they are: path -> organisation id
    claimed_files: dict[str, str] = field(default_factory=dict)
    complete: bool = True  # every policy file of the repository was read, not a selection
    #: every organisation's responsibilities for each duty id, in organisation (path) order
    responsibilities_by_duty: dict[str, tuple[Responsibility, ...]] = field(default_factory=dict)
    #: every organisation's escalation paths for each concern id, in organisation order
    escalations_by_concern: dict[str, tuple[Escalation, ...]] = field(default_factory=dict)
    #: every organisation's `receives` entries for each concern id, in organisation order
    receipts_by_concern: dict[str, tuple[Receipt, ...]] = field(default_factory=dict)
    #: `receives` entries by (concern id, `org/role` receiving it): one lookup a hand-off
    receipts_by_target: dict[tuple[str, str], tuple[Receipt, ...]] = field(default_factory=dict)
    #: one escalation graph per concern of the partnership (walks, cycles, diagrams)
    escalation_graphs: dict[str, EscalationGraph] = field(default_factory=dict)

    @property
    def members(self) -> tuple[str, ...]:
        """The ids listed in `members`, or every organisation that has a file."""
        if self.partnership is not None and self.partnership.members is not None:
            return self.partnership.members
        return tuple(org.id for org in self.organisations)

    def organisation(self, org_id: str) -> Organisation | None:
        return self.by_id.get(org_id)

    @property
    def member_organisations(self) -> tuple[Organisation, ...]:
        """The members that have a policy file, in path order."""
        members = set(self.members)
        return tuple(org for org in self.organisations if org.id in members)

    def applies_to(self, sectors: tuple[str, ...] | None) -> tuple[Organisation, ...]:
        """The members (with a file) that a duty or concern with this
        `applies_to` covers: those whose sector is listed, every member when
        it is omitted."""
        members = self.member_organisations
        if sectors is None:
            return members
        wanted = set(sectors)
        return tuple(org for org in members if org.sector in wanted)

    def responsibilities_for(self, duty_id: str) -> tuple[Responsibility, ...]:
        return self.responsibilities_by_duty.get(duty_id, ())

    def escalations_for(self, concern_id: str) -> tuple[Escalation, ...]:
        return self.escalations_by_concern.get(concern_id, ())

    def receipts_for(self, concern_id: str) -> tuple[Receipt, ...]:
        return self.receipts_by_concern.get(concern_id, ())

    def accepting_receipts(
        self, concern_id: str, sender: Organisation, target: RoleRef
    ) -> tuple[Receipt, ...]:
        """The receiver's `receives` entries that accept this hand-off: for the
        concern, at the step's target role, from the sender (SPEC §3.1, PC206)."""
        return tuple(
            receipt
            for receipt in self.receipts_by_target.get((concern_id, target.key), ())
            if receipt.accepts(sender)
        )

    def role(self, ref: RoleRef) -> Role | None:
        """The role a reference names, when its organisation and role exist."""
        org = self.by_id.get(ref.organisation)
        return org.role(ref.role) if org is not None else None

    def problems(self, code: str) -> tuple[Violation, ...]:
        return tuple(p.violation for p in self.file_problems if p.code == code)
