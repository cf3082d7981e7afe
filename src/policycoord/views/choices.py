"""What a person may choose from when they fill in a policy: the partnership's
duties, concerns and mission themes, the members, every organisation's roles
by name, and the values the shipped schemas allow (sectors, raci, hours).

One library for every front end that helps a person write a policy without
knowing the ids by heart: the browser workspace's forms (`serve`), the
workbooks' drop-down lists (`workbook`) and the editor's completions (`lsp`).
Values are what the file holds (`northshire-cs/mash`); labels are what a
person reads ("Northshire Children's Services: MASH Team Manager").
Deterministic: every tuple is in a fixed order (the partnership file's order
for duties, concerns and themes; organisation ids, then the file's order of
roles; the schema's order for enums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policycoord.core.timeframes import (
    Unit,
    format_duration,
    parse_timeframe,
    working_days_explanation,
)
from policycoord.input.validation.schemas import schema
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Role


@dataclass(frozen=True, slots=True)
class Choice:
    """One value a person may pick: `value` goes in the file, `label` is read.

    `detail` says more where a list shows it (a role's hours, a duty's scope);
    `group` gathers choices under a heading (a role's organisation)."""

    value: str
    label: str
    detail: str = ""
    group: str = ""


@dataclass(frozen=True, slots=True)
class Choices:
    """Every list of choices a policy file's fields draw from."""

    duties: tuple[Choice, ...]
    concerns: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    organisations: tuple[Choice, ...]
    sectors: tuple[Choice, ...]
    raci: tuple[Choice, ...]
    hours: tuple[Choice, ...]
    #: each organisation's roles, `value` the full reference (`org/role`)
    roles: dict[str, tuple[Choice, ...]] = field(default_factory=dict)

    def own_roles(self, org_id: str) -> tuple[Choice, ...]:
        """An organisation's own roles, `value` the bare role id (`dsl`), as a
        policy's `role`, `deputy` and `receives.role` fields name them."""
        return tuple(
            Choice(
                choice.value.partition("/")[2],
                choice.label.removeprefix(f"{choice.group}: "),
                choice.detail,
                choice.group,
            )
            for choice in self.roles.get(org_id, ())
        )

    def role_targets(self, org_id: str) -> tuple[Choice, ...]:
        """Where an escalation step of `org_id` may go: its own roles first
        (bare ids), then every other organisation's roles (`org/role`)."""
        others = tuple(
            choice
            for other, roles in sorted(self.roles.items())
            if other != org_id
            for choice in roles
        )
        return self.own_roles(org_id) + others

    def senders(self) -> tuple[Choice, ...]:
        """What a `receives` entry's `from` may name: anyone, a sector, or a member."""
        anyone = Choice("*", "Anyone", "any organisation, member or not")
        return (anyone, *self.sectors, *self.organisations)

    def find(self, choices: tuple[Choice, ...], value: str) -> Choice | None:
        """The choice with this value, if it is one of them."""
        return next((choice for choice in choices if choice.value == value), None)


def choices_for(model: Model, earlier: tuple[Model, Choices] | None = None) -> Choices:
    """The choices the model and the shipped schemas offer. `earlier`: the
    choices of an earlier check: the roles of an organisation the model
    still holds (the same object: its file was not read again) are taken
    from them, not made again (a save in a large partnership re-reads one
    file)."""
    partnership = model.partnership
    duties: tuple[Choice, ...] = ()
    concerns: tuple[Choice, ...] = ()
    themes: tuple[Choice, ...] = ()
    if partnership is not None:
        duties = tuple(
            Choice(duty.id, duty.title, _scope_in_words(duty.scope, duty.max_within))
            for duty in partnership.duties or ()
        )
        concerns = tuple(
            Choice(concern.id, concern.title, _total_in_words(concern.max_total))
            for concern in partnership.concerns or ()
        )
        if partnership.mission is not None:
            themes = tuple(Choice(theme.id, theme.title) for theme in partnership.mission.themes)
    organisations = tuple(
        Choice(org.id, org.name, org.sector)
        for org in sorted(model.organisations, key=lambda org: org.id)
    )
    return Choices(
        duties=duties,
        concerns=concerns,
        themes=themes,
        organisations=organisations,
        sectors=enum_choices("sector"),
        raci=enum_choices("raci"),
        hours=enum_choices("hours"),
        roles=_roles(model, earlier),
    )


def _roles(model: Model, earlier: tuple[Model, Choices] | None) -> dict[str, tuple[Choice, ...]]:
    # the roles of each id are the last organisation's with that id, then as now
    before = {} if earlier is None else {org.id: org for org in earlier[0].organisations}
    kept = {} if earlier is None else earlier[1].roles
    roles: dict[str, tuple[Choice, ...]] = {}
    for org in model.organisations:
        same = before.get(org.id) is org and org.id in kept
        roles[org.id] = kept[org.id] if same else _roles_of(org)
    return roles


def _roles_of(org: Organisation) -> tuple[Choice, ...]:
    return tuple(
        Choice(f"{org.id}/{role.id}", f"{org.name}: {role.title}", hours_in_words(role), org.name)
        for role in org.roles
    )


def hours_in_words(role: Role) -> str:
    """`reachable 24/7` or `office hours only` (the default, SPEC §2.2)."""
    hours = role.contact.hours if role.contact is not None else None
    return "reachable 24/7" if hours == "24/7" else "office hours only"


def _scope_in_words(scope: str, within: Any) -> str:
    whose = "the partnership as a whole" if scope == "partnership" else "every member"
    if within is None:
        return f"for {whose}"
    return f"for {whose}, within {within.text}"


def _total_in_words(total: Any) -> str:
    return "" if total is None else f"must reach its destination within {total.text}"


#: The words each enum value of the shipped schemas is shown with.
_ENUM_LABELS = {
    "raci": {
        "responsible": "Responsible (does the work)",
        "accountable": "Accountable (owns it and answers for it)",
        "consulted": "Consulted (asked before it is done)",
        "informed": "Informed (told after it is done)",
    },
    "hours": {
        "office": "Office hours only",
        "24/7": "24/7 (nights, weekends and holidays too)",
    },
}


def enum_choices(name: str) -> tuple[Choice, ...]:
    """The values the policy schema allows for the enum `name` (`sector`,
    `raci`, `hours`), in the schema's order, so that a value added to the
    schema is offered without new code."""
    definition = _enum_definition(schema("policy"), name)
    labels = _ENUM_LABELS.get(name, {})
    values = [str(value) for value in definition.get("enum", ())]
    return tuple(
        Choice(value, labels.get(value, value.replace("-", " ").capitalize())) for value in values
    )


def _enum_definition(policy_schema: dict[str, Any], name: str) -> dict[str, Any]:
    definitions: dict[str, Any] = policy_schema.get("$defs", {})
    if name in definitions:
        found: dict[str, Any] = definitions[name]
        return found
    # `hours` lives inside `contact`, not under $defs of its own.
    for definition in definitions.values():
        properties = definition.get("properties", {}) if isinstance(definition, dict) else {}
        if name in properties and "enum" in properties[name]:
            enum_property: dict[str, Any] = properties[name]
            return enum_property
    return {}


def timeframe_in_words(text: str) -> str:
    """What a timeframe as typed means, for help beside the field:
    "1 working day: up to 96 hours over a bank-holiday weekend",
    "24 hours: at most 24 hours, day or night", or what to write instead."""
    text = text.strip()
    if not text:
        return "Write immediately, or a number and minutes, hours, days, working days or weeks."
    timeframe = parse_timeframe(text)
    if timeframe is None:
        return (
            f"{text!r} is not a timeframe policycoord can compare: write immediately, or a "
            "whole number and minutes, hours, days, working days or weeks, such as 30 minutes, "
            "24 hours or 1 working day."
        )
    if timeframe.unit is Unit.IMMEDIATELY:
        return "immediately: without any wait"
    worst = format_duration(timeframe.worst_case_minutes)
    if timeframe.unit is Unit.WORKING_DAY:
        explanation = working_days_explanation(timeframe) or ""
        because = explanation.replace("`", "")
        return f"{timeframe.text}: up to {worst} over a bank-holiday weekend ({because})"
    return f"{timeframe.text}: at most {worst}, day or night"
