"""Editing: apply a change to a policy document and keep the rest.

Shared by the front ends that change files (the browser workspace, the
workbooks' import, the editor server's fixes). A file is opened
(`open_document`: refused, as data, when editing it would be unsafe),
changes are applied by JSON pointer (`edit`: `SetValue`, `Delete`, `Insert`,
`Move`, `Rename`; or `changes_between` for the fewest changes from the file's data to a
value handed back whole), and the new text is saved (`save`: atomic, never over a newer file,
never when nothing changed) or a new file created (`create`). Everything not
changed keeps its bytes: comments, key order, quoting, blank lines, flow or
block style. docs/architecture.md says what this stage promises and refuses.

document.py (opening, refusals, the file's layout), changes.py (changes as
data, applied to plain data), tree.py (applied to ruamel.yaml's tree),
differences.py (changes between two values), comments.py (the comment
lines below an entry), values.py (new values quoted as they need),
splice.py (only changed lines replaced), edit.py (the new text, read
back), saving.py (writing), fixes.py (findings' fixes applied, `check
--fix`'s loop), text_changes.py (a safe fix as the text it replaces).
"""

from __future__ import annotations

from policycoord.editing.changes import (
    Change,
    ChangeError,
    Delete,
    Insert,
    Move,
    Rename,
    SetValue,
    change_from_dict,
)
from policycoord.editing.differences import changes_between
from policycoord.editing.document import Document, Layout, Refusal, open_bytes, open_document
from policycoord.editing.edit import Edited, edit, new_text
from policycoord.editing.fixes import (
    FileFixed,
    Fixed,
    FixRun,
    fix_files,
    fix_until_stable,
    fixed,
    saved_well,
    wanted,
)
from policycoord.editing.saving import Conflict, Failed, Saved, Unchanged, create, save
from policycoord.editing.splice import Relayout
from policycoord.editing.text_changes import text_changes

__all__ = [
    "Change",
    "ChangeError",
    "Conflict",
    "Delete",
    "Document",
    "Edited",
    "Failed",
    "FileFixed",
    "FixRun",
    "Fixed",
    "Insert",
    "Layout",
    "Move",
    "Refusal",
    "Relayout",
    "Rename",
    "Saved",
    "SetValue",
    "Unchanged",
    "change_from_dict",
    "changes_between",
    "create",
    "edit",
    "fix_files",
    "fix_until_stable",
    "fixed",
    "new_text",
    "open_bytes",
    "open_document",
    "save",
    "saved_well",
    "text_changes",
    "wanted",
]
