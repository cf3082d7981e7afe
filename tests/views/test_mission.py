"""`policycoord mission`: the joint mission statement and the workshop pack.

Golden files (update with `POLICYCOORD_UPDATE_GOLDEN=1`, then review the diff):
`tests/output/reporters/golden/mission.md`, `mission.html`, `mission-pack.md`,
`mission-pack.html`.
"""

from __future__ import annotations

import datetime
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import GOLDEN
from markdown_it import MarkdownIt

from policycoord.views.mission import build_mission
from policycoord.workflows.pipeline import Options, check, load_model
from tests.conftest import EXAMPLES, TODAY, CliRunner, make_repo, policy

GOLDEN = GOLDEN
UPDATE = os.environ.get("POLICYCOORD_UPDATE_GOLDEN") == "1"

THEMES = (
    "Listen to children",
    "Help early",
    "Work as one",
    "Learn from reviews",
    "Support the workforce",
)


def _golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(actual.encode("utf-8"))
        return
    assert golden.exists(), f"{golden} is missing; create it with POLICYCOORD_UPDATE_GOLDEN=1."
    assert actual == golden.read_bytes().decode("utf-8"), (
        f"the output differs from {golden}; if intended, rerun with POLICYCOORD_UPDATE_GOLDEN=1."
    )


def _mission(cli: CliRunner, *args: str, cwd: Path = EXAMPLES) -> str:
    code, out, err = cli("mission", "--today", TODAY, *args, cwd=cwd)
    assert code == 0, err
    return out


def test_statement_names_vision_themes_commitments_and_who_committed_nothing(
    cli: CliRunner,
) -> None:
    out = _mission(cli)
    assert "Every child in Northshire is safe, heard and helped early" in out
    for title in THEMES:
        assert f"## {title}" in out
    assert "> Players can talk to the welfare officer at every home fixture" in out
    assert "> — *Riverside Juniors Football Club*" in out
    nothing = out.split("## Members that committed to nothing yet", 1)[1]
    assert "- Northshire Academy" in nothing


def test_commitments_sit_under_their_theme_in_organisation_order() -> None:
    options = Options(today=datetime.date(2026, 11, 24))
    model = load_model([str(EXAMPLES)], options=options)
    view = build_mission(model, check([str(EXAMPLES)], options=options).findings)
    listen = view.themes[0]
    assert listen.id == "listen-to-children"
    order = [org.name for org in model.organisations]
    names = [quote.name for quote in listen.commitments]
    assert names == sorted(names, key=order.index)
    assert view.committed_to_nothing == ("Northshire Academy",)
    assert "Northshire Academy" in listen.not_committed
    assert all(3 <= len(theme.questions) <= 5 for theme in view.themes)
    assert all(theme.matched for theme in view.themes)  # every example theme is in TOPICS


def test_pack_has_a_section_per_theme_with_who_questions_and_agenda(cli: CliRunner) -> None:
    out = _mission(cli, "--pack")
    assert "## Agenda (two hours)" in out
    assert "| 0:00–0:10 |" in out
    assert "| 1:55–2:00 |" in out
    sections = out.split("\n## Theme ")[1:]
    assert [section.split("\n", 1)[0] for section in sections] == [
        f"{n}: {title}" for n, title in enumerate(THEMES, start=1)
    ]
    for section in sections:
        assert "- Committed: " in section
        assert "- Not committed yet: " in section
        assert "Northshire Academy" in section.split("- Not committed yet: ", 1)[1]
        assert "### Questions for the room" in section
        assert "\n3. " in section
        assert "### Terms members define differently" in section
        assert "CIN" in section  # PC302 in the example
    work = sections[2]
    assert "**PC103**" in work  # an overlap bears on working as one
    assert "**PC104**" in work  # a conflict too


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("mission.md", ()),
        ("mission.html", ("--format", "html")),
        ("mission-pack.md", ("--pack",)),
        ("mission-pack.html", ("--pack", "--format", "html")),
    ],
)
def test_golden(cli: CliRunner, name: str, args: tuple[str, ...]) -> None:
    _golden(name, _mission(cli, *args))


def test_same_bytes_twice_and_output_file(cli: CliRunner, tmp_path: Path) -> None:
    for args in ((), ("--pack",), ("-f", "html"), ("--pack", "-f", "html")):
        assert _mission(cli, *args) == _mission(cli, *args)
    target = tmp_path / "workshop.html"
    assert _mission(cli, "--pack", "-o", str(target)) == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "break-before: page" in page
    assert page.count('<section class="theme"') == len(THEMES)


PARTNERSHIP = """\
    policycoord: 1
    partnership:
      id: north
      name: North Partnership
    mission:
      vision: Children are safe.
      themes:
        - id: listen
          title: Listen to children
        - id: garden
          title: Grow a garden
    """

HOSTILE = "<script>alert(1)</script> | pipe [x](https://evil.example) @team"


def _hostile_repo(tmp_path: Path) -> Path:
    extra = f"""\
    commitments:
      - theme: listen
        text: '{HOSTILE}'
      - text: 'no theme <img src=x onerror=alert(1)>'
    """
    return make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": PARTNERSHIP,
            "orgs/a.yaml": policy("a", "<b>A</b> School", extra=extra),
            "orgs/b.yaml": policy("b", "B @org/team"),
        },
    )


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


@pytest.mark.parametrize("pack", [False, True])
def test_hostile_text_is_escaped(cli: CliRunner, tmp_path: Path, pack: bool) -> None:
    repo = _hostile_repo(tmp_path)
    extra = ("--pack",) if pack else ()
    markdown = _mission(cli, *extra, cwd=repo)
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(markdown)
    for bad in ("<a ", "<script", "<img", "<b>"):
        assert bad not in rendered
    assert "\\| pipe" in markdown  # escaped: it cannot end a table cell
    assert "@team" not in markdown and "@org/team" not in markdown

    page = _mission(cli, *extra, "-f", "html", cwd=repo)
    parser = _Elements()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert "a" not in parser.tags
    assert "b" not in parser.tags
    assert "&lt;script&gt;" in page


def test_theme_matching_no_words_falls_back_to_all_findings(cli: CliRunner, tmp_path: Path) -> None:
    out = _mission(cli, "--pack", cwd=_hostile_repo(tmp_path))
    garden = out.split("## Theme 2: Grow a garden", 1)[1]
    assert "No findings are linked to this theme by its words" in garden
    assert "Which of" in garden and "could commit to “Grow a garden”" in garden
    assert "Nobody has committed to “Grow a garden” yet" in garden


def test_without_a_mission_says_how_to_add_one(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": "policycoord: 1\npartnership:\n  id: north\n  name: North\n",
            "orgs/a.yaml": policy("a"),
        },
    )
    for args in ((), ("--pack",), ("-f", "html")):
        out = _mission(cli, *args, cwd=repo)
        assert "North has no joint mission yet" in out
        assert "mission" in out and "themes" in out and "commitments" in out


def test_usage_error_exits_2(cli: CliRunner) -> None:
    code, _, _ = cli("mission", "--format", "pdf", cwd=EXAMPLES)
    assert code == 2
    code, _, _ = cli("mission", "--today", "soon", cwd=EXAMPLES)
    assert code == 2
