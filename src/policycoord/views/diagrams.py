"""Escalation diagrams: each concern's written escalation paths as a graph
for reports to draw (Mermaid in Markdown, SVG in HTML).

A view, not a check: it records what the policies say and marks the steps
that findings point at. For each organisation's path for a concern there is
a start node (the organisation) and one edge per step: from the previous
step's role (or the start) to the step's `to`, labelled with its `within`;
a step's `out_of_hours` is a second, dashed edge. Paths of different
organisations meet where they reach the same role (the MASH, the EDT). A
role that stands in out of hours for a must_reach role (SPEC §3.1: the
council's emergency duty team for its MASH) is drawn as reaching.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from policycoord.core.findings import Finding, Location
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Escalation, RoleRef


@dataclass(frozen=True, slots=True)
class Node:
    """A box in the diagram: an organisation (a path's start) or a role."""

    key: str  # `org` for a start, `org/role` for a role
    organisation: str
    organisation_name: str
    label: str  # the role's title, or the organisation's name for a start
    start: bool = False
    around_the_clock: bool = False  # the role's contact hours are 24/7
    exists: bool = True  # False: a role that no policy defines
    must_reach: bool = False  # one of the concern's must_reach roles
    #: out of hours it stands in for these must_reach roles (SPEC §3.1): drawn as reaching
    stands_in_for: tuple[str, ...] = ()
    dead_end: bool = False  # a path that a finding says ends here without arriving


@dataclass(frozen=True, slots=True)
class Edge:
    source: str  # node keys
    target: str
    within: str | None
    out_of_hours: bool  # a step's out_of_hours route (drawn dashed)
    codes: tuple[str, ...]  # the codes of findings that point at this step (drawn red)
    location: Location  # the step, for reports that link to it


@dataclass(frozen=True, slots=True)
class Diagram:
    concern: str
    title: str
    max_total: str | None
    nodes: tuple[Node, ...]  # starts first (in organisation order), then roles by key
    edges: tuple[Edge, ...]  # in organisation order, then step order
    codes: tuple[str, ...]  # codes of every finding about the concern's paths

    @property
    def problem(self) -> bool:
        return bool(self.codes)


def build_diagrams(model: Model, findings: Iterable[Finding]) -> tuple[Diagram, ...]:
    """One diagram per concern of the partnership that has at least one path."""
    partnership = model.partnership
    if partnership is None or not partnership.concerns:
        return ()
    pointed = _escalation_findings(findings)
    diagrams = []
    for concern in partnership.concerns:
        paths = model.escalations_for(concern.id)
        if paths:
            diagrams.append(_diagram(model, concern, paths, pointed))
    return tuple(diagrams)


Pointed = dict[str, list[tuple[str, str]]]  # path -> (pointer, code) of escalation findings


def _escalation_findings(findings: Iterable[Finding]) -> Pointed:
    """Every place an escalation finding (or one of its related locations)
    points at, by file."""
    pointed: Pointed = {}
    for finding in findings:
        if finding.code.startswith("PC2"):
            for where in (finding.location, *finding.related):
                pointed.setdefault(where.path, []).append((where.pointer, finding.code))
    return pointed


def _codes_below(pointed: Pointed, path: str, pointer: str) -> set[str]:
    """Codes of findings at `pointer` or below it in `path`."""
    return {
        code for at, code in pointed.get(path, ()) if at == pointer or at.startswith(pointer + "/")
    }


def _step_codes(pointed: Pointed, path: str, step: str, night: bool) -> set[str]:
    """Codes of findings about one of a step's two routes: at the step, its
    `within` or its `action` (both routes), or at its `to` (the day route)
    or `out_of_hours` (the night route)."""
    other = f"{step}/{'to' if night else 'out_of_hours'}"
    return {
        code
        for at, code in pointed.get(path, ())
        if (at == step or at.startswith(step + "/"))
        and not (at == other or at.startswith(other + "/"))
    }


def _diagram(
    model: Model,
    concern: Concern,
    paths: tuple[Escalation, ...],
    pointed: Pointed,
) -> Diagram:
    must_reach = {ref.key for ref in concern.must_reach}
    stand_ins = _stand_ins(model, concern)
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    all_codes: set[str] = set()
    for path in paths:
        start = path.organisation
        nodes.setdefault(start, _start_node(model, start))
        origin = path.origin
        path_codes = _codes_below(pointed, origin.path, origin.pointer)
        all_codes |= path_codes
        previous = start
        last_target = start
        for step in path.steps:
            step_origin = step.origin
            for ref, night in ((step.to, False), (step.out_of_hours, True)):
                if ref is None:
                    continue
                step_codes = _step_codes(pointed, step_origin.path, step_origin.pointer, night)
                node = _role_node(model, ref, must_reach, stand_ins)
                nodes.setdefault(node.key, node)
                edges.append(
                    Edge(
                        source=previous,
                        target=node.key,
                        within=step.within.text if step.within is not None else None,
                        out_of_hours=night,
                        codes=tuple(sorted(step_codes)),
                        location=step_origin.at("out_of_hours" if night else "to"),
                    )
                )
            previous = step.to.key
            last_target = step.to.key
        if "PC203" in path_codes and last_target in nodes and last_target != start:
            nodes[last_target] = dataclasses.replace(nodes[last_target], dead_end=True)
    starts = [n for n in nodes.values() if n.start]
    roles = sorted((n for n in nodes.values() if not n.start), key=lambda n: n.key)
    return Diagram(
        concern=concern.id,
        title=concern.title,
        max_total=concern.max_total.text if concern.max_total is not None else None,
        nodes=(*starts, *roles),
        edges=tuple(edges),
        codes=tuple(sorted(all_codes)),
    )


def _start_node(model: Model, org_id: str) -> Node:
    owner = model.organisation(org_id)
    name = owner.name if owner is not None else org_id
    return Node(key=org_id, organisation=org_id, organisation_name=name, label=name, start=True)


def _stand_ins(model: Model, concern: Concern) -> dict[str, tuple[str, ...]]:
    """Out-of-hours stand-in role key -> the must_reach role keys it stands in for."""
    graph = model.escalation_graphs.get(concern.id)
    if graph is None:
        return {}
    return {ref.key: tuple(r.key for r in graph.stands_in_for(ref)) for ref in graph.stand_ins}


def _role_node(
    model: Model, ref: RoleRef, must_reach: set[str], stand_ins: dict[str, tuple[str, ...]]
) -> Node:
    owner = model.organisation(ref.organisation)
    role = model.role(ref)
    return Node(
        key=ref.key,
        organisation=ref.organisation,
        organisation_name=owner.name if owner is not None else ref.organisation,
        label=role.title if role is not None else ref.role,
        around_the_clock=role.around_the_clock if role is not None else False,
        exists=role is not None,
        must_reach=ref.key in must_reach,
        stands_in_for=stand_ins.get(ref.key, ()),
    )
