"""A form of the browser workspace (views/forms/) as HTML, outside a whole page.

`render_form_html(form, csrf_token, action_url, findings_by_pointer, problems)`
draws it with the `render_form` macro of templates/html/forms.html.j2 in the
jinja2 environment every HTML page shares (reporters/html_page.py):
autoescaped, no inline script or style. `problems` (what `read_form` found,
as (pointer, message)) are summed up first, each a link to its field, and
shown beside their fields with the findings. A finding or problem whose
pointer has no field of its own (a key the schema lacks) is shown at the
nearest field above it; one outside the form is not shown.

A page that shows forms links `FORMS_STYLESHEET` and may load `FORMS_SCRIPT`
(both served as files; `asset(name)` gives their text): the script explains
a timeframe as it is typed by asking `GET /api/timeframe?text=...` (so the
page's Content-Security-Policy needs `script-src 'self'; connect-src 'self'`
and `style-src 'self'`); the forms work fully without it. The hidden input
`csrf_token` carries the token; the list buttons are named `action`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from policycoord.output.reporters.html_page import environment
from policycoord.views.forms import Field, Form, nearest_field

TEMPLATE: Final = "html/forms.html.j2"
FORMS_STYLESHEET: Final = "html/forms.css"
FORMS_SCRIPT: Final = "html/forms.js"


def render_form_html(
    form: Form,
    csrf_token: str,
    action_url: str,
    findings_by_pointer: Mapping[str, Sequence[Any]] | None = None,
    problems: Sequence[tuple[str, str]] = (),
) -> str:
    """The form as an HTML fragment (a `<form>` element)."""
    notes: dict[str, list[Any]] = {}
    found = findings_by_pointer or {}
    given = [(pointer, note) for pointer, there in found.items() for note in there]
    summary = []
    for number, (pointer, note) in enumerate([*given, *problems]):
        field = nearest_field(form, pointer)
        if field is None:
            continue
        notes.setdefault(field.name, []).append(note)
        if number >= len(given):
            summary.append((field.name, note))
    macros = environment().get_template(TEMPLATE).module
    rendered = macros.render_form(  # type: ignore[attr-defined]
        form, csrf_token, action_url, notes, summary
    )
    return str(rendered)


def render_field_html(
    field: Field, findings_by_pointer: Mapping[str, Sequence[Any]] | None = None
) -> str:
    """One field (a group with everything in it) as an HTML fragment."""
    macros = environment().get_template(TEMPLATE).module
    return str(macros.render_field(field, dict(findings_by_pointer or {})))  # type: ignore[attr-defined]
