"""The `<option>`s of a form's select, drawn in Python rather than in the
template: a step's "passed to" offers every role of every organisation (some
thousands in a large partnership) and a form has many such selects, so the
options of one list of choices are escaped once and reused (only the
selected one differs). Used by templates/html/forms.html.j2 through the
`select_options` filter of the shared jinja2 environment."""

from __future__ import annotations

import functools

from markupsafe import Markup, escape

from policycoord.core.text import shown
from policycoord.views.choices import Choice
from policycoord.views.forms.fields import Field


def select_options(field: Field) -> Markup:
    """A select's options: for one choice, the empty one first ("Choose one"
    when the field is required, else "Not given"); then the choices under an
    `<optgroup>` per group (a role's organisation), the field's value (or a
    multiple choice's values) selected."""
    options = _options(field.choices)
    chosen = field.selected if field.kind == "multiselect" else (field.text,)
    for value in chosen:
        tag = f'<option value="{escape(value)}">'
        options = options.replace(tag, tag[:-1] + " selected>", 1)
    if field.kind == "multiselect":
        return Markup(options)
    empty = "Choose one" if field.required else "Not given"
    selected = "" if field.text else " selected"
    return Markup(f'<option value=""{selected}>{empty}</option>\n' + options)


@functools.lru_cache(maxsize=64)
def _options(choices: tuple[Choice, ...]) -> str:
    lines: list[str] = []
    group: str | None = None
    for choice in choices:
        if choice.group != group:
            if group:
                lines.append("</optgroup>")
            group = choice.group
            if group:
                lines.append(f'<optgroup label="{escape(shown(group))}">')
        detail = f" ({escape(shown(choice.detail))})" if choice.detail else ""
        lines.append(
            f'<option value="{escape(choice.value)}">{escape(shown(choice.label))}{detail}</option>'
        )
    if group:
        lines.append("</optgroup>")
    return "\n".join(lines) + "\n"
