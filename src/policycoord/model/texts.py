"""Every free-text field of the partnership, for the jargon checks (PC301-PC304).

SPEC §3: the jargon checks read names, titles, meanings, definitions, notes,
actions, purposes, bases, texts, summaries, the vision and theme titles and
waiver reasons; never ids, references, timeframes, dates, contact details or
codes. A glossary entry's own `term` is not prose (it is what is defined),
nor are the partnership's `avoid` entries and `allow_acronyms`.

"What an organisation sends to others" (PC304, SPEC §3.1) is the `action` of
a step to another organisation, its `sharing` entries and its `commitments`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from policycoord.core.findings import Location
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Origin, Partnership

#: An acronym: two or more capitals, digits and `&` allowed after the first
#: capital (`CAMHS`, `A&E`, `ICPC2`), never ending in `&`; a trailing
#: lowercase `s` is a plural and is not part of it (`DSLs` is `DSL`). Group 1
#: is the acronym without the plural `s`.
ACRONYM = re.compile(r"(?<![\w&])([A-Z][0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)s?(?![\w&])")

#: `ACRONYM` written to search long texts fast: the first capital comes
#: first (the search skips to capitals), then the look back at what is
#: before it. The same matches (tests/model/test_texts.py checks).
ACRONYM_SEARCH = re.compile(r"([A-Z](?<![\w&].)[0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)s?(?![\w&])")


class FreeText(NamedTuple):
    """One free-text value: whose it is, where, and whether it goes to others.
    (A named tuple: a country's partnership has most of a million of them,
    and a tuple is made several times faster than a dataclass.)"""

    organisation: str | None  # None: the partnership file
    field: str  # the field's name, for messages (`notes`, `action`, ...)
    text: str
    origin: Origin  # the object that holds the field
    outgoing: bool = False  # sent to other organisations (PC304)

    @property
    def location(self) -> Location:
        return self.origin.at(self.field)


def free_texts(model: Model) -> tuple[FreeText, ...]:
    """Every free text, the partnership file's first, then each organisation's
    in file order; within a file, in document order. Worked out once for a
    model and kept until `forget()` (when the rules have run) or another
    model's are asked for: the jargon rules (PC301-PC304) each read them all."""
    global _last
    if _last is None or _last[0] is not model:
        _last = (model, tuple(_every_text(model)))
    return _last[1]


_last: tuple[Model, tuple[FreeText, ...]] | None = None


class Distinct(NamedTuple):
    """The free texts with each different text once: policies written from
    one model policy say many things in the same words (a role's title, a
    standard action), and what a text holds depends only on its words, so
    the jargon rules read each text once and apply what they found to every
    place that says it."""

    texts: tuple[str, ...]  # each different text once, in the order first written
    of: tuple[int, ...]  # for each of free_texts(model), its text's index in `texts`


def distinct_texts(model: Model) -> Distinct:
    """`Distinct` for the model's free texts (kept with them)."""
    global _distinct
    texts = free_texts(model)
    if _distinct is None or _distinct[0] is not texts:
        slots: dict[str, int] = {}
        of = tuple([slots.setdefault(text.text, len(slots)) for text in texts])
        _distinct = (texts, Distinct(tuple(slots), of))
    return _distinct[1]


_distinct: tuple[tuple[FreeText, ...], Distinct] | None = None


def forget() -> None:
    """Let go of the texts kept (and so of their model): the rules have run."""
    global _last, _distinct
    _last = _distinct = None


def organisation_texts(organisations: Iterable[Organisation]) -> Iterator[FreeText]:
    """The free texts of these organisations only, in the order given, each
    organisation's in document order (as in free_texts(); PC304 reads only
    the texts of the organisations that have local terms)."""
    for org in organisations:
        yield from _organisation_texts(org)


def _every_text(model: Model) -> Iterator[FreeText]:
    if model.partnership is not None:
        yield from _kept_partnership_texts(model.partnership)
    for org in model.organisations:
        yield from _organisation_texts(org)


def _kept_partnership_texts(partnership: Partnership) -> tuple[FreeText, ...]:
    """The partnership file's texts, kept while the partnership (immutable,
    the same object while its file is unchanged: model_from(before=)) is:
    after a change the jargon rules read them on several models."""
    global _partnership_kept
    if _partnership_kept is None or _partnership_kept[0] is not partnership:
        _partnership_kept = (partnership, tuple(_partnership_texts(partnership)))
    return _partnership_kept[1]


_partnership_kept: tuple[Partnership, tuple[FreeText, ...]] | None = None


def _partnership_texts(partnership: Partnership) -> Iterator[FreeText]:
    yield FreeText(None, "name", partnership.name, partnership.origin)
    for duty in partnership.duties or ():
        yield FreeText(None, "title", duty.title, duty.origin)
    for concern in partnership.concerns or ():
        yield FreeText(None, "title", concern.title, concern.origin)
    for term in partnership.glossary or ():
        yield FreeText(None, "meaning", term.meaning, term.origin)
        if term.definition:
            yield FreeText(None, "definition", term.definition, term.origin)
    mission = partnership.mission
    if mission is not None:
        if mission.vision:
            yield FreeText(None, "vision", mission.vision, mission.origin)
        for theme in mission.themes:
            yield FreeText(None, "title", theme.title, theme.origin)
            if theme.description:
                yield FreeText(None, "description", theme.description, theme.origin)
    for waiver in partnership.waivers:
        if waiver.reason:
            yield FreeText(None, "reason", waiver.reason, waiver.origin)


def _organisation_texts(org: Organisation) -> Iterator[FreeText]:
    owner = org.id
    yield FreeText(owner, "name", org.name, org.origin)
    for role in org.roles:
        yield FreeText(owner, "title", role.title, role.origin)
    for responsibility in org.responsibilities:
        if responsibility.notes:
            yield FreeText(owner, "notes", responsibility.notes, responsibility.origin)
    for escalation in org.escalations:
        for step in escalation.steps:
            if step.action:  # SPEC §3.1: the action of a step *to* another organisation
                outgoing = step.to.organisation != owner
                yield FreeText(owner, "action", step.action, step.origin, outgoing)
    for term in org.glossary:
        yield FreeText(owner, "meaning", term.meaning, term.origin)
        if term.definition:
            yield FreeText(owner, "definition", term.definition, term.origin)
    for sharing in org.sharing:
        if sharing.purpose:
            yield FreeText(owner, "purpose", sharing.purpose, sharing.origin, True)
        if sharing.basis:
            yield FreeText(owner, "basis", sharing.basis, sharing.origin, True)
    for commitment in org.commitments:
        yield FreeText(owner, "text", commitment.text, commitment.origin, True)
    if org.summary:
        yield FreeText(owner, "summary", org.summary, org.file_origin)
