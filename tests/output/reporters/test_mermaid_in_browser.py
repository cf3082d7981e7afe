"""The Markdown report's escalation diagrams drawn by Mermaid 11 itself (the
npm package `mermaid`, in Debian's chromium driven by selenium): every
diagram parses, and every label reads exactly as `markdown_mermaid` wrote
it, brackets, pipes, `;`, `&` and all, with no entity code left over
(`#40;` came out as `&#40;` in some of Mermaid 11's renderings), no HTML
obeyed and no directive taking effect.

Skipped with a reason when chromium, chromedriver or the mermaid package is
not there (.ci/run installs mermaid in `.cache/mermaid`, as it does vnu.jar;
`MERMAID_JS` may name another `mermaid.min.js`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, TODAY, CliRunner
from selenium.webdriver.remote.webdriver import WebDriver

from output.reporters.example_copies import examples_outside_git
from output.reporters.test_html_in_browser import (
    TIMEOUT,
    chromium_session,
)
from output.reporters.test_markdown import HOSTILE, hostile_diagram, mermaid_blocks
from policycoord.output.reporters.markdown_mermaid import mermaid
from policycoord.output.reporters.markdown_text import mermaid_label
from policycoord.views.diagrams import Diagram, Edge, Node

MERMAID_JS = PROJECT_ROOT / ".cache/mermaid/node_modules/mermaid/dist/mermaid.min.js"
INSTALL = "npm install --prefix .cache/mermaid --ignore-scripts mermaid@11, as .ci/run does"


@pytest.fixture(scope="module")
def mermaid_js() -> Path:
    script = Path(os.environ.get("MERMAID_JS") or MERMAID_JS)
    if not script.is_file():
        pytest.skip(f"Mermaid is not installed ({script}): {INSTALL}")
    return script


@pytest.fixture(scope="module")
def page(mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty page that loads Mermaid."""
    target = tmp_path_factory.mktemp("mermaid") / "page.html"
    target.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<script src="{mermaid_js.as_uri()}"></script></head>'
        '<body><div id="drawing"></div></body></html>',
        encoding="utf-8",
    )
    return target


@pytest.fixture(scope="module")
def browser(page: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium_session(tmp_path_factory.mktemp("profile")) as driver:
        driver.set_script_timeout(TIMEOUT)
        driver.get(page.as_uri())
        assert driver.execute_script("return typeof mermaid") == "object"
        yield driver


#: Draws a diagram and returns what a reader sees of it.
DRAW = """
const [text, config, done] = arguments;
mermaid.initialize(Object.assign({startOnLoad: false, securityLevel: 'strict'}, config));
mermaid.render('drawing' + Math.floor(Math.random() * 1e9), text).then(result => {
  const holder = document.getElementById('drawing');
  holder.innerHTML = result.svg;
  const svg = holder.querySelector('svg');
  const texts = selector => [...svg.querySelectorAll(selector)].map(e => e.textContent);
  done({
    nodes: texts('g.node .label'),
    edges: texts('g.edgeLabel .label'),
    elements: [...new Set([...svg.querySelectorAll('*')].map(e => e.localName))],
    background: getComputedStyle(svg.querySelector('g.node rect, g.node path')).fill,
  });
}).catch(error => done({error: String(error && error.message || error)}));
"""


def draw(browser: WebDriver, lines: list[str], config: dict[str, Any]) -> dict[str, Any]:
    drawn: dict[str, Any] = browser.execute_async_script(DRAW, "\n".join(lines), config)
    assert "error" not in drawn, drawn.get("error")
    return drawn


_NODE = re.compile(r'    n\d+[\[({]+"(.*)"[\])}]+')
_EDGE = re.compile(r'    n\d+ -\.?->\|"(.*)"\| n\d+')


def written(lines: list[str]) -> tuple[list[str], list[str]]:
    """Each node's and each edge's label as written, lines run together."""
    nodes = [m[1].replace("<br>", "") for line in lines if (m := _NODE.fullmatch(line))]
    edges = [m[1] for line in lines if (m := _EDGE.fullmatch(line))]
    return nodes, edges


def squeezed(texts: list[str]) -> list[str]:
    return sorted(re.sub(r"\s+", "", text) for text in texts)


#: Mermaid 11's two ways to draw a label: HTML (the default, GitHub's) and SVG text.
CONFIGS = {"html-labels": {}, "svg-labels": {"flowchart": {"htmlLabels": False}}}

NASTY = (
    '"] end; click n1 call alert(1) %%{init: {"theme": "dark"}}%% `code` '
    "<b>bold</b> &lt;i&gt; #quot; #40;x#41; [x]|y| (C of E) Health & Care; 50% "
    "https://evil.example www.evil.example"
)


def nasty_diagram() -> Diagram:
    diagram = hostile_diagram()
    extra = Node(key="z/q", organisation="z", organisation_name=NASTY, label=NASTY)
    here = diagram.edges[0].location
    edge = Edge("a/dsl", "z/q", NASTY, False, ("PC203",), here)
    return Diagram("c", NASTY, None, (*diagram.nodes, extra), (*diagram.edges, edge), ("PC203",))


@pytest.mark.parametrize("config", CONFIGS)
def test_labels_read_as_written(browser: WebDriver, config: str) -> None:
    lines = mermaid(nasty_diagram())
    drawn = draw(browser, lines, CONFIGS[config])
    nodes, edges = written(lines)
    if config == "html-labels":
        assert sorted(drawn["nodes"]) == sorted(nodes)
        assert sorted(drawn["edges"]) == sorted(edges)
    else:  # SVG text: Mermaid drops some spaces there, never a character
        assert squeezed(drawn["nodes"]) == squeezed(nodes)
        assert squeezed(drawn["edges"]) == squeezed(edges)
    shown = "\n".join(drawn["nodes"] + drawn["edges"])
    for leftover in ("&#", "&quot;", "&amp;", "&lt;", "#40;", "#quot;", "Unsupported markdown"):
        assert leftover not in shown
    for text in ("[x]|y|", "(C of E) Health & Care; 50%", "\u2039b\u203abold\u2039/b\u203a"):
        assert text in shown
    assert "\u201d] end; click n1 call alert(1)" in shown
    assert not {"script", "b", "a", "iframe", "img"} & set(drawn["elements"])
    # the planted directive changes nothing: a box keeps the default theme's colour
    planted = draw(browser, ["flowchart LR", f'    n0["{mermaid_label(NASTY)}"]'], {})
    plain = draw(browser, ["flowchart LR", '    n0["x"]'], {})
    assert planted["background"] == plain["background"]
    raw = NASTY.replace('"', "'")  # (as it would be without mermaid_label)
    assert (
        draw(browser, ["flowchart LR", f'    n0["{raw}"]'], {})["background"] != plain["background"]
    )


def test_the_example_reports_diagrams(browser: WebDriver, cli: CliRunner, tmp_path: Path) -> None:
    folder = examples_outside_git(tmp_path / "examples")
    code, out, err = cli("check", "--today", TODAY, "-f", "markdown", cwd=folder)
    assert code == 1, err
    blocks = mermaid_blocks(out)
    assert len(blocks) >= 4
    for lines in blocks:
        drawn = draw(browser, lines, CONFIGS["html-labels"])
        nodes, edges = written(lines)
        assert sorted(drawn["nodes"]) == sorted(nodes)
        assert sorted(drawn["edges"]) == sorted(edges)
    everything = "\n".join("\n".join(lines) for lines in blocks)
    assert "Designated Safeguarding Lead (Assistant Principal)" in everything
    assert "#40;" not in everything


def test_hostile_names_in_a_drawing(browser: WebDriver) -> None:
    lines = mermaid(hostile_diagram())
    drawn = draw(browser, lines, CONFIGS["html-labels"])
    assert sorted(drawn["nodes"]) == sorted(written(lines)[0])
    assert len(HOSTILE) > 5
