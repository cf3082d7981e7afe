"""`policycoord mission`: the joint mission statement and the workshop pack.

Golden files (update with `POLICYCOORD_UPDATE_GOLDEN=1`, then review the diff):
`tests/output/reporters/golden/mission.md`, `mission.html`, `mission-pack.md`,
`mission-pack.html`.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import GOLDEN
from markdown_it import MarkdownIt

from policycoord.model.model import Model
from policycoord.views.mission import MissionView, build_mission, pledge
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


def _example_view() -> tuple[Model, MissionView]:
    options = Options(today=datetime.date(2026, 11, 24))
    model = load_model([str(EXAMPLES)], options=options)
    return model, build_mission(model, check([str(EXAMPLES)], options=options).findings)


def _section(text: str, heading: str) -> str:
    """The Markdown from `heading` to the next heading of the same level or higher."""
    level = heading.split(" ", 1)[0]
    after = text.split(f"\n{heading}\n", 1)[1]
    ends = [after.find(f"\n{'#' * n} ") for n in range(1, len(level) + 1)]
    ends = [end for end in ends if end >= 0]
    return after[: min(ends)] if ends else after


def test_statement_is_a_page_to_sign_then_the_commitments_in_members_words(
    cli: CliRunner,
) -> None:
    out = _mission(cli)
    assert out.index("Every child in Northshire is safe, heard and helped early") < out.index(
        "## What we commit to"
    )
    commit = _section(out, "## What we commit to")
    # one sentence per theme, in order, composed from who committed to it
    for number, title in enumerate(THEMES, start=1):
        assert f"\n{number}. **{title}.** " in f"\n{commit}"
    assert (
        "2. **Help early.** Five of our nine members have committed to this: "
        "Northshire Council Children's Services, Northshire Hospitals NHS Foundation Trust, "
        "Northshire Youth Trust, Riverside Surgery and St Mary's Church of England Primary "
        "School.\n"
    ) in commit
    assert "4. **Learn from reviews.** Two of our nine members have committed to this: " in commit
    # the statement itself quotes nobody: the quotes come after it, under their theme
    assert "> " not in commit
    signed = _section(out, "## Signed for the partnership")
    assert "| Organisation | Name | Role | Signature | Date |" in signed
    rows = [line for line in signed.splitlines() if line.endswith("| | | | |")]
    assert len(rows) == 9  # every member, committed or not
    assert "| Northshire Academy | | | | |" in rows
    words = _section(out, "## In our own words")
    assert "> Players can talk to the welfare officer at every home fixture" in words
    assert "> — *Riverside Juniors Football Club*" in words
    for title in THEMES:
        assert f"### {title}" in words
    nothing = words.split("### Members that have not committed to any theme yet", 1)[1]
    assert "- Northshire Academy" in nothing


def test_pledges_name_who_committed_in_organisation_order() -> None:
    model, view = _example_view()
    listen = view.themes[0]
    assert listen.id == "listen-to-children"
    order = [org.name for org in model.organisations]
    names = [quote.name for quote in listen.commitments]
    assert names == sorted(names, key=order.index)
    assert listen.pledge == (
        "Seven of our nine members have committed to this: Northshire Council Children's "
        "Services, Northshire Hospitals NHS Foundation Trust, Northshire Police, Northshire "
        "Youth Trust, Riverside Juniors Football Club, Riverside Surgery and St Mary's Church "
        "of England Primary School."
    )
    assert view.committed_to_nothing == ("Northshire Academy",)
    assert "Northshire Academy" in listen.not_committed
    assert view.signatories == tuple(org.name for org in model.member_organisations)


@pytest.mark.parametrize(
    ("committed", "members", "sentence"),
    [
        ((), 3, "No member has committed to this yet."),
        (("A",), 1, "A has committed to this."),
        (("A",), 3, "One of our three members has committed to this: A."),
        (("A", "B"), 2, "All two of our members have committed to this."),
        (("A", "B", "C"), 14, "Three of our 14 members have committed to this: A, B and C."),
    ],
)
def test_pledge_sentence(committed: tuple[str, ...], members: int, sentence: str) -> None:
    assert pledge(committed, members=members) == sentence


def test_pack_has_a_page_per_theme_and_each_finding_and_question_once(cli: CliRunner) -> None:
    out = _mission(cli, "--pack")
    assert "## Agenda (two hours)" in out
    assert "| 0:00–0:10 |" in out
    assert "| 1:55–2:00 | Close: sign the statement, and agree what we tell our teams |" in out
    assert "### Signed for the partnership" in _section(out, "## The draft statement")
    sections = out.split("\n## Theme ")[1:]
    assert [section.split("\n", 1)[0] for section in sections] == [
        f"{n}: {title}" for n, title in enumerate(THEMES, start=1)
    ]
    for section in sections:
        assert "- Committed (" in section
        assert "- Not committed yet: " in section
        assert "Northshire Academy" in section.split("- Not committed yet: ", 1)[1]
        assert "### Questions for the room" in section
        assert "Terms members define differently" not in section
    # no finding of the example points at a theme: none is listed under one
    # (the old pack listed every escalation error under "Listen to children")
    for number, title in enumerate(THEMES, start=1):
        theme = _section(out, f"## Theme {number}: {title}")
        assert "(error, PC" not in theme and "(warning, PC" not in theme, title
        assert "None of the open findings points at this theme" in theme
    others = _section(out, "## Other open findings")
    assert "19 open findings" in others
    # every open finding once in the whole pack, under its family
    listed = re.findall(r"^- \*\*.+?\*\* \((?:error|warning|info), (PC\d{3})\)", out, re.M)
    assert len(listed) == 19
    assert Counter(listed)["PC302"] == 1
    assert "### Escalation: concerns that do not reach the right people in time" in others
    assert "CIN is used to mean different things" in others
    # no question is asked twice: those for every theme are given once, at the start
    questions = re.findall(r"^\d+\. (.+)$", out, re.M)
    questions = [q for q in questions if "?" in q]
    assert len(questions) > 5
    assert [q for q, n in Counter(questions).items() if n > 1] == []
    assert out.count("What would a child or family notice if we did this well?") == 1


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

HOSTILE = (
    "<script>alert(1)</script> | pipe [x](https://evil.example) @team [red]rich[/red] "
    "`code` \u202eevil\u202c"
)


def _hostile_repo(tmp_path: Path) -> Path:
    extra = f"""\
    commitments:
      - theme: listen
        text: {json.dumps(HOSTILE)}
      - text: 'no theme <img src=x onerror=alert(1)>'
    """
    return make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": PARTNERSHIP,
            "orgs/a.yaml": policy("a", "<b>A</b> School", extra=extra),
            "orgs/b.yaml": policy("b", "'B | @org/team'"),
        },
    )


class _Page(HTMLParser):
    """The elements of a page, and the text a reader sees (not the stylesheet)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self._in_style = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)


def _rendered(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(markdown)


@pytest.mark.parametrize("pack", [False, True])
def test_hostile_text_is_escaped(cli: CliRunner, tmp_path: Path, pack: bool) -> None:
    repo = _hostile_repo(tmp_path)
    extra = ("--pack",) if pack else ()
    markdown = _mission(cli, *extra, cwd=repo)
    rendered = _rendered(markdown)
    for bad in ("<a ", "<script", "<img", "<b>", "<code>code</code>"):
        assert bad not in rendered
    assert "\\| pipe" in markdown  # escaped: it cannot end a table cell
    assert "@team" not in markdown and "@org/team" not in markdown
    assert "\u202e" not in markdown
    assert "&lt;U+202E&gt;evil" in markdown  # shown, not obeyed
    assert "\\[red\\]rich" in markdown
    # every row of the tables (the signatures, the agenda) keeps its cells
    for row in re.findall(r"<tr>(.*?)</tr>", rendered, re.S):
        assert len(re.findall(r"<t[hd][ >]", row)) in (2, 5), row
    assert re.search(r"<td>B \| @<!-- -->org/team</td>(\s*<td></td>){4}", rendered)

    page = _mission(cli, *extra, "-f", "html", cwd=repo)
    parsed = _Page(page)
    for tag in ("script", "img", "a", "b"):
        assert tag not in parsed.tags
    assert "&lt;script&gt;" in page
    text = "".join(parsed.text)
    assert "\u202e" not in page and "<U+202E>evil" in text
    assert "[red]rich[/red] `code`" in text  # the user's own words, as written


def _tied_repo(tmp_path: Path) -> Path:
    """A PC301 in a commitment to `listen`, a PC303 in the description of
    `early`; PC101, PC207 and PC403 elsewhere."""
    partnership = """\
        policycoord: 1
        partnership:
          id: north
          name: North Partnership
        duties:
          - id: refer
            title: Refer a child
            scope: partnership
        concerns:
          - id: harm
            title: A child is harmed
        glossary:
          - term: MASH
            meaning: Multi-Agency Safeguarding Hub
        mission:
          vision: Children in the north are safe and heard.
          themes:
            - id: listen
              title: Listen to children
            - id: early
              title: Help early
              description: We spot child prostitution early and act.
            - id: garden
              title: Grow a garden
        """
    extra = """\
    commitments:
      - theme: listen
        text: Every child can talk to the SPOC in private.
      - theme: early
        text: Families are offered help within ten days.
    """
    return make_repo(
        tmp_path / "tied",
        {
            "partnership.yaml": partnership,
            "orgs/a.yaml": policy("a", "Alder School", extra=extra),
            "orgs/b.yaml": policy("b", "Birch Club", sector="sport"),
        },
    )


def test_findings_are_tied_to_a_theme_by_where_they_point_never_by_words(tmp_path: Path) -> None:
    repo = _tied_repo(tmp_path)
    options = Options(today=datetime.date(2026, 11, 24))
    model = load_model([str(repo)], options=options)
    findings = check([str(repo)], options=options).findings
    view = build_mission(model, findings)
    listen, early, garden = view.themes
    assert [note.code for note in listen.findings] == ["PC301"]  # in Alder's commitment
    assert [note.code for note in early.findings] == ["PC303"]  # in the theme's description
    assert garden.findings == ()
    others = [note.code for group in view.other_findings for note in group.findings]
    assert sorted(others) == ["PC101", "PC207", "PC207", "PC403"]
    assert len(others) + 2 == view.open_findings == len(findings)
    assert [group.family for group in view.other_findings] == ["gaps", "escalation", "governance"]
    # questions drawn from each theme's own data, none repeated
    assert listen.questions == (
        "Could Birch Club commit to “Listen to children”? "
        "Could it take up the commitment above as its own?",
        "Who will put right this finding on “Listen to children”, and by when?",
    )
    assert garden.questions == (
        "Nobody has committed to “Grow a garden” yet: should it stay a theme of the "
        "mission, and who would lead it?",
    )
    assert early.pledge == "One of our two members has committed to this: Alder School."


def test_the_pack_states_its_rule_and_lists_other_findings_once(
    cli: CliRunner, tmp_path: Path
) -> None:
    out = _mission(cli, "--pack", cwd=_tied_repo(tmp_path))
    rule = _section(out, "## How findings are placed in this pack")
    assert "A finding is listed under a theme only when it points at that theme" in rule
    assert "never guesses a theme from a finding's words" in rule
    listen = _section(out, "## Theme 1: Listen to children")
    assert "- **Alder School** (warning, PC301): " in listen
    assert "(error, PC207)" not in listen
    garden = _section(out, "## Theme 3: Grow a garden")
    assert "None of the open findings points at this theme" in garden
    others = _section(out, "## Other open findings")
    assert "The partnership has 6 open findings" in others
    assert "2 of them are listed under their themes; the other 4 concern no theme" in others
    assert others.count("(error, PC207)") == 2
    assert out.count("(warning, PC301)") == out.count("(warning, PC303)") == 1


def _reader_text_html(page: str) -> str:
    return "".join(_Page(page).text)


@pytest.mark.parametrize("pack", [False, True])
def test_no_backtick_reaches_a_reader(cli: CliRunner, tmp_path: Path, pack: bool) -> None:
    """Messages write ids and timeframes between backticks: the HTML shows
    them as code, the Markdown as plain words; a reader never sees one."""
    extra = ("--pack",) if pack else ()
    no_mission = make_repo(
        tmp_path / "none",
        {
            "partnership.yaml": "policycoord: 1\npartnership:\n  id: north\n  name: North\n",
            "orgs/a.yaml": policy("a"),
        },
    )
    for repo in (EXAMPLES, no_mission):
        page = _mission(cli, *extra, "-f", "html", cwd=repo)
        assert "`" not in _reader_text_html(page)
        markdown = _mission(cli, *extra, cwd=repo)
        assert "`" not in _reader_text_html(_rendered(markdown))
    page = _mission(cli, *extra, "-f", "html", cwd=no_mission)
    assert "<code>mission</code>" in page
    if pack:
        page = _mission(cli, "--pack", "-f", "html")
        assert "allows at most <code>24 hours</code> for it" in page
        markdown = _mission(cli, "--pack")
        assert "allows at most 24 hours for it" in markdown
        assert "no out\\_of\\_hours route" in markdown


def test_a_mission_without_themes_says_so(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": PARTNERSHIP.split("      themes:")[0],
            "orgs/a.yaml": policy("a", "Alder School"),
        },
    )
    for args in ((), ("--pack",), ("-f", "html"), ("--pack", "-f", "html")):
        out = _mission(cli, *args, cwd=repo)
        assert "The partnership has not named the themes of its mission yet." in out
        assert "Alder School" in out  # still a line to sign
    assert "Agree the themes of the mission" in _mission(cli, "--pack", cwd=repo)


def test_members_without_a_file_still_sign(cli: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": PARTNERSHIP.replace(
                "name: North Partnership\n", "name: North Partnership\n      members: [a, zed]\n"
            ),
            "orgs/a.yaml": policy("a", "Alder School"),
        },
    )
    out = _mission(cli, cwd=repo)
    signed = _section(out, "## Signed for the partnership")
    assert "| Alder School | | | | |" in signed
    assert "| zed | | | | |" in signed


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
