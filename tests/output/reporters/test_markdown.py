"""`--format markdown`: a pull-request comment or a board paper.

- the escaping functions, unit by unit and as properties checked with a real
  CommonMark renderer (markdown-it-py, raw HTML allowed: the worst case);
- hostile organisation names and free text through a whole
  `policycoord check --format markdown`: the rendered HTML holds no element
  or attribute made from user text, no link, and every Mermaid line is one
  of the statements this reporter writes;
- the 65,536-character limit of a GitHub comment, with a generated
  repository of hundreds of findings;
- byte-identical output whatever the hash seed.

The golden file for examples/policies is checked in tests/output/test_report_formats_golden.py.
"""

from __future__ import annotations

import datetime
import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, CliRunner, make_repo, partnership, policy, run_cli
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from policycoord.core.findings import Location, Report
from policycoord.core.text import shown
from policycoord.output.formats import format_for, get, names, renderers
from policycoord.output.reporters.markdown_mermaid import mermaid
from policycoord.output.reporters.markdown_report import summary
from policycoord.output.reporters.markdown_text import (
    BUDGET,
    COMMENT_LIMIT,
    markdown_text,
    mermaid_label,
    size,
)
from policycoord.views import Views
from policycoord.views.diagrams import Diagram, Edge, Node

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](https://evil.example)",
    "![x](https://evil.example/x.png)",
    "@everyone",
    "| table | break |",
    "graph TD; A-->B",
    '"]',
    "\x1b[31m",
    "\u202e",
)


def to_html(text: str) -> str:
    """CommonMark with GitHub's tables and strikethrough, raw HTML passed
    through: what a careless renderer would do with the report."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


class Page(HTMLParser):
    """The elements, attributes, text chunks and table shapes of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.chunks: list[str] = []  # text between two tags or comments, as GitHub's filters see it
        self.comments: list[str] = []
        self.table_shapes: list[set[int]] = []
        self._row = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(attrs)))
        if tag == "table":
            self.table_shapes.append(set())
        elif tag == "tr":
            self._row = 0
        elif tag in ("td", "th"):
            self._row += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.table_shapes[-1].add(self._row)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


#: Every element and attribute the report itself writes; anything else came from user text.
OUR_ELEMENTS = {
    "h1", "h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "strong",
    "em", "br", "details", "summary", "ul", "li", "pre", "code", "blockquote", "hr",
}  # fmt: skip
OUR_ATTRIBUTES = {("code", ("class", "language-mermaid")), ("th", ("style", "text-align:right"))}
OUR_ATTRIBUTES |= {("td", ("style", "text-align:right"))}


def assert_only_our_markup(page: Page) -> None:
    for tag, attrs in page.elements:
        assert tag in OUR_ELEMENTS, tag
        for attribute in attrs:
            assert (tag, attribute) in OUR_ATTRIBUTES, (tag, attribute)
    assert set(page.comments) <= {" "}, page.comments  # only our empty splitting comments
    for shape in page.table_shapes:
        assert len(shape) == 1, f"a table whose rows have {sorted(shape)} cells"


# --- escaping: units ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("St Mary's Primary (Church of England)", "St Mary's Primary (Church of England)"),
        ("a | b", "a \\| b"),
        ("two\nlines\r\nthree", "two lines three"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Tom & Jerry &amp;", "Tom &amp; Jerry &amp;amp;"),
        ("[click](https://evil.example)", "\\[click\\](https:<!-- -->//evil.example)"),
        ("![x](y)", "\\!\\[x\\](y)"),
        ("@everyone and @org/team", "@<!-- -->everyone and @<!-- -->org/team"),
        ("see #12", "see #<!-- -->12"),
        ("www.evil.example WWW.x", "www<!-- -->.evil.example WWW<!-- -->.x"),
        ("*b* _i_ ~s~ `c` $m$ \\", "\\*b\\* \\_i\\_ \\~s\\~ \\`c\\` \\$m\\$ \\\\"),
        ("\x1b[31m red", "\\\\x1b\\[31m red"),
        ("\u202eevil", "&lt;U+202E&gt;evil"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("2) second", "2\\) second"),
        ("===", "\\==="),
        ("0.1.0", "0.1.0"),
        ("-1 degrees", "-1 degrees"),
    ],
)
def test_markdown_text(text: str, escaped: str) -> None:
    assert markdown_text(text) == escaped


def test_markdown_text_line_breaks_and_length() -> None:
    lines = markdown_text("one\ntwo\r\nthree\u2028four", breaks=True)
    assert lines == "one<br>two<br>three<br>four"
    assert markdown_text("a\\x0ab", breaks=True) == "a\\\\x0ab"  # written, not a line break
    long = markdown_text("x" * 5000, limit=100)
    assert long.startswith("x" * 100 + "… (4,900 more characters not shown)")


def test_shown_makes_unwritable_characters_visible() -> None:
    assert shown("bad \udcff name \ufffe") == "bad <U+DCFF> name <U+FFFE>"
    assert shown("\x00\u200b") == "\\x00<U+200B>"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Designated Safeguarding Lead", "Designated Safeguarding Lead"),
        ("St Mary's, Riverside-on-Sea/North", "St Mary's, Riverside-on-Sea/North"),
        ('"]', "\u201d]"),
        ("a\nb", "a b"),
        ("graph TD; A-->B", "graph TD; A--\u203aB"),
        ("%%{init: {}}%%", "%\uff05{init: {}}%\uff05"),
        ("50% of 100%", "50% of 100%"),
        ("#quot; &lt; #12; `x`", "\uff03quot; \uff06lt; \uff0312; \u02cbx\u02cb"),
        ("Room #12, Health & Care", "Room #12, Health & Care"),
        ("a|b (c) [d] {e} <f>", "a|b (c) [d] {e} \u2039f\u203a"),
        ("<script>alert(1)</script>", "\u2039script\u203aalert(1)\u2039/script\u203a"),
        ("\u202e", "\u2039U+202E\u203a"),
        ("École", "École"),
    ],
)
def test_mermaid_label(text: str, label: str) -> None:
    assert mermaid_label(text) == label


# --- escaping: properties, with a real renderer -----------------------------------------------


def _expected(text: str, *, breaks: bool = False) -> str:
    return shown(re.sub(r"\r\n|[\r\n\v\f\u0085\u2028\u2029]", " ", text))


@given(st.text(max_size=60))
def test_markdown_text_is_plain_text_in_a_paragraph(text: str) -> None:
    page = Page(to_html(f"START {markdown_text(text, limit=None)} END"))
    assert [tag for tag, _ in page.elements] == ["p"]
    assert page.text == f"START {_expected(text)} END\n"


@given(st.text(max_size=60))
def test_markdown_text_stays_in_its_table_cell(text: str) -> None:
    cell = markdown_text(text, limit=None)
    page = Page(to_html(f"| a | b |\n|---|---|\n| START {cell} END | next |\n"))
    assert [tag for tag, _ in page.elements] == [
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td",
    ]  # fmt: skip
    assert f"START {_expected(text)} END" in page.chunks or (
        "".join(page.chunks).count(f"START {_expected(text)} END") == 1
    )
    assert "next" in page.chunks


@given(st.text(max_size=60))
def test_markdown_text_never_makes_a_mention_reference_or_autolink(text: str) -> None:
    escaped = markdown_text(text, limit=None)
    for chunk in Page(to_html(f"START {escaped} END")).chunks:
        assert not re.search(r"@\w|#\d|://|(?i:www\.)", chunk), chunk


#: What a quoted Mermaid label never holds: a quote, a backtick, HTML, a line
#: break, an entity code (Mermaid's or HTML's) or a directive's `%%`.
MERMAID_UNSAFE = re.compile(r'["`<>\r\n]|[#&]#?\w+;|%%|://|(?i:www\.)')
#: What `mermaid_label` writes instead of a character, and back.
_BACK = {"\u201d": '"', "\u02cb": "`", "\u2039": "<", "\u203a": ">"}
_BACK |= {"\uff03": "#", "\uff06": "&", "\uff05": "%", "\uff1a": ":", "\uff0e": "."}


@given(st.text(max_size=60))
def test_mermaid_label_holds_nothing_unsafe_and_the_text_as_written(text: str) -> None:
    label = mermaid_label(text, limit=None)
    assert not MERMAID_UNSAFE.search(label), label
    if not set(_BACK) & set(text):  # look-alikes of its own would not come back
        assert "".join(_BACK.get(c, c) for c in label) == _expected(text)


# --- Mermaid diagrams -------------------------------------------------------------------------

_L = r'(?:[^"`<>\r\n]|<br>)*'
STATEMENTS = [
    re.compile(pattern)
    for pattern in (
        r"flowchart LR",
        rf'    n\d+\(\["{_L}"\]\)',  # an organisation: a stadium
        rf'    n\d+\["{_L}"\]',  # a role
        rf'    n\d+\[\["{_L}"\]\]',  # a role the concern must reach
        rf'    n\d+\{{\{{"{_L}"\}}\}}',  # a role that does not exist
        rf'    n\d+ (?:-->|-\.->)\|"{_L}"\| n\d+',
        r"    classDef [a-z]+ [a-z0-9:#,. -]+",
        r"    class n\d+(?:,n\d+)* [a-z]+",
        r"    linkStyle \d+(?:,\d+)* [a-z0-9:#,.-]+",
    )
]


def assert_mermaid_grammar(lines: list[str]) -> None:
    assert lines[0] == "flowchart LR"
    for line in lines:
        assert any(p.fullmatch(line) for p in STATEMENTS), line


def mermaid_blocks(markdown: str) -> list[list[str]]:
    return [block.split("\n") for block in re.findall(r"```mermaid\n(.*?)\n```", markdown, re.S)]


def _here(pointer: str) -> Location:
    return Location("orgs/a.yaml", 3, 5, pointer)


def hostile_diagram() -> Diagram:
    name = " ".join(HOSTILE)
    nodes = (
        Node(key="a", organisation="a", organisation_name=name, label=name, start=True),
        Node(key="a/dsl", organisation="a", organisation_name=name, label='"] end; click'),
        Node(
            key="b/edt",
            organisation="b",
            organisation_name="B",
            label="EDT",
            around_the_clock=True,
            must_reach=True,
        ),
        Node(key="b/gone", organisation="b", organisation_name="B", label="gone", exists=False),
    )
    edges = (
        Edge("a", "a/dsl", "immediately", False, (), _here("/escalations/0/steps/0/to")),
        Edge("a", "b/edt", '1 hour"|x', True, (), _here("/escalations/0/steps/0/out_of_hours")),
        Edge("a/dsl", "b/gone", "24 hours", False, ("PC201",), _here("/escalations/0/steps/1/to")),
    )
    return Diagram("c", "Concern", "24 hours", nodes, edges, ("PC201",))


def test_mermaid_statements() -> None:
    lines = mermaid(hostile_diagram())
    assert_mermaid_grammar(lines)
    assert lines[1].startswith(
        '    n0(["\u2039script\u203aalert(1)\u2039/script\u203a \u201d\u203a'
    )
    assert lines[1].endswith('<br>organisation"])')  # a start: a stadium, and says so
    name = mermaid_label(" ".join(HOSTILE))
    assert lines[2] == f'    n1["\u201d] end; click<br>{name}<br>office hours"]'
    assert lines[3] == '    n2[["EDT<br>B<br>24/7, must reach"]]'
    assert lines[4] == '    n3{{"gone<br>B<br>does not exist"}}'
    assert lines[5] == '    n0 -->|"immediately"| n1'
    assert lines[6] == '    n0 -.->|"out of hours, 1 hour\u201d|x"| n2'  # dotted at night
    assert lines[7] == '    n1 -->|"24 hours, PC201"| n3'
    assert "    class n0 organisation" in lines
    assert "    class n1 office" in lines and "    class n2 allday" in lines
    assert "    class n2 mustreach" in lines and "    class n3 missing" in lines
    assert lines[-1].startswith("    linkStyle 2 stroke:#d73a49")  # the third arrow is red


def test_mermaid_marks_a_dead_end_and_draws_unknown_nodes_plainly() -> None:
    diagram = hostile_diagram()
    dead = Node(key="x/y", organisation="x", organisation_name="X", label="Y", dead_end=True)
    stray = Edge("x/y", "z/q", None, False, (), _here("/escalations/1/steps/0/to"))
    diagram = Diagram("c", "t", None, (*diagram.nodes, dead), (*diagram.edges, stray), ())
    lines = mermaid(diagram)
    assert_mermaid_grammar(lines)
    assert '    n4["Y<br>X<br>office hours, dead end"]' in lines
    assert '    n5["z/q<br>z/q<br>office hours"]' in lines
    assert '    n4 -->|"no timeframe"| n5' in lines
    assert "    class n4 stuck" in lines


# --- the whole report --------------------------------------------------------------------------


def check_markdown(cli: CliRunner, repo: Path, *args: str) -> str:
    code, out, err = cli("check", "--today", TODAY, "-f", "markdown", *args, cwd=repo)
    assert code in (0, 1), err
    assert err == ""
    return out


def test_registered_once_with_its_suffix() -> None:
    assert names("check").count("markdown") == 1
    assert renderers("check")["markdown"].__module__.endswith(".markdown_report")
    assert ".md" in get("markdown").suffixes
    assert format_for("check", Path("report.md")) == "markdown"


def test_examples_report(cli: CliRunner) -> None:
    out = check_markdown(cli, EXAMPLES)
    assert size(out) < BUDGET and len(out) < COMMENT_LIMIT
    assert out.startswith("# Northshire Safeguarding Children Partnership: policy check\n")
    assert "**❌ Failed:** 19 findings, 8 at or above the fail level" in out
    assert "| Suppressed | 1 |" in out and "1 by waivers in the partnership file" in out
    headings = re.findall(r"^### (\w[\w ]*) \(", out, re.M)
    assert headings == ["Gaps", "Overlaps", "Conflicts", "Escalation", "Jargon", "Governance"]
    assert "<details>" not in out and "shortened" not in out  # it fits: nothing folded or cut
    assert "## Responsibility matrix" in out and "9 duties x 9 organisations" in out
    blocks = mermaid_blocks(out)
    assert len(blocks) == 4
    for block in blocks:
        assert_mermaid_grammar(block)
    assert out.count("Key: rounded boxes are organisations") == 4
    page = Page(to_html(out))
    assert_only_our_markup(page)
    assert "🔴 error" in out and "🟠 warning" in out and "🔵 info" in out


def test_the_output_flag_picks_markdown_from_the_suffix(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, _ = cli("check", "--today", TODAY, "-o", str(target), cwd=EXAMPLES)
    assert code == 1 and out == ""
    assert target.read_text(encoding="utf-8") == check_markdown(cli, EXAMPLES)


def test_summary_is_the_short_report() -> None:
    short = summary(examples_report()[0])
    assert short.startswith("## Northshire Safeguarding Children Partnership: policy check\n")
    assert "**❌ Failed:**" in short and "| Errors | 8 |" in short
    assert "#### Gaps (2 errors)" in short
    assert "mermaid" not in short and "Responsibility matrix" not in short
    assert_only_our_markup(Page(to_html(short)))


def hostile_markdown_repo(root: Path) -> Path:
    """Every hostile string as an organisation's name, a role's title, a note
    quoted in a finding, a waiver's reason, a duty's and a concern's title."""
    q = json.dumps
    everything = " ".join(HOSTILE)
    members = ["hub", *(f"o{i}" for i in range(len(HOSTILE)))]
    files = {
        "partnership.yaml": f"""\
            policycoord: 1
            partnership:
              id: north
              name: {q("North " + everything)}
              members: [{", ".join(members)}]
            duties:
              - id: refer
                title: {q("Refer " + everything)}
                scope: each-member
                applies_to: [education]
            concerns:
              - id: harm
                title: {q("Harm " + everything)}
                must_reach: [hub/mash]
                applies_to: [education]
            glossary:
              - term: MASH
                meaning: Multi-Agency Safeguarding Hub
            waivers:
              - code: PC303
                organisation: o1
                reason: {q("Agreed " + everything)}
                approved_by: [hub, o1]
                expires: 2027-12-31
            """,
        "orgs/hub.yaml": f"""\
            policycoord: 1
            organisation: {{id: hub, name: {q("Hub " + everything)}, sector: social-care}}
            roles:
              - id: mash
                title: {q("MASH " + everything)}
                contact: {{phone: "1", hours: office}}
            receives:
              - {{concern: harm, role: mash, from: ["*"]}}
            """,
    }
    for i, hostile in enumerate(HOSTILE):
        ghost = "hub/ghost" if i % 2 else "hub/mash"
        files[f"orgs/o{i}.yaml"] = f"""\
            policycoord: 1
            organisation: {{id: o{i}, name: {q(f"Org {i} {hostile}")}, sector: education}}
            roles:
              - id: dsl
                title: {q(f"Lead {hostile}")}
                contact: {{phone: "1", hours: office}}
            responsibilities:
              - duty: refer
                role: dsl
                raci: accountable
                notes: {q(f"{hostile} child prostitution")}
            escalations:
              - concern: harm
                steps:
                  - {{to: dsl, within: immediately}}
                  - {{to: {ghost}, within: 24 hours}}
            """
    return make_repo(root, files)


def test_hostile_text_stays_text(cli: CliRunner, tmp_path: Path) -> None:
    repo = hostile_markdown_repo(tmp_path / "repo")
    out = check_markdown(cli, repo)
    html = to_html(out)
    assert "<script" not in html and "<img" not in html and "href=" not in html
    page = Page(html)
    assert_only_our_markup(page)
    # every hostile string reads exactly as written (controls shown, not obeyed)
    for hostile in HOSTILE:
        assert f"Org {HOSTILE.index(hostile)} {shown(hostile)}" in page.text, hostile
    assert "Lead <script>alert(1)</script>" in page.text
    assert "Agreed <script>" in page.text  # the waiver's reason, in the suppressed table
    drawing = "\n".join(line for block in mermaid_blocks(out) for line in block)
    for chunk in page.chunks:  # what GitHub's mention and autolink filters would see
        if chunk.strip() != drawing:  # (they skip code, and Mermaid's is code)
            assert "@everyone" not in chunk and "://" not in chunk
    assert "://" not in drawing and "www." not in drawing  # Mermaid 11.0-11.4: no link
    assert "\x1b" not in out and "\u202e" not in out
    # every Mermaid line is one of our statements: labels neither close nor start anything
    blocks = mermaid_blocks(out)
    assert len(blocks) == 1
    assert_mermaid_grammar(blocks[0])
    drawing = "\n".join(blocks[0])
    assert "\u2039script\u203a" in drawing and "graph TD; A--\u203aB" in drawing
    assert "does not exist" in drawing and "must reach" in drawing and "dead end" in drawing


def test_output_is_identical_whatever_the_hash_seed() -> None:
    args = ("check", "--today", TODAY, "-f", "markdown")
    runs = {run_cli(*args, cwd=EXAMPLES, env={"PYTHONHASHSEED": seed}) for seed in ("0", "1", "42")}
    assert len(runs) == 1
    ((code, out, err),) = runs
    assert code == 1 and err == "" and out


def test_output_is_identical_whatever_the_file_order(cli: CliRunner, tmp_path: Path) -> None:
    from output.test_report_formats_golden import BROKEN

    forward = hostile_markdown_repo(tmp_path / "one" / "repo")
    files = {str(p.relative_to(forward)): p.read_text("utf-8") for p in forward.rglob("*.yaml")}
    backward = make_repo(tmp_path / "two" / "repo", dict(sorted(files.items(), reverse=True)))
    assert check_markdown(cli, forward) == check_markdown(cli, backward)
    broken = make_repo(tmp_path / "three" / "repo", BROKEN)
    reversed_broken = make_repo(tmp_path / "four" / "repo", dict(reversed(list(BROKEN.items()))))
    assert check_markdown(cli, broken) == check_markdown(cli, reversed_broken)


# --- a report too long for one comment ----------------------------------------------------------

ERRORS = 12


def many_findings_repo(root: Path, organisations: int = 400) -> Path:
    """`organisations` organisations, each using an acronym nobody defines
    (PC301, a warning) and escalating to the hub's MASH; every 34th also to a
    role that does not exist (PC201, an error)."""
    files = {
        "partnership.yaml": partnership(),
        "orgs/hub.yaml": policy(
            "hub",
            "Northshire Children's Services",
            "social-care",
            "roles: [{id: mash, title: Multi-Agency Safeguarding Hub, contact: {phone: '1'}}]\n"
            "receives: [{concern: significant-harm, role: mash, from: ['*']}]\n",
        ),
    }
    for i in range(organisations):
        acronym = "ZQ" + chr(65 + i // 26 % 26) + chr(65 + i % 26)
        target = "hub/ghost" if i % 34 == 0 else "hub/mash"
        files[f"orgs/org-{i:03d}.yaml"] = policy(
            f"org-{i:03d}",
            f"Riverside Community Organisation Number {i:03d}",
            "education",
            textwrap.dedent(
                f"""\
                summary: Staff speak to the {acronym} lead before anything else.
                roles: [{{id: dsl, title: Designated Safeguarding Lead}}]
                escalations:
                  - concern: significant-harm
                    steps: [{{to: dsl, within: immediately}}, {{to: {target}, within: 4 hours}}]
                """
            ),
        )
    return make_repo(root, files)


def test_a_long_report_is_cut_to_fit_a_comment(cli: CliRunner, tmp_path: Path) -> None:
    repo = many_findings_repo(tmp_path / "repo")
    _, out, _ = cli("check", "--today", TODAY, "-f", "json", cwd=repo)
    findings = json.loads(out)["findings"]
    total = len(findings)
    assert sum(f["code"] == "PC201" for f in findings) == ERRORS
    assert sum(f["code"] == "PC301" for f in findings) == 400

    out = check_markdown(cli, repo)
    assert len(out) < COMMENT_LIMIT and size(out) <= BUDGET
    rows = re.findall(r"^\| (🔴 error|🟠 warning|🔵 info) \|", out, re.M)
    assert rows.count("🔴 error") == ERRORS  # the most severe are kept
    assert 50 < len(rows) < total
    cut = total - len(rows)
    assert "**This report is shortened** to fit in a GitHub comment (65,536 characters): " in out
    assert f"{cut:,} findings not shown ({cut:,} warnings; the least severe are left out" in out
    assert "Run `policycoord check --format html -o report.html` for the full report" in out
    assert "the responsibility matrix (`policycoord matrix --format markdown`)" in out
    assert "1 escalation diagram (`policycoord check --format html` draws every one)" in out
    assert f"*{cut:,} more findings of this kind not shown here ({cut:,} warnings).*" in out
    # the start of every section is still there; the detail is folded
    assert out.startswith("# North Partnership: policy check\n")
    assert "| Warnings | 400 |" in out and "## Findings" in out
    assert "## Responsibility matrix" in out and "## Escalation paths" in out
    assert out.count("<details>") == out.count("</details>") == 2
    assert_only_our_markup(Page(to_html(out)))


def examples_report() -> tuple[Report, Views]:
    from policycoord.workflows.pipeline import Options, check_with_views

    options = Options(today=datetime.date.fromisoformat(TODAY))
    return check_with_views([], cwd=EXAMPLES, options=options)


@pytest.mark.parametrize("budget", [24_000, 28_000, 30_000])
def test_views_are_added_back_when_every_finding_fits(budget: int) -> None:
    """With a smaller budget than a comment's: every finding fits, so what
    else fits is added back (the lists, the matrix, then diagrams in order),
    and the report says which diagrams are left out."""
    from policycoord.output.reporters.markdown_report import _fit

    report, views = examples_report()
    out = _fit(report, views=True, drawn=views, budget=budget)
    assert size(out) <= budget
    assert "findings not shown" not in out
    assert len(re.findall(r"^\| (🔴|🟠|🔵) \w+ \|", out, re.M)) == len(report.findings) + 1
    drawn = mermaid_blocks(out)
    assert 0 < len(drawn) < 4
    left_out = 4 - len(drawn)
    assert f"{left_out} diagram{'s' if left_out > 1 else ''} of 4 left out" in out
    assert out.count("<details>") == out.count("</details>")
    assert_only_our_markup(Page(to_html(out)))


def test_a_small_budget_keeps_the_head_and_the_most_severe(tmp_path: Path) -> None:
    from policycoord.output.reporters.markdown_report import _fit

    report, views = examples_report()
    out = _fit(report, views=True, drawn=views, budget=9_000)
    assert size(out) <= 9_000
    rows = re.findall(r"^\| (🔴 error|🟠 warning|🔵 info) \|", out, re.M)
    assert rows and rows == sorted(rows, key=["🔴 error", "🟠 warning", "🔵 info"].index)
    assert "| Errors | 8 |" in out and "**❌ Failed:**" in out
    assert f"{19 - len(rows)} findings not shown" in out
    assert "the responsibility matrix" in out and "4 escalation diagrams" in out
