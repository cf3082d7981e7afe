"""`editing.workbook_wording` rewrites only what policycoord wrote (places,
backticked fields, line numbers); the policy text a message quotes reaches
the workbook exactly as the policy holds it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policycoord.editing.workbook_wording import Wording
from policycoord.input.workbooks.sections import Place


class _Words:
    def shown(self, kind: str, value: str) -> str:
        return {"northshire-cs/mash": "Northshire CS: MASH"}.get(value, value)

    def value(self, kind: str, text: str) -> str:
        return text


WORDING = Wording(
    "orgs/school.yaml",
    lambda line: Place("Roles", 800, 2),
    {"orgs/other.yaml": "Other Club"},
    _Words(),
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            'The title says "ring the help line 0800 111" (orgs/school.yaml:12:5).',
            'The title says "ring the help line 0800 111" (row 800 of the Roles sheet, “Title”).',
        ),
        (
            "The title says “see `within` at orgs/school.yaml:3, line 12”; add `within`.",
            "The title says “see `within` at orgs/school.yaml:3, line 12”; "
            "add the “Within” column.",
        ),
        (
            'Add `to: northshire-cs/mash` on line 4; "orgs/other.yaml: to: x" is quoted.',
            "Add “Northshire CS: MASH” in the “To” column in row 800 of the Roles sheet, "
            '“Title”; "orgs/other.yaml: to: x" is quoted.',
        ),
        (  # a quotation mark inside backticks is ours, not the start of a quote
            'Set `to: "x` as in orgs/other.yaml.',
            "Set “\"x” in the “To” column as in Other Club's policy.",
        ),
    ],
)
def test_quoted_policy_text_is_never_rewritten(message: str, expected: str) -> None:
    assert WORDING(message) == expected


_HOSTILE = st.lists(
    st.sampled_from([*"abc 0123456789:`/.-_'“", "line ", "orgs/school.yaml", "`within`"]),
    max_size=20,
).map("".join)


@given(_HOSTILE, _HOSTILE)
def test_any_quoted_text_comes_through_unchanged(quoted: str, curly: str) -> None:
    message = f'The policy says "{quoted}" and “{curly}” (orgs/school.yaml:7).'
    worded = WORDING(message)
    assert f'"{quoted}"' in worded
    assert f"“{curly}”" in worded
    assert worded.endswith("(row 800 of the Roles sheet, “Title”).")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (  # an id the lists know reads as its label, not said twice
            "No accountable role for `northshire-cs/mash` (Northshire CS: MASH).",
            "No accountable role for “Northshire CS: MASH”.",
        ),
        ("Escalates to `quayside/pm`.", "Escalates to “quayside/pm”."),  # unknown: the id
        (
            "the “To” column must be a role id such as dsl, or an organisation id, a slash and "
            "a role id, such as northshire-cs/mash; St Anne's wrote “Quayside Surgery: Practice "
            "Manager”.",
            "the “To” column must name a role from its list: choose one of the list's roles; "
            "St Anne's wrote “Quayside Surgery: Practice Manager”.",
        ),
    ],
)
def test_ids_the_lists_know_read_as_their_labels(message: str, expected: str) -> None:
    assert WORDING(message) == expected
