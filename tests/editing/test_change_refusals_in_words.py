"""A change that cannot apply is refused in the project's words: names in
backticks, never a Python repr (`'ddsl'`, `"it's"`) a person must decode."""

from __future__ import annotations

import pytest

from policycoord.editing.changes import (
    ChangeError,
    Delete,
    Rename,
    apply_to_data,
    change_from_dict,
)

DATA = {"roles": [{"id": "dsl", "deputy": "ddsl"}], "it's": 1}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (Delete("/roles/0/title"), "/roles/0/title: there is no `title` to delete."),
        (Rename("/roles/0/hours", "when"), "/roles/0/hours: there is no `hours` to rename."),
        (Rename("/roles/0/id", "deputy"), "/roles/0/id: there is a `deputy` already."),
        (Rename("/roles/0/id", "it's"), None),
        (Rename("/it's", "roles"), "/it's: there is a `roles` already."),
        (Delete("/roles/first"), "/roles/first: `first` is not a list index."),
    ],
)
def test_refusals_quote_names_in_backticks(change: object, reason: str | None) -> None:
    if reason is None:
        apply_to_data(DATA, [change])  # type: ignore[list-item]
        return
    with pytest.raises(ChangeError) as refused:
        apply_to_data(DATA, [change])  # type: ignore[list-item]
    assert str(refused.value) == reason
    assert "'" not in str(refused.value).replace("it's", "")


def test_an_unknown_change_is_named_in_backticks() -> None:
    with pytest.raises(ChangeError) as refused:
        change_from_dict({"op": "swap", "path": "/roles/0"})
    assert str(refused.value).startswith("Unknown change `swap`:")
