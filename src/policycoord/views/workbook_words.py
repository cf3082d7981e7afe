"""The words a policy workbook shows for the values of a policy file: a
duty's title for its id, "Northshire Children's Services: MASH Team Manager"
for `northshire-cs/mash`, and back. Built from `views.choices`, the same
lists the browser's forms and the editor's completions offer.

A label two choices share (two roles with one title) is told apart by the
value in brackets, so that every label reads back as exactly one value. A
value that is in no list (a duty the partnership does not have) is shown as
it is, and read back as it is: the checks then report it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from policycoord.views.choices import Choice, Choices


@dataclass(frozen=True, slots=True)
class ChoiceWords:
    """Labels for one organisation's workbook (its own roles are bare ids)."""

    #: each kind's labels, in the order a drop-down list offers them
    lists: dict[str, tuple[str, ...]]
    _labels: dict[str, dict[str, str]]
    _values: dict[str, dict[str, str]]

    def shown(self, kind: str, value: str) -> str:
        return self._labels.get(kind, {}).get(value, value)

    def value(self, kind: str, text: str) -> str:
        return self._values.get(kind, {}).get(text, text)


def words_for(choices: Choices, organisation: str) -> ChoiceWords:
    """The words of `organisation`'s workbook."""
    kinds: dict[str, tuple[Choice, ...]] = {
        "duty": choices.duties,
        "concern": choices.concerns,
        "theme": choices.themes,
        "sector": choices.sectors,
        "raci": choices.raci,
        "hours": choices.hours,
        "own-role": choices.own_roles(organisation),
        "role-target": choices.role_targets(organisation),
        "organisation": choices.organisations,
        "senders": choices.senders(),
    }
    lists: dict[str, tuple[str, ...]] = {}
    labels: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, str]] = {}
    for kind, offered in kinds.items():
        named = _labelled(offered)
        lists[kind] = tuple(label for _, label in named)
        labels[kind] = dict(named)
        values[kind] = {label: value for value, label in named}
    return ChoiceWords(lists, labels, values)


def _labelled(offered: tuple[Choice, ...]) -> list[tuple[str, str]]:
    """(value, label) for each choice, once per value; a label shared, blank,
    or equal to another choice's value gets the value in brackets."""
    unique: dict[str, Choice] = {}
    for choice in offered:
        unique.setdefault(choice.value, choice)
    counts = Counter(" ".join(choice.label.split()) for choice in unique.values())
    named = []
    for value, choice in unique.items():
        label = " ".join(choice.label.split())  # a drop-down list shows one line
        if not label or counts[label] > 1 or (label in unique and label != value):
            label = f"{label} ({value})" if label else value
        named.append((value, label))
    return named


@dataclass(frozen=True, slots=True)
class ExportedWords:
    """The words of a returned workbook: its own lists first (a label reads
    back as the value it stood for when it was exported, even if a role was
    renamed since), today's words for anything not in them."""

    exported: dict[str, dict[str, str]]
    current: ChoiceWords
    _labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, pairs in self.exported.items():
            labels = self._labels.setdefault(kind, {})
            for label, value in pairs.items():
                labels.setdefault(value, label)

    def shown(self, kind: str, value: str) -> str:
        found = self._labels.get(kind, {}).get(value)
        return found if found is not None else self.current.shown(kind, value)

    def value(self, kind: str, text: str) -> str:
        found = self.exported.get(kind, {}).get(text)
        return found if found is not None else self.current.value(kind, text)
