"""The forms in Debian's chromium (selenium, as the HTML report's browser
tests run it), served by a small stand-in for `policycoord serve` in this
test: the page, forms.css and forms.js as files under a strict
Content-Security-Policy (no inline script or style), `/api/timeframe`
answering with `timeframe_help`, and a POST that reads the form back and
draws it again after a list button.

- Keyboard only: Tab reaches every control and button in the order of the
  page, and nothing else; a list button works from the keyboard, and Enter in
  a text field saves (the first button is Save, not a list button).
- The timeframe explanation follows what is typed (forms.js).
- No console error and no Content-Security-Policy violation.
"""

from __future__ import annotations

import datetime
import functools
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from output.reporters.test_html_in_browser import (  # noqa: F401  (fixtures)
    WAIT,
    chromedriver,
    chromium,
    console,
    driver,
)
from policycoord.input.loading import load_file
from policycoord.output.forms import FORMS_SCRIPT, FORMS_STYLESHEET, render_form_html
from policycoord.output.reporters.html_page import asset
from policycoord.views.choices import Choices, choices_for
from policycoord.views.forms import Form, form_for, read_form, timeframe_help
from policycoord.workflows.pipeline import Options, load_model

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'"
)


@functools.cache
def choices() -> Choices:
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY)))
    return choices_for(model)


def page(form: Form) -> bytes:
    body = render_form_html(form, "token", "/save")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{form.title}</title>\n"
        '<link rel="stylesheet" href="/static/forms.css">\n'
        '<script src="/static/forms.js" defer></script>\n'
        f"</head>\n<body>\n<main>\n<h1>{form.title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    ).encode()


class Workspace:
    """What the stand-in server holds: the section shown, and every POST."""

    def __init__(self) -> None:
        path = EXAMPLES / "orgs" / "st-marys-primary.yaml"
        self.file = load_file(path, str(path)).data
        self.section = "roles"
        self.data: Any = self.file["roles"]
        self.posts: list[list[tuple[str, str]]] = []

    def show(self, section: str, data: Any = None) -> None:
        self.section = section
        self.data = self.file[section] if data is None else data

    def form(self) -> Form:
        return form_for("policy", self.section, self.data, choices(), "st-marys-primary")


def handler_for(workspace: Workspace) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            address = urllib.parse.urlsplit(self.path)
            if address.path == "/form":
                self.send(page(workspace.form()), "text/html; charset=utf-8")
            elif address.path == "/static/forms.css":
                self.send(asset(FORMS_STYLESHEET).encode(), "text/css; charset=utf-8")
            elif address.path == "/static/forms.js":
                self.send(asset(FORMS_SCRIPT).encode(), "text/javascript; charset=utf-8")
            elif address.path == "/api/timeframe":
                text = urllib.parse.parse_qs(address.query).get("text", [""])[0]
                self.send(timeframe_help(text).encode(), "text/plain; charset=utf-8")
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            pairs = urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)
            workspace.posts.append(pairs)
            submitted: dict[str, list[str]] = {}
            for name, value in pairs:
                submitted.setdefault(name, []).append(value)
            result = read_form(workspace.form(), submitted)
            if result.action is not None or not result.problems:
                workspace.data = result.data
            self.send(page(workspace.form()), "text/html; charset=utf-8")

    return Handler


@pytest.fixture
def served() -> Iterator[tuple[str, Workspace]]:
    workspace = Workspace()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(workspace))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", workspace
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def focus_order(browser: WebDriver, steps: int) -> list[str]:
    """What Tab reaches, one `tag#id` or `button[value]` a press."""
    browser.execute_script("document.activeElement && document.activeElement.blur()")
    reached = []
    for _ in range(steps):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        reached.append(
            browser.execute_script(
                "const e = document.activeElement;"
                "return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '[' + e.value + ']');"
            )
        )
    return reached


def test_tab_reaches_every_control_in_order(
    driver: WebDriver,  # noqa: F811
    served: tuple[str, Workspace],
) -> None:
    address, _ = served
    driver.get(f"{address}/form")
    expected = driver.execute_script(
        """
        const out = [];
        const controls = 'form input, form select, form textarea, form button';
        for (const e of document.querySelectorAll(controls)) {
          if (e.type === 'hidden' || e.disabled) continue;
          out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '[' + e.value + ']'));
        }
        return out;
        """
    )
    assert len(expected) > 20
    reached = focus_order(driver, len(expected))
    assert reached == expected
    console(driver)


def test_an_item_is_added_to_a_list_the_file_leaves_out(
    driver: WebDriver,  # noqa: F811
    served: tuple[str, Workspace],
) -> None:
    address, workspace = served
    workspace.show("glossary", [])
    driver.get(f"{address}/form")
    driver.find_element(By.CSS_SELECTOR, 'button[value="add:/glossary"]').send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.ID, "field-/glossary/0/term"))
    assert workspace.data == [{}]
    assert ("action", "add:/glossary") in workspace.posts[-1]
    console(driver)


def test_list_buttons_and_enter_work_from_the_keyboard(
    driver: WebDriver,  # noqa: F811
    served: tuple[str, Workspace],
) -> None:
    address, workspace = served
    original = list(workspace.data)
    driver.get(f"{address}/form")
    driver.find_element(By.CSS_SELECTOR, 'button[value="down:/roles/0"]').send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT).until(lambda d: len(workspace.posts) == 1)
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, "field-/roles/0/id").get_attribute("value") == "ddsl"
    )
    assert workspace.data == [original[1], original[0], original[2]]
    title = driver.find_element(By.ID, "field-/roles/2/title")
    title.clear()
    title.send_keys("Head teacher", Keys.ENTER)
    WebDriverWait(driver, WAIT).until(lambda d: len(workspace.posts) == 2)
    assert not any(name == "action" for name, _ in workspace.posts[-1])
    assert workspace.data[2]["title"] == "Head teacher"
    assert workspace.data[:2] == [original[1], original[0]]
    console(driver)


def test_the_timeframe_explanation_follows_the_typing(
    driver: WebDriver,  # noqa: F811
    served: tuple[str, Workspace],
) -> None:
    address, workspace = served
    workspace.show("responsibilities")
    driver.get(f"{address}/form")
    explanation = driver.find_element(By.ID, "field-/responsibilities/0/within-explanation")
    assert explanation.text == "immediately: without any wait"
    within = driver.find_element(By.ID, "field-/responsibilities/0/within")
    within.clear()
    within.send_keys("1 working day")
    WebDriverWait(driver, WAIT).until(lambda d: "96 hours" in explanation.text)
    assert explanation.text == timeframe_help("1 working day")
    within.send_keys(Keys.BACKSPACE * 3, "fortnight")
    WebDriverWait(driver, WAIT).until(lambda d: "not a timeframe" in explanation.text)
    assert not workspace.posts
    console(driver)
