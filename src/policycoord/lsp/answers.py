"""What the editor asks for at a place: completion, definition,
references, rename and code actions; each from the session's latest check
(the model, its findings, the symbol index) and the shared libraries
(views.choices for what may be chosen, editing for every change).
Hover is hover.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from lsprotocol import types

from policycoord.core.findings import Fix, FixEdit
from policycoord.core.ids import is_id
from policycoord.editing import Refusal, fixed, open_bytes, wanted
from policycoord.lsp.session import Session
from policycoord.lsp.symbols import Occurrence
from policycoord.lsp.text import Lines, in_range, line_edits, overlaps
from policycoord.views.choices import Choice, choices_for, for_reference, references_by_key


def occurrence_at(session: Session, display: str, position: types.Position) -> Occurrence | None:
    """The definition or reference under the cursor, if any."""
    lines = Lines.of(session.text_of(display))
    for occurrence in session.index().in_file(display):
        location = occurrence.location
        if location.line - 1 != position.line:
            continue
        if in_range(position, lines.range_at(location.line, location.column)):
            return occurrence
    return None


def definition(session: Session, display: str, position: types.Position) -> types.Location | None:
    occurrence = occurrence_at(session, display, position)
    if occurrence is None:
        return None
    target = session.index().definition(occurrence.symbol)
    return session.location(target.location) if target is not None else None


def references(
    session: Session, display: str, position: types.Position, *, declaration: bool
) -> list[types.Location]:
    occurrence = occurrence_at(session, display, position)
    if occurrence is None:
        return []
    found = session.index().occurrences(occurrence.symbol)
    return [session.location(o.location) for o in found if declaration or not o.definition]


# -- completion ---------------------------------------------------------------

_KEY_BEFORE = re.compile(r"([a-z_]+):\s*(?:\[(?:[^\]]*,)?\s*)?([^\s,\[\]{}:'\"]*)$")
_LIST_ITEM = re.compile(r"^(\s*)-\s+([^\s,\[\]{}:'\"]*)$")
_PARENT = re.compile(r"^(\s*)(?:-\s+)?([a-z_]+):\s*$")


def completion(
    session: Session, display: str, position: types.Position, live: str | None = None
) -> types.CompletionList:
    """The values the field at the cursor takes, read from `live` (the
    editor's newest text: the check may be a keystroke behind)."""
    lines = Lines.of(live if live is not None else session.text_of(display))
    line = lines.line(position.line)
    prefix = line[: lines.from_utf16(position.line, position.character)]
    key, typed = _field_at(lines, position.line, prefix)
    reference, choices = _choices_for(session, display, key) if key else ("", ())
    role = reference in ("roleId", "roleRef")
    start = types.Position(
        line=position.line, character=position.character - len(typed.encode("utf-16-le")) // 2
    )
    replace = types.Range(start=start, end=position)
    items = [
        types.CompletionItem(
            label=choice.value,
            kind=types.CompletionItemKind.Reference
            if role
            else types.CompletionItemKind.EnumMember,
            detail=choice.label,
            label_details=types.CompletionItemLabelDetails(description=choice.label),
            documentation=choice.detail or None,
            filter_text=f"{choice.value} {choice.label}",
            sort_text=f"{number:05d}",
            text_edit=types.TextEdit(range=replace, new_text=choice.value),
        )
        for number, choice in enumerate(choices)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _field_at(lines: Lines, row: int, prefix: str) -> tuple[str, str]:
    """The field whose value the cursor is in, and what is typed of it."""
    match = _KEY_BEFORE.search(prefix)
    if match is not None:
        return match.group(1), match.group(2)
    item = _LIST_ITEM.match(prefix)
    if item is None:
        return "", ""
    indent = len(item.group(1))
    for above in range(row - 1, max(row - 200, -1), -1):
        parent = _PARENT.match(lines.line(above))
        if parent is not None and len(parent.group(1)) <= indent:
            return parent.group(2), item.group(2)
    return "", ""


def _choices_for(session: Session, display: str, key: str) -> tuple[str, Sequence[Choice]]:
    """The choices of the field `key` in this file: its reference read from
    the shipped schema of the file's kind (views.choices.references_by_key),
    its choices from the one mapping every front end shares (for_reference)."""
    model = session.latest().model
    kind = "partnership" if display == model.partnership_path else "policy"
    reference = references_by_key(kind).get(key)
    if reference is None:
        return "", ()
    org = next((o.id for o in model.organisations if o.path == display), None)
    return reference, for_reference(choices_for(model), reference, org) or ()


# -- rename and fixes ---------------------------------------------------------


def prepare_rename(
    session: Session, display: str, position: types.Position
) -> types.PrepareRenamePlaceholder | None:
    occurrence = occurrence_at(session, display, position)
    if occurrence is None:
        return None
    location = occurrence.location
    lines = Lines.of(session.text_of(display))
    return types.PrepareRenamePlaceholder(
        range=lines.range_at(location.line, location.column),
        placeholder=occurrence.symbol[1].rpartition("/")[2],
    )


def rename(
    session: Session, display: str, position: types.Position, new_id: str
) -> types.WorkspaceEdit | None:
    """Every definition and reference of the symbol under the cursor, renamed
    through the editing layer (each file's comments and layout kept)."""
    occurrence = occurrence_at(session, display, position)
    if occurrence is None:
        return None
    if not is_id(new_id):
        raise ValueError(
            f"`{new_id[:80]}` is not an id: use lower-case letters, digits and hyphens, "
            "starting with a letter or digit (at most 64)."
        )
    edits = tuple(
        FixEdit(o.path, o.pointer, "set", o.renamed(new_id), o.written)
        for o in session.index().occurrences(occurrence.symbol)
    )
    fix = Fix("safe", f"Rename `{occurrence.symbol[1]}` to `{new_id}`.", edits)
    return workspace_edit(session, [fix], every=True)


def workspace_edit(
    session: Session, fixes: Sequence[Fix], *, every: bool = False
) -> types.WorkspaceEdit | None:
    """The text edits that apply `fixes`, file by file; None when one cannot
    be applied and `every` is asked for (a rename is all or nothing)."""
    changes: dict[str, list[types.TextEdit]] = {}
    paths = sorted({e.path for fix in fixes for e in fix.edits})
    for path in paths:
        old = session.text_of(path)
        document = open_bytes(old.encode("utf-8", "surrogatepass"), path)
        if isinstance(document, Refusal):
            if every:
                raise ValueError(f"{path} cannot be changed: {document.reason}")
            continue
        outcome = fixed(document, fixes)
        if outcome.left and every:
            raise ValueError(f"{path} cannot be changed: {outcome.left[0][1]}")
        if outcome.text is not None:
            changes[session.uri(path)] = line_edits(document.text, outcome.text)
    return types.WorkspaceEdit(changes=changes) if changes else None


#: the code action that applies every safe fix of a document (as ruff's
#: `source.fixAll.ruff`): editors ask for it on save (`source.fixAll`)
FIX_ALL: Final = "source.fixAll.policycoord"
CODE_ACTION_KINDS: Final = (types.CodeActionKind.QuickFix, FIX_ALL)


def code_actions(
    session: Session, display: str, where: types.Range, only: Sequence[str] | None = None
) -> list[types.CodeAction]:
    """The quick fixes of the findings in `where`, and the document's
    fix-all; `only` (the editor's filter) keeps those of its kinds."""
    actions = quick_fixes(session, display, where) if _wanted(QUICK_FIX, only) else []
    if _wanted(FIX_ALL, only) and (everything := fix_all(session, display)) is not None:
        actions.append(everything)
    return actions


QUICK_FIX: Final = str(types.CodeActionKind.QuickFix.value)


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether `kind` passes the editor's filter: itself or a kind it refines."""
    if only is None:
        return True
    return any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


def fix_all(session: Session, display: str) -> types.CodeAction | None:
    """Every safe fix of the document's findings that changes only this
    document, applied together (editing.fixed: one fix per place; what is
    left is offered again once the editor's change is checked)."""
    fixes = [
        fix
        for fix in wanted(session.findings_in(display), unsafe=False)
        if all(e.path == display for e in fix.edits)
    ]
    change = workspace_edit(session, fixes) if fixes else None
    if change is None:
        return None
    return types.CodeAction(
        title="Apply every safe policycoord fix in this file", kind=FIX_ALL, edit=change
    )


def quick_fixes(session: Session, display: str, where: types.Range) -> list[types.CodeAction]:
    lines = Lines.of(session.text_of(display))
    actions: list[types.CodeAction] = []
    for finding in session.findings_in(display):
        if finding.fix is None:
            continue
        place = lines.range_at(finding.location.line, finding.location.column)
        if not overlaps(place, where):
            continue
        change = workspace_edit(session, [finding.fix])
        if change is None:
            continue
        safe = finding.fix.kind == "safe"
        title = finding.fix.description + ("" if safe else " (check it is what you meant)")
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[session.diagnostic(finding, lines)],
                is_preferred=safe,
                edit=change,
            )
        )
    return actions
