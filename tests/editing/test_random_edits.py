"""Random edits of a real policy file: each is applied exactly or refused
with a reason, never an exception, and every line outside the changed runs
keeps its bytes."""

from __future__ import annotations

import os
from typing import Any

from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editing.helpers import opened
from policycoord.editing import Delete, Edited, Insert, Move, Refusal, SetValue, edit
from policycoord.editing.changes import Change, apply_to_data
from policycoord.input.loading import escape_pointer_token, load_bytes

DOCUMENT = opened((EXAMPLES / "orgs" / "st-marys-primary.yaml").read_text(encoding="utf-8"))


def _places(node: Any, pointer: str = "") -> list[tuple[str, Any]]:
    found = [(pointer, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, f"{pointer}/{escape_pointer_token(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, f"{pointer}/{index}")
    return found


PLACES = _places(DOCUMENT.loaded.data)[1:]
LISTS = [(p, n) for p, n in _places(DOCUMENT.loaded.data) if isinstance(n, list) and n]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=15),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    kind = draw(st.sampled_from(["set", "delete", "insert", "move", "new-key"]))
    pointer, _ = draw(st.sampled_from(PLACES))
    if kind == "set":
        return SetValue(pointer, draw(VALUES))
    if kind == "delete":
        return Delete(pointer)
    if kind == "new-key":
        return SetValue(
            "/organisation/" + draw(st.sampled_from(["website", "notes"])), draw(VALUES)
        )
    where, items = draw(st.sampled_from(LISTS))
    index = draw(st.integers(0, len(items) - 1))
    if kind == "insert":
        return Insert(f"{where}/{index}", draw(VALUES))
    return Move(f"{where}/{index}", draw(st.integers(0, len(items) - 1)))


@settings(
    max_examples=int(os.environ.get("POLICYCOORD_EDIT_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(changes(), min_size=1, max_size=3))
def test_a_random_edit_is_exact_or_refused(batch: list[Change]) -> None:
    result = edit(DOCUMENT, batch)
    if isinstance(result, Refusal):
        assert result.reason
        return
    assert isinstance(result, Edited)
    assert load_bytes(result.new_bytes, "x.yaml").data == apply_to_data(DOCUMENT.loaded.data, batch)
    lines = DOCUMENT.text.splitlines(keepends=True)
    replaced = {n for first, last in result.replaced for n in range(first, last + 1)}
    new = iter(result.text.splitlines(keepends=True))
    for number, line in enumerate(lines, 1):
        if number not in replaced:
            assert any(line == candidate for candidate in new), (number, line)
    comments = [line.strip() for line in lines if line.lstrip().startswith("#")]
    if all(isinstance(change, Insert) for change in batch):
        for comment in comments:
            assert comment in result.text
