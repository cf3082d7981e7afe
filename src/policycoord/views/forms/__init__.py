"""Forms for one section of a policy or partnership file, generated from the
shipped schemas, for the browser workspace (`policycoord serve`).

```python
form = form_for("policy", "roles", data.get("roles"), choices, "st-marys-primary")
# ... the page renders it (output/templates/html/forms.html.j2), the person submits ...
result = read_form(form, submitted)   # submitted: name -> every value sent, in order
if result.action:      # a list button: show form_for(..., result.data, ...) again
    ...
elif result.problems:  # (pointer, what to do): show them beside their fields
    ...
else:                  # save result.data as the section (None: leave it out)
    ...
```

- `form_for(kind, section, data, choices, organisation) -> Form`: `kind` is
  "policy" or "partnership", `section` a top-level key of that file
  ("roles", "organisation", "duties", "waivers"...), `data` the section as
  the file holds it (None when it is not there), `choices` from
  `views.choices.choices_for(model)`, `organisation` the policy's own
  organisation id (None for the partnership file). Every field's `name` is
  its JSON pointer below the document root (`/roles/0/contact/hours`), so a
  finding's pointer finds its field (`#field-` and the pointer, see
  `fields.field_id`).
- `read_form(form, submitted) -> FormResult`: `.data` the section's new
  value, `.problems`, `.action` (a list button, already applied) and
  `.focus`. A submission of the form as rendered, unchanged, gives back
  exactly `data`, types included, so that a save with no change writes
  nothing. The submission is self-contained (hidden `@items:`, `@present:`,
  `@was:` and `@extra:` inputs), so it may be read with a form built from
  the file's data even when the page showed an unsaved state after a list
  button.
  Problems are advice in words for the page; a value the file already held
  that does not fit (a bad timeframe nobody touched) is one too, as PC003
  would report it. `.focus` is the pointer to bring into view after a list
  button (the new item, the moved item, or the list after a removal).
- `nearest_field(form, pointer)`: the field a finding's pointer is about
  (its own, or the nearest above it); `sections(kind)`: the top-level keys.
- `timeframe_help(text)`: what a timeframe as typed means. A page's script
  (output/templates/html/forms.js) asks for it as you type at
  `GET /api/timeframe?text=<the text>` and expects the sentence back as
  plain text (`text/plain; charset=utf-8`); the server adds that address.
  Without script the sentence is shown when the page is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from policycoord.core.errors import PolicycoordError
from policycoord.input.validation.schemas import SCHEMA_KINDS, schema
from policycoord.views.choices import Choices, timeframe_in_words
from policycoord.views.forms.actions import apply_action
from policycoord.views.forms.building import Context, build_field, child_pointer
from policycoord.views.forms.fields import ABSENT, ACTION, Field, Form, FormResult, field_id
from policycoord.views.forms.reading import Reading, read_field

__all__ = [
    "Field",
    "Form",
    "FormResult",
    "field_id",
    "form_for",
    "nearest_field",
    "read_form",
    "sections",
    "timeframe_help",
]


def sections(kind: str) -> tuple[str, ...]:
    """The top-level keys of a `kind` file, in the schema's order."""
    return tuple(_schema(kind).get("properties", {}))


def form_for(
    kind: str, section: str, data: Any, choices: Choices, organisation: str | None
) -> Form:
    """The form for the `section` of a `kind` file holding `data` (see the module)."""
    root = _schema(kind)
    properties = root.get("properties", {})
    if section not in properties:
        raise PolicycoordError(f"A {kind} file has no section called {section!r}.")
    context = Context(kind, root, choices, organisation, _labels(choices, organisation))
    field = build_field(
        context,
        properties[section],
        pointer=child_pointer("", section),
        key=section,
        owner="",
        value=ABSENT if data is None else data,
        required=section in root.get("required", ()),
    )
    return Form(kind=kind, section=section, organisation=organisation, root=field)


def read_form(form: Form, submitted: Mapping[str, Sequence[str]]) -> FormResult:
    """What the person submitted in `form` (see the module)."""
    reading = Reading(submitted)
    value = read_field(reading, form.root, form.root.name)
    data = None if value is ABSENT else value
    if value is ABSENT and form.root.required:
        reading.problem(form.root.name, f"Fill in {form.root.label.lower()}: it is needed.")
    problems = tuple(reading.problems)
    pressed = reading.first(ACTION)
    if pressed:
        applied = apply_action(form.root, data, pressed)
        if applied.action is not None:
            return FormResult(applied.data, problems, applied.action, applied.focus)
    return FormResult(data, problems)


def nearest_field(form: Form, pointer: str) -> Field | None:
    """The field a finding at `pointer` is about: the field of that pointer,
    or else of the nearest pointer above it that has one (a finding about a
    key the schema lacks goes to its mapping); None outside this form."""
    names = {found.name: found for found in form.walk()}
    while pointer:
        if pointer in names:
            return names[pointer]
        pointer = pointer.rpartition("/")[0]
    return None


def timeframe_help(text: str) -> str:
    """What a timeframe as typed means ("1 working day: up to 96 hours over a
    bank-holiday weekend ..."), or how to write one."""
    return timeframe_in_words(text)


def _schema(kind: str) -> dict[str, Any]:
    if kind not in SCHEMA_KINDS:
        raise PolicycoordError(f"There is no {kind!r} file; forms are for {SCHEMA_KINDS}.")
    return schema(kind)


#: the labels last made, and of which choices (the same for every form of one check)
_last_labels: list[tuple[Choices, str | None, dict[str, str]]] = []


def _labels(choices: Choices, organisation: str | None) -> dict[str, str]:
    """Every id a list item may be named by -> what a person reads (made
    once for the same choices and organisation; read, never changed)."""
    last = _last_labels[0] if _last_labels else None
    if last is not None and last[0] is choices and last[1] == organisation:
        return last[2]
    labels = _made_labels(choices, organisation)
    _last_labels[:] = [(choices, organisation, labels)]
    return labels


def _made_labels(choices: Choices, organisation: str | None) -> dict[str, str]:
    labels: dict[str, str] = {}
    for group in (choices.duties, choices.concerns, choices.themes, choices.organisations):
        labels.update((choice.value, choice.label) for choice in group)
    for roles in choices.roles.values():
        labels.update((choice.value, choice.label) for choice in roles)
    if organisation is not None:
        labels.update((choice.value, choice.label) for choice in choices.own_roles(organisation))
    return labels
