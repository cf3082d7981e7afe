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

`for_reference(choices, reference, organisation)` is the one mapping from
what a field refers to in the shipped schemas (a `$defs` name such as
`roleRef`, `roleId`, `dutyId`, `concernId`, `themeId`, `organisationId`,
`sender`, `sector`, `raci`, `findingCode`, or the enum field `hours`) to
what may be chosen for it, for one organisation's file; `references_by_key`
says which reference each YAML key of a file kind has, read from the
shipped schemas (for the editor, which sees keys, not schema paths).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from policycoord.core.timeframes import (
    Timeframe,
    Unit,
    format_duration,
    parse_timeframe,
    working_days_explanation,
)
from policycoord.input.validation.schemas import known_codes, schema
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
            f"“{text}” is not a timeframe policycoord can compare: write immediately, or a "
            "whole number and minutes, hours, days, working days or weeks, such as 30 minutes, "
            "24 hours or 1 working day."
        )
    if timeframe.unit is Unit.IMMEDIATELY:
        return "immediately: without any wait"
    worst = format_duration(timeframe.worst_case_minutes)
    if timeframe.unit is Unit.WORKING_DAY:
        return f"{timeframe.text}: up to {worst} over a bank-holiday weekend{_why(timeframe)}"
    return f"{timeframe.text}: at most {worst}, day or night"


def _why(timeframe: Timeframe) -> str:
    """Why working days stretch so far, without saying the worst case again:
    " (a referral made on the Friday evening before a bank-holiday Monday
    may wait until Tuesday)"."""
    explanation = (working_days_explanation(timeframe) or "").replace("`", "")
    _, colon, reason = explanation.partition(": ")
    if not colon:
        opened = explanation.find("(")
        reason = explanation[opened + 1 : explanation.rfind(")")] if opened >= 0 else ""
    return f" ({reason.strip()})" if reason.strip() else ""


# -- what each schema reference offers ---------------------------------------------------------


@functools.cache
def code_choices() -> tuple[Choice, ...]:
    """Every finding code, labelled with its name (waivers, `rules`)."""
    return tuple(Choice(code, f"{code} {name}") for code, name in known_codes().items())


_Offer = Callable[[Choices, str], tuple[Choice, ...]]

#: a schema reference -> its choices in one organisation's file ("" in the
#: partnership file: every organisation's roles are then `org/role`)
_BY_REFERENCE: Final[dict[str, _Offer]] = {
    "roleId": lambda choices, org: choices.own_roles(org),
    "roleRef": lambda choices, org: choices.role_targets(org),
    "dutyId": lambda choices, _: choices.duties,
    "concernId": lambda choices, _: choices.concerns,
    "themeId": lambda choices, _: choices.themes,
    "organisationId": lambda choices, _: choices.organisations,
    "sender": lambda choices, _: choices.senders(),
    "sector": lambda choices, _: choices.sectors,
    "raci": lambda choices, _: choices.raci,
    "hours": lambda choices, _: choices.hours,
    "findingCode": lambda choices, _: code_choices(),
    "findingCodeOrPrefix": lambda choices, _: code_choices(),
}

#: the references `for_reference` knows
REFERENCES: Final = frozenset(_BY_REFERENCE)
#: references whose field may hold other text too: an organisation that has
#: no file yet (`members`), a code's prefix (`rules.ignore: [PC3]`)
OPEN_REFERENCES: Final = frozenset({"organisationId", "findingCodeOrPrefix"})


def for_reference(
    choices: Choices, reference: str, organisation: str | None
) -> tuple[Choice, ...] | None:
    """What a field that refers to `reference` may be, in `organisation`'s
    file (None: the partnership file); None when the reference offers no
    choices (a name, a timeframe)."""
    offer = _BY_REFERENCE.get(reference)
    return None if offer is None else offer(choices, organisation or "")


@functools.cache
def references_by_key(kind: str) -> dict[str, str]:
    """Each YAML key of a `kind` ("policy" or "partnership") file whose value
    is chosen, and the reference it has in the shipped schema: `to` ->
    `roleRef`, `applies_to` -> `sector` (a list's items). A key with two
    different references in one kind is left out (there is no telling which
    from the key alone), and so is `id` (it defines, it does not choose)."""
    root = schema(kind)
    found: dict[str, set[str]] = {}
    for key, node in _properties(root, root.get("$defs", {})):
        reference = _reference_of(node, root.get("$defs", {}), key)
        if reference in REFERENCES and key != "id":
            found.setdefault(key, set()).add(reference)
    return {key: refs.pop() for key, refs in sorted(found.items()) if len(refs) == 1}


def _properties(node: Any, definitions: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every (key, property schema) reachable from `node`, each $defs entry walked once."""
    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        name = _ref_name(current)
        if name:
            if name not in seen and name in definitions:
                seen.add(name)
                stack.append(definitions[name])
            continue
        for key, child in current.get("properties", {}).items():
            out.append((key, child))
            stack.append(child)
        stack.extend(current[k] for k in ("items", "additionalProperties") if k in current)
        for k in ("anyOf", "oneOf", "allOf"):
            stack.extend(current.get(k, ()))
    return out


def _reference_of(node: Any, definitions: dict[str, Any], key: str, depth: int = 0) -> str:
    """The reference a property's value (or each item of a list) has; its
    key for an enum field without a $defs entry of its own (`hours`)."""
    if not isinstance(node, dict) or depth > 5:
        return ""
    name = _ref_name(node)
    if name in REFERENCES:
        return name
    if name:
        return _reference_of(definitions.get(name), definitions, key, depth + 1)
    if "items" in node:
        return _reference_of(node["items"], definitions, key, depth + 1)
    return key if "enum" in node else ""


def _ref_name(node: dict[str, Any]) -> str:
    ref = node.get("$ref", "")
    return ref.removeprefix("#/$defs/") if isinstance(ref, str) and ref.startswith("#/") else ""
