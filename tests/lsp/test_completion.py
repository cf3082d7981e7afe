"""Completion reads each key's reference from the shipped schema of the
file's kind (views.choices.references_by_key) and its choices from the one
mapping (views.choices.for_reference): in the partnership file, a waiver's
`organisation` and `approved_by` offer the organisations and its `code` the
finding codes; a concern's `out_of_hours` (required / not-required) offers
no roles, which a step's `out_of_hours` in a policy file does."""

from __future__ import annotations

import shutil

import pytest
from lsprotocol import types

from policycoord.lsp.answers import completion
from policycoord.lsp.session import Session
from policycoord.workflows.workspace import Workspace
from tests.conftest import EXAMPLES

SCHOOL = "orgs/st-marys-primary.yaml"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    repo = tmp_path_factory.mktemp("lsp") / "policies"
    shutil.copytree(EXAMPLES, repo)
    started = Session(Workspace(repo))
    started.start()
    return started


def _offered(session: Session, display: str, line: str) -> list[str]:
    """The labels offered with the cursor at the end of `line`, put after
    the file's text (the completion reads the editor's text as given)."""
    text = session.text_of(display).rstrip("\n") + "\n" + line
    row = text.count("\n")
    where = types.Position(line=row, character=len(line))
    return [item.label for item in completion(session, display, where, text).items]


def test_a_waivers_organisation_and_approvers_are_organisations(session: Session) -> None:
    for line in ("  - organisation: ", "    approved_by: [northshire-cs, "):
        offered = _offered(session, "partnership.yaml", line)
        assert "st-marys-primary" in offered and "northshire-police" in offered, line


def test_a_waivers_code_is_a_finding_code(session: Session) -> None:
    offered = _offered(session, "partnership.yaml", "  - code: PC2")
    assert "PC201" in offered and "PC406" in offered


def test_a_concerns_out_of_hours_offers_no_roles(session: Session) -> None:
    assert _offered(session, "partnership.yaml", "    out_of_hours: ") == []


def test_a_steps_out_of_hours_offers_roles(session: Session) -> None:
    offered = _offered(session, SCHOOL, "        out_of_hours: ")
    assert "northshire-cs/edt" in offered and "dsl" in offered


def test_must_reach_in_the_partnership_file_offers_every_role(session: Session) -> None:
    offered = _offered(session, "partnership.yaml", "    must_reach: [")
    assert "northshire-cs/mash" in offered and all("/" in value for value in offered)
