"""`policycoord serve` really started (a process, uvicorn on a free port) and
visited in Debian's chromium through selenium, as a person would: open the
printed address, follow a finding to its field, fix it with the keyboard
only, see the finding go and the file change with its comments kept; create
an organisation; the conflict case; axe-core on every page (no WCAG 2.2 A
or AA violation); Ctrl-C stops it with exit status 0.

`POLICYCOORD_TEST_OUTPUT=DIR` keeps the screenshots there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, clean_env
from output.reporters.test_html_in_browser import chromium_session, vnu  # noqa: F401
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from .serving import example_repo

AXE_JS = PROJECT_ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"
SURGERY = "orgs/riverside-surgery.yaml"
WITHIN = "/responsibilities/0/within"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Server:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        env = clean_env({"PYTHONPATH": str(PROJECT_ROOT / "src")})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policycoord", "serve", str(repo), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.address = self.process.stdout.readline().strip()
        self.base = self.address.partition("/?")[0]

    def stop(self) -> tuple[int, str, str]:
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium_session(tmp_path_factory.mktemp("profile")) as driver:
        yield driver


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = Server(example_repo(tmp_path))
    yield started
    if started.process.poll() is None:
        started.stop()


def shot(browser: WebDriver, name: str) -> None:
    folder = os.environ.get("POLICYCOORD_TEST_OUTPUT")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 900)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def axe_violations(browser: WebDriver) -> list[str]:
    if not AXE_JS.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE_JS} is missing (.ci/run installs axe-core)")
        return []
    browser.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations.map(v => [v.id, v.impact,"
        " v.nodes.map(n => n.target.join(' ')).slice(0, 3)]))))"
        ".catch(e => done(JSON.stringify([['axe-error', String(e), []]])));",
        AXE_TAGS,
    )
    return [str(v) for v in json.loads(result)]


def test_the_address_is_one_line_and_ctrl_c_stops_cleanly(server):
    assert server.address.startswith("http://127.0.0.1:")
    assert "/?token=" in server.address and len(server.address.split("token=")[1]) >= 40
    status, out, err = server.stop()
    assert status == 0, err
    assert out == ""  # the address was the only line
    assert "Traceback" not in err and "stopped" in err


def test_a_person_follows_a_finding_to_its_field_and_fixes_it(browser, server):
    before = (server.repo / SURGERY).read_text(encoding="utf-8")
    browser.get(server.address)
    assert "token=" not in browser.current_url  # the token left the address
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Northshire")
    shot(browser, "serve-dashboard")
    link = browser.find_element(
        By.CSS_SELECTOR, f'a[href$="riverside-surgery/edit/responsibilities#field-{WITHIN}"]'
    )
    browser.get(link.get_attribute("href"))
    field = browser.find_element(By.ID, f"field-{WITHIN}")
    assert field.get_attribute("value") == "1 working day"
    assert browser.execute_script("return location.hash") == f"#field-{WITHIN}"
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("24 hours")
    explanation = field.get_attribute("aria-describedby").split()[-1]
    WebDriverWait(browser, 10).until(  # forms.js explains the timeframe as it is typed
        lambda b: b.find_element(By.ID, explanation).text.startswith("24 hours")
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    shot(browser, "serve-form")
    field.send_keys(Keys.ENTER)  # keyboard only: Enter submits the form
    WebDriverWait(browser, 20).until(
        lambda b: "Fixed by this change" in b.find_element(By.TAG_NAME, "main").text
    )
    fixed = browser.find_element(By.CSS_SELECTOR, "ul.fixed").text
    assert "PC104" in fixed
    shot(browser, "serve-saved")
    after = (server.repo / SURGERY).read_text(encoding="utf-8")
    pairs = list(zip(before.splitlines(), after.splitlines(), strict=True))
    assert [(a, b) for a, b in pairs if a != b] == [
        ("    within: 1 working day", "    within: 24 hours")
    ]
    browser.get(server.base + "/")
    assert "PC104" not in browser.find_element(By.ID, "findings").text


def test_keyboard_only_tab_reaches_the_form_and_saves(browser, server):
    browser.get(server.address.replace("/?", "/new?"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Skip to the content"
    for _ in range(12):
        active = browser.switch_to.active_element
        if active.get_attribute("id") == "new-id":
            break
        active.send_keys(Keys.TAB)
    assert active.get_attribute("id") == "new-id"
    active.send_keys("oak-nursery", Keys.TAB, "Oak Nursery", Keys.TAB)
    browser.switch_to.active_element.send_keys("Early")  # the sector list, by typing
    browser.switch_to.active_element.send_keys(Keys.TAB)  # "add to the members", ticked
    browser.switch_to.active_element.send_keys(Keys.TAB, Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda b: "Created" in b.page_source)
    assert (
        (server.repo / "orgs/oak-nursery.yaml")
        .read_text(encoding="utf-8")
        .endswith("  sector: early-years\n")
    )
    shot(browser, "serve-new-organisation")


def test_a_file_changed_while_the_form_is_open_is_not_written_over(browser, server):
    browser.get(server.address.replace("/?", "/org/riverside-surgery/edit/responsibilities?"))
    file = server.repo / SURGERY
    theirs = file.read_text(encoding="utf-8") + "# a colleague's change\n"
    file.write_text(theirs, encoding="utf-8")
    field = browser.find_element(By.ID, f"field-{WITHIN}")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("12 hours", Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda b: "Not saved" in b.page_source)
    assert file.read_text(encoding="utf-8") == theirs
    again = browser.find_element(By.ID, f"field-{WITHIN}")
    assert again.get_attribute("value") == "12 hours"
    shot(browser, "serve-conflict")


PAGES = (
    "/",
    "/partnership",
    "/org/riverside-surgery",
    "/org/riverside-surgery/edit/responsibilities",
    "/org/riverside-fc/edit/escalations",
    "/org/st-marys-primary/edit/roles",
    "/partnership/edit/waivers",
    "/partnership/edit/mission",
    "/partnership/edit/concerns",
    "/org/northshire-police/edit/glossary",
    "/org/riverside-fc/edit/organisation",
    "/new",
    "/workshop",
    "/workshop/listen-to-children",
    "/workshop/pack",
)


def test_every_page_passes_axe_and_runs_no_inline_script(browser, server):
    browser.get(server.address)
    problems = {}
    for path in PAGES:
        browser.get(server.base + path)
        assert browser.find_element(By.TAG_NAME, "h1").text, path
        if path == "/org/riverside-surgery":
            shot(browser, "serve-organisation")
        found = axe_violations(browser)
        if found:
            problems[path] = found
    assert problems == {}


def test_hostile_policy_files_run_nothing_in_the_browser(browser, tmp_path):
    from conftest import make_repo
    from output.reporters.test_html_in_browser import HOSTILE_FILES

    server = Server(make_repo(tmp_path / "hostile", HOSTILE_FILES))
    try:
        browser.get(server.address)
        for path in (
            "/",
            "/partnership",
            "/partnership/edit/duties",
            "/partnership/edit/concerns",
            "/org/alpha",
            "/org/alpha/edit/organisation",
            "/org/alpha/edit/roles",
            "/workshop",
        ):
            browser.get(server.base + path)
            assert browser.find_element(By.TAG_NAME, "h1").text, path
            assert browser.execute_script("return window.__pwned") is None, path
        browser.get(server.base + "/partnership")
        assert (
            "North <script>window.__pwned=1</script>"
            in browser.find_element(By.TAG_NAME, "h1").text
        )
    finally:
        status, _, err = server.stop()
    assert status == 0 and "Traceback" not in err


def nu_errors(java: str, jar: Path, pages: dict[str, str], folder: Path) -> list[str]:
    files = {}
    for number, (path, html) in enumerate(pages.items()):
        page = folder / f"page-{number}.html"
        page.write_text(html, encoding="utf-8")
        files[page.name] = path
    completed = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, folder.glob("*"))],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    result = json.loads(completed.stderr or completed.stdout)
    return [
        f"{files[m['url'].rpartition('/')[2]]} line {m.get('lastLine')}: {m.get('message')}"
        for m in result["messages"]
    ]


def test_nu_html_checker_finds_no_error_in_any_page(vnu, tmp_path):  # noqa: F811
    from .serving import serve_repo

    java, jar = vnu
    served = serve_repo(example_repo(tmp_path / "repo"))
    pages = {path: served.client.get(path).text for path in PAGES}
    (tmp_path / "pages").mkdir()
    assert nu_errors(java, jar, pages, tmp_path / "pages") == []
