"""Escalation diagrams (views/diagrams.py): what each concern's diagram
holds, as the HTML and Markdown reports draw it."""

from __future__ import annotations

import datetime

from conftest import EXAMPLES, TODAY

from policycoord.views.diagrams import Diagram, Node
from policycoord.workflows.pipeline import Options, check_with_views


def _diagrams() -> dict[str, Diagram]:
    _, views = check_with_views(
        [str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY))
    )
    return {diagram.concern: diagram for diagram in views.diagrams}


def _node(diagram: Diagram, key: str) -> Node:
    return next(node for node in diagram.nodes if node.key == key)


def test_the_emergency_duty_team_is_drawn_as_standing_in_for_the_mash() -> None:
    # SPEC §3.1: significant-harm must reach the MASH (office hours); the EDT
    # works 24/7 and receives it, so out of hours it stands in for the MASH
    harm = _diagrams()["significant-harm"]
    mash = _node(harm, "northshire-cs/mash")
    edt = _node(harm, "northshire-cs/edt")
    assert mash.must_reach and not mash.stands_in_for
    assert not edt.must_reach
    assert edt.around_the_clock
    assert edt.stands_in_for == ("northshire-cs/mash",)


def test_no_stand_in_for_a_concern_whose_must_reach_roles_have_none() -> None:
    # child-exploitation must reach the MASH or the police's PPU; the EDT does
    # not receive child exploitation, so it stands in for nothing there
    diagrams = _diagrams()
    for concern, diagram in diagrams.items():
        for node in diagram.nodes:
            if node.stands_in_for:
                assert concern == "significant-harm", (concern, node.key)


def test_every_path_start_comes_first_and_roles_are_sorted() -> None:
    for diagram in _diagrams().values():
        starts = [node for node in diagram.nodes if node.start]
        roles = [node for node in diagram.nodes if not node.start]
        assert list(diagram.nodes) == [*starts, *roles]
        assert [node.key for node in roles] == sorted(node.key for node in roles)
