"""What a page keeps of a person's changes when they could not be saved:
text they can copy from, never Python's notation for the changes."""

from __future__ import annotations

from policycoord.editing import Delete, Move, SetValue
from policycoord.serve.writing import _kept_text


def test_changes_that_no_longer_fit_are_kept_in_words() -> None:
    data = {"organisation": {"id": "st-marys"}}
    changes = [
        SetValue("/roles/4/title", "Designated Safeguarding Lead <DSL> \u00e9"),
        Delete("/roles/9"),
        Move("/roles/7", 0),
    ]
    kept = _kept_text(data, changes)
    assert kept.splitlines() == [
        '/roles/4/title: "Designated Safeguarding Lead <DSL> \u00e9"',
        "/roles/9: removed",
        "/roles/7: moved to place 1",
    ]
    assert "SetValue(" not in kept and "pointer=" not in kept
