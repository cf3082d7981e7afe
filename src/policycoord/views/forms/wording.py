"""The words a form shows: a label for every field of the shipped schemas,
the noun for each list's items ("role 2: Designated Safeguarding Lead"), and
labels for the enum values that views/choices.py does not label.

A field the tables do not know (a property added to a schema later) is
labelled from its schema `title`, or else from its key in words
("next_review" -> "Next review"), so that it still appears with no new code.
"""

from __future__ import annotations

from typing import Any, Final

from policycoord.input.validation.schemas import CODE, known_codes
from policycoord.views.choices import Choice

#: (the $defs name of the object holding the field, its key) -> label
_OWNED: Final = {
    ("organisation", "id"): "Organisation id",
    ("organisation", "name"): "Organisation name",
    ("role", "id"): "Role id",
    ("role", "title"): "Role title",
    ("partnership", "id"): "Partnership id",
    ("partnership", "name"): "Partnership name",
    ("duty", "id"): "Duty id",
    ("duty", "title"): "What the duty is",
    ("concern", "id"): "Concern id",
    ("concern", "title"): "What the concern is",
    ("concern", "out_of_hours"): "Out-of-hours cover",
    ("theme", "id"): "Theme id",
    ("theme", "title"): "Theme title",
    ("step", "within"): "How soon it reaches them",
    ("handoff", "within"): "How soon you respond",
    ("handoff", "role"): "Your role that receives it",
    ("responsibility", "within"): "Timeframe you commit to",
    ("responsibility", "role"): "Your role",
    ("commitment", "text"): "What you commit to",
    ("waiver", "organisation"): "Organisation it waives the finding for",
    ("glossaryEntry", "term"): "Term or acronym",
    ("avoidEntry", "term"): "Words to avoid",
    ("review", "max_age"): "Longest time between reviews",
}

#: key -> label, wherever the key is
_KEYS: Final = {
    "policycoord": "File format version",
    "organisation": "Organisation",
    "partnership": "Partnership",
    "id": "Id",
    "name": "Name",
    "sector": "Sector",
    "review": "Review dates",
    "approved": "Approved on",
    "next_review": "Next review due by",
    "roles": "Roles and how to reach them",
    "title": "Title",
    "contact": "How to reach this role",
    "phone": "Phone",
    "email": "Email",
    "hours": "When it can be reached",
    "deputy": "Deputy (another of your roles)",
    "responsibilities": "Responsibilities",
    "duty": "Duty",
    "role": "Role",
    "raci": "Part the role plays",
    "within": "Within",
    "notes": "Notes",
    "escalations": "Escalation paths",
    "concern": "Concern",
    "steps": "Steps, in order",
    "to": "Passed to",
    "action": "What is done at this step",
    "out_of_hours": "Out of office hours, pass to instead",
    "receives": "Hand-offs you accept",
    "from": "Accepted from",
    "glossary": "Glossary",
    "term": "Term",
    "meaning": "Meaning",
    "definition": "Longer explanation",
    "sharing": "Information-sharing agreements",
    "with": "Shared with",
    "purpose": "Why you share",
    "basis": "What allows you to share",
    "commitments": "Commitments to the joint mission",
    "theme": "Mission theme",
    "text": "Text",
    "summary": "Summary of your policy",
    "members": "Member organisations",
    "policies": "Where the policy files are (file patterns)",
    "duties": "Duties",
    "scope": "Who must own it",
    "applies_to": "Sectors it applies to",
    "max_within": "Longest timeframe any organisation may commit to",
    "concerns": "Concerns",
    "must_reach": "Every path must reach one of these roles",
    "max_total": "Longest time for the whole path",
    "allow_acronyms": "Acronyms everyone knows",
    "avoid": "Words to avoid",
    "use": "Use instead",
    "why": "Why",
    "mission": "Joint mission and themes",
    "vision": "Vision",
    "themes": "Themes",
    "description": "Description",
    "max_age": "Longest time between reviews",
    "waivers": "Waivers (accepted findings)",
    "code": "Finding code",
    "subject": "What it is about (optional)",
    "reason": "Reason",
    "approved_by": "Approved by (organisations)",
    "expires": "Expires on",
    "rules": "Check settings",
    "ignore": "Findings never reported",
    "severity": "Severities changed",
    "fail_on": "The check fails on",
}

#: a list's key -> what one of its items is called
_NOUNS: Final = {
    "roles": "role",
    "responsibilities": "responsibility",
    "escalations": "escalation path",
    "steps": "step",
    "receives": "hand-off",
    "from": "sender",
    "glossary": "glossary entry",
    "sharing": "sharing agreement",
    "commitments": "commitment",
    "members": "member",
    "policies": "file pattern",
    "duties": "duty",
    "concerns": "concern",
    "must_reach": "role",
    "allow_acronyms": "acronym",
    "avoid": "word to avoid",
    "themes": "theme",
    "waivers": "waiver",
    "approved_by": "approver",
    "ignore": "code",
    "applies_to": "sector",
}

#: enum values views/choices.py has no words for: (key, value) -> label
_ENUM_WORDS: Final = {
    ("scope", "each-member"): "Each member (every member it applies to needs an accountable role)",
    ("scope", "partnership"): "The partnership (exactly one organisation is accountable)",
    ("out_of_hours", "required"): "Required (a route at night, weekends and holidays too)",
    ("out_of_hours", "not-required"): "Not required",
    ("fail_on", "error"): "Errors (the default)",
    ("fail_on", "warning"): "Warnings and errors",
    ("fail_on", "info"): "Anything, information included",
    ("fail_on", "never"): "Never (report without failing)",
    ("severity", "error"): "Error (must be fixed)",
    ("severity", "warning"): "Warning (should be looked at)",
    ("severity", "info"): "Information",
}

#: the fields whose value names an item best, in order of preference
_SUMMARY_KEYS: Final = ("title", "name", "term", "concern", "duty", "to", "with", "code", "text")
_SUMMARY_LENGTH: Final = 60


def section_label(section: str) -> str:
    """The heading of a top-level section of a policy or partnership file:
    the label its form gives it, so a page's heading and its form agree."""
    return label_for(section, "", {})


def label_for(key: str, owner: str, node: dict[str, Any]) -> str:
    """The label of the field `key` of an object of the $defs `owner`."""
    if (owner, key) in _OWNED:
        return _OWNED[(owner, key)]
    if key in _KEYS:
        return _KEYS[key]
    title = node.get("title")
    if isinstance(title, str) and title and "$ref" not in node:
        return title[0].upper() + title[1:]
    if CODE.fullmatch(key):
        name = known_codes().get(key, "")
        return f"{key} {name}".strip()
    words = key.replace("_", " ").replace("-", " ").strip() or "Value"
    return words[0].upper() + words[1:]


def noun_for(key: str, item_node: dict[str, Any]) -> str:
    """What one item of the list `key` is called ("role")."""
    if key in _NOUNS:
        return _NOUNS[key]
    title = str(item_node.get("title", "")).strip()
    for article in ("a ", "an "):
        if title.startswith(article):
            return title.removeprefix(article)
    return title or "item"


def enum_label(key: str, value: Any, known: tuple[Choice, ...]) -> str:
    """The words for one enum value of the field `key`."""
    for choice in known:
        if choice.value == str(value):
            return choice.label
    if (key, str(value)) in _ENUM_WORDS:
        return _ENUM_WORDS[(key, str(value))]
    words = str(value).replace("-", " ")
    return words[:1].upper() + words[1:]


def item_label(noun: str, number: int, summary: str) -> str:
    """ "role 2: Designated Safeguarding Lead", or "role 2" when it has no name yet."""
    return f"{noun} {number}: {summary}" if summary else f"{noun} {number}"


def summary_of(value: Any, labels: dict[str, str]) -> str:
    """A few words naming a list item: its title, name or term (`labels`
    turns an id into what a person reads), cut to 60 characters."""
    if isinstance(value, dict):
        for key in _SUMMARY_KEYS:
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return _cut(labels.get(found, found))
        return ""
    if isinstance(value, str):
        return _cut(labels.get(value, value))
    return ""


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SUMMARY_LENGTH else text[: _SUMMARY_LENGTH - 1].rstrip() + "…"
