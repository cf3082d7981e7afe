"""Each security point of `policycoord serve` (SECURITY.md, "policycoord
serve"), through the Guard, in-process."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import make_repo
from output.reporters.hostile_repo import HOSTILE_FILE, hostile_repo

from policycoord.core.errors import PolicycoordError
from policycoord.serve.security import MAX_BODY, allowed_hosts, is_loopback
from policycoord.serve.server import check_host

from .serving import ORIGIN, example_repo, forms_of, serve_repo

PAGES = (
    "/",
    "/partnership",
    "/org/st-marys-primary",
    "/org/riverside-surgery/edit/responsibilities",
    "/partnership/edit/waivers",
    "/new",
    "/workshop",
    "/workshop/listen-to-children",
)
NAME = "Northshire Safeguarding Children Partnership"


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    return serve_repo(example_repo(tmp_path))


@pytest.mark.parametrize("path", [*PAGES, "/workshop/pack", "/static/report.css", "/nowhere"])
def test_every_request_without_the_cookie_is_refused_and_shows_nothing(served, path):
    served.client.cookies.clear()
    answer = served.client.get(path)
    assert answer.status_code == 403
    assert NAME not in answer.text and "riverside" not in answer.text.casefold()
    assert "set-cookie" not in answer.headers


def test_a_wrong_cookie_or_token_is_refused(served):
    served.client.cookies.clear()
    served.client.cookies.set(served.secrets.cookie, "x" + served.secrets.token[1:])
    assert served.client.get("/").status_code == 403
    served.client.cookies.clear()
    assert served.client.get("/?token=" + served.secrets.token[:-1]).status_code == 403


def test_the_token_gives_a_strict_httponly_cookie_and_leaves_the_address(served):
    served.client.cookies.clear()
    answer = served.client.get(f"/org/st-marys-primary?token={served.secrets.token}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/org/st-marys-primary"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"policycoord-8123={served.secrets.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert served.client.get("/org/st-marys-primary").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example:8123", "127.0.0.1:9999", "attacker.test", "", "127.0.0.1.nip.io:8123"]
)
def test_a_foreign_host_is_refused_even_with_the_cookie(served, host):
    answer = served.client.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert NAME not in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:8123", "[::1]:8123"])
def test_the_loopback_names_are_answered(served, host):
    assert served.client.get("/", headers={"host": host}).status_code == 200


def _save_fields(served):  # the riverside-surgery duties form, as a browser sends it
    page = served.client.get("/org/riverside-surgery/edit/responsibilities")
    form = next(f for f in forms_of(page.text) if "/edit/" in f["action"])
    return form["action"], [
        (n, "24 hours" if n == "/responsibilities/0/within" else v) for n, v in form["fields"]
    ]


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(served):
    before = (served.repo / "orgs/riverside-surgery.yaml").read_bytes()
    action, fields = _save_fields(served)
    without = [(n, v) for n, v in fields if n != "csrf_token"]
    assert served.post(action, without).status_code == 403
    wrong = [(n, "x" if n == "csrf_token" else v) for n, v in fields]
    assert served.post(action, wrong).status_code == 403
    assert (served.repo / "orgs/riverside-surgery.yaml").read_bytes() == before
    assert served.post(action, fields).status_code == 200  # the same post, with it, saves
    assert (served.repo / "orgs/riverside-surgery.yaml").read_bytes() != before


@pytest.mark.parametrize(
    ("origin", "site"),
    [
        ("http://evil.example", None),
        ("http://evil.example", "same-origin"),
        ("http://127.0.0.1:9999", None),
        ("null", None),
        ("null", "cross-site"),
        (None, None),
        (None, "same-site"),
    ],
)
def test_a_post_from_another_origin_is_refused(served, origin, site):
    before = (served.repo / "orgs/riverside-surgery.yaml").read_bytes()
    action, fields = _save_fields(served)
    headers = {} if origin is None else {"origin": origin}
    if site is not None:
        headers["sec-fetch-site"] = site
    headers["content-type"] = "application/x-www-form-urlencoded"
    answer = served.client.post(action, content=urlencode(fields), headers=headers)
    assert answer.status_code == 403
    assert (served.repo / "orgs/riverside-surgery.yaml").read_bytes() == before


def test_a_browser_that_sends_a_null_origin_is_known_by_sec_fetch_site(served):
    action, fields = _save_fields(served)
    headers = {"origin": "null", "sec-fetch-site": "same-origin"}
    assert served.post(action, fields, headers=headers).status_code == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(served):
    big = "x" * (MAX_BODY + 1)
    answer = served.post("/new", {"csrf_token": served.secrets.csrf, "id": big})
    assert answer.status_code == 413

    def chunks():  # no Content-Length: counted as it comes
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"a" * 65536

    headers = {"origin": ORIGIN, "content-type": "application/x-www-form-urlencoded"}
    answer = served.client.post("/new", content=chunks(), headers=headers)
    assert answer.status_code == 413
    assert not (served.repo / "orgs" / "a").exists()


def test_every_answer_has_the_security_headers(served):
    for path in (*PAGES, "/static/report.css", "/nowhere"):
        headers = served.client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    pack = served.client.get("/workshop/pack").headers["content-security-policy"]
    assert pack.startswith("default-src 'none'; style-src 'sha256-")
    assert "frame-ancestors 'none'" in pack and "script-src" not in pack


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_no_inline_script_or_style_and_every_form_has_the_csrf_token(served, path):
    html = served.client.get(path).text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert not re.search(r"<[^>]+\sstyle=", html) and "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    for form in forms_of(html):
        if form["action"]:
            assert ("csrf_token", served.secrets.csrf) in form["fields"], form["action"]


@pytest.mark.parametrize(
    "path",
    [
        "/org/..%2F..%2Fetc%2Fpasswd",
        "/org/%2e%2e/edit/roles",
        "/org/st-marys-primary/edit/..%2F..%2Fpartnership",
        "/org/st-marys-primary/edit/policycoord",
        "/static/..%2Fpartnership.yaml",
        "/static/report.html.j2",
        "/org/st-marys-primary/../../../../etc/passwd",
    ],
)
def test_no_address_names_a_file(served, path):
    answer = served.client.get(path)
    assert answer.status_code == 404
    assert "root:" not in answer.text and "policycoord: 1" not in answer.text


def test_files_are_written_only_under_the_repository_from_a_validated_id(served, tmp_path):
    csrf = served.secrets.csrf
    for bad in ("../outside", "a/b", "Bad", "-x", "x" * 65, "", "st-marys-primary"):
        answer = served.post(
            "/new", {"csrf_token": csrf, "id": bad, "name": "X", "sector": "sport"}
        )
        assert answer.status_code == 422, bad
    assert sorted(p.name for p in (served.repo / "orgs").iterdir()) == sorted(
        p.name for p in (Path(__file__).parents[2] / "examples/policies/orgs").iterdir()
    )
    assert not (tmp_path / "outside.yaml").exists()


def test_a_policies_pattern_that_leaves_the_repository_writes_nothing_outside(tmp_path):
    repo = make_repo(
        tmp_path / "r",
        {
            "partnership.yaml": (
                "policycoord: 1\npartnership: {id: p, name: P, policies: ['../out/*.yaml']}\n"
            ),
        },
    )
    served = serve_repo(repo)
    answer = served.post(
        "/new", {"csrf_token": served.secrets.csrf, "id": "newco", "name": "New", "sector": "sport"}
    )
    assert answer.status_code in (201, 409)
    assert not (tmp_path / "out").exists()
    assert not any(p.name == "newco.yaml" for p in tmp_path.rglob("*") if repo not in p.parents)


def test_hostile_policy_text_is_shown_not_obeyed(tmp_path):
    served = serve_repo(hostile_repo(tmp_path))
    for path in ("/", "/org/hostile", "/org/hostile/edit/organisation", "/workshop"):
        html = served.client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "\x1b" not in html and "\u202e" not in html, path
    assert HOSTILE_FILE


def test_remote_hosts_need_allow_remote():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    with pytest.raises(PolicycoordError, match="--allow-remote"):
        check_host("0.0.0.0", allow_remote=False)
    assert check_host("127.0.0.1", allow_remote=False) is None
    warning = check_host("192.168.1.4", allow_remote=True)
    assert warning is not None and "warning" in warning
    assert "127.0.0.1:80" in allowed_hosts("localhost", 80)
    assert allowed_hosts("192.168.1.4", 80) == frozenset({"192.168.1.4:80"})
