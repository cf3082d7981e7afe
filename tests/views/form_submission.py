"""What a browser would send for a rendered form, read from its HTML with the
standard library's parser: the submission the forms tests read back.

Browser rules kept (HTML's form submission algorithm): disabled controls and
buttons send nothing (no submitter); a checkbox only when checked; a select
its selected options (a single select with none selected, its first
option); a one-line input drops line breaks from its value, a date input
sends nothing that is not a date; a text area loses one newline right after
its start tag and sends every line end as CR LF. Also a map of the form's
controls and labels, so that tests can check every control is labelled."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str
    attributes: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)
    text: str = ""


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self.label_fors: list[str] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._select: Control | None = None
        self._option: list[str] | None = None
        self._option_selected = False
        self._option_value: str | None = None
        self._textarea: Control | None = None
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value if value is not None else "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label":
            if "for" in attributes:
                self.label_fors.append(attributes["for"])
        elif tag == "input":
            self.controls.append(Control(tag, attributes))
        elif tag == "select":
            self._select = Control(tag, attributes)
            self.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = []
            self._option_selected = "selected" in attributes
            self._option_value = attributes.get("value")
        elif tag == "textarea":
            self._textarea = Control(tag, attributes)
            self.controls.append(self._textarea)
        elif tag == "button":
            self.controls.append(Control(tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value = self._option_value if self._option_value is not None else "".join(self._option)
            self._select.options.append((value, self._option_selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        if self._textarea is not None:
            self._textarea.text += data


def parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser


def submission(html: str) -> dict[str, list[str]]:
    """name -> every value a browser sends for the form in `html`, in order."""
    sent: dict[str, list[str]] = {}
    for control in parse(html).controls:
        attributes = control.attributes
        name = attributes.get("name")
        if name is None or "disabled" in attributes or control.tag == "button":
            continue
        for value in _values(control):
            sent.setdefault(name, []).append(value)
    return sent


def _values(control: Control) -> list[str]:
    attributes = control.attributes
    if control.tag == "textarea":
        text = control.text.removeprefix("\n")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return [text.replace("\n", "\r\n")]
    if control.tag == "select":
        chosen = [value for value, selected in control.options if selected]
        if "multiple" in attributes:
            return chosen
        if not chosen and control.options:
            return [control.options[0][0]]
        return chosen[-1:]
    kind = attributes.get("type", "text")
    value = attributes.get("value", "")
    if kind == "checkbox":
        return [attributes.get("value", "on")] if "checked" in attributes else []
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return [""]
        return [value]
    if kind in ("text", "hidden"):
        return [value.replace("\r", "").replace("\n", "") if kind == "text" else value]
    return [value]


def unlabelled(html: str) -> list[str]:
    """The controls a person cannot find by a label: every input (but hidden
    ones), select and textarea needs an id with a `<label for>` naming it."""
    parser = parse(html)
    labelled = set(parser.label_fors)
    missing = []
    for control in parser.controls:
        attributes = control.attributes
        if control.tag == "button" or attributes.get("type") == "hidden":
            continue
        if attributes.get("id") not in labelled:
            missing.append(f"<{control.tag} name={attributes.get('name')!r}>")
    return missing


def typed(value: object) -> object:
    """`value` with every type spelled out, so that `1`, `True`, `1.0`, the
    text "2026-01-01" and the date compare as different (a mapping's keys in
    any order, as editing.changes_between keeps the file's order anyway)."""
    if isinstance(value, dict):
        pairs = [(typed(key), typed(item)) for key, item in value.items()]
        return ("dict", sorted(pairs, key=repr))
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, value)
