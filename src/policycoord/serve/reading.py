"""An organisation's policy (or the partnership file) as a page a person
reads: each section in words, each entry with the findings about it beside
it, and a link to the section's form. Every piece of user text goes through
`core.text.visible` (controls and bidi shown, never obeyed); the template
escapes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from policycoord.core.findings import Finding
from policycoord.core.text import visible
from policycoord.model.model import Model
from policycoord.model.policies import Escalation, Organisation, Role, RoleRef
from policycoord.output.reporters.html_page import Pieces, pieces
from policycoord.serve.state import Links, Target, section_words, sections, split_pointer
from policycoord.views.choices import timeframe_in_words


@dataclass(frozen=True, slots=True)
class Note:
    """A finding, shortly, beside the field it is about."""

    severity: str
    code: str
    message: Pieces  # backticked pieces shown as code, as in the report
    suggestion: Pieces
    href: str


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    facts: tuple[tuple[str, str], ...]
    notes: tuple[Note, ...] = ()
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    section: str
    words: str
    href: str
    entries: tuple[Entry, ...]
    notes: tuple[Note, ...]  # findings about the section as a whole
    concerns: tuple[str, ...] = ()  # escalation: the concerns whose diagrams to draw

    @property
    def count(self) -> int:
        """How many findings the section has, in all."""
        return len(self.notes) + sum(len(entry.notes) for entry in self.entries)


def notes_by_place(
    findings: Iterable[Finding], target: Target, links: Links
) -> dict[tuple[str, str], list[Note]]:
    """The findings in the target's file by (section, first index below it)."""
    placed: dict[tuple[str, str], list[Note]] = defaultdict(list)
    for finding in findings:
        if finding.location.path != target.display:
            continue
        section, below = split_pointer(finding.location.pointer)
        first = below[1:].partition("/")[0] if below else ""
        placed[(section, first)].append(
            Note(
                finding.severity.value,
                visible(finding.code),
                pieces(visible(finding.message)),
                pieces(visible(finding.suggestion)),
                links.href(finding),
            )
        )
    return placed


def organisation_blocks(
    model: Model, org: Organisation, target: Target, findings: Sequence[Finding], links: Links
) -> list[Block]:
    placed = notes_by_place(findings, target, links)
    made = {
        "organisation": _about(org),
        "roles": [_role(role) for role in org.roles],
        "responsibilities": [
            _duty(model, org, r.duty, r.role, r.raci, r.within, r.notes)
            for r in org.responsibilities
        ],
        "escalations": [_escalation(model, org, e) for e in org.escalations],
        "receives": [
            Entry(
                _concern_title(model, r.concern),
                (
                    ("Received by", _role_words(org, r.role)),
                    ("From", ", ".join(visible(s) for s in r.sources) or "anyone"),
                    ("Responds", _within(r.within)),
                ),
            )
            for r in org.receives
        ],
        "glossary": [
            Entry(
                visible(t.term),
                (("Means", visible(t.meaning)), ("Definition", visible(t.definition or ""))),
            )
            for t in org.glossary
        ],
        "sharing": [
            Entry(
                _org_name(model, s.with_organisation),
                (("Purpose", visible(s.purpose or "")), ("Basis", visible(s.basis or ""))),
            )
            for s in org.sharing
        ],
        "commitments": [
            Entry(_theme_title(model, c.theme), (("Commitment", visible(c.text)),))
            for c in org.commitments
        ],
        "summary": [Entry("", (("", visible(org.summary)),))] if org.summary else [],
    }
    concerns = tuple(dict.fromkeys(e.concern for e in org.escalations))
    return [
        _block(
            target,
            section,
            made.get(section, []),
            placed,
            concerns if section == "escalations" else (),
        )
        for section in sections("policy")
    ]


def partnership_blocks(
    data: Any, target: Target, findings: Sequence[Finding], links: Links
) -> list[Block]:
    """The partnership file, section by section, read from its data as written."""
    placed = notes_by_place(findings, target, links)
    data = data if isinstance(data, dict) else {}
    return [
        _block(target, section, _generic(data.get(section)), placed)
        for section in sections("partnership")
    ]


def _block(
    target: Target,
    section: str,
    entries: Sequence[Entry],
    placed: dict[tuple[str, str], list[Note]],
    concerns: tuple[str, ...] = (),
) -> Block:
    with_notes = tuple(
        Entry(
            e.title,
            tuple((k, v) for k, v in e.facts if v),
            tuple(placed.get((section, str(number)), ())),
            f"{section}-{number}",
        )
        for number, e in enumerate(entries)
    )
    whole = tuple(
        note
        for (where, first), notes in sorted(placed.items())
        if where == section and not (first.isdigit() and int(first) < len(entries))
        for note in notes
    )
    return Block(
        section, section_words(section), target.section_href(section), with_notes, whole, concerns
    )


def _generic(value: Any) -> list[Entry]:
    """Entries for any section: a list's items, a mapping's fields, a value."""
    if value is None:
        return []
    if isinstance(value, list):
        return [_generic_item(item) for item in value]
    if isinstance(value, dict):
        return [Entry("", tuple((visible(str(k)), _text(v)) for k, v in value.items()))]
    return [Entry("", (("", _text(value)),))]


def _generic_item(item: Any) -> Entry:
    if not isinstance(item, dict):
        return Entry(_text(item), ())
    title_key = next((k for k in ("title", "term", "code", "id") if k in item), None)
    title = _text(item[title_key]) if title_key else ""
    facts = tuple((visible(str(k)), _text(v)) for k, v in item.items() if k != title_key)
    return Entry(title, facts)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{visible(str(k))}: {_text(v)}" for k, v in value.items())
    return visible(str(value)) if value is not None else ""


def _about(org: Organisation) -> list[Entry]:
    review = org.review
    facts = [("Id", visible(org.id)), ("Sector", visible(org.sector))]
    if review is not None:
        facts += [
            ("Approved", str(review.approved or "")),
            ("Next review", str(review.next_review or "")),
        ]
    return [Entry(visible(org.name), tuple(facts))]


def _role(role: Role) -> Entry:
    contact = role.contact
    facts = [("Role id", visible(role.id))]
    if contact is not None:
        facts += [
            ("Phone", visible(contact.phone or "")),
            ("Email", visible(contact.email or "")),
            ("Hours", "24/7" if contact.hours == "24/7" else "office hours"),
        ]
    else:
        facts.append(("Contact", "none given: nobody can reach this role from the policy"))
    facts.append(("Deputy", visible(role.deputy or "")))
    return Entry(visible(role.title), tuple(facts))


def _duty(
    model: Model, org: Organisation, duty: str, role: str, raci: str, within: Any, notes: str | None
) -> Entry:
    title = next((d.title for d in _duties(model) if d.id == duty), duty)
    return Entry(
        visible(title),
        (
            ("Duty id", visible(duty)),
            ("Role", _role_words(org, role)),
            ("RACI", visible(raci)),
            ("Within", _within(within)),
            ("Notes", visible(notes or "")),
        ),
    )


def _escalation(model: Model, org: Organisation, escalation: Escalation) -> Entry:
    steps = []
    for number, step in enumerate(escalation.steps, 1):
        words = f"to {_ref_words(model, org, step.to)}"
        if step.within is not None:
            words += f", within {visible(step.within.text)}"
        if step.out_of_hours is not None:
            words += f"; out of hours to {_ref_words(model, org, step.out_of_hours)}"
        if step.action:
            words += f". {visible(step.action)}"
        steps.append((f"Step {number}", words))
    return Entry(_concern_title(model, escalation.concern), tuple(steps))


def _duties(model: Model) -> tuple[Any, ...]:
    partnership = model.partnership
    return tuple(partnership.duties or ()) if partnership is not None else ()


def _within(within: Any) -> str:
    return timeframe_in_words(within.text) if within is not None else ""


def _role_words(org: Organisation, role: str) -> str:
    found = org.roles_by_id.get(role)
    return visible(f"{found.title} ({role})" if found else f"{role} (not a role of this policy)")


def _ref_words(model: Model, org: Organisation, ref: RoleRef) -> str:
    other = model.by_id.get(ref.organisation or org.id)
    if other is None:
        return visible(f"{ref.text} (no such organisation)")
    role = other.roles_by_id.get(ref.role)
    title = role.title if role is not None else f"{ref.role}?"
    return visible(title if other.id == org.id else f"{other.name}: {title}")


def _org_name(model: Model, org_id: str) -> str:
    found = model.by_id.get(org_id)
    return visible(found.name if found else org_id)


def _concern_title(model: Model, concern: str) -> str:
    partnership = model.partnership
    for c in (partnership.concerns or ()) if partnership is not None else ():
        if c.id == concern:
            return visible(c.title)
    return visible(concern)


def _theme_title(model: Model, theme: str | None) -> str:
    partnership = model.partnership
    mission = partnership.mission if partnership is not None else None
    for t in mission.themes if mission is not None else ():
        if t.id == theme:
            return visible(t.title)
    return visible(theme or "No theme")
