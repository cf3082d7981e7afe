"""What stands between the browser workspace and everything else on the
machine or the network (SECURITY.md, "policycoord serve").

`Guard` is an ASGI middleware that every request passes through:

- **Host**: only the names the server was started for (`127.0.0.1:N`,
  `localhost:N`, `[::1]:N`, or the `--host` given): a page of another site
  whose name a DNS trick points at 127.0.0.1 (DNS rebinding) is refused.
- **The token**: the address `serve` prints carries a random token; the first
  request with it gets an HttpOnly, SameSite=Strict cookie and a redirect to
  the same address without the token (so it does not stay in the history or
  reach a Referer). Every other request needs the cookie; without it: a 403
  page that shows nothing of the partnership.
- **Origin** on anything but GET and HEAD: it must be this server's own
  (a post from another site is refused even before its CSRF token is read);
  a browser that sends `Origin: null` (Chromium does, under our no-referrer
  policy) must say `Sec-Fetch-Site: same-origin`.
- **Size**: a body over `max_body` is refused (413) before it is read: by its
  Content-Length, and by counting for a body sent in chunks.
- **Headers** on every answer: a Content-Security-Policy that lets the page
  load only this server's own files (no inline script), no framing,
  no-referrer, nosniff, no caching.

The CSRF token (`Secrets.csrf`) goes in every form as `csrf_token`; the form
reader (`forms_in.read_posted`) refuses a post without it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest body a request may have: a section of a policy file well
#: over the loader's own 5 MB limit would not fit in a form anyway.
MAX_BODY: Final = 2 * 1024 * 1024
CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SAFE_METHODS: Final = frozenset({"GET", "HEAD"})

FORBIDDEN_PAGE: Final = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    "<title>Not allowed</title></head>\n<body>\n<main>\n<h1>Not allowed</h1>\n"
    "<p>{why}</p>\n<p>Open the address that <code>policycoord serve</code> printed when it "
    "started (it ends with <code>?token=</code> and a long code).</p>\n</main>\n</body>\n"
    "</html>\n"
)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, as `--host` takes it) is this machine only."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_with_port(host: str, port: int) -> str:
    """`host:port` as a Host header and an address write it (`[::1]:8000`)."""
    bare = host.strip("[]")
    return f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"


@dataclass(frozen=True, slots=True)
class Secrets:
    """The server's token (in the first address, then the cookie) and the CSRF
    token its forms carry; both random, for this run only."""

    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def cookie(self) -> str:
        """The cookie's name: cookies do not tell ports apart, so it names the port."""
        return f"policycoord-{self.port}"

    def allows(self, given: str | None, *, csrf: bool = False) -> bool:
        expected = self.csrf if csrf else self.token
        return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the server answers: the loopback names when it listens
    on loopback, else the name it was given (or any, for a wildcard address)."""
    names = {host_with_port(host, port).casefold()}
    if is_loopback(host):
        names |= {host_with_port(h, port) for h in ("127.0.0.1", "localhost", "::1")}
    return frozenset(names)


def _wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


class Guard:
    """The ASGI middleware of the module docstring."""

    def __init__(self, app: ASGIApp, secrets_: Secrets, *, host: str, max_body: int = MAX_BODY):
        self.app = app
        self.secrets = secrets_
        self.hosts = allowed_hosts(host, secrets_.port)
        self.any_host = _wildcard(host)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, why = refusal
            await _answer(send, status, FORBIDDEN_PAGE.format(why=why))
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            await self._welcome(scope, query, send)
            return
        started = False
        sending = _with_headers(send)

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await sending(message)

        try:
            await self.app(scope, self._counted(receive), tracked)
        except TooLarge:
            if not started:
                await _answer(send, 413, FORBIDDEN_PAGE.format(why="What was sent is too large."))

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "").casefold()
        if not self.any_host and host not in self.hosts:
            return 403, "This server answers only at the address it printed (the Host differs)."
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            if not self.secrets.allows(query["token"]):
                return 403, "The token in this address is not this server's."
        elif not self.secrets.allows(_cookie(headers, self.secrets.cookie)):
            return 403, "This page needs the address with its token first."
        if scope["method"] not in SAFE_METHODS:
            if not _same_origin(headers, host):
                return 403, (
                    "A change must come from this server's own pages: this one came from "
                    "another site, or did not say where it came from."
                )
            length = headers.get("content-length", "0")
            if not length.isdigit() or int(length) > self.max_body:
                return 413, "What was sent is too large (or does not say its size)."
        return None

    async def _welcome(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """The first visit: the cookie, and the same address without the token."""
        rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
        location = scope["path"] + (f"?{rest}" if rest else "")
        cookie = f"{self.secrets.cookie}={self.secrets.token}; Path=/; HttpOnly; SameSite=Strict"
        await _answer(
            send,
            303,
            "",
            extra=[(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode())],
        )

    def _counted(self, receive: Receive) -> Receive:
        """`receive` that stops a body sent in chunks once it passes the limit."""
        seen = 0
        limit = self.max_body

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge
            return message

        return counted


class TooLarge(Exception):
    """A body sent in chunks passed the limit (the app answers 413)."""


SECURITY_HEADERS: Final = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


async def _answer(
    send: Send, status: int, body: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    data = body.encode("utf-8")
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(data)).encode()),
        *(extra or []),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def _same_origin(headers: dict[str, str], host: str) -> bool:
    """Whether a post comes from this server's own page: its Origin is ours;
    or, where a browser sends `Origin: null` (as Chromium does for a page
    whose Referrer-Policy is no-referrer, which ours is), its own
    `Sec-Fetch-Site` says same-origin (a browser sets it; a page cannot)."""
    origin = headers.get("origin", "").casefold()
    if origin not in ("", "null"):
        return origin == f"http://{host}"
    return headers.get("sec-fetch-site", "") == "same-origin"


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the last of a repeated one)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookie(headers: dict[str, str], name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no cookie
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None
