"""`--format html` (reporters/html_report.py): a self-contained page that parses, is
built in order for screen readers, loads nothing, escapes every piece of user
text, keeps its palette readable, and lays out its diagrams deterministically
without overlaps. The golden file is checked in tests/output/test_report_formats_golden.py; the
page in a real browser in tests/output/reporters/test_html_in_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from itertools import combinations, pairwise
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, CliRunner, make_repo, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.core.findings import Location
from policycoord.output.formats import format_for, get, names
from policycoord.output.reporters.html_page import asset, csp_hash
from policycoord.output.reporters.html_report import SCRIPT, STYLESHEET
from policycoord.views.diagrams import Diagram, Edge, Node
from policycoord.views.layout import LAYER_GAP, MARGIN, NODE_WIDTH, Layout, back_edges, layout

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Page(HTMLParser):
    """What the tests look at in a page: its elements, headings, tables,
    scripts, attributes and text, and any tag left open or closed out of turn."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.tables: list[set[str]] = []  # the tags inside each table
        self.text: list[str] = []
        self.script_text: list[str] = []
        self.style_text: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append(set())
        elif "table" in self.stack:
            self.tables[-1].add(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)  # <rect .../> in SVG: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            self.script_text.append(data)
        elif self.stack and self.stack[-1] == "style":
            self.style_text.append(data)
        else:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def html_check(cli: CliRunner, repo: Path, *args: str) -> str:
    code, out, err = cli("check", "--today", TODAY, "-f", "html", *args, cwd=repo)
    assert code in (0, 1), err
    assert err == ""
    return out


@pytest.fixture
def examples_page(cli: CliRunner) -> str:
    return html_check(cli, EXAMPLES)


# --- the registry ------------------------------------------------------------------------


def test_registered_once_with_its_suffix_and_views() -> None:
    assert names("check").count("html") == 1
    assert get("html").renders("check") and get("html").draws_views
    assert format_for("check", Path("board/report.html")) == "html"
    assert format_for("check", Path("REPORT.HTML")) == "html"


def test_output_file_suffix_picks_html(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, err = cli("check", "--today", TODAY, "-o", target, cwd=EXAMPLES)
    assert code == 1 and out == "", err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert 'class="escalation whole"' in text  # the views were built for it


def test_template_and_assets_are_package_data() -> None:
    from importlib.resources import files

    folder = files("policycoord.output") / "templates" / "html"
    for name in ("report.html.j2", "report.css", "filters.js"):
        assert (folder / name).is_file(), name


# --- structure ------------------------------------------------------------------------------


def test_page_is_well_formed_and_in_order(examples_page: str) -> None:
    page = Page(examples_page)
    assert page.problems == []
    assert examples_page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.tags("html") == [{"lang": "en"}]
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in pairwise(page.headings):
        assert after <= before + 1, f"heading h{after} after h{before}"
    assert len(page.tables) >= 4  # findings, suppressed, matrix, steps...
    for inside in page.tables:
        assert "th" in inside
    assert all(th.get("scope") in ("col", "row") for th in page.tags("th"))
    ids = [attrs["id"] for _, attrs in page.elements if "id" in attrs]
    assert len(ids) == len(set(ids)), "ids are unique"


def test_page_holds_every_part(examples_page: str) -> None:
    page = Page(examples_page)
    text = page.all_text
    assert "<h1>Northshire Safeguarding Children Partnership</h1>" in examples_page
    assert "Failed." in text and "19 findings (8 errors, 8 warnings, 3 info)" in text
    for words in ("errors", "warnings", "info", "suppressed", "files read", "organisations"):
        assert words in text
    findings = [row for row in page.tags("tr") if "data-severity" in row]
    assert len(findings) == 19
    assert {row["data-family"] for row in findings} >= {"gaps", "escalation", "jargon"}
    assert all(re.fullmatch(r"partnership|o\d+", row["data-organisation"]) for row in findings)
    # the waiver, with its reason, approvers and expiry
    assert "Reason:" in text and "31 March 2027" in text
    assert "Northshire Council Children's Services, NHS Northshire Integrated Care Board" in text
    # the matrix: letters and words, not colour alone
    assert "⚠ GAP" in text and "⚠ OVERLAP" in text
    # a timeframe longer than the duty allows (PC104): coloured, and said in words
    assert text.count("⚠ TOO SLOW") == 2  # the cell and its row's status
    assert "TOO SLOW: a timeframe longer than the duty allows" in text
    assert '<td class="cell cell-slow">' in examples_page
    assert '<span class="within too-slow">(1 working day ⚠)</span>' in examples_page
    assert (
        "9 duties × 9 organisations: 2 gaps, 1 overlap, 1 duty with a timeframe too slow." in text
    )
    # four concerns, four diagrams, each an image with a name
    svgs = page.tags("svg")
    assert len(svgs) == 4
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        assert {"id": title} in page.tags("title") and {"id": desc} in page.tags("desc")
    for marker in ("24/7", "office hours", "★ MUST REACH", "MISSING: no such role", "DEAD END"):
        assert marker in text, marker
    problem_edges = [p for p in page.tags("path") if "problem" in p.get("class", "").split()]
    assert problem_edges and all(p["marker-end"].endswith("arrow-problem)") for p in problem_edges)
    assert any("night" in p.get("class", "").split() for p in page.tags("path"))


def test_filters_are_hidden_without_javascript(examples_page: str) -> None:
    page = Page(examples_page)
    (form,) = page.tags("form")
    assert "hidden" in form
    (script,) = page.tags("script")
    assert script == {}  # inline, ours
    assert "".join(page.script_text).strip().startswith("/* policycoord HTML report")


# --- nothing from the network --------------------------------------------------------------

EXTERNAL = [
    re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?(?![#"'])""", re.I),
    re.compile(r"@import", re.I),
    re.compile(r"url\(\s*['\"]?(?![#'\"])", re.I),
    re.compile(r"https?://", re.I),
]


def test_no_external_resources(examples_page: str) -> None:
    for pattern in EXTERNAL:
        assert not pattern.search(examples_page), pattern.pattern
    page = Page(examples_page)
    assert all(a["href"].startswith("#") for a in page.tags("a"))
    for tag in ("img", "iframe", "object", "embed", "link", "base", "audio", "video"):
        assert page.tags(tag) == [], tag


def test_content_security_policy_allows_only_our_own_style_and_script(
    examples_page: str,
) -> None:
    page = Page(examples_page)
    (meta,) = [m for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'"
    style, script = "".join(page.style_text), "".join(page.script_text)
    assert style == asset(STYLESHEET) and script == asset(SCRIPT)
    assert policy["style-src"] == csp_hash(style)
    assert policy["script-src"] == csp_hash(script)
    # no inline style attributes (the policy would block them) and no event handlers
    for _, attrs in page.elements:
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "4242"):
        code, out, err = run_cli(
            "check", "--today", TODAY, "-f", "html", cwd=EXAMPLES, env={"PYTHONHASHSEED": seed}
        )
        assert code == 1, err
        outputs.add(out)
    assert len(outputs) == 1


def test_renders_without_views_and_without_findings(tmp_path: Path) -> None:
    import datetime

    from conftest import partnership

    from policycoord.output.formats import RenderOptions
    from policycoord.output.reporters.html_report import render
    from policycoord.workflows.pipeline import Options, check

    make_repo(tmp_path, {"partnership.yaml": partnership([])})
    report = check([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24)))
    assert not report.findings
    page = Page(render(report, RenderOptions()))
    assert page.problems == []
    assert "No findings on any of the checks that ran." in page.all_text
    assert "The responsibility matrix was not built for this report." in page.all_text
    assert page.tags("form") == []


# --- user text ---------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</style>",
    "]]>",
    "javascript:alert(1)",
    "\x1b[31m",
    "\u202e",
]
EVIL = " ".join(HOSTILE)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def hostile_repo(root: Path) -> Path:
    """User text everywhere the page shows it: the partnership's name, an
    organisation's name, a duty, a concern, a role, a step, a waiver."""
    return make_repo(
        root,
        {
            "partnership.yaml": f"""\
                policycoord: 1
                partnership:
                  id: north
                  name: {_q("North " + EVIL)}
                  members: [evil, alpha]
                duties:
                  - id: train-staff
                    title: {_q("Train " + EVIL)}
                    scope: each-member
                concerns:
                  - id: harm
                    title: {_q("Harm " + EVIL)}
                    must_reach: [alpha/lead]
                glossary:
                  - term: MASH
                    meaning: Multi-Agency Safeguarding Hub
                waivers:
                  - code: PC009
                    organisation: evil
                    reason: {_q("Because " + EVIL)}
                    approved_by: [evil, alpha]
                    expires: 2030-01-01
                """,
            "orgs/alpha.yaml": """\
                policycoord: 1
                organisation: {id: alpha, name: Alpha, sector: education}
                roles:
                  - {id: lead, title: Lead, contact: {phone: "1", hours: office}}
                responsibilities:
                  - {duty: train-staff, role: lead, raci: accountable}
                escalations:
                  - concern: harm
                    steps:
                      - {to: lead, within: immediately}
                """,
            "orgs/evil.yaml": f"""\
                policycoord: 1
                organisation:
                  id: evil
                  name: {_q("Evil " + EVIL)}
                  sector: sport
                roles:
                  - id: dso
                    title: {_q("Officer " + EVIL)}
                responsibilities:
                  - {{duty: train-staff, role: dso, raci: responsible}}
                escalations:
                  - concern: harm
                    steps:
                      - to: dso
                        within: immediately
                        action: {_q("Act " + EVIL)}
                      - to: alpha/nobody
                        within: 1 hour
                """,
        },
    )


def test_hostile_text_is_shown_never_obeyed(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo")
    code, out, err = run_cli("check", "--today", TODAY, "--format", "html", cwd=repo)
    assert code == 1, err
    page = Page(out)
    assert page.problems == []
    # one script and one style element: ours
    assert len(page.tags("script")) == 1 and len(page.tags("style")) == 1
    assert "".join(page.script_text) == asset(SCRIPT)
    assert "".join(page.style_text) == asset(STYLESHEET)
    # nothing was made from user text: no image, no handler, no link
    assert page.tags("img") == []
    for _, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert "src" not in attrs
    assert all(a["href"].startswith("#") for a in page.tags("a"))
    # raw controls and bidi overrides never reach the page...
    assert "\x1b" not in out and "\u202e" not in out
    # ...and the hostile text is there to read, as text
    shown = page.all_text
    visible_evil = EVIL.replace("\x1b", "\\x1b").replace("\u202e", "<U+202E>")
    for where in ("North ", "Train ", "Harm ", "Evil ", "Officer ", "Because "):
        assert where + visible_evil in shown, where
    assert "<script>alert(1)</script>" in shown
    # the SVG's text and hover titles too
    assert "Officer &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x" in out
    # the filter's data attributes carry our own keys only
    for row in page.tags("tr"):
        if "data-organisation" in row:
            assert re.fullmatch(r"partnership|o\d+", row["data-organisation"])


def test_backticks_become_code_and_stay_escaped() -> None:
    from policycoord.output.reporters.html_report import pieces

    assert pieces("use `24 hours` here") == (("use ", False), ("24 hours", True), (" here", False))
    assert pieces("odd ` count") == (("odd ` count", False),)


# --- the palette ---------------------------------------------------------------------------------

#: Every text colour on every background it is drawn on (CSS custom properties).
TEXT_ON = {
    "ink": [
        "paper",
        "panel",
        "cell-a",
        "cell-r",
        "cell-c",
        "cell-i",
        "cell-gap",
        "cell-overlap",
        "cell-slow",
        "node-start",
        "node-day-night",
        "node-office",
        "node-missing",
    ],
    "ink-muted": ["paper", "panel", "node-day-night", "node-office", "node-missing"],
    "error-ink": ["paper", "error-bg", "cell-gap", "node-day-night", "node-office", "node-missing"],
    "warning-ink": ["paper", "warning-bg", "cell-overlap"],
    "slow-ink": ["paper", "cell-slow", "cell-gap", "cell-overlap", "cell-a", "cell-r"],
    "info-ink": ["paper", "info-bg"],
    "pass-ink": ["pass-bg"],
    "accent": ["paper", "node-day-night", "node-office", "node-missing"],
}
#: Lines and arrows that carry meaning: WCAG 1.4.11 asks 3:1 for graphics.
GRAPHICS_ON_PAPER = ["edge-day", "edge-night", "edge-problem", "accent", "error-line"]


def _palette() -> dict[str, str]:
    css = asset(STYLESHEET)
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_text_colours_have_enough_contrast() -> None:
    palette = _palette()
    low = {
        (fg, bg): round(contrast(palette[fg], palette[bg]), 2)
        for fg, backgrounds in TEXT_ON.items()
        for bg in backgrounds
        if contrast(palette[fg], palette[bg]) < 4.5
    }
    assert low == {}
    for line in GRAPHICS_ON_PAPER:
        assert contrast(palette[line], palette["paper"]) >= 3, line


def test_every_colour_the_css_uses_is_in_the_palette() -> None:
    css = asset(STYLESHEET)
    palette = _palette()
    used = set(re.findall(r"var\(--([a-z0-9-]+)\)", css))
    assert used <= set(palette) | {"font"}
    # no colour outside the palette (which the contrast test would not see)
    rules = css.split("}", 1)[1]  # everything after :root
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", rules) == []
    assert not re.search(r"\b(rgb|hsl)a?\(", css)


# --- the diagram layout ------------------------------------------------------------------------

HERE = Location("orgs/x.yaml", 1, 1)


def node(key: str, start: bool = False) -> Node:
    organisation = key.split("/")[0]
    return Node(
        key=key,
        organisation=organisation,
        organisation_name=organisation,
        label=key,
        start=start,
    )


def diagram(starts: list[str], roles: list[str], edges: list[tuple[str, str]]) -> Diagram:
    return Diagram(
        concern="c",
        title="C",
        max_total=None,
        nodes=(*(node(s, True) for s in starts), *(node(r) for r in roles)),
        edges=tuple(Edge(a, b, "1 hour", False, (), HERE) for a, b in edges),
        codes=(),
    )


def check_layout(drawn: Diagram, at: Layout) -> None:
    """The layout's promises, for any diagram."""
    back = back_edges(drawn)
    for number, edge in enumerate(drawn.edges):
        if number not in back:
            assert at.layers[edge.target] > at.layers[edge.source], edge
    assert {route.edge for route in at.routes} == set(range(len(drawn.edges)))
    for one, other in combinations(at.boxes.values(), 2):
        assert not one.overlaps(other), (one, other)
    for box in at.boxes.values():
        assert all(type(v) is int for v in (box.x, box.y, box.width, box.height))
        assert box.x >= 0 and box.y >= 0
        assert box.right <= at.width and box.bottom <= at.height
    for route in at.routes:
        for x, y in route.points:
            assert type(x) is int and type(y) is int
            assert 0 <= x <= at.width and 0 <= y <= at.height
    # a layer is one column, and the columns go left to right
    for key, box in at.boxes.items():
        assert box.x == MARGIN + at.layers[key] * (NODE_WIDTH + LAYER_GAP)


def test_layers_are_longest_distances_from_the_starts() -> None:
    drawn = diagram(
        ["a", "b"],
        ["a/x", "b/y", "c/hub", "c/night"],
        [("a", "a/x"), ("a/x", "c/hub"), ("b", "b/y"), ("b/y", "c/hub"), ("a", "c/night")],
    )
    at = layout(drawn)
    assert dict(at.layers) == {"a": 0, "b": 0, "a/x": 1, "b/y": 1, "c/hub": 2, "c/night": 1}
    check_layout(drawn, at)


def test_long_edges_pass_between_boxes() -> None:
    drawn = diagram(["a"], ["a/x", "c/hub"], [("a", "a/x"), ("a/x", "c/hub"), ("a", "c/hub")])
    at = layout(drawn)
    long = at.routes[2]
    assert len(long.points) == 4  # port, through the waypoint in layer 1, port
    (_, y_in), (_, y_out) = long.points[1], long.points[2]
    assert y_in == y_out
    middle = at.boxes["a/x"]
    assert not middle.y <= y_in <= middle.bottom, "the long edge runs clear of the box"
    check_layout(drawn, at)


def test_cycles_are_broken_at_the_edge_that_closes_them() -> None:
    drawn = diagram(
        ["s"],
        ["a/1", "b/2", "c/3"],
        [("s", "a/1"), ("a/1", "b/2"), ("b/2", "c/3"), ("c/3", "a/1"), ("c/3", "c/3")],
    )
    assert back_edges(drawn) == {3, 4}
    at = layout(drawn)
    assert [at.layers[k] for k in ("s", "a/1", "b/2", "c/3")] == [0, 1, 2, 3]
    assert [route.back for route in at.routes] == [False, False, False, True, True]
    lanes = {route.points[2][1] for route in at.routes if route.back}
    assert len(lanes) == 2, "each back edge has a lane of its own"
    assert min(lanes) > max(box.bottom for box in at.boxes.values())
    check_layout(drawn, at)


def test_many_arrows_make_a_taller_box() -> None:
    starts = [f"o{i}" for i in range(12)]
    drawn = diagram(starts, ["hub/mash"], [(s, "hub/mash") for s in starts])
    at = layout(drawn)
    ports = sorted(route.points[-1][1] for route in at.routes)
    assert len(set(ports)) == 12
    assert min(b - a for a, b in pairwise(ports)) >= 13
    check_layout(drawn, at)


def test_example_diagrams_lay_out_cleanly() -> None:
    import datetime

    from policycoord.workflows.pipeline import Options, check_with_views

    _, views = check_with_views([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    assert len(views.diagrams) == 4
    for drawn in views.diagrams:
        at = layout(drawn)
        check_layout(drawn, at)
        assert layout(drawn) == at


@st.composite
def graphs(draw: st.DrawFn) -> Diagram:
    starts = [f"s{i}" for i in range(draw(st.integers(1, 5)))]
    roles = [f"r{i}/x" for i in range(draw(st.integers(0, 8)))]
    keys = starts + roles
    edges = draw(
        st.lists(
            st.tuples(st.sampled_from(keys), st.sampled_from(roles or starts)),
            max_size=20,
        )
    )
    edges = [(a, b) for a, b in edges if b not in starts]
    return diagram(starts, roles, edges)


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_any_diagram_lays_out_without_overlaps(drawn: Diagram) -> None:
    at = layout(drawn)
    check_layout(drawn, at)
    assert layout(drawn) == at, "deterministic"
