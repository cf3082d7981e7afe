"""The rule catalogue: one module per rule, registered in one explicit tuple.

A test fails when a rule module is missing here or two rules share a code.
"""

from __future__ import annotations

from policycoord.checks.rules.base import Rule
from policycoord.checks.rules.pc001_yaml_syntax_error import YamlSyntaxError
from policycoord.checks.rules.pc002_duplicate_key import DuplicateKey
from policycoord.checks.rules.pc003_schema_violation import SchemaViolation
from policycoord.checks.rules.pc004_duplicate_organisation import DuplicateOrganisation
from policycoord.checks.rules.pc005_unsafe_or_oversized_input import UnsafeOrOversizedInput
from policycoord.checks.rules.pc006_member_missing import MemberMissing
from policycoord.checks.rules.pc007_unknown_member import UnknownMember
from policycoord.checks.rules.pc008_framework_section_missing import FrameworkSectionMissing
from policycoord.checks.rules.pc009_invisible_characters import InvisibleCharacters
from policycoord.checks.rules.pc010_unreadable_file import UnreadableFile
from policycoord.checks.rules.pc011_path_outside_repository import PathOutsideRepository
from policycoord.checks.rules.pc012_duplicate_id import DuplicateIdentifier
from policycoord.checks.rules.pc101_duty_unowned import DutyUnowned
from policycoord.checks.rules.pc102_duty_not_covered import DutyNotCovered
from policycoord.checks.rules.pc103_duty_multiple_accountable import DutyMultipleAccountable
from policycoord.checks.rules.pc104_timeframe_exceeds_framework import TimeframeExceedsFramework
from policycoord.checks.rules.pc105_timeframes_disagree import TimeframesDisagree
from policycoord.checks.rules.pc106_unknown_duty_or_role import UnknownDutyOrRole
from policycoord.checks.rules.pc107_responsible_without_accountable import (
    ResponsibleWithoutAccountable,
)
from policycoord.checks.rules.pc201_unknown_escalation_target import UnknownEscalationTarget
from policycoord.checks.rules.pc202_escalation_cycle import EscalationCycle
from policycoord.checks.rules.pc203_escalation_dead_end import EscalationDeadEnd
from policycoord.checks.rules.pc204_escalation_too_slow import EscalationTooSlow
from policycoord.checks.rules.pc205_no_out_of_hours_route import NoOutOfHoursRoute
from policycoord.checks.rules.pc206_handoff_not_accepted import HandoffNotAccepted
from policycoord.checks.rules.pc207_escalation_missing import EscalationMissing
from policycoord.checks.rules.pc208_handoff_timeframes_conflict import HandoffTimeframesConflict
from policycoord.checks.rules.pc301_undefined_acronym import UndefinedAcronym
from policycoord.checks.rules.pc302_conflicting_definitions import ConflictingDefinitions
from policycoord.checks.rules.pc303_avoided_term import AvoidedTerm
from policycoord.checks.rules.pc304_local_jargon import LocalJargon
from policycoord.checks.rules.pc401_review_overdue import ReviewOverdue
from policycoord.checks.rules.pc402_sharing_not_reciprocated import SharingNotReciprocated
from policycoord.checks.rules.pc403_no_mission_commitment import NoMissionCommitment
from policycoord.checks.rules.pc404_role_without_contact import RoleWithoutContact
from policycoord.checks.rules.pc405_waiver_expired import WaiverExpired
from policycoord.checks.rules.pc406_waiver_unused import WaiverUnused
from policycoord.checks.rules.pc407_waiver_invalid import WaiverInvalid

ALL_RULES: tuple[type[Rule], ...] = (
    YamlSyntaxError,
    DuplicateKey,
    SchemaViolation,
    DuplicateOrganisation,
    UnsafeOrOversizedInput,
    MemberMissing,
    UnknownMember,
    FrameworkSectionMissing,
    InvisibleCharacters,
    UnreadableFile,
    PathOutsideRepository,
    DuplicateIdentifier,
    DutyUnowned,
    DutyNotCovered,
    DutyMultipleAccountable,
    TimeframeExceedsFramework,
    TimeframesDisagree,
    UnknownDutyOrRole,
    ResponsibleWithoutAccountable,
    UnknownEscalationTarget,
    EscalationCycle,
    EscalationDeadEnd,
    EscalationTooSlow,
    NoOutOfHoursRoute,
    HandoffNotAccepted,
    EscalationMissing,
    HandoffTimeframesConflict,
    UndefinedAcronym,
    ConflictingDefinitions,
    AvoidedTerm,
    LocalJargon,
    ReviewOverdue,
    SharingNotReciprocated,
    NoMissionCommitment,
    RoleWithoutContact,
    WaiverExpired,
    WaiverUnused,
    WaiverInvalid,
)

#: The codes `validate` reports: what can be said of files on their own.
FILE_CODES = frozenset(
    {"PC001", "PC002", "PC003", "PC004", "PC005", "PC009", "PC010", "PC011", "PC012"}
)

RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "FILE_CODES", "RULES_BY_CODE", "Rule"]
