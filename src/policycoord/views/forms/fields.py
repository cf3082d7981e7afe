"""The value objects of a form: `Field`, `Form` and what reading one gives
back, `FormResult`. Built by `building.py`, read by `reading.py`, drawn by
output/templates/html/forms.html.j2."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final, Literal

from policycoord.views.choices import Choice

FieldKind = Literal[
    "text",
    "textarea",
    "select",
    "multiselect",
    "date",
    "integer",
    "boolean",
    "timeframe",
    "object",
    "list",
]

#: Names of the hidden inputs that keep a submission self-contained (none is
#: a JSON pointer, which starts with `/`): which list items there are and in
#: what order, which optional objects and lists the file held, the original
#: of a value the controls cannot show exactly, and keys the schema lacks.
ITEMS: Final = "@items:"
PRESENT: Final = "@present:"
WAS: Final = "@was:"
EXTRA: Final = "@extra:"


class _Absent:
    """What a field holds when the file leaves it out (None is YAML's null)."""

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()
#: The name of the list buttons (`add:/roles`, `remove:/roles/2`, `up:...`, `down:...`).
ACTION: Final = "action"


@dataclass(frozen=True, slots=True)
class Field:
    """One control, or a group of them (`object`, `list`).

    `name` is the field's JSON pointer below the document root (the HTML
    name; `field-` and the pointer, escaped, its id). `value` is what the
    file holds (None: nothing); `text` is how a one-line or multi-line
    control shows it and `selected` what a `multiselect` has chosen, in the
    file's order. `choices` are closed (a select) unless `suggestions` is
    set (free text with a datalist). `items` are a list's sub-forms, one an
    item, and `template` what an added item looks like. `was` and `extra`
    are tagged JSON kept in hidden inputs so that an unchanged submission
    gives back exactly what the file held (see values.py). A list item's
    `label` names it: "role 2: Designated Safeguarding Lead"."""

    name: str
    key: str
    label: str
    help: str = ""
    kind: FieldKind = "text"
    choices: tuple[Choice, ...] = ()
    suggestions: bool = False
    value: Any = None
    text: str = ""
    selected: tuple[str, ...] = ()
    required: bool = False
    pattern: str = ""
    pattern_message: str = ""
    explanation: str = ""
    items: tuple[Field, ...] = ()
    template: Field | None = None
    children: tuple[Field, ...] = ()
    noun: str = ""
    min_items: int = 0
    present: bool = False
    was: str = ""
    extra: str = ""
    #: a schema `const` (the format version): shown, never changed
    fixed: bool = False
    #: a select's values with their types (the schema's enum or const)
    enum: tuple[Any, ...] = ()

    @property
    def id(self) -> str:
        """The HTML id: `field-` and the pointer, every character outside
        letters, digits, `-`, `_`, `.` and `/` written as `~xx` hex."""
        return field_id(self.name)

    @property
    def help_id(self) -> str:
        return f"{self.id}-help"

    @property
    def problem_id(self) -> str:
        return f"{self.id}-problem"

    @property
    def explanation_id(self) -> str:
        return f"{self.id}-explanation"

    @property
    def native_date(self) -> bool:
        """Whether a browser's date picker can show the value (an empty one or
        a real date): a date picker would drop any other text."""
        if self.kind != "date":
            return False
        try:
            return not self.text or datetime.date.fromisoformat(self.text).isoformat() == self.text
        except ValueError:
            return False

    @property
    def html_pattern(self) -> str:
        """`pattern` as an HTML `pattern` attribute wants it: anchors dropped
        (the attribute matches the whole value), a `-` that ends a class
        escaped (the attribute's regular expressions are strict about it)."""
        pattern = self.pattern.removeprefix("^").removesuffix("$")
        return pattern.replace("-]", "\\-]")

    @property
    def add_label(self) -> str:
        """ "Add a role", "Add an escalation path"."""
        article = "an" if self.noun[:1].lower() in "aeio" else "a"
        return f"Add {article} {self.noun}"

    @property
    def is_group(self) -> bool:
        return self.kind in ("object", "list")


def field_id(pointer: str) -> str:
    """`field-/roles/0/contact/hours` kept readable; anything else hex-escaped,
    so that an id never holds a space, a quote or markup."""
    safe = []
    for character in pointer:
        if character.isascii() and (character.isalnum() or character in "-_./"):
            safe.append(character)
        else:
            safe.extend(f"~{byte:02x}" for byte in character.encode("utf-8", "surrogatepass"))
    return "field-" + "".join(safe)


@dataclass(frozen=True, slots=True)
class Form:
    """The form for one top-level section of a policy or partnership file."""

    kind: str
    section: str
    organisation: str | None
    root: Field

    @property
    def title(self) -> str:
        return self.root.label

    def walk(self) -> tuple[Field, ...]:
        """Every field, depth first, in the order the page shows them
        (a list's template is not shown, so not walked)."""
        found: list[Field] = []

        def visit(node: Field) -> None:
            found.append(node)
            for child in (*node.children, *node.items):
                visit(child)

        visit(self.root)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class FormResult:
    """What a submitted form holds: the section's new value, typed as the
    schema says (None: leave the section out), the values that do not fit
    (pointer, what to do), and the list button pressed, if one was (already
    applied to `data`: the page is shown again rather than saved), with the
    pointer of the field to bring into view after it."""

    data: Any
    problems: tuple[tuple[str, str], ...] = ()
    action: str | None = None
    focus: str | None = None
