"""Workshop mode, for the joint mission workshop: a page a theme (the
vision, what each member committed to, the open findings that bear on it,
from `views.mission`), with a box per member where a commitment typed in
the room is added to that organisation's file; and the workshop pack to
print (`mission_formats.render_html`, as `policycoord mission --pack`).

Each member's box carries the SHA-256 of its file as the page was made: a
file changed since is not written, and the text typed for it is shown again.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

from policycoord.core.text import visible
from policycoord.editing import Change, Insert, SetValue
from policycoord.editing.document import read_regular
from policycoord.output.reporters.mission_formats import render_html
from policycoord.serve import pages
from policycoord.serve.pages import Outcome
from policycoord.serve.state import Served
from policycoord.serve.writing import write
from policycoord.views.mission import MissionView, build_mission
from policycoord.workflows.workspace import Checked

Posted = dict[str, list[str]]
Page = tuple[int, str]
MAX_COMMITMENT = 2000  # characters: a sentence or a paragraph, not a document


@dataclass(frozen=True, slots=True)
class MemberBox:
    org: str  # id (a form field's name part: an id is a slug)
    name: str
    commitments: tuple[str, ...]  # to this theme, as written
    sha256: str
    typed: str  # what was typed, shown again when it was not written
    outcome: str  # what happened to it


def mission_of(checked: Checked) -> MissionView:
    return build_mission(checked.model, checked.report.findings)


def index_page(served: Served, params: dict[str, Any], posted: Posted | None) -> Page:
    checked = served.workspace.check()
    view = mission_of(checked)
    return 200, pages.render(
        served, "workshop.html.j2", current="workshop", page_title="Mission workshop", view=view
    )


def pack_html(served: Served) -> str:
    """The workshop pack, as `policycoord mission --pack` writes it."""
    with served.lock:
        return render_html(mission_of(served.workspace.check()), pack=True)


def theme_page(served: Served, params: dict[str, Any], posted: Posted | None) -> Page:
    checked = served.workspace.check() if posted is None else served.workspace.latest()
    view = mission_of(checked)
    theme = next((t for t in view.themes if t.id == params["theme"]), None)
    if theme is None:
        raise HTTPException(404)
    results: dict[str, tuple[str, str]] = {}
    outcomes: list[Outcome] = []
    if posted is not None:
        checked, results, outcomes = _save_typed(served, checked, theme.id, posted)
        view = mission_of(checked)
        theme = next(t for t in view.themes if t.id == params["theme"])
    boxes = _boxes(served, checked, theme.id, results)
    status = 409 if any(o.kind in ("conflict", "refused") for o in outcomes) else 200
    return status, pages.render(
        served,
        "workshop_theme.html.j2",
        current="workshop",
        page_title=visible(theme.title),
        view=view,
        theme=theme,
        boxes=boxes,
        outcomes=outcomes,
    )


def _boxes(
    served: Served, checked: Checked, theme: str, results: dict[str, tuple[str, str]]
) -> list[MemberBox]:
    boxes = []
    for org in checked.model.organisations:
        target = served.target(checked, org.id)
        if target is None:
            continue
        typed, said = results.get(org.id, ("", ""))
        boxes.append(
            MemberBox(
                org.id,
                visible(org.name),
                tuple(visible(c.text) for c in org.commitments if c.theme == theme),
                _sha256(served, target),
                typed,
                said,
            )
        )
    return boxes


def _sha256(served: Served, target: Any) -> str:
    try:
        raw, _ = read_regular(served.file(target))
    except OSError:
        return ""
    return hashlib.sha256(raw).hexdigest()


def _save_typed(
    served: Served, checked: Checked, theme: str, posted: Posted
) -> tuple[Checked, dict[str, tuple[str, str]], list[Outcome]]:
    results: dict[str, tuple[str, str]] = {}
    outcomes = []
    for key, values in sorted(posted.items()):
        if not key.startswith("new/") or not values[-1].strip():
            continue
        org = key.removeprefix("new/")
        target = served.target(checked, org)
        if target is None:
            continue
        text = values[-1].strip()[:MAX_COMMITMENT]
        sha = (posted.get(f"sha/{org}") or [""])[-1]
        written = write(
            served,
            target,
            sha,
            functools.partial(_add, theme=theme, text=text),
            what="a commitment",
        )
        checked = written.checked
        outcomes.append(written.outcome)
        results[org] = ("" if written.saved else text, written.outcome.heading)
    return checked, results, outcomes


def _add(data: Any, *, theme: str, text: str) -> list[Change]:
    entry = {"theme": theme, "text": text}
    if isinstance(data, dict) and isinstance(data.get("commitments"), list):
        return [Insert("/commitments/-", entry)]
    return [SetValue("/commitments", [entry])]
