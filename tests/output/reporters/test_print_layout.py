"""The HTML report printed on A4 (its print stylesheet, in Debian's
chromium under print media, at a printed page's width): no column heading
breaks inside a word, the responsibility matrix stays on its page however
many organisations there are (their names turned upright), and escalation
diagrams are as wide as the page, a tall one in bands a page each, cut
where no box's text is. Plus the rules behind those choices, on their own.

Skipped with a reason when chromium or chromedriver is not there.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY, CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from output.reporters.test_html_in_browser import (
    chromium_session,
)
from policycoord.output.reporters.html_diagrams import (
    printed_bands,
    printed_landscape,
)
from policycoord.output.reporters.html_matrix import rotated_headers
from policycoord.views.layout import NODE_HEIGHT, Box, Layout

#: A4 at 96 CSS pixels an inch, less the report's margins: a portrait
#: page's width, and a landscape page's (where the matrix is printed).
PORTRAIT = 703
LANDSCAPE = 1032

LONG_NAMES = (
    "Kingsbridge Community Primary School",
    "Oakfield Independent Preparatory School",
    "Northshire Constabulary Safeguarding Directorate",
    "Westmoor Multidisciplinary Paediatric Service",
    "Riverside Interdenominational Youth Fellowship",
    "Hollowmere Neighbourhood Safeguarding Collaborative",
    "Eastbridge Psychotherapeutic Counselling Service",
    "Greyford Comprehensive Secondary Academy",
)


def large_partnership(root: Path) -> Path:
    """The example partnership and eight more schools and services with
    long names, each a copy of St Mary's policy: 17 organisations."""
    shutil.copytree(EXAMPLES, root)
    template = (root / "orgs" / "st-marys-primary.yaml").read_text(encoding="utf-8")
    for number, name in enumerate(LONG_NAMES):
        text = template.replace("st-marys-primary", f"extra-{number}")
        text = re.sub(r"(\n  name: ).*", rf"\g<1>{name}", text, count=1)
        (root / "orgs" / f"extra-{number}.yaml").write_text(text, encoding="utf-8")
    partnership = root / "partnership.yaml"
    extra = "".join(f"    - extra-{number}\n" for number in range(len(LONG_NAMES)))
    text = partnership.read_text(encoding="utf-8")
    text = text.replace("    - northshire-youth-trust\n", "    - northshire-youth-trust\n" + extra)
    partnership.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium_session(tmp_path_factory.mktemp("profile")) as driver:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        yield driver


def printed(browser: WebDriver, cli: CliRunner, repo: Path, width: int) -> None:
    """The report of `repo` in the browser, as printed on a page `width` wide."""
    target = repo.parent / f"{repo.name}.html"
    code, _, err = cli("check", "--today", TODAY, "-o", target, cwd=repo)
    assert code == 1, err
    browser.set_window_size(width + 20, 1200)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1100, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.get(target.as_uri())


#: The words of each column heading that the browser broke across lines.
BROKEN_WORDS = """
const broken = [];
for (const heading of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) broken.push(match[0]);
    }
  }
}
return broken;
"""


def test_column_headings_never_break_inside_a_word(
    browser: WebDriver, cli: CliRunner, tmp_path: Path
) -> None:
    for repo in (large_partnership(tmp_path / "large"), EXAMPLES):
        printed(browser, cli, repo, PORTRAIT)
        assert browser.execute_script(BROKEN_WORDS, "#findings-table thead th") == []
        printed(browser, cli, repo, LANDSCAPE)
        assert browser.execute_script(BROKEN_WORDS, "table.matrix thead th") == [], repo.name


def test_a_wide_matrix_stays_on_its_page(
    browser: WebDriver, cli: CliRunner, tmp_path: Path
) -> None:
    printed(browser, cli, large_partnership(tmp_path / "large"), LANDSCAPE)
    table = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    assert "rotated" in (table.get_attribute("class") or "")
    sheet = browser.find_element(By.CSS_SELECTOR, ".matrix-sheet")
    assert table.size["width"] <= sheet.size["width"] + 1
    headings = browser.find_elements(By.CSS_SELECTOR, "table.matrix th.organisation")
    assert len(headings) == 17
    status = browser.find_element(By.CSS_SELECTOR, "table.matrix th.status")
    assert status.location["x"] + status.size["width"] <= sheet.size["width"] + sheet.location["x"]
    # upright: each name is taller than it is wide
    name = browser.find_element(By.CSS_SELECTOR, "table.matrix th.organisation .column-name")
    assert name.size["height"] > 2 * name.size["width"]


def test_the_example_matrix_reads_across(
    browser: WebDriver, cli: CliRunner, tmp_path: Path
) -> None:
    printed(browser, cli, EXAMPLES, LANDSCAPE)
    table = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    assert "rotated" not in (table.get_attribute("class") or "")
    sheet = browser.find_element(By.CSS_SELECTOR, ".matrix-sheet")
    assert table.size["width"] <= sheet.size["width"] + 1


def diagrams(browser: WebDriver) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = browser.execute_script(
        """
        return [...document.querySelectorAll('figure.diagram')].map(figure => ({
          figure: figure.getBoundingClientRect().width,
          banded: figure.classList.contains('banded'),
          landscape: figure.closest('.concern').classList.contains('landscape'),
          whole: figure.querySelector('svg.whole').getBoundingClientRect().width,
          bands: [...figure.querySelectorAll('svg.band')].map(
            band => band.getBoundingClientRect().width),
        }));
        """
    )
    return found


def test_diagrams_are_as_wide_as_the_page(
    browser: WebDriver, cli: CliRunner, tmp_path: Path
) -> None:
    printed(browser, cli, EXAMPLES, PORTRAIT)
    found = diagrams(browser)
    assert [d["landscape"] for d in found] == [False, False, True, True]
    for diagram in found:
        assert not diagram["banded"]
        assert diagram["whole"] == pytest.approx(diagram["figure"], abs=1)
        assert diagram["figure"] > PORTRAIT * 0.9
    printed(browser, cli, large_partnership(tmp_path / "large"), PORTRAIT)
    found = diagrams(browser)
    assert [d["banded"] for d in found] == [True, True, False, False]
    for diagram in found[:2]:
        assert diagram["whole"] == 0  # drawn by its bands only
        assert len(diagram["bands"]) == 2
        for width in diagram["bands"]:
            assert width == pytest.approx(diagram["figure"], abs=1)


# --- the rules ---------------------------------------------------------------------------------


def test_rotated_headers() -> None:
    example = (
        "NHS Northshire Integrated Care Board",
        "Northshire Academy",
        "Northshire Council Children's Services",
        "Northshire Hospitals NHS Foundation Trust",
        "Northshire Police",
        "Northshire Youth Trust",
        "Riverside Juniors Football Club",
        "Riverside Surgery",
        "St Mary's Church of England Primary School",
    )
    assert not rotated_headers(example)
    assert rotated_headers((*example, *LONG_NAMES))
    assert not rotated_headers(())
    assert rotated_headers(("Interdenominational",) * 7)
    assert not rotated_headers(("Interdenominational",) * 5)


def test_printed_landscape() -> None:
    assert printed_landscape(1128, 590)  # fits a landscape page at its width
    assert not printed_landscape(1128, 878)
    assert not printed_landscape(0, 0)


def _layout(tops: list[tuple[int, int]], width: int = 1128) -> Layout:
    boxes = {f"b{n}": Box(16, top, 252, height) for n, (top, height) in enumerate(tops)}
    height = max(top + size for top, size in tops) + 16
    return Layout(layers={}, boxes=boxes, routes=(), width=width, height=height)


def test_printed_bands_cover_the_diagram_and_never_cut_text() -> None:
    # a column of boxes 96 apart, and a tall box beside them (its text on top)
    tops = [(16 + 96 * n, NODE_HEIGHT) for n in range(25)] + [(400, 1200)]
    at = _layout(tops)
    bands = printed_bands(at, landscape=False)
    assert len(bands) >= 2
    assert bands[0].y == 0
    for before, after in itertools.pairwise(bands):
        assert before.y + before.height == after.y
    assert bands[-1].y + bands[-1].height == at.height
    per_mm = at.width / 186
    assert bands[0].height <= (267 - 32) * per_mm  # under the heading
    assert all(band.height <= 267 * per_mm for band in bands)
    for band in bands[1:]:
        for top, height in tops:
            text_end = top + min(height, NODE_HEIGHT)
            assert not top <= band.y <= text_end, (band, top)
    assert printed_bands(_layout([(16, NODE_HEIGHT)]), landscape=False) == ()
