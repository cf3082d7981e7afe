"""What a change means for a child, beyond the findings: who owns each duty,
how long each step may take, where each escalation path goes (for `diff`).

A change can pass every rule and still matter to the partnership: a school
hands its referral duty from the DSL to an office manager, a health trust's
"4 hours" becomes "1 working day" (still within the partnership's limit), a
police path stops reaching the MASH. `facts(model)` reduces a Model to those
three kinds of fact, keyed so that the same duty, step or path can be found
in two revisions; `changes(base, head)` lists the differences, in a fixed
order.

- **Organisations**: a policy file added or removed (one change, not one per
  duty and path it brings or takes away).
- **Owners**: per duty and organisation, the roles that are responsible or
  accountable for it (`raci: consulted/informed` own nothing).
- **Timeframes**: per responsibility (organisation, duty, role), per
  escalation step (organisation, concern, target; the n-th step to the same
  target when one repeats), per `receives` entry (organisation, concern,
  role), and the partnership's own limits (a duty's `max_within`, a concern's
  `max_total`). Compared by worst case (SPEC §2.1): "24 hours" to "1 working
  day" is longer. Only for an item present in both revisions; a timeframe
  written where there was none is shorter, and one removed is longer (a
  promise with no time limit).
- **Escalation targets**: per organisation and concern, the roles its steps
  reach (`to`, and `out_of_hours`), added and removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from policycoord.core.findings import Location
from policycoord.core.text import possessive
from policycoord.core.timeframes import Timeframe, format_duration
from policycoord.model.model import Model

#: the raci values that make an organisation's role an owner of a duty
OWNING = frozenset({"responsible", "accountable"})


@dataclass(frozen=True, slots=True)
class Timed:
    """A timeframe and where it is written (None: no timeframe)."""

    within: Timeframe | None
    location: Location


@dataclass(frozen=True, slots=True)
class Facts:
    """One revision's meaning, keyed for comparison."""

    #: (duty id, organisation id) -> {role id: location}
    owners: dict[tuple[str, str], dict[str, Location]]
    #: (what, organisation or partnership id, subject...) -> timeframe
    timeframes: dict[tuple[str, ...], Timed]
    #: (organisation id, concern id) -> {target text: location}
    targets: dict[tuple[str, str], dict[str, Location]]
    #: organisation id -> name; duty id -> title
    names: dict[str, str]
    #: organisation id -> where its file declares it
    declared: dict[str, Location]
    duty_titles: dict[str, str]


@dataclass(frozen=True, slots=True)
class Change:
    """One change in meaning between two revisions.

    `kind` is `owner`, `timeframe` or `escalation`; `direction` says how:
    owner `added`/`removed`/`changed`, timeframe `longer`/`shorter`,
    escalation `added`/`removed`. `location` is in the head revision, or in
    the base when the thing is gone (`in_base`)."""

    kind: str
    direction: str
    organisation: str | None
    subject: str  # the duty or concern id
    message: str
    before: str | None
    after: str | None
    location: Location
    in_base: bool = False

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (
            _KIND_ORDER[self.kind],
            self.subject,
            self.organisation or "",
            self.direction,
            self.message,
        )


_KIND_ORDER = {"organisation": "0", "owner": "1", "timeframe": "2", "escalation": "3"}


def facts(model: Model) -> Facts:
    """The facts of one revision."""
    owners: dict[tuple[str, str], dict[str, Location]] = {}
    timeframes: dict[tuple[str, ...], Timed] = {}
    targets: dict[tuple[str, str], dict[str, Location]] = {}
    for org in model.organisations:
        for responsibility in org.responsibilities:
            where = responsibility.origin.location
            if responsibility.raci in OWNING:
                owners.setdefault((responsibility.duty, org.id), {})[responsibility.role] = where
            key = ("responsibility", org.id, responsibility.duty, responsibility.role)
            timeframes[key] = Timed(responsibility.within, responsibility.origin.at("within"))
        for escalation in org.escalations:
            reached = targets.setdefault((org.id, escalation.concern), {})
            repeats: dict[str, int] = {}
            for step in escalation.steps:
                target = step.to.key
                repeats[target] = repeats.get(target, 0) + 1
                reached.setdefault(target, step.origin.at("to"))
                if step.out_of_hours is not None:
                    reached.setdefault(
                        f"{step.out_of_hours.key} (out of hours)", step.origin.at("out_of_hours")
                    )
                step_key = ("step", org.id, escalation.concern, target, str(repeats[target]))
                timeframes[step_key] = Timed(step.within, step.origin.at("within"))
        for receipt in org.receives:
            key = ("receives", org.id, receipt.concern, receipt.role)
            timeframes[key] = Timed(receipt.within, receipt.origin.at("within"))
    duty_titles: dict[str, str] = {}
    partnership = model.partnership
    if partnership is not None:
        for duty in partnership.duties or ():
            duty_titles[duty.id] = duty.title
            timeframes[("max_within", partnership.id, duty.id)] = Timed(
                duty.max_within, duty.origin.at("max_within")
            )
        for concern in partnership.concerns or ():
            timeframes[("max_total", partnership.id, concern.id)] = Timed(
                concern.max_total, concern.origin.at("max_total")
            )
    names = {org.id: org.name for org in model.organisations}
    declared = {org.id: org.origin.location for org in model.organisations}
    return Facts(owners, timeframes, targets, names, declared, duty_titles)


def changes(base: Facts, head: Facts) -> tuple[Change, ...]:
    """Every change in meaning from `base` to `head`, sorted: owners, then
    timeframes, then escalation targets; by duty or concern, organisation."""
    found = [
        *_organisation_changes(base, head),
        *_owner_changes(base, head),
        *_timeframe_changes(base, head),
        *_target_changes(base, head),
    ]
    return tuple(sorted(found, key=Change.sort_key))


def _name(org_id: str, base: Facts, head: Facts) -> str:
    return head.names.get(org_id) or base.names.get(org_id) or org_id


def _duty(duty_id: str, base: Facts, head: Facts) -> str:
    """A duty as the findings name it: its id, then its title."""
    title = head.duty_titles.get(duty_id) or base.duty_titles.get(duty_id)
    return f"`{duty_id}` ({title})" if title else f"`{duty_id}`"


def _concern(concern_id: str) -> str:
    """A concern by its id (titles are sentences: "A child is suffering...")."""
    return f"`{concern_id}`"


def _roles(roles: dict[str, Location]) -> str:
    return ", ".join(f"`{role}`" for role in sorted(roles))


def _organisation_changes(base: Facts, head: Facts) -> Iterator[Change]:
    """An organisation whose file was added or removed: one change, rather
    than one for every duty it owns and every path it escalates on."""
    for org_id in sorted(head.declared.keys() - base.declared.keys()):
        yield Change(
            "organisation",
            "added",
            org_id,
            org_id,
            f"{head.names[org_id]} (`{org_id}`) has a policy file now.",
            None,
            org_id,
            head.declared[org_id],
        )
    for org_id in sorted(base.declared.keys() - head.declared.keys()):
        yield Change(
            "organisation",
            "removed",
            org_id,
            org_id,
            f"{base.names[org_id]} (`{org_id}`) no longer has a policy file.",
            org_id,
            None,
            base.declared[org_id],
            in_base=True,
        )


def _in_both(org_id: str, base: Facts, head: Facts) -> bool:
    return org_id in base.declared and org_id in head.declared


def _owner_changes(base: Facts, head: Facts) -> Iterator[Change]:
    for key in sorted(base.owners.keys() | head.owners.keys()):
        duty_id, org_id = key
        if not _in_both(org_id, base, head):
            continue
        before = base.owners.get(key, {})
        after = head.owners.get(key, {})
        if set(before) == set(after):
            continue
        org = _name(org_id, base, head)
        duty = _duty(duty_id, base, head)
        if not before:
            direction = "added"
            message = f"{org} now owns {duty}: {_roles(after)}."
        elif not after:
            direction = "removed"
            message = f"{org} no longer owns {duty} (it was {_roles(before)})."
        else:
            direction = "changed"
            message = f"{org} moved {duty} from {_roles(before)} to {_roles(after)}."
        where = after or before
        location = where[min(where)]
        yield Change(
            "owner",
            direction,
            org_id,
            duty_id,
            message,
            ", ".join(sorted(before)) or None,
            ", ".join(sorted(after)) or None,
            location,
            in_base=not after,
        )


def _timeframe_changes(base: Facts, head: Facts) -> Iterator[Change]:
    for key in sorted(base.timeframes.keys() & head.timeframes.keys()):
        before = base.timeframes[key].within
        after = head.timeframes[key]
        longer = _longer(before, after.within)
        if longer is None:
            continue
        yield Change(
            "timeframe",
            "longer" if longer else "shorter",
            None if key[0] in ("max_within", "max_total") else key[1],
            key[2],
            _timeframe_message(key, before, after.within, longer, base, head),
            before.text if before is not None else None,
            after.within.text if after.within is not None else None,
            after.location,
        )


def _longer(before: Timeframe | None, after: Timeframe | None) -> bool | None:
    """True if `after` allows longer than `before`, False if shorter, None if
    the same worst case (a timeframe of None allows any time)."""
    if before is None and after is None:
        return None
    if before is None:
        return False
    if after is None:
        return True
    if after.worst_case_minutes == before.worst_case_minutes:
        return None
    return after.worst_case_minutes > before.worst_case_minutes


def _spelled(timeframe: Timeframe | None) -> str:
    if timeframe is None:
        return "no time limit"
    worst = format_duration(timeframe.worst_case_minutes)
    if timeframe.text in (worst, "immediately"):
        return f"`{timeframe.text}`"
    return f"`{timeframe.text}` (up to {worst})"


def _timeframe_message(
    key: tuple[str, ...],
    before: Timeframe | None,
    after: Timeframe | None,
    longer: bool,
    base: Facts,
    head: Facts,
) -> str:
    what, owner = key[0], key[1]
    if what == "responsibility":
        subject = (
            f"{possessive(_name(owner, base, head))} `{key[3]}` for {_duty(key[2], base, head)}"
        )
    elif what == "step":
        subject = f"{possessive(_name(owner, base, head))} {_concern(key[2])} step to `{key[3]}`"
    elif what == "receives":
        subject = f"{possessive(_name(owner, base, head))} `{key[3]}` receiving {_concern(key[2])}"
    elif what == "max_within":
        subject = f"The partnership's limit for {_duty(key[2], base, head)}"
    else:
        subject = f"The partnership's total limit for {_concern(key[2])}"
    how = "longer" if longer else "shorter"
    return f"{subject} is {how}: {_spelled(before)} before, {_spelled(after)} now."


def _target_changes(base: Facts, head: Facts) -> Iterator[Change]:
    for key in sorted(base.targets.keys() | head.targets.keys()):
        org_id, concern_id = key
        if not _in_both(org_id, base, head):
            continue
        before = base.targets.get(key, {})
        after = head.targets.get(key, {})
        org = _name(org_id, base, head)
        concern = _concern(concern_id)
        for target in sorted(after.keys() - before.keys()):
            yield Change(
                "escalation",
                "added",
                org_id,
                concern_id,
                f"{possessive(org)} {concern} path now reaches `{target}`.",
                None,
                target,
                after[target],
            )
        for target in sorted(before.keys() - after.keys()):
            yield Change(
                "escalation",
                "removed",
                org_id,
                concern_id,
                f"{possessive(org)} {concern} path no longer reaches `{target}`.",
                target,
                None,
                before[target],
                in_base=True,
            )
