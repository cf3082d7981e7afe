"""`history` when the date changes the counts, not a commit: a commit that
changes no policy file (a README beside them) comes after a waiver expired
and a review fell due. Each format says so at that commit, naming what the
date changed; a commit that changes a policy file is never said to. And
the chart's commit labels are never clipped, however long the tags."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, invoke
from output.reporters.test_html_in_browser import (
    chromium_session,
)
from selenium.webdriver.remote.webdriver import WebDriver

from policycoord.output.reporters.history_formats import CHARACTER_WIDTH, chart
from policycoord.workflows.history import history
from workflows.test_diff_and_history import edit, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: the first commit's tag: as long as a label may be, to be cut at 18 characters
LONG_TAG = "board-meeting-2026-june-final"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example partnership: committed on 1 June 2026; a README beside the
    policies on 15 October (by then Riverside FC's review was due on 31 July,
    and the waiver of PC206 expired on 30 September); then a policy change."""
    root = tmp_path_factory.mktemp("dates") / "policies"
    shutil.copytree(EXAMPLES, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A", date="2026-06-01")
    git(root, "commit", "-q", "-m", "The example partnership", date="2026-06-01")
    git(root, "tag", LONG_TAG)
    (root / "README.md").write_text("How we keep our policies.\n", encoding="utf-8")
    git(root, "add", "-A", date="2026-10-15")
    git(root, "commit", "-q", "-m", "A README for the board", date="2026-10-15")
    git(root, "tag", "board-2026-10-autumn-meeting")
    edit(root / "orgs/riverside-fc.yaml", "to: northshire-cs/front-door", "to: northshire-cs/mash")
    git(root, "add", "-A", date="2026-10-20")
    git(root, "commit", "-q", "-m", "Riverside FC: escalate to the MASH", date="2026-10-20")
    return root


DATED = (
    "No policy file changed since board-meeting-2026-june-final (2026-06-01): the counts "
    "changed with the date, not a commit: "
)


def test_the_point_says_what_the_date_did(repo: Path) -> None:
    found = history(cwd=repo)
    first, readme, change = found.points
    assert first.dated is None and change.dated is None  # a policy file changed there
    assert (readme.warnings, readme.suppressed) != (first.warnings, first.suppressed)
    assert readme.dated is not None
    assert readme.dated.startswith(DATED)
    what = readme.dated.removeprefix(DATED)
    assert "a review fell due (PC401, Riverside Juniors Football Club)" in what
    assert "a waiver expired (PC405, partnership-wide)" in what
    assert "no longer waived: handoff-not-accepted (PC206, Northshire Youth Trust)" in what


def test_every_format_says_it_at_that_commit(repo: Path) -> None:
    status, terminal = invoke("history", "--no-color", cwd=repo)
    assert status == 0
    assert "the counts changed with the date, not a commit" in re.sub(r"\s+", " ", terminal)
    _, markdown = invoke("history", "-f", "markdown", cwd=repo)
    (row,) = [line for line in markdown.splitlines() if "A README for the board" in line]
    assert "<br>**No policy file changed since board-meeting-2026-june-final" in row
    (other,) = [line for line in markdown.splitlines() if "Riverside FC: escalate" in line]
    assert "No policy file changed" not in other
    _, page = invoke("history", "-f", "html", cwd=repo)
    assert page.count('<g class="dated">') == 1
    assert '<tr class="dated"><td colspan="8"><strong class="dated">No policy file changed' in page
    _, document = invoke("history", "-f", "json", cwd=repo)
    assert len(json.loads(document)["commits"]) == 3


def test_labels_have_room(repo: Path) -> None:
    drawn = chart(history(cwd=repo))
    first = drawn.labels[0]
    assert first.text == "board-meeting-202…"  # cut at 18 characters
    # turned 35 degrees and ending under its commit, it reaches this far left
    reach = len(first.text) * CHARACTER_WIDTH * 0.82
    assert first.x - reach >= 0
    assert (
        drawn.height - drawn.bottom + 16 + len(first.text) * CHARACTER_WIDTH * 0.58 < drawn.height
    )
    assert [mark.label for mark in drawn.dated] == ["board-2026-10-autumn-meeting"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium_session(tmp_path_factory.mktemp("profile")) as driver:
        driver.set_window_size(1280, 1400)
        yield driver


def test_no_label_is_clipped_in_a_browser(browser: WebDriver, repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "history.html"
    status, _ = invoke("history", "-o", str(target), cwd=repo)
    assert status == 0
    browser.get(target.as_uri())
    boxes: dict[str, Any] = browser.execute_script(
        """
        const svg = document.querySelector('svg#chart').getBoundingClientRect();
        const texts = [...document.querySelectorAll('svg#chart text')].map(text => {
          const box = text.getBoundingClientRect();
          return {text: text.textContent, left: box.left, right: box.right,
                  top: box.top, bottom: box.bottom};
        });
        return {svg: {left: svg.left, right: svg.right, top: svg.top, bottom: svg.bottom}, texts};
        """
    )
    svg = boxes["svg"]
    assert any(t["text"] == "date, not a commit" for t in boxes["texts"])
    for text in boxes["texts"]:
        assert text["left"] >= svg["left"] - 0.5, text
        assert text["right"] <= svg["right"] + 0.5, text
        assert text["top"] >= svg["top"] - 0.5, text
        assert text["bottom"] <= svg["bottom"] + 0.5, text
