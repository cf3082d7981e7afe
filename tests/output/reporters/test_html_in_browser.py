"""The HTML report in a real browser: Debian's chromium driven by selenium
through Debian's chromedriver, and the Nu HTML Checker (vnu.jar, from the npm
package `vnu-jar`, run with the machine's Java).

- The example's report loads with no console error and no network request
  (the performance log's requests are the page itself and `data:` only).
- Its filters hide and show findings when their boxes are clicked and their
  options picked, and "Show all" brings every finding back.
- A screenshot is saved under the test's tmp_path, and copied to
  `$POLICYCOORD_TEST_OUTPUT/html-report.png` when that variable names a folder
  (relative to the project root, such as `test-output`).
- Markup planted in a policy's names and titles never runs and shows as text.
- vnu finds no error in either page; chromium prints the report to A4 pages.

Skipped with a reason when chromium, chromedriver, Java or vnu.jar is not
there, except under CI (`CI` set), where .ci/run installs them and a missing
one is a failure. Selenium uses the given chromedriver and never its Selenium
Manager (which would download a driver). Every browser run, page load, wait
and checker run has a timeout, and every browser a fresh profile folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from conftest import EXAMPLES, GOLDEN, PROJECT_ROOT, TODAY, make_repo, run_cli
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package chromium
CHROMEDRIVER = Path("/usr/bin/chromedriver")  # Debian's package chromium-driver
#: Where .ci/run installs the npm package vnu-jar; `VNU_JAR` may name another.
VNU_JAR = PROJECT_ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

#: How the browser is started: headless, no sandbox (CI runs as root), and
#: nothing that reaches out to the network on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT = 120  # seconds, per browser or checker run, and per page load
WAIT = 10  # seconds, for the page to react to a click

# What a hostile policy repository writes in its names and titles.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror="window.__pwned=2">'
SVG = '<svg onload="window.__pwned=3">'

HOSTILE_FILES = {
    "partnership.yaml": f"""\
        policycoord: 1
        partnership:
          id: north
          name: {json.dumps("North " + SCRIPT)}
          members: [alpha]
        duties:
          - id: train-staff
            title: {json.dumps(IMG + " Train staff")}
            scope: each-member
        concerns:
          - id: significant-harm
            title: {json.dumps(SVG + " A child is suffering significant harm")}
            must_reach: [alpha/dsl]
        glossary:
          - term: MASH
            meaning: Multi-Agency Safeguarding Hub
        """,
    "orgs/alpha.yaml": f"""\
        policycoord: 1
        organisation:
          id: alpha
          name: {json.dumps("Alpha " + IMG)}
          sector: education
        roles:
          - id: dsl
            title: {json.dumps(SVG + " Lead")}
        responsibilities:
          - duty: train-staff
            role: dsl
            raci: accountable
        escalations:
          - concern: significant-harm
            steps:
              - to: head
                within: immediately
        """,
    # not a member: PC007 names it
    "orgs/hostile.yaml": f"""\
        policycoord: 1
        organisation:
          id: hostile
          name: {json.dumps(SCRIPT)}
          sector: sport
        """,
}


def missing(what: str, install: str) -> NoReturn:
    """Skip (or, under CI, fail) because `what` is not on this machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run should have installed it ({install})")
    pytest.skip(f"{what} is not installed ({install})")


def executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not executable(CHROMIUM):
        missing(str(CHROMIUM), "apt-get install -y --no-install-recommends chromium")
    return CHROMIUM


@pytest.fixture(scope="module")
def chromedriver() -> Path:
    if not executable(CHROMEDRIVER):
        missing(str(CHROMEDRIVER), "apt-get install -y --no-install-recommends chromium-driver")
    return CHROMEDRIVER


@pytest.fixture(scope="module")
def vnu() -> tuple[str, Path]:
    """(java, vnu.jar)."""
    java = shutil.which("java")
    if java is None:
        missing("java", "apt-get install -y --no-install-recommends default-jre-headless")
    jar = Path(os.environ.get("VNU_JAR") or VNU_JAR)
    if not jar.is_file():
        missing(f"vnu.jar ({jar})", "npm install --prefix .cache/vnu vnu-jar, as .ci/run does")
    return java, jar


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    code, _, err = run_cli("check", "--today", TODAY, "-o", target, cwd=EXAMPLES)
    assert code == 1, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    return target


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    repo = make_repo(folder / "repo", HOSTILE_FILES)
    target = folder / "report.html"
    code, _, err = run_cli("check", "--today", TODAY, "-o", target, cwd=repo)
    assert code == 1, err
    html = target.read_text(encoding="utf-8")
    assert html.count("pwned") > 10  # the names are all over the page, escaped
    return target


def no_selenium_manager(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("Selenium Manager was asked for a driver: it would download one")


@contextlib.contextmanager
def chromium_session(profile: Path, timeout: float = 0) -> Iterator[WebDriver]:
    """Debian's chromium through Debian's chromedriver, headless with the
    flags every browser test uses and a fresh profile in `profile`; skips
    when either is missing; never lets Selenium Manager download a driver;
    quits at the end whatever happens. For module-scoped fixtures."""
    if not executable(CHROMIUM) or not executable(CHROMEDRIVER):
        pytest.skip(f"{CHROMIUM} and {CHROMEDRIVER} are needed (Debian: chromium chromium-driver)")
    patch = pytest.MonkeyPatch()
    patch.setenv("SE_OFFLINE", "true")
    patch.setattr(SeleniumManager, "binary_paths", no_selenium_manager)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(timeout or TIMEOUT)
        yield driver
    finally:
        driver.quit()
        patch.undo()


@pytest.fixture
def driver(
    chromium: Path, chromedriver: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[WebDriver]:
    """Debian's chromium through Debian's chromedriver, with a fresh profile,
    its console and performance logs kept; quit at the end whatever happens."""
    monkeypatch.setenv("SE_OFFLINE", "true")
    monkeypatch.setattr(SeleniumManager, "binary_paths", no_selenium_manager)
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(chromedriver)))
    try:
        browser.set_page_load_timeout(TIMEOUT)
        browser.set_script_timeout(WAIT)
        browser.set_window_size(1280, 2000)
        yield browser
    finally:
        browser.quit()


def open_page(driver: WebDriver, page: Path) -> None:
    """Load `page` (after a blank page, whose logs are dropped: what is left
    in the logs is this page's) and wait until its script has run."""
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-filters") == "ready",
        message="the page's filter script did not run to its end",
    )


def console(driver: WebDriver) -> list[dict[str, Any]]:
    """The console messages since the last call; none may be an error or a
    Content-Security-Policy violation."""
    entries: list[dict[str, Any]] = driver.get_log("browser")
    bad = [
        entry
        for entry in entries
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]
    assert not bad, "\n".join(f"{e['level']}: {e['message']}" for e in bad)
    return entries


def requests(driver: WebDriver) -> list[str]:
    """The URL of every request and web socket the page opened since the last
    call, from chromium's performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def finding_rows(driver: WebDriver) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, "#findings-table tbody tr[data-severity]")


def shown(rows: list[Any]) -> list[Any]:
    return [row for row in rows if row.is_displayed()]


def test_page_loads_with_no_error_and_no_network_request(driver: WebDriver, report: Path) -> None:
    open_page(driver, report)
    console(driver)
    urls = requests(driver)
    assert report.as_uri() in urls, urls  # the log works: it saw the page itself
    for url in urls:
        assert url.startswith(("file:", "data:")), f"the page made a network request: {url}"
    # the stylesheet was applied and the script ran (both are allowed by the
    # page's Content-Security-Policy hashes); it showed the form and counted
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("data-styled") == "yes"
    assert driver.find_element(By.ID, "filters").is_displayed()
    assert driver.find_element(By.ID, "filter-status").text == "Showing all 19 findings."
    rows = finding_rows(driver)
    assert len(rows) == len(shown(rows)) == 19
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.escalation")) == 4
    assert driver.find_element(By.TAG_NAME, "footer").is_displayed()
    # nothing in the page could load anything
    meta = driver.find_element(By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]')
    assert (meta.get_attribute("content") or "").startswith("default-src 'none'; ")
    assert not driver.find_elements(By.CSS_SELECTOR, "img, link, iframe, object, embed, base")
    assert not re.search(r"https?://|wss?://", driver.page_source, re.I)


def test_filters_hide_and_show_findings(driver: WebDriver, report: Path) -> None:
    open_page(driver, report)
    rows = finding_rows(driver)
    status = driver.find_element(By.ID, "filter-status")
    errors = sum(row.get_attribute("data-severity") == "error" for row in rows)
    assert 0 < errors < len(rows) == 19

    # untick Error: the errors are hidden, the rest shown, the count says so
    error_box = driver.find_element(By.CSS_SELECTOR, "input[name=severity][value=error]")
    error_box.click()
    assert not error_box.is_selected()
    for row in rows:
        assert row.is_displayed() == (row.get_attribute("data-severity") != "error")
    assert status.text == f"Showing {19 - errors} of 19 findings (filtered)."

    # pick the organisation with the most findings: only its rows are left
    counts = Counter(row.get_attribute("data-organisation") for row in rows)
    organisation, _ = counts.most_common(1)[0]
    assert organisation is not None
    select = Select(driver.find_element(By.ID, "filter-organisation"))
    select.select_by_value(organisation)
    expected = [
        row
        for row in rows
        if row.get_attribute("data-organisation") == organisation
        and row.get_attribute("data-severity") != "error"
    ]
    assert shown(rows) == expected
    assert status.text == f"Showing {len(expected)} of 19 findings (filtered)."
    error_box.click()  # tick Error again: all of that organisation's rows
    mine = [row for row in rows if row.get_attribute("data-organisation") == organisation]
    assert shown(rows) == mine and len(mine) == counts[organisation] < 19
    assert status.text == f"Showing {len(mine)} of 19 findings (filtered)."

    # a kind of problem that organisation has none of: no row, and a note
    families = {row.get_attribute("data-family") for row in mine}
    Select(driver.find_element(By.ID, "filter-family")).select_by_value(
        next(
            option.get_attribute("value")
            for option in driver.find_elements(By.CSS_SELECTOR, "#filter-family option")
            if option.get_attribute("value") not in (*families, "")
        )
    )
    assert shown(rows) == []
    assert driver.find_element(By.CSS_SELECTOR, "tr.no-match").is_displayed()
    assert status.text == "Showing 0 of 19 findings (filtered)."

    # Show all: everything is back, and the form with it
    error_box.click()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: status.text == "Showing all 19 findings.",
        message="Show all did not bring every finding back",
    )
    assert len(shown(rows)) == 19
    assert not driver.find_element(By.CSS_SELECTOR, "tr.no-match").is_displayed()
    assert error_box.is_selected() and select.first_selected_option.get_attribute("value") == ""
    console(driver)
    assert all(url.startswith(("file:", "data:")) for url in requests(driver))


def png_rows(data: bytes, count: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `count` rows of pixels of an 8-bit RGB or
    RGBA, non-interlaced PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    assert (depth, interlace) == (8, 0) and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    compressed, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            compressed += data[at + 8 : at + 8 + length]
        at += 12 + length
    stride = width * channels
    raw = zlib.decompressobj().decompress(compressed, (stride + 1) * count)
    rows: list[bytes] = []
    previous = bytes(stride)
    for number in range(count):
        line = raw[number * (stride + 1) : (number + 1) * (stride + 1)]
        kind, scan = line[0], bytearray(line[1:])
        for i in range(stride):
            left = scan[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                scan[i] = (scan[i] + left) & 0xFF
            elif kind == 2:
                scan[i] = (scan[i] + up) & 0xFF
            elif kind == 3:
                scan[i] = (scan[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                scan[i] = (scan[i] + predictor) & 0xFF
        previous = bytes(scan)
        rows.append(previous)
    return width, height, rows


def test_screenshot_shows_the_page(driver: WebDriver, report: Path, tmp_path: Path) -> None:
    open_page(driver, report)
    shot = tmp_path / "html-report.png"
    assert driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    output = os.environ.get("POLICYCOORD_TEST_OUTPUT")
    if output:
        folder = PROJECT_ROOT / output  # an absolute path stays as it is
        folder.mkdir(parents=True, exist_ok=True)
        print(f"screenshot copied to: {shutil.copyfile(shot, folder / 'html-report.png')}")
    console(driver)
    data = shot.read_bytes()
    width, height, rows = png_rows(data, 300)  # the header: title, verdict, cards
    viewport = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    assert [width, height] == viewport and width == 1280 and height > 1000
    channels = len(rows[0]) // width
    colours = {row[i : i + 3] for row in rows for i in range(0, len(row), channels * 7)}
    assert len(colours) > 20, "the top of the page is not blank"
    # the verdict banner's pale red and the text's near-black are both there
    assert any(r > 240 and g < 240 and b < 240 for r, g, b in colours)
    assert any(max(c) < 60 for c in colours)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_planted_markup_never_runs_and_shows_as_text(
    driver: WebDriver, hostile_report: Path
) -> None:
    open_page(driver, hostile_report)
    assert driver.execute_script("return window.__pwned") is None
    console(driver)
    # the page loaded itself and nothing else: no `x` next to it, say
    urls = requests(driver)
    assert {url for url in urls if not url.startswith("data:")} == {hostile_report.as_uri()}
    # no element came out of the names: the page's one script, no image, no
    # handler, only the one escalation diagram's svg
    assert len(driver.find_elements(By.TAG_NAME, "script")) == 1
    assert not driver.find_elements(By.CSS_SELECTOR, "img, [onerror], [onload]")
    assert len(driver.find_elements(By.TAG_NAME, "svg")) == 1
    # the names are shown as they were written
    assert driver.find_element(By.TAG_NAME, "h1").text == f"North {SCRIPT}"
    organisations = driver.find_elements(By.CSS_SELECTOR, "#findings-table .organisation")
    assert {element.text for element in organisations} == {SCRIPT, f"Alpha {IMG}"}
    assert driver.find_element(By.CSS_SELECTOR, ".matrix .duty-title").text == f"{IMG} Train staff"
    assert driver.find_element(By.CSS_SELECTOR, "#escalation h3").text.startswith(SVG)
    # and the filter offers them as text too: picking one works
    select = Select(driver.find_element(By.ID, "filter-organisation"))
    select.select_by_visible_text(f"Alpha {IMG} (2)")
    rows = finding_rows(driver)
    assert len(shown(rows)) == 2 < len(rows)
    for row in shown(rows):
        assert f"Alpha {IMG}" in row.text
    assert driver.execute_script("return window.__pwned") is None
    console(driver)


#: the other pages policycoord writes, as their golden files hold them
OTHER_PAGES = ("mission.html", "mission-pack.html", "history.html")
GOLDEN = GOLDEN


@pytest.mark.parametrize("name", OTHER_PAGES)
def test_other_pages_load_styled_with_no_error_and_no_request(driver: WebDriver, name: str) -> None:
    """The mission statement, the workshop pack and the history page have no
    script: their stylesheet must apply under their own Content-Security-
    Policy (a wrong hash would be a console error), and nothing loads."""
    page = GOLDEN / name
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    console(driver)
    for url in requests(driver):
        assert url.startswith(("file:", "data:")), f"the page made a network request: {url}"
    heading = driver.find_element(By.TAG_NAME, "h1")
    assert heading.is_displayed()
    assert heading.value_of_css_property("font-size") != "32px"  # the stylesheet applied
    if name == "history.html":
        chart = driver.find_element(By.CSS_SELECTOR, "svg#chart")
        assert chart.is_displayed() and chart.size["width"] > 300
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg#chart polyline")) == 3


@pytest.mark.parametrize("page", ["report", "hostile_report", *OTHER_PAGES])
def test_nu_html_checker_finds_no_error(
    vnu: tuple[str, Path], page: str, request: pytest.FixtureRequest
) -> None:
    java, jar = vnu
    path: Path = GOLDEN / page if page in OTHER_PAGES else request.getfixturevalue(page)
    completed = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    result = json.loads(completed.stderr or completed.stdout)  # vnu writes to stderr
    errors = [
        f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '')!r}]"
        for m in result["messages"]
    ]
    assert not errors, "\n".join(errors)
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_prints_to_a4_pages(chromium: Path, report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    completed = subprocess.run(
        [
            str(chromium),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) > 1
    sizes = {(round(float(w)), round(float(h))) for w, h in boxes}
    # A4 portrait, and A4 landscape for the responsibility matrix
    assert sizes == {(595, 842), (842, 595)}
