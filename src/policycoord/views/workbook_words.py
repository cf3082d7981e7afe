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
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

from policycoord.model.model import Model
from policycoord.views.choices import Choice, Choices

#: A drop-down list of other organisations' roles longer than this offers only
#: the roles that receive a concern, and those the organisation already names:
#: nobody scrolls through thousands, and every workbook would carry them all.
MAX_ROLE_TARGETS: Final = 1_000


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


def words_for(choices: Choices, organisation: str, receivers: Collection[str] = ()) -> ChoiceWords:
    """The words of `organisation`'s workbook. Where there are more than
    MAX_ROLE_TARGETS roles, its escalation steps are offered its own roles
    and `receivers` (`org/role`: `receiving_roles` and `named_roles`)."""
    targets = choices.role_targets(organisation)
    if len(targets) > MAX_ROLE_TARGETS and receivers:
        targets = tuple(c for c in targets if "/" not in c.value or c.value in receivers)
    kinds: dict[str, tuple[Choice, ...]] = {
        "duty": choices.duties,
        "concern": choices.concerns,
        "theme": choices.themes,
        "sector": choices.sectors,
        "raci": choices.raci,
        "hours": choices.hours,
        "own-role": choices.own_roles(organisation),
        "role-target": targets,
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


def receiving_roles(model: Model) -> frozenset[str]:
    """Every role that receives a concern (a `receives` entry), as `org/role`."""
    return frozenset(
        f"{org.id}/{receipt.role}" for org in model.organisations for receipt in org.receives
    )


def named_roles(model: Model, organisation: str) -> frozenset[str]:
    """Other organisations' roles that `organisation`'s steps name, as `org/role`."""
    own = model.organisation(organisation)
    return frozenset(
        f"{ref.organisation}/{ref.role}"
        for escalation in (own.escalations if own is not None else ())
        for step in escalation.steps
        for ref in (step.to, step.out_of_hours)
        if ref is not None and ref.organisation != organisation
    )


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
