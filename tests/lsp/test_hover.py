"""Hover's Markdown with hostile policy text: a title, an organisation's
name, a duty's title and a timeframe as typed are shown as written, never
as a link, HTML, code or emphasis (the project's Markdown escaping)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types

from policycoord.lsp.hover import hover
from policycoord.lsp.session import Session
from policycoord.workflows.workspace import Workspace
from tests.conftest import EXAMPLES

SCHOOL = "orgs/st-marys-primary.yaml"
COUNCIL = "orgs/northshire-cs.yaml"
HOSTILE = "[x](javascript:alert(1)) <script>alert(1)</script> `code` *bold* _it_"


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def session(tmp_path: Path) -> Session:
    repo = tmp_path / "policies"
    shutil.copytree(EXAMPLES, repo)
    council = repo / COUNCIL
    text = council.read_text(encoding="utf-8")
    text = text.replace("name: Northshire Council Children's Services", f"name: {_yaml(HOSTILE)}")
    text = text.replace("title: Multi-Agency Safeguarding Hub", f"title: {_yaml(HOSTILE)}", 1)
    council.write_text(text, encoding="utf-8")
    partnership = repo / "partnership.yaml"
    old = "title: Refer a child at risk of significant harm to children's social care"
    text = partnership.read_text(encoding="utf-8")
    assert old in text
    partnership.write_text(text.replace(old, f"title: {_yaml(HOSTILE)}"), encoding="utf-8")
    started = Session(Workspace(repo))
    started.start()
    return started


def _position(text: str, needle: str, after: int = 2) -> types.Position:
    index = text.index(needle) + after
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


def _hover(session: Session, needle: str, live: str | None = None, after: int = 2) -> str:
    text = live if live is not None else session.text_of(SCHOOL)
    answer = hover(session, SCHOOL, _position(text, needle, after), live)
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    assert answer.contents.kind == types.MarkupKind.Markdown
    return answer.contents.value


def _inert(value: str) -> None:
    assert "[x](" not in value and "\\[x\\](" in value  # no link
    assert "<script>" not in value and "&lt;script&gt;" in value  # no HTML
    assert "`code`" not in value and "\\`code\\`" in value  # no code span of theirs
    assert "*bold*" not in value and "\\*bold\\*" in value  # no emphasis
    assert "\\_it\\_" in value


def test_a_roles_title_and_organisation_name_are_escaped(session: Session) -> None:
    value = _hover(session, "northshire-cs/mash")
    assert value.count("&lt;script&gt;") == 2, value  # the title and the name
    _inert(value)
    assert "`northshire-cs/mash`" in value  # the reference as a code span


def test_a_duty_title_is_escaped(session: Session) -> None:
    value = _hover(session, "duty: refer-to-childrens-social-care", after=8)
    _inert(value)


def test_a_timeframe_as_typed_is_escaped(session: Session) -> None:
    live = session.text_of(SCHOOL).replace("within: 4 hours", "within: 4 *days* <b>x</b>", 1)
    value = _hover(session, "within: 4 *days*", live=live, after=10)
    assert "<b>" not in value and "&lt;b&gt;" in value and "\\*days\\*" in value


def test_a_roles_deputy_is_named_by_its_title(session: Session) -> None:
    value = _hover(session, "role: dsl", after=7)
    assert "Deputy: Deputy Designated Safeguarding Lead (Early Years Leader) (`ddsl`)" in value


def test_a_working_days_worst_case_is_said_once(session: Session) -> None:
    live = session.text_of(SCHOOL).replace("within: 4 hours", "within: 1 working day", 1)
    value = _hover(session, "within: 1 working day", live=live, after=10)
    assert value.count("96 hours") == 1, value
    assert "bank-holiday Monday" in value
