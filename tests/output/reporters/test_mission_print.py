"""The joint mission statement and the workshop pack, printed as a facilitator
would print them: Debian's chromium prints the HTML to PDF (A4, the page's
own print stylesheet), and pypdf reads the text of each page back.

- The statement: page 1 holds the vision, every theme with its sentence and
  every member's line to sign; the members' own words start on page 2.
- The pack: a front page (agenda, questions for every theme, the rule that
  places findings), the draft statement on one page, then each theme on one
  page of its own, whole and in order, then the other findings.

The PDFs are copied to `$POLICYCOORD_TEST_OUTPUT` when that variable names a
folder. Skipped with a reason when chromium is not there, except under CI.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import EXAMPLES, PROJECT_ROOT, TODAY, make_repo, partnership, policy, run_cli
from pypdf import PdfReader

from output.reporters.test_html_in_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    TIMEOUT,
    executable,
    missing,
)
from policycoord.views.mission import MissionView, build_mission
from policycoord.workflows.pipeline import Options, check, load_model

A4 = (595, 842)  # points, portrait


@pytest.fixture(scope="module")
def view() -> MissionView:
    options = Options(today=datetime.date.fromisoformat(TODAY))
    model = load_model([str(EXAMPLES)], options=options)
    return build_mission(model, check([str(EXAMPLES)], options=options).findings)


def printed(tmp_path: Path, *args: str, cwd: Path = EXAMPLES) -> list[str]:
    """`policycoord mission ARGS -o page.html` printed to PDF: each page's
    text, with ligatures undone and every run of white space one space."""
    if not executable(CHROMIUM):
        missing(str(CHROMIUM), "apt-get install -y --no-install-recommends chromium")
    page = tmp_path / "page.html"
    code, _, err = run_cli("mission", "--today", TODAY, *args, "-o", page, cwd=cwd)
    assert code == 0, err
    pdf = tmp_path / "page.pdf"
    completed = subprocess.run(
        [
            str(CHROMIUM),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    keep = os.environ.get("POLICYCOORD_TEST_OUTPUT")
    if keep:
        folder = PROJECT_ROOT / keep
        folder.mkdir(parents=True, exist_ok=True)
        if cwd == EXAMPLES:
            name = "mission-pack.pdf" if "--pack" in args else "mission.pdf"
            shutil.copyfile(pdf, folder / name)
    reader = PdfReader(pdf)
    for number, sheet in enumerate(reader.pages, start=1):
        size = (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height)))
        assert size == A4, f"page {number} is {size}, not A4"
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages]


def test_the_statement_is_one_page_to_sign(tmp_path: Path, view: MissionView) -> None:
    pages = printed(tmp_path)
    first = pages[0]
    assert view.vision is not None and view.vision in first
    for theme in view.themes:
        assert f"{theme.title}. {theme.pledge}" in first, theme.title
    assert "Signed for the partnership" in first
    for name in view.signatories:
        assert name in first, f"{name} has no line to sign on the first page"
    assert "In our own words" not in first
    assert pages[1].startswith("In our own words")


def test_the_statement_page_ends_before_the_members_words(tmp_path: Path) -> None:
    """However short the statement, the page to sign is a page of its own."""
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(
                extra="""\
                mission:
                  vision: Children are safe.
                  themes: [{id: listen, title: Listen to children}]
                """
            ),
            "orgs/a.yaml": policy(
                "a", "Alder School", extra="commitments: [{theme: listen, text: We ask.}]\n"
            ),
        },
    )
    pages = printed(tmp_path, cwd=repo)
    assert len(pages) == 2
    assert "Alder School" in pages[0] and "In our own words" not in pages[0]
    assert pages[1].startswith("In our own words")


def test_the_pack_prints_each_theme_on_a_page_of_its_own(tmp_path: Path, view: MissionView) -> None:
    pages = printed(tmp_path, "--pack")
    # the front page whole, then the statement to sign on a page of its own
    assert pages[0].startswith("WORKSHOP PACK")
    assert "Members that have not committed to any theme yet" in pages[0]
    assert pages[1].startswith("THE DRAFT STATEMENT")
    assert all(name in pages[1] for name in view.signatories)
    # then one page a theme, each starting with its heading and holding all of it
    for number, theme in enumerate(view.themes, start=1):
        page = pages[1 + number]
        assert page.startswith(f"Theme {number}: {theme.title}"), page[:80]
        assert sum(p.startswith(f"Theme {number}: ") for p in pages) == 1
        for quote in theme.commitments:
            assert quote.text in page
        for question in theme.questions:
            assert question in page
    # then the findings that concern no theme
    assert pages[2 + len(view.themes)].startswith("Other open findings")
    assert view.other_questions[-1] in pages[-1]
