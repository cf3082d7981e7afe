"""Hover: what is under the cursor, as Markdown. On a finding, its message
and what `explain` says; on a role, duty or concern reference, what it is;
on a timeframe, its worst case.

Every piece of a policy's text (titles, names, contact details, messages,
a timeframe as typed) is made inert with the project's Markdown escaping
(output.reporters.markdown_text), so a title such as
`[x](javascript:alert(1))` or `<script>` shows as written and is never a
link, HTML or emphasis; ids, contact details and what messages write
between backticks are code spans. Only the rule documentation (ours) is
Markdown as written.
"""

from __future__ import annotations

import re

from lsprotocol import types

from policycoord.checks.catalogue import explain
from policycoord.core.findings import Finding
from policycoord.lsp.answers import occurrence_at
from policycoord.lsp.session import Session
from policycoord.lsp.symbols import Symbol
from policycoord.lsp.text import Lines, in_range
from policycoord.output.reporters.markdown_text import markdown_message, markdown_text
from policycoord.views.choices import choices_for, hours_in_words, timeframe_in_words

_TIMEFRAME_FIELD = re.compile(r"\b(within|max_within|max_total):\s*(['\"]?)([^#,}\]'\"]*)")


def hover(
    session: Session, display: str, position: types.Position, live: str | None = None
) -> types.Hover | None:
    """What is under the cursor; `live`, the editor's newest text, is read
    for a timeframe (findings and references are those of the last check)."""
    parts: list[str] = []
    lines = Lines.of(session.text_of(display))
    for finding in _findings_at(session, display, lines, position):
        message = markdown_message(finding.message, cell=False)
        parts.append(f"**{finding.code} {finding.name}**: {message}\n\n" + explain(finding.code))
    occurrence = occurrence_at(session, display, position)
    if occurrence is not None:
        parts.append(describe(session, occurrence.symbol))
    timeframe = _timeframe_at(Lines.of(live) if live is not None else lines, position)
    if timeframe is not None:
        parts.append(markdown_text(timeframe_in_words(timeframe)))
    if not parts:
        return None
    text = "\n\n---\n\n".join(part for part in parts if part)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


def code(text: str) -> str:
    """`text` as a code span (shown as written), or escaped where it holds a backtick."""
    return markdown_message(f"`{text}`", cell=False)


def _findings_at(
    session: Session, display: str, lines: Lines, position: types.Position
) -> list[Finding]:
    return [
        finding
        for finding in session.findings_in(display)
        if in_range(position, lines.range_at(finding.location.line, finding.location.column))
    ]


def _timeframe_at(lines: Lines, position: types.Position) -> str | None:
    line = lines.line(position.line)
    column = lines.from_utf16(position.line, position.character)
    for match in _TIMEFRAME_FIELD.finditer(line):
        if match.start(3) <= column <= match.end(3) and match.group(3).strip():
            return match.group(3).strip()
    return None


def describe(session: Session, symbol: Symbol) -> str:
    """What a role, duty or concern is, in a few lines of Markdown."""
    kind, key = symbol
    model = session.latest().model
    if kind == "role":
        return _describe_role(session, key)
    choices = choices_for(model)
    found = choices.find(choices.duties if kind == "duty" else choices.concerns, key)
    if found is None:
        return f"{code(key)}: the partnership has no such {kind}."
    title = f"**{markdown_text(found.label)}** ({code(key)}), a {kind}"
    return "  \n".join(x for x in (title, markdown_text(found.detail)) if x)


def _describe_role(session: Session, key: str) -> str:
    org_id, _, role_id = key.partition("/")
    org = session.latest().model.organisation(org_id)
    role = org.role(role_id) if org is not None else None
    if org is None or role is None:
        return f"{code(key)}: no such role in the partnership."
    lines = [
        f"**{markdown_text(role.title)}** ({code(key)})",
        f"{markdown_text(org.name)}, {hours_in_words(role)}",
    ]
    if role.contact is not None and (role.contact.phone or role.contact.email):
        reach = ", ".join(code(x) for x in (role.contact.phone, role.contact.email) if x)
        lines.append(f"How to reach it: {reach}")
    else:
        lines.append("How to reach it: no phone number or email in its policy")
    if role.deputy:
        deputy = org.role(role.deputy)
        named = f"{markdown_text(deputy.title)} " if deputy is not None else ""
        lines.append(f"Deputy: {named}({code(role.deputy)})")
    return "  \n".join(lines)
