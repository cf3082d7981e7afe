"""A form from the shipped schema: the schema is walked (`$ref`,
`properties`, `items`, `enum`, `const`, `pattern`, `format: date`), so a
property added to a schema appears as a field with no new code.

Which control a value gets:
- an object: a group of fields (fieldset); an array of items that are
  picked from a closed list (sectors, senders, roles): a `multiselect`;
  any other array: a `list` of sub-forms with add, remove and move buttons;
- an enum or a reference to something that must exist (a duty, concern or
  theme of the partnership, a role): a `select`; an organisation id or a
  finding code prefix: free text with suggestions;
- a date (`format: date`), a timeframe (the `timeframe` definition), long
  text (`maxLength` over 300): `date`, `timeframe`, `textarea`; numbers and
  true/false: `integer`, `boolean`; anything else one line of text.

A value the controls cannot show exactly (a number where text belongs, a
quoted date, text over several lines in a one-line field, a mapping where a
name belongs) keeps its original in `was`, and keys the schema does not know
are kept in `extra`, so that a form submitted unchanged gives back exactly
what the file held.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final

from policycoord.input.loading import escape_pointer_token
from policycoord.views.choices import (
    OPEN_REFERENCES,
    Choice,
    Choices,
    for_reference,
    timeframe_in_words,
)
from policycoord.views.forms.fields import ABSENT, Field, FieldKind
from policycoord.views.forms.scalars import parse_scalar
from policycoord.views.forms.values import as_submitted, editable, encode, shown_text
from policycoord.views.forms.wording import (
    enum_label,
    item_label,
    label_for,
    noun_for,
    summary_of,
)

_LONG_TEXT: Final = 1000
#: the heading of what a long multiple choice has chosen, shown first
CHOSEN: Final = "Chosen now"
_MAX_REF_DEPTH: Final = 16
#: groups nested deeper than this are shown as text (a schema that refers to itself)
_MAX_NESTING: Final = 24


@dataclass(frozen=True, slots=True)
class Context:
    """What every field of one form is built with."""

    kind: str
    root: dict[str, Any]
    choices: Choices
    organisation: str | None
    #: an id or reference -> the words a person reads for it (for item labels)
    labels: dict[str, str]


def resolve(root: dict[str, Any], node: Any) -> tuple[dict[str, Any], str]:
    """`node` with its `$ref`s followed (its own keys win), and the name of
    the first definition it refers to ("" for none)."""
    merged = dict(node) if isinstance(node, dict) else {}
    name = ""
    for _ in range(_MAX_REF_DEPTH):
        reference = merged.pop("$ref", None)
        if not isinstance(reference, str) or not reference.startswith("#/$defs/"):
            break
        target_name = reference.removeprefix("#/$defs/")
        target = root.get("$defs", {}).get(target_name)
        if not isinstance(target, dict):
            break
        name = name or target_name
        merged = {**target, **merged}
    return merged, name


def child_pointer(pointer: str, key: object) -> str:
    return f"{pointer}/{escape_pointer_token(str(key))}"


def build_field(
    context: Context, node: Any, *, pointer: str, key: str, owner: str, value: Any, required: bool
) -> Field:
    """The field for `value` (ABSENT when the file leaves it out) at `pointer`."""
    resolved, reference = resolve(context.root, node)
    base = Field(
        name=pointer,
        key=key,
        label=label_for(key, owner, node if isinstance(node, dict) else {}),
        help=str(resolved.get("description", "")),
        required=required,
        value=None if value is ABSENT else value,
    )
    shape = _shape(resolved)
    if shape != "scalar" and pointer.count("/") > _MAX_NESTING:  # a schema that holds itself
        return dataclasses.replace(
            base,
            kind="textarea",
            text=shown_text(None if value is ABSENT else value),
            was="" if value is ABSENT else encode(value),
        )
    if shape == "object" and (value is ABSENT or isinstance(value, dict)):
        return _object(context, resolved, reference or key, base, value)
    if shape == "array" and (value is ABSENT or isinstance(value, list)):
        return _array(context, resolved, reference or key, base, value)
    if shape in ("object", "array") and value is not None:
        # not what the schema says: shown as text, kept as it was unless changed
        return dataclasses.replace(base, kind="textarea", text=shown_text(value), was=encode(value))
    if shape in ("object", "array"):  # the key is there, with nothing after it
        empty = _object if shape == "object" else _array
        return dataclasses.replace(
            empty(context, resolved, reference or key, base, ABSENT), was=encode(None)
        )
    return _scalar(context, resolved, reference, base, value)


def _shape(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "object" or ("properties" in node and "enum" not in node):
        return "object"
    if kind == "array" or "items" in node:
        return "array"
    return "scalar"


def _object(context: Context, node: dict[str, Any], owner: str, base: Field, value: Any) -> Field:
    properties = node.get("properties", {})
    required = set(node.get("required", ()))
    held = value if isinstance(value, dict) else {}
    children = tuple(
        build_field(
            context,
            child,
            pointer=child_pointer(base.name, name),
            key=str(name),
            owner=owner,
            value=held.get(name, ABSENT),
            required=name in required,
        )
        for name, child in properties.items()
    )
    extras = {name: item for name, item in held.items() if name not in properties}
    return dataclasses.replace(
        base,
        kind="object",
        children=children,
        present=value == {},
        extra=encode(extras) if extras else "",
    )


def _array(context: Context, node: dict[str, Any], owner: str, base: Field, value: Any) -> Field:
    items_node = node.get("items", {})
    item, item_reference = resolve(context.root, items_node)
    held = value if isinstance(value, list) else []
    closed = _shape(item) == "scalar" and _scalar_choices(context, item, item_reference, base.key)
    if closed and closed[1] is False:
        return _multiselect(base, closed[0], item, held, value)
    noun = noun_for(base.key, item)
    template = build_field(
        context,
        items_node,
        pointer=f"{base.name}/-",
        key="-",
        owner=owner,
        value=ABSENT,
        required=True,
    )
    template = dataclasses.replace(template, label=item_label(noun, len(held) + 1, ""))
    items = tuple(
        _list_item(context, items_node, owner, base.name, noun, number, entry)
        for number, entry in enumerate(held)
    )
    return dataclasses.replace(
        base,
        kind="list",
        items=items,
        template=template,
        noun=noun,
        min_items=int(node.get("minItems", 0) or 0),
        present=value == [],
    )


def _list_item(
    context: Context, node: Any, owner: str, pointer: str, noun: str, number: int, entry: Any
) -> Field:
    built = build_field(
        context,
        node,
        pointer=f"{pointer}/{number}",
        key=str(number),
        owner=owner,
        value=entry,
        required=True,
    )
    summary = editable(summary_of(entry, context.labels))
    return dataclasses.replace(built, label=item_label(noun, number + 1, summary), help="")


def _multiselect(
    base: Field, choices: tuple[Choice, ...], item: dict[str, Any], held: list[Any], value: Any
) -> Field:
    chosen = tuple(dict.fromkeys(shown_text(entry) for entry in held))
    known = {choice.value: choice for choice in choices}
    first = tuple(known.get(text) or Choice(text, f"{text} (not in the list)") for text in chosen)
    if any(choice.group for choice in choices):
        # one group of its own, so that a long list sends them back in the file's order
        first = tuple(dataclasses.replace(choice, group=CHOSEN) for choice in first)
    rest = tuple(choice for choice in choices if choice.value not in chosen)
    exact = isinstance(value, list) and list(chosen) == held and bool(held)
    return dataclasses.replace(
        base,
        kind="multiselect",
        choices=first + rest,
        selected=chosen,
        enum=tuple(item.get("enum", ())),
        pattern=str(item.get("pattern", "")),
        pattern_message=str(item.get("patternErrorMessage", "")),
        present=isinstance(value, list),
        was="" if exact or value is ABSENT else encode(value),
    )


def _scalar(
    context: Context, node: dict[str, Any], reference: str, base: Field, value: Any
) -> Field:
    kind, choices, suggestions, enum = _scalar_kind(context, node, reference, base)
    text = "" if value is ABSENT else shown_text(value)
    if kind in ("text", "timeframe", "date", "integer") and ("\n" in text or "\r" in text):
        kind = "textarea"
    if kind == "select" and text and text not in {choice.value for choice in choices}:
        choices = (Choice(text, f"{text} (not in the list)"), *choices)
    field = dataclasses.replace(
        base,
        kind=kind,
        choices=choices,
        suggestions=suggestions,
        enum=enum,
        fixed="const" in node,
        text=text,
        pattern=str(node.get("pattern", "")),
        pattern_message=str(node.get("patternErrorMessage", "")),
        explanation=timeframe_in_words(text) if kind == "timeframe" and text else "",
    )
    if value is ABSENT:
        return field
    read, _ = parse_scalar(field, as_submitted(kind, text))
    exact = read is not ABSENT and type(read) is type(value) and read == value
    return field if exact else dataclasses.replace(field, was=encode(value))


def _scalar_kind(
    context: Context, node: dict[str, Any], reference: str, base: Field
) -> tuple[FieldKind, tuple[Choice, ...], bool, tuple[Any, ...]]:
    if "const" in node:
        const = node["const"]
        return "select", (Choice(shown_text(const), shown_text(const)),), False, (const,)
    found = _scalar_choices(context, node, reference, base.key)
    if "enum" in node and found:
        return "select", found[0], False, tuple(node["enum"])
    kind = node.get("type")
    if kind == "boolean":
        yes_no = (Choice("true", "Yes"), Choice("false", "No"))
        return "boolean", yes_no, False, (True, False)
    if kind == "integer":
        return "integer", (), False, ()
    if node.get("format") == "date":
        return "date", (), False, ()
    if reference == "timeframe":
        return "timeframe", (), False, ()
    if found:
        return ("text" if found[1] else "select"), found[0], found[1], ()
    long = int(node.get("maxLength", 0) or 0) > _LONG_TEXT
    return ("textarea" if long else "text"), (), False, ()


def _scalar_choices(
    context: Context, node: dict[str, Any], reference: str, key: str
) -> tuple[tuple[Choice, ...], bool] | None:
    """(the choices, whether free text is allowed too), or None: no choices.
    What a reference offers is views.choices' one mapping (for_reference)."""
    if "enum" in node:
        offered = for_reference(context.choices, reference or key, context.organisation) or ()
        return tuple(
            Choice(shown_text(value), enum_label(reference or key, value, offered))
            for value in node["enum"]
        ), False
    if key == "id" or not reference:
        return None
    found = for_reference(context.choices, reference, context.organisation)
    return None if found is None else (found, reference in OPEN_REFERENCES)
