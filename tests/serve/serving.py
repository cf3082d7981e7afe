"""What the browser workspace's tests share: a copy of the example partnership
served in-process (Starlette's TestClient, through the Guard), and a reader of
the forms a page holds (as a browser would submit them)."""

from __future__ import annotations

import datetime
import shutil
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from conftest import EXAMPLES, TODAY

from policycoord.serve.app import make_app
from policycoord.serve.security import Secrets
from policycoord.workflows.pipeline import Options
from policycoord.workflows.workspace import Workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PORT = 8123
ORIGIN = f"http://127.0.0.1:{PORT}"


@dataclass
class Served:
    repo: Path
    secrets: Secrets
    client: TestClient
    workspace: Workspace

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str], **kw: Any) -> Any:
        headers = {
            "origin": ORIGIN,
            "content-type": "application/x-www-form-urlencoded",
            **kw.pop("headers", {}),
        }
        items = list(fields.items()) if isinstance(fields, dict) else fields
        return self.client.post(path, content=urlencode(items), headers=headers, **kw)


def example_repo(root: Path) -> Path:
    repo = root / "repo"
    shutil.copytree(EXAMPLES, repo)
    return repo


def serve_repo(repo: Path, *, logged_in: bool = True) -> Served:
    workspace = Workspace(repo, options=Options(today=datetime.date.fromisoformat(TODAY)))
    secrets = Secrets(PORT)
    app = make_app(workspace, secrets, host="127.0.0.1")
    client = TestClient(app, base_url=ORIGIN, follow_redirects=False)
    if logged_in:
        client.cookies.set(secrets.cookie, secrets.token)
    return Served(repo, secrets, client, workspace)


class _Forms(HTMLParser):
    """Every form of a page: its action and the fields a browser would send
    (text inputs, hidden inputs, selected options, textareas), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first: str | None = None
        self._option: dict[str, str] | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": [], "buttons": []})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"] if self.forms else []
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and "name" in a:
            self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._selected, self._first = a.get("name"), None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._first = value if self._first is None else self._first
            if "selected" in a:
                self._selected = value
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            chosen = self._selected if self._selected is not None else self._first or ""
            self.forms[-1]["fields"].append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.forms[-1]["fields"].append((self._textarea, text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def post_form(form: dict[str, Any]) -> list[tuple[str, str]]:
    return list(form["fields"])


def replace(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(n == name for n, _ in fields), f"no field {name}: {[n for n, _ in fields]}"
    return [(n, value if n == name else v) for n, v in fields]
