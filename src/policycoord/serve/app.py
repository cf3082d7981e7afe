"""The browser workspace as a Starlette application: its addresses, each
page's handler (run in a worker thread: checking and writing block), the
static files it may load, and the `Guard` every request passes first.

Addresses name organisations by id and sections by key, never by path:

    /                                   the dashboard
    /org/{org}, /partnership            a policy (the partnership file) to read
    /org/{org}/edit/{section}           a section's form (GET), saved (POST)
    /partnership/edit/{section}
    /new                                a new organisation's file
    /workshop, /workshop/{theme}        the mission workshop, a theme's page
    /workshop/pack                      the workshop pack to print
    /static/{name}                      the pages' own CSS and script
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from policycoord.output.reporters.html_page import asset, style_only_csp
from policycoord.output.reporters.mission_formats import STYLESHEET as MISSION_STYLE
from policycoord.serve import creating, pages, sections, workshop
from policycoord.serve.security import MAX_BODY, Guard, Secrets, TooLarge
from policycoord.serve.state import Served
from policycoord.workflows.workspace import Workspace

#: The only files /static/ serves: name -> (template file, media type)
STATIC: Final = {
    "report.css": ("html/report.css", "text/css"),
    "serve.css": ("html/serve/serve.css", "text/css"),
    "filters.js": ("html/filters.js", "text/javascript"),
    "forms.css": ("html/forms.css", "text/css"),
    "forms.js": ("html/forms.js", "text/javascript"),
}
#: the most fields a form may post (a long section has a few thousand)
MAX_FIELDS: Final = 20_000

Posted = dict[str, list[str]]
Page = tuple[int, str]


def make_app(workspace: Workspace, secrets_: Secrets, *, host: str) -> Guard:
    """The application for `workspace`, behind its Guard."""
    served = Served(workspace, secrets_)

    def page(handler: Callable[..., Page], *, posts: bool = False) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            params = dict(request.path_params)
            if "sha256" in request.query_params:
                params["sha256"] = request.query_params["sha256"]
            posted = await read_posted(request, served) if request.method == "POST" else None
            status, html = await run_in_threadpool(_safely, served, handler, params, posted)
            return HTMLResponse(html, status_code=status)

        return endpoint

    async def pack(request: Request) -> Response:
        """The pack is a page of its own (its style inline, by hash): its own policy."""
        status, html = await run_in_threadpool(
            _safely, served, lambda s, p, f: (200, workshop.pack_html(s)), {}, None
        )
        if status != 200:  # the page in words, under the pages' own policy
            return HTMLResponse(html, status_code=status)
        csp = f"{style_only_csp(asset(MISSION_STYLE))}; frame-ancestors 'none'"
        return HTMLResponse(html, headers={"content-security-policy": csp})

    both = ["GET", "POST"]
    routes = [
        Route("/", page(lambda s, p, f: (200, pages.dashboard(s, s.workspace.check())))),
        Route("/org/{org}", page(sections.read_page)),
        Route("/partnership", page(sections.read_page)),
        Route("/org/{org}/edit/{section}", page(sections.section_page), methods=both),
        Route("/partnership/edit/{section}", page(sections.section_page), methods=both),
        Route("/new", page(creating.new_page), methods=both),
        Route("/workshop", page(workshop.index_page)),
        Route("/workshop/pack", pack),
        Route("/workshop/{theme}", page(workshop.theme_page), methods=both),
        Route("/api/timeframe", timeframe),
        Route("/static/{name}", static),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        words, why = {
            404: ("Not found", "There is no such page in this workspace."),
            413: ("Too large", "What was sent is too large; nothing was written."),
        }.get(status, ("Not allowed", "This request is not allowed; nothing was written."))
        html = pages.message(served, words, why)
        return HTMLResponse(html, status_code=status)

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    return Guard(app, secrets_, host=host)


def _safely(
    served: Served, handler: Callable[..., Page], params: dict[str, Any], posted: Posted | None
) -> Page:
    """The handler's page; an unexpected error becomes a page in words, never a traceback."""
    try:
        with served.lock:
            return handler(served, params, posted)
    except HTTPException:
        raise
    except Exception as error:
        return 500, pages.message(
            served,
            "Something went wrong",
            f"policycoord could not make this page ({type(error).__name__}). Nothing was "
            "written. This is a bug in policycoord, not in your policies; please report it.",
        )


async def read_posted(request: Request, served: Served) -> Posted:
    """A form's fields, refused (403) without this server's CSRF token."""
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)
    except TooLarge:
        raise HTTPException(413, "What was sent is too large.") from None
    posted: Posted = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            posted.setdefault(key, []).append(value)
    token = posted.pop("csrf_token", [None])[-1]
    if not served.secrets.allows(token, csrf=True):
        raise HTTPException(403, "The form has no valid CSRF token.")
    return posted


async def timeframe(request: Request) -> Response:
    """What a timeframe as typed means, for the forms' script (plain text)."""
    from policycoord.views.choices import timeframe_in_words

    text = request.query_params.get("text", "")[:200]
    try:
        return PlainTextResponse(timeframe_in_words(text))
    except Exception:  # never a traceback on the server's standard error
        return PlainTextResponse("", status_code=500)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        raise HTTPException(404)
    template, media = STATIC[name]
    try:
        text = asset(template)
    except Exception:  # a file of the forms not shipped (yet): nothing to serve
        raise HTTPException(404) from None
    return PlainTextResponse(text, media_type=media)
