"""changes_between(): the fewest changes from what a file holds to what a
person handed back (a form's section, a workbook's sheets)."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from editing.helpers import changed_lines, edited, opened
from policycoord.editing import Delete, Insert, SetValue
from policycoord.editing.changes import apply_to_data
from policycoord.editing.differences import changes_between

POLICY = """\
    policycoord: 1
    organisation:
      id: northshire-academy
      name: Northshire Academy   # as on the letterhead
      sector: education
    # Who to go to
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
        contact: {phone: "01632 960001", hours: office}
      - id: ddsl   # deputy
        title: Deputy DSL
      # the head, last
      - id: head
        title: Headteacher
"""


def test_the_same_value_needs_no_change() -> None:
    document = opened(POLICY)
    data = document.loaded.data
    assert changes_between(data, copy.deepcopy(data)) == []


def test_values_differ_by_type() -> None:
    assert changes_between({"a": 1}, {"a": True}) == [SetValue("/a", True)]
    assert changes_between({"a": "1"}, {"a": 1}) == [SetValue("/a", 1)]
    day = datetime.date(2026, 1, 1)
    assert changes_between({"a": day}, {"a": "2026-01-01"}) == [SetValue("/a", "2026-01-01")]


def test_one_field_changed_in_a_whole_section_changes_one_line() -> None:
    document = opened(POLICY)
    roles = copy.deepcopy(document.loaded.data["roles"])
    roles[1]["title"] = "Deputy Designated Safeguarding Lead"
    changes = changes_between(document.loaded.data["roles"], roles, "/roles")
    assert changes == [SetValue("/roles/1/title", "Deputy Designated Safeguarding Lead")]
    after = edited(document, *changes).text
    assert changed_lines(document.text, after) == [
        "-     title: Deputy DSL",
        "+     title: Deputy Designated Safeguarding Lead",
    ]


def test_an_item_removed_from_the_middle_keeps_the_others_and_their_comments() -> None:
    document = opened(POLICY)
    roles = [r for r in document.loaded.data["roles"] if r["id"] != "ddsl"]
    changes = changes_between(document.loaded.data["roles"], roles, "/roles")
    assert changes == [Delete("/roles/1")]
    after = edited(document, *changes).text
    assert "# the head, last" in after and "as on the letterhead" in after
    assert "ddsl" not in after


def test_an_item_added_and_a_key_order_ignored() -> None:
    old = {"roles": [{"id": "dsl", "title": "DSL"}]}
    new = {"roles": [{"title": "DSL", "id": "dsl"}, {"id": "head", "title": "Head"}]}
    assert changes_between(old, new) == [Insert("/roles/1", {"id": "head", "title": "Head"})]


def test_pointer_tokens_are_escaped() -> None:
    assert changes_between({"a/b": 1, "c~": 1}, {"a/b": 2}) == [
        Delete("/c~0"),
        SetValue("/a~1b", 2),
    ]


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["a", "b", "c", "1"])
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.sampled_from(["x", "y", "z/w"]), inner, max_size=3),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(old=_values, new=_values)
def test_the_changes_turn_old_into_new(old: Any, new: Any) -> None:
    result = apply_to_data({"v": old}, changes_between(old, new, "/v"))
    assert _typed(result["v"]) == _typed(new)


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)
