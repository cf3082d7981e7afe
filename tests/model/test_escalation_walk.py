"""The escalation walk (SPEC §3.1): hand-offs continue along the receiver's
path, out-of-hours routes, dead ends, cycles, and linear cost."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from policycoord.model.escalation import EscalationGraph, Mode, State, describe
from policycoord.workflows.pipeline import Options, load_model

PARTNERSHIP = """\
policycoord: 1
partnership: {id: p, name: P}
concerns:
  - id: harm
    title: Significant harm
    must_reach: [cs/mash, cs/edt]
    max_total: 24 hours
    out_of_hours: required
"""


def _org(org_id: str, roles: list[tuple[str, str]], steps: list[str], sector: str = "other") -> str:
    lines = [
        "policycoord: 1",
        f"organisation: {{id: {org_id}, name: {org_id.upper()} Org, sector: {sector}}}",
        "roles:",
        *(f"  - {{id: {r}, title: {r.upper()}, contact: {{hours: '{h}'}}}}" for r, h in roles),
    ]
    if steps:
        lines += ["escalations:", "  - concern: harm", "    steps:"]
        lines += [f"      - {step}" for step in steps]
    return "\n".join(lines) + "\n"


def _graph(tmp_path: Path, orgs: dict[str, str]) -> EscalationGraph:
    (tmp_path / "partnership.yaml").write_text(PARTNERSHIP, encoding="utf-8")
    for org_id, text in orgs.items():
        (tmp_path / f"{org_id}.yaml").write_text(text, encoding="utf-8")
    model = load_model([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24)))
    return model.escalation_graphs["harm"]


CS = _org(
    "cs",
    [("mash", "office"), ("edt", "24/7"), ("triage", "office")],
    ["{to: triage, within: 1 hour}", "{to: mash, within: 4 hours, out_of_hours: edt}"],
    "social-care",
)


def test_handoff_continues_after_the_step_that_targets_the_receiving_role(tmp_path: Path) -> None:
    graph = _graph(
        tmp_path,
        {
            "cs": CS,
            "school": _org(
                "school",
                [("dsl", "office")],
                ["{to: dsl, within: immediately}", "{to: cs/triage, within: 2 hours}"],
            ),
        },
    )
    hops = list(graph.walk(State("school", 0), Mode.OFFICE_HOURS))
    assert [h.target.key for h in hops] == ["school/dsl", "cs/triage", "cs/mash"]
    outcome = graph.outcome(State("school", 0), Mode.OFFICE_HOURS)
    assert outcome.reaches and not outcome.cycle
    assert outcome.minutes == (0 + 2 + 4) * 60  # the cs step to triage is skipped
    night = [h.target.key for h in graph.walk(State("school", 0), Mode.OUT_OF_HOURS)]
    assert night == ["school/dsl", "cs/triage", "cs/edt"]
    assert (
        describe(hops, graph)
    ) == "SCHOOL Org → DSL (immediately) → CS Org TRIAGE (2 hours) → MASH (4 hours)"


def test_handoff_to_a_role_not_on_the_receivers_path_starts_at_its_first_step(
    tmp_path: Path,
) -> None:
    graph = _graph(tmp_path, {"cs": CS, "club": _org("club", [], ["{to: cs/edt, within: 1 hour}"])})
    # cs/edt is must_reach: the walk stops counting there
    assert graph.outcome(State("club", 0), Mode.OFFICE_HOURS).minutes == 60
    hops = [h.target.key for h in graph.walk(State("club", 0), Mode.OFFICE_HOURS)]
    # cs/edt is the out_of_hours target of the council's last step: the walk ends there
    assert hops == ["cs/edt"]


def test_dead_end_at_a_renamed_team(tmp_path: Path) -> None:
    graph = _graph(
        tmp_path, {"cs": CS, "club": _org("club", [], ["{to: cs/front-door, within: 1 hour}"])}
    )
    outcome = graph.outcome(State("club", 0), Mode.OFFICE_HOURS)
    assert not outcome.reaches and not outcome.cycle
    assert outcome.end is not None and outcome.end.key == "cs/front-door"
    assert graph.hop(State("club", 0), Mode.OFFICE_HOURS).role is None


def test_cycle_between_two_organisations_is_found_once(tmp_path: Path) -> None:
    graph = _graph(
        tmp_path,
        {
            "a": _org("a", [("lead", "24/7")], ["{to: lead}", "{to: b/lead, within: 1 hour}"]),
            "b": _org("b", [("lead", "24/7")], ["{to: lead}", "{to: a/lead, within: 1 hour}"]),
        },
    )
    for start in (State("a", 0), State("b", 0)):
        assert graph.outcome(start, Mode.OFFICE_HOURS).cycle
    (cycle,) = graph.cycles(Mode.OFFICE_HOURS)
    assert cycle.hops[0].state.organisation == "a"  # the file that sorts first
    assert cycle.organisations == ("a", "b")


def _chain(tmp_path: Path, length: int, *, loop: bool) -> EscalationGraph:
    orgs = {"cs": CS}
    for i in range(length):
        following = f"o{i + 1}/lead" if i + 1 < length else ("o0/lead" if loop else "cs/mash")
        orgs[f"o{i}"] = _org(
            f"o{i}", [("lead", "24/7")], ["{to: lead}", f"{{to: {following}, within: 1 minute}}"]
        )
    return _graph(tmp_path, orgs)


@pytest.mark.parametrize("loop", [False, True], ids=["chain", "cycle"])
def test_walks_are_linear_in_the_number_of_steps(
    tmp_path: Path, loop: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _chain(tmp_path, 1500, loop=loop)
    calls = 0
    original = EscalationGraph.hop

    def counting(self: EscalationGraph, state: State, mode: Mode) -> object:
        nonlocal calls
        calls += 1
        return original(self, state, mode)

    monkeypatch.setattr(EscalationGraph, "hop", counting)
    states = sum(len(path.steps) for path in graph.paths.values())
    for start in graph.starts():
        outcome = graph.outcome(start, Mode.OFFICE_HOURS)
        assert outcome.cycle is (loop and start.organisation != "cs")
    assert calls <= states  # each state's hop computed once, not once per walk
    if loop:
        assert len(graph.cycles(Mode.OFFICE_HOURS)) == 1
    else:
        assert graph.outcome(State("o0", 0), Mode.OFFICE_HOURS).minutes == 1500
