"""The escalation graph of one concern, and the walks along it (SPEC §3.1).

An organisation's path for a concern is its steps in order. Walking it, a
step to a role of another organisation is a hand-off: the walk continues
along the receiving organisation's own path for the concern, from the step
after the one that targets the receiving role if there is one, otherwise
from its first step; if the receiver has no path, the walk ends at the
receiving role. A hand-off to a role that does not exist (PC201) ends the
walk there: a referral to another organisation's team that no longer exists
goes nowhere. (A step to a misspelt role of the organisation's own carries
on along its written steps; PC201 reports the spelling.) Out of
office hours, a step's `out_of_hours` target is taken instead of its `to`
when it has one; both walks must pass every check.

Out-of-hours stand-ins (SPEC §3.1): on the out-of-hours walk only, a
`must_reach` role that works office hours is stood in for by every role of
the same organisation that works 24/7 and has a `receives` entry for the
concern (its emergency duty team). Reaching a stand-in counts as reaching
the `must_reach` role, and the time is summed up to it. A partnership names
its daytime front door (the MASH) and sends everything at night to the
council's emergency duty team; without stand-ins every night walk would be
a dead end.

A walk's state is (organisation, step index). Each state has exactly one
successor in each mode, so the states form a functional graph: every walk
either ends or runs into a cycle. Results are computed once per state and
mode (memoised, iteratively, never recursively), so all the walks of a
concern cost time linear in the number of steps, however long the chains.
The graph is also the data the reports draw escalation diagrams from.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from policycoord.core.findings import Location
from policycoord.model.policies import Concern, Escalation, Organisation, Role, RoleRef, Step

_V = TypeVar("_V")

#: how many hops a message spells out before "... and N more"
HOPS_SHOWN = 12


class Mode(enum.Enum):
    OFFICE_HOURS = "office hours"
    OUT_OF_HOURS = "out of hours"


class State(NamedTuple):
    """At step `index` of `organisation`'s path for the concern.

    State, Hop and Outcome are named tuples, not dataclasses: a walk makes
    one of each for every step of every path, in both modes (hundreds of
    thousands in a country's partnership), and a tuple is made and hashed
    several times faster. They are as immutable."""

    organisation: str
    index: int  # type: ignore[assignment]  # the field, not tuple.index, as a dataclass had it


class Hop(NamedTuple):
    """One step taken on a walk: who hands the concern to whom, how fast."""

    state: State
    step: Step
    target: RoleRef
    via_out_of_hours: bool  # the step's `out_of_hours` target was taken
    handoff: bool  # the target is a role of another organisation
    role: Role | None  # the target role, when it exists

    @property
    def minutes(self) -> int:
        return self.step.within.worst_case_minutes if self.step.within else 0

    @property
    def location(self) -> Location:
        """The step field this hop followed: `out_of_hours` when taken, else `to`."""
        return self.step.origin.at("out_of_hours" if self.via_out_of_hours else "to")


class Outcome(NamedTuple):
    """What walking from a state leads to."""

    reaches: bool  # passes one of the concern's must_reach roles
    minutes: int  # worst case up to the first must_reach role (or to the end)
    end: RoleRef | None  # where the walk ends; None when it runs into a cycle
    cycle: bool  # the walk runs into a cycle without passing a must_reach role


@dataclass(frozen=True, slots=True)
class Cycle:
    """A cycle of states, starting at the state of the organisation whose
    file sorts first, with the hops around it in order."""

    hops: tuple[Hop, ...]
    mode: Mode

    @property
    def organisations(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for hop in self.hops:
            seen.setdefault(hop.state.organisation, None)
        return tuple(seen)


@dataclass(eq=False)
class EscalationGraph:
    """One concern's paths across the partnership, and the walks along them."""

    concern: Concern
    paths: dict[str, Escalation]  # organisation id -> its (first) path for the concern
    organisations: dict[str, Organisation]
    #: each mode's walks' outcomes, by the state they start from (memoised)
    _office: dict[State, Outcome] = field(default_factory=dict)
    _night: dict[State, Outcome] = field(default_factory=dict)
    _cycles: dict[Mode, tuple[Cycle, ...]] = field(default_factory=dict)
    #: the concern's must_reach roles, as (organisation, role)
    _must_reach: frozenset[tuple[str, str]] = frozenset()
    #: organisation -> the role keys its path's steps name, each at its first step
    _receiving: dict[str, dict[str, int]] = field(default_factory=dict)
    #: out of hours only: (organisation, role) -> the must_reach roles it stands in for
    _stand_ins: dict[tuple[str, str], tuple[RoleRef, ...]] = field(default_factory=dict)
    #: each mode's states whose walk runs into a cycle (a cycle is found by walking to it)
    _cyclic: dict[Mode, set[State]] = field(default_factory=dict)
    #: each mode's hop from a state and the state after it (memoised: every walk takes them)
    _hops: dict[Mode, dict[State, tuple[Hop, State | None]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._must_reach = frozenset(
            (ref.organisation, ref.role) for ref in self.concern.must_reach
        )
        self._stand_ins = stand_ins(self.concern, self.organisations)

    # -- the graph -------------------------------------------------------------
    def step(self, state: State) -> Step:
        return self.paths[state.organisation].steps[state.index]

    def hop(self, state: State, mode: Mode) -> Hop:
        step = self.paths[state.organisation].steps[state.index]
        night = step.out_of_hours if mode is Mode.OUT_OF_HOURS else None
        target = night if night is not None else step.to
        owner = self.organisations.get(target.organisation)
        return Hop(
            state,
            step,
            target,
            night is not None,  # via_out_of_hours
            target.organisation != state.organisation,  # handoff
            owner.roles_by_id.get(target.role) if owner is not None else None,
        )

    def _taken(self, state: State, mode: Mode) -> tuple[Hop, State | None]:
        """`hop(state, mode)` and its successor, worked out once."""
        table = self._hops.get(mode)
        if table is None:
            table = self._hops[mode] = {}
        found = table.get(state)
        if found is None:
            hop = self.hop(state, mode)
            found = table[state] = (hop, self.successor(hop))
        return found

    def successor(self, hop: Hop) -> State | None:
        """Where the walk goes after a hop; None when it ends at the hop's target."""
        here = hop.state
        if hop.role is None and hop.handoff:
            return (
                None  # handed to another organisation's team that does not exist: it goes nowhere
            )
        if not hop.handoff:
            following = State(here.organisation, here.index + 1)
            return following if self._exists(following) else None
        receiver = self.paths.get(hop.target.organisation)
        if receiver is None:
            return None
        index = self._steps_naming(hop.target.organisation, receiver).get(hop.target.key)
        if index is not None:
            following = State(hop.target.organisation, index + 1)
            return following if index + 1 < len(receiver.steps) else None
        # a path with no steps (`steps:` left empty, a schema finding) goes nowhere
        return State(hop.target.organisation, 0) if receiver.steps else None

    def _steps_naming(self, org_id: str, path: Escalation) -> dict[str, int]:
        """The first step of `path` whose `to` or `out_of_hours` names each role."""
        found = self._receiving.get(org_id)
        if found is None:
            found = {}
            for index, step in enumerate(path.steps):
                found.setdefault(step.to.key, index)
                if step.out_of_hours is not None:
                    found.setdefault(step.out_of_hours.key, index)
            self._receiving[org_id] = found
        return found

    def _exists(self, state: State) -> bool:
        path = self.paths.get(state.organisation)
        return path is not None and state.index < len(path.steps)

    def starts(self) -> Iterator[State]:
        """The first step of every organisation's path, in organisation order."""
        for org_id, path in self.paths.items():
            if path.steps:
                yield State(org_id, 0)

    def starts_of(self, organisations: Iterable[Organisation]) -> Iterator[State]:
        """The first step of these organisations' paths, in the order given
        (a model's organisations: the rules that report per start run on a
        model of a few of them after a change, checks/incremental.py)."""
        paths = self.paths
        for org in organisations:
            path = paths.get(org.id)
            if path is not None and path.steps:
                yield State(org.id, 0)

    def must_reach(self, target: RoleRef) -> bool:
        """One of the concern's must_reach roles itself."""
        return (target.organisation, target.role) in self._must_reach

    def reaches(self, target: RoleRef, mode: Mode) -> bool:
        """Reaching `target` counts as reaching a must_reach role in `mode`:
        it is one, or, out of hours, it stands in for one."""
        key = (target.organisation, target.role)
        return key in self._must_reach or (mode is Mode.OUT_OF_HOURS and key in self._stand_ins)

    def stands_in_for(self, target: RoleRef) -> tuple[RoleRef, ...]:
        """The office-hours must_reach roles `target` stands in for out of
        hours (empty when it stands in for none)."""
        return self._stand_ins.get((target.organisation, target.role), ())

    @property
    def stand_ins(self) -> tuple[RoleRef, ...]:
        """Every out-of-hours stand-in of the concern, in organisation and role order."""
        return tuple(RoleRef(org, role, f"{org}/{role}") for org, role in sorted(self._stand_ins))

    # -- walks -----------------------------------------------------------------
    def walk(self, start: State, mode: Mode) -> Iterator[Hop]:
        """The hops from `start` until the walk ends, reaches a state again,
        or (after the first must_reach role) has nothing more to say.
        Stops after the first repeated state."""
        seen: set[State] = set()
        state: State | None = start
        while state is not None and state not in seen:
            seen.add(state)
            hop, state = self._taken(state, mode)
            yield hop

    def walk_to_must_reach(
        self, start: State, mode: Mode, *, stop_at: set[State] | None = None
    ) -> Iterator[Hop]:
        """The hops of a walk up to and including the first must_reach role.
        With `stop_at`, the walk also stops before a state in it and adds the
        states it passes: walks from every start then cost linear time in all,
        since the rest of a walk from a state already passed is the same."""
        for hop in self.walk(start, mode):
            if stop_at is not None:
                if hop.state in stop_at:
                    return
                stop_at.add(hop.state)
            yield hop
            if self.reaches(hop.target, mode):
                return

    def outcome(self, start: State, mode: Mode) -> Outcome:
        """What walking from `start` in `mode` leads to (memoised)."""
        outcomes = self._office if mode is Mode.OFFICE_HOURS else self._night
        found = outcomes.get(start)
        if found is None:
            self._solve(start, mode)
            found = outcomes[start]
        return found

    def cycles(self, mode: Mode) -> tuple[Cycle, ...]:
        """Every cycle of the concern's walks in `mode`, each once."""
        if mode not in self._cycles:
            outcomes = self._office if mode is Mode.OFFICE_HOURS else self._night
            for org_id, path in self.paths.items():  # starts(), the outcomes known skipped
                if path.steps and (start := State(org_id, 0)) not in outcomes:
                    self._solve(start, mode)
            self._cycles.setdefault(mode, ())
        return self._cycles[mode]

    def _solve(self, start: State, mode: Mode) -> None:
        """Follow successors from `start` until a known state, the end, or a
        state already on this trail (a cycle); then fill in the trail."""
        outcomes = self._office if mode is Mode.OFFICE_HOURS else self._night
        trail: list[Hop] = []
        on_trail: dict[State, int] = {}
        state: State | None = start
        tail: Outcome | None = None
        cyclic = self._cyclic.setdefault(mode, set())
        into_cycle = False
        while state is not None:
            known = outcomes.get(state)
            if known is not None:
                tail = known
                into_cycle = state in cyclic
                break
            if state in on_trail:
                self._close_cycle(trail[on_trail[state] :], mode)
                trail = trail[: on_trail[state]]
                tail = outcomes[state]
                into_cycle = True
                break
            on_trail[state] = len(trail)
            hop, state = self._taken(state, mode)
            trail.append(hop)
        if into_cycle:
            cyclic.update(hop.state for hop in trail)
        for hop in reversed(trail):
            tail = self._through(hop, tail, mode)
            outcomes[hop.state] = tail

    def _through(self, hop: Hop, after: Outcome | None, mode: Mode) -> Outcome:
        """The outcome of taking `hop`, given the outcome after it."""
        if self.reaches(hop.target, mode):
            return Outcome(True, hop.minutes, hop.target, False)
        if after is None:  # the walk ends at this hop's target
            return Outcome(False, hop.minutes, hop.target, False)
        return Outcome(after.reaches, hop.minutes + after.minutes, after.end, after.cycle)

    def _close_cycle(self, loop: list[Hop], mode: Mode) -> None:
        """Outcomes for the states on a cycle, and the cycle itself (once)."""
        size = len(loop)
        self._cyclic.setdefault(mode, set()).update(hop.state for hop in loop)
        reaching = [i for i, hop in enumerate(loop) if self.reaches(hop.target, mode)]
        for i, hop in enumerate(loop):
            if not reaching:
                outcome = Outcome(False, 0, None, True)
            else:  # the first must_reach role going round from here
                distance = min((j - i) % size for j in reaching)
                minutes = sum(loop[(i + k) % size].minutes for k in range(distance + 1))
                outcome = Outcome(True, minutes, loop[(i + distance) % size].target, False)
            outcomes = self._office if mode is Mode.OFFICE_HOURS else self._night
            outcomes[hop.state] = outcome
        # a cycle is a defect even when it passes a must_reach role on the way round
        first = min(range(size), key=lambda i: self._sort_key(loop[i].state))
        ordered = tuple(loop[first:] + loop[:first])
        self._cycles[mode] = (*self._cycles.get(mode, ()), Cycle(ordered, mode))

    def carry_over(self, before: EscalationGraph, stale: Collection[str]) -> None:
        """Take the walks' outcomes `before` (the same concern's graph built
        from the files as they were) found from the states of organisations
        not in `stale`: those whose walks cannot reach an organisation whose
        policy changed (the caller works them out). Walks that run into a
        cycle are not taken: walking them again finds the cycles, in the
        order a graph built afresh finds them. Nothing is taken when the
        concern, its must_reach roles or their stand-ins differ."""
        if (
            before.concern != self.concern
            or before._must_reach != self._must_reach
            or before._stand_ins != self._stand_ins
        ):
            return
        if self._office or self._night or self._hops:
            return  # walked already: only a graph not yet walked takes them
        self._office = self._kept(before, before._office, Mode.OFFICE_HOURS, stale)
        self._night = self._kept(before, before._night, Mode.OUT_OF_HOURS, stale)
        for mode, hops in before._hops.items():  # a hop goes where it went: no cycle to find
            self._hops[mode] = self._kept(before, hops, None, stale)
        receiving = dict(before._receiving)
        for org_id in stale:
            receiving.pop(org_id, None)
        self._receiving = receiving

    @staticmethod
    def _kept(
        before: EscalationGraph, memo: dict[State, _V], mode: Mode | None, stale: Collection[str]
    ) -> dict[State, _V]:
        """`memo` less the states of stale organisations and, with a mode, the
        states whose walks run into a cycle in it."""
        kept = dict(memo)
        for state in before._cyclic.get(mode, ()) if mode is not None else ():
            kept.pop(state, None)
        for org_id in stale:
            path = before.paths.get(org_id)
            for index in range(len(path.steps) if path is not None else 0):
                kept.pop(State(org_id, index), None)
        return kept

    def _sort_key(self, state: State) -> tuple[str, int]:
        org = self.organisations.get(state.organisation)
        return (org.path if org is not None else state.organisation, state.index)


def stand_ins(
    concern: Concern, organisations: dict[str, Organisation]
) -> dict[tuple[str, str], tuple[RoleRef, ...]]:
    """The concern's out-of-hours stand-ins (SPEC §3.1): for each must_reach
    role that exists and works office hours (no `contact.hours` counts as
    office hours), every other role of the same organisation that works
    24/7 and has a `receives` entry for the concern, as (organisation, role)
    -> the must_reach roles it stands in for. A must_reach role that works
    24/7, or that is itself must_reach, needs no stand-in."""
    must_reach = {(ref.organisation, ref.role) for ref in concern.must_reach}
    found: dict[tuple[str, str], list[RoleRef]] = {}
    for ref in concern.must_reach:
        org = organisations.get(ref.organisation)
        role = org.role(ref.role) if org is not None else None
        if org is None or role is None or role.around_the_clock:
            continue
        receiving = {receipt.role for receipt in org.receives if receipt.concern == concern.id}
        for other in org.roles:
            key = (org.id, other.id)
            if other.around_the_clock and other.id in receiving and key not in must_reach:
                standing = found.setdefault(key, [])
                if ref not in standing:
                    standing.append(ref)
    return {key: tuple(refs) for key, refs in found.items()}


def build_graphs(
    concerns: tuple[Concern, ...], organisations: tuple[Organisation, ...]
) -> dict[str, EscalationGraph]:
    """One graph per concern; an organisation's first path for a concern is
    its path (a second one is not walked)."""
    by_id = {org.id: org for org in organisations}
    graphs: dict[str, EscalationGraph] = {}
    for concern in concerns:
        paths: dict[str, Escalation] = {}
        for org in organisations:
            for escalation in org.escalations:
                if escalation.concern == concern.id:
                    paths.setdefault(org.id, escalation)
        graphs[concern.id] = EscalationGraph(concern, paths, by_id)
    return graphs


def same_walk(one: list[Hop], other: list[Hop]) -> bool:
    """The two walks take the same steps to the same roles (the office-hours
    and the out-of-hours walk, said once when they are)."""
    return [(h.state, h.target.key) for h in one] == [(h.state, h.target.key) for h in other]


def organisations_passed(walks: Iterable[list[Hop]], start: str) -> tuple[str, ...]:
    """The organisations other than `start` that the walks pass or end at."""
    found = {hop.target.organisation for walk in walks for hop in walk}
    return tuple(sorted(found - {start}))


def describe(hops: list[Hop], graph: EscalationGraph) -> str:
    """`St Mary's Primary School → Northshire Council Children's Services
    mash (24 hours) → …`: the hops of a walk for a message."""
    first = graph.organisations.get(hops[0].state.organisation) if hops else None
    parts = [first.name if first is not None else (hops[0].state.organisation if hops else "")]
    for hop in hops[:HOPS_SHOWN]:
        owner = graph.organisations.get(hop.target.organisation)
        who = owner.name if owner is not None else f"`{hop.target.organisation}`"
        role = hop.role.title if hop.role is not None else f"`{hop.target.role}`"
        when = f" ({hop.step.within.text})" if hop.step.within else ""
        parts.append(f"{who} {role}{when}" if hop.handoff else f"{role}{when}")
    if len(hops) > HOPS_SHOWN:
        parts.append(f"… and {len(hops) - HOPS_SHOWN} more")
    return " → ".join(parts)
