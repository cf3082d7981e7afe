"""input/workbooks: a policy's data as a workbook's rows and back
(`sections`), and the archive checks made before a workbook is opened
(`archive`). What a round trip must keep: every value a row leaves alone,
with its type; what a person types: labels read as ids, dates as dates,
several senders split at `;`."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.input.workbooks.archive import Refused, inspect
from policycoord.input.workbooks.layout import DETAILS, FIRST_ROW, PARTS, cell_name
from policycoord.input.workbooks.sections import (
    detail_texts,
    part_rows,
    policy_data,
    safe_text,
    text_of,
    value_of,
)


class Words:
    """Labels as a workbook shows them: `Role <id>` for roles."""

    def shown(self, kind: str, value: str) -> str:
        return f"Role {value}" if kind in ("own-role", "role-target") else value

    def value(self, kind: str, text: str) -> str:
        if kind in ("own-role", "role-target") and text.startswith("Role "):
            return text.removeprefix("Role ")
        return text


WORDS = Words()


def read_back(data: dict[str, Any]) -> dict[str, Any]:
    """`data` shown as rows and read back, as if the workbook came back untouched."""
    details = detail_texts(data, WORDS)
    parts = {
        part.name: [(FIRST_ROW + i, texts) for i, texts in enumerate(part_rows(data, part, WORDS))]
        for part in PARTS
    }
    rows = [FIRST_ROW + i for i in range(len(DETAILS))]
    found, _ = policy_data(details, rows, parts, data, WORDS)
    return found


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
scalar = st.one_of(text, st.integers(), st.booleans(), st.none(), st.dates())


def sparse(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """An entry with any of `fields`, none of them required: a file may hold
    an entry with only some of its fields (or none), and must come back so."""
    return st.fixed_dictionaries({}, optional=fields)


contact = sparse(phone=scalar, email=text, hours=text)
role = sparse(id=text, title=scalar, contact=contact, deputy=text)
step = sparse(to=text, within=scalar, action=text, out_of_hours=text)
escalation = sparse(concern=scalar, steps=st.lists(step, max_size=3))
review = sparse(approved=scalar, next_review=scalar)
policy = st.fixed_dictionaries(
    {
        "policycoord": st.just(1),
        "organisation": sparse(id=text, name=scalar, sector=text, review=review),
    },
    optional={
        "roles": st.lists(role, max_size=3),
        "responsibilities": st.lists(
            sparse(duty=text, role=text, raci=text, within=scalar, notes=scalar), max_size=3
        ),
        "escalations": st.lists(escalation, max_size=4),
        "receives": st.lists(
            sparse(concern=text, role=text, within=scalar, **{"from": st.lists(text, max_size=3)}),
            max_size=3,
        ),
        "glossary": st.lists(sparse(term=text, meaning=scalar, definition=scalar), max_size=3),
        "sharing": st.lists(sparse(purpose=scalar, basis=scalar, **{"with": text}), max_size=3),
        "commitments": st.lists(sparse(theme=text, text=scalar), max_size=3),
        "summary": scalar,
    },
)


@settings(max_examples=500, deadline=None)
@given(policy)
def test_rows_read_back_untouched_give_the_data_again(data: dict[str, Any]) -> None:
    assert read_back(data) == data


def test_a_changed_cell_changes_only_its_value_typed_as_the_field_is() -> None:
    data = {
        "policycoord": 1,
        "organisation": {
            "id": "a",
            "name": "A",
            "sector": "sport",
            "review": {"approved": datetime.date(2026, 1, 2), "x": 1},
        },
        "roles": [
            {"id": "dsl", "title": "Lead", "contact": {"phone": "1", "email": "e"}, "unknown": [1]}
        ],
        "receives": [{"concern": "harm", "role": "dsl", "from": ["education"]}],
    }
    details = detail_texts(data, WORDS)
    assert (
        details[DETAILS.index(next(d for d in DETAILS if d.label == "Policy approved on"))]
        == "2026-01-02"
    )
    details = [
        t if d.label != "Next review due" else "2027-01-02"
        for d, t in zip(DETAILS, details, strict=True)
    ]
    parts = {part.name: [(2, r) for r in part_rows(data, part, WORDS)] for part in PARTS}
    roles = parts["Roles"][0][1]
    parts["Roles"] = [(2, (roles[0], roles[1], "", *roles[3:]))]  # the phone cleared
    parts["Receives"] = [(2, ("harm", "Role dsl", "education; health ;\n*", ""))]
    found, places = policy_data(details, [2 + i for i in range(len(DETAILS))], parts, data, WORDS)
    assert found["organisation"]["review"] == {
        "approved": datetime.date(2026, 1, 2),
        "x": 1,
        "next_review": datetime.date(2027, 1, 2),
    }
    assert found["roles"] == [
        {"id": "dsl", "title": "Lead", "contact": {"email": "e"}, "unknown": [1]}
    ]
    assert found["receives"][0]["from"] == ["education", "health", "*"]
    assert (
        cell_name(*(lambda p: (p.sheet, p.row, p.column))(places["/roles/0/contact/phone"]))
        == "Roles!C2"
    )
    assert cell_name("Escalation steps", 4, 28) == "'Escalation steps'!AB4"


def test_values_from_text() -> None:
    assert value_of("date", " 2027-02-30 ", WORDS) == "2027-02-30"  # not a date: the schema says so
    assert value_of("date", "2027-02-28", WORDS) == datetime.date(2027, 2, 28)
    assert value_of("own-role", "Role ddsl", WORDS) == "ddsl"
    assert value_of("own-role", "ddsl", WORDS) == "ddsl"
    assert text_of("text", "a\u202eb\x07c\nd", WORDS) == "a<U+202E>b\\x07c\nd"
    assert safe_text("\ud800") == "<U+D800>"


def test_the_archive_is_checked_before_it_is_opened(tmp_path: Path) -> None:
    made = tmp_path / "w.xlsx"
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    assert inspect(made, "w.xlsx").external_links == ("xl/externalLinks/externalLink1.xml",)
    with zipfile.ZipFile(made, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (5 * 1024 * 1024) + b"</sst>")
    with pytest.raises(Refused, match="zip bomb"):
        inspect(made, "w.xlsx")
    empty = tmp_path / "e.xlsx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("a.txt", "a")
    with pytest.raises(Refused, match="has no workbook part"):
        inspect(empty, "e.xlsx")
