"""The pages of one file: the policy to read, and each section's form (a
tree of fields generated from the shipped schema by `views.forms`), saved
through `serve.writing`.

A section's form carries the SHA-256 of the file it was made from (in
its action's address, `?sha256=`); a save compares it with the file on disk, so a file changed
while the page was open is never written over. A list button of the form
(add, remove, move; no script needed) re-renders it with the change
applied and saves nothing; a form with problems is shown again with them,
and saves nothing.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.exceptions import HTTPException

from policycoord.editing import Document, Refusal
from policycoord.serve import pages
from policycoord.serve.pages import Outcome
from policycoord.serve.reading import notes_by_place
from policycoord.serve.state import Served, Target, section_words, sections
from policycoord.serve.writing import opened, refusal_lines, write_section
from policycoord.workflows.workspace import Checked

Posted = dict[str, list[str]]
Page = tuple[int, str]


def target_of(served: Served, checked: Checked, params: dict[str, Any]) -> Target:
    """The file an address names (by organisation id), or 404."""
    found = served.target(checked, params.get("org"))
    if found is None:
        raise HTTPException(404)
    return found


def read_page(served: Served, params: dict[str, Any], posted: Posted | None) -> Page:
    checked = served.workspace.check()
    target = target_of(served, checked, params)
    return 200, pages.organisation_page(served, checked, target)


def section_page(served: Served, params: dict[str, Any], posted: Posted | None) -> Page:
    """A section's form (GET), or the form posted: saved, or shown again."""
    checked = served.workspace.check() if posted is None else served.workspace.latest()
    target = target_of(served, checked, params)
    section = params["section"]
    if section not in sections(target.kind):
        raise HTTPException(404)
    document = opened(served, target, keep=posted is None)
    if isinstance(document, Refusal):
        title = f"{target.display} cannot be edited here"
        return 409, pages.message(served, title, *refusal_lines(document))
    data = document.loaded.data
    value = data.get(section) if isinstance(data, dict) else None
    if posted is None:
        return 200, _form_page(served, checked, target, section, value, document.snapshot.sha256)
    return _posted(served, target, section, document, posted, str(params.get("sha256", "")))


def _posted(
    served: Served, target: Target, section: str, document: Document, posted: Posted, sha: str
) -> Page:
    from policycoord.views.forms import form_for, read_form

    data = document.loaded.data
    value = data.get(section) if isinstance(data, dict) else None
    checked = served.workspace.latest()
    choices = served.choices(checked)
    result = read_form(form_for(target.kind, section, value, choices, target.org), posted)
    if result.action is not None or result.problems:
        return 200, _form_page(served, checked, target, section, result.data, sha, form=result)
    written = write_section(served, target, section, result.data, sha, document)
    kind = written.outcome.kind
    if kind == "conflict":
        fresh = _fresh_sha(served, target) or sha
        return 409, _form_page(
            served, written.checked, target, section, result.data, fresh, outcome=written.outcome
        )
    status = 200 if kind in ("saved", "unchanged") else 409
    return status, _form_page(
        served,
        written.checked,
        target,
        section,
        result.data,
        written.sha256 or sha,
        outcome=written.outcome,
    )


def _fresh_sha(served: Served, target: Target) -> str | None:
    document = opened(served, target)
    return None if isinstance(document, Refusal) else document.snapshot.sha256


def _form_page(
    served: Served,
    checked: Checked,
    target: Target,
    section: str,
    value: Any,
    sha256: str,
    *,
    form: Any = None,
    outcome: Outcome | None = None,
) -> str:
    from policycoord.output.forms import render_form_html
    from policycoord.views.forms import form_for

    built = form_for(target.kind, section, value, served.choices(checked), target.org)
    links = served.links(checked)
    placed = notes_by_place(checked.report.findings, target, links)
    notes = [
        note for (where, _), found in sorted(placed.items()) if where == section for note in found
    ]
    by_pointer: dict[str, list[str]] = {}
    for finding in checked.report.findings:
        if finding.location.path == target.display:
            by_pointer.setdefault(finding.location.pointer, []).append(finding.message)
    action = f"{target.section_href(section)}?sha256={sha256}"
    problems = tuple(getattr(form, "problems", None) or ())
    # the forms' own template, autoescaped as every page: safe to place as it is
    form_html = Markup(render_form_html(built, served.secrets.csrf, action, by_pointer, problems))
    return pages.render(
        served,
        "section.html.j2",
        page_title=f"{section_words(section)}: {target.name}",
        heading=section_words(section),
        owner=target.name,
        back=target.base,
        path=target.display,
        form_html=form_html,
        notes=notes,
        outcome=outcome,
    )
