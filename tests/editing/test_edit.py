"""Changes applied to a document: only what changed changes, byte for byte."""

from __future__ import annotations

import pytest

from editing.helpers import changed_lines, edited, opened, refused
from policycoord.editing import (
    ChangeError,
    Delete,
    Insert,
    Move,
    SetValue,
    change_from_dict,
    edit,
    new_text,
)
from policycoord.input.loading import load_bytes

POLICY = """\
    # Northshire Academy: safeguarding policy
    "policycoord": 1
    organisation:
      id: northshire-academy
      name: 'Northshire Academy'   # as on the letterhead
      sector: education

    # Who to go to
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
        contact: {phone: "01632 960001", hours: "08:00-17:00"}
      - id: ddsl   # deputy
        title: Deputy DSL
      # the head, last
      - id: head
        title: Headteacher

    escalations:
      - concern: neglect
        steps:
          - to: dsl
            within: 1 working day
    """


def test_no_change_gives_the_exact_original_bytes() -> None:
    document = opened(POLICY)
    result = edited(document)
    assert result.new_bytes == document.raw and result.unchanged
    assert result.replaced == () and result.relayouts == ()


def test_one_value_changes_one_line_and_keeps_its_quoting_and_comment() -> None:
    document = opened(POLICY)
    result = edited(document, SetValue("/organisation/name", "Northshire Academy Trust"))
    assert changed_lines(document.text, result.text) == [
        "-   name: 'Northshire Academy'   # as on the letterhead",
        "+   name: 'Northshire Academy Trust' # as on the letterhead",
    ]
    assert result.replaced == ((5, 5),)


def test_a_value_in_a_flow_mapping_changes_in_place() -> None:
    document = opened(POLICY)
    result = edited(document, SetValue("/roles/0/contact/hours", "24/7"))
    assert changed_lines(document.text, result.text) == [
        '-     contact: {phone: "01632 960001", hours: "08:00-17:00"}',
        '+     contact: {phone: "01632 960001", hours: "24/7"}',
    ]


def test_a_new_key_goes_after_the_last_and_before_the_next_sections_comment() -> None:
    document = opened(POLICY)
    result = edited(document, SetValue("/organisation/website", "https://example.org"))
    assert changed_lines(document.text, result.text) == ["+   website: https://example.org"]
    lines = result.text.splitlines()
    assert lines[lines.index("  website: https://example.org") + 2] == "# Who to go to"


def test_insert_a_list_item_in_the_files_own_layout() -> None:
    document = opened(POLICY)
    result = edited(document, Insert("/roles/2", {"id": "pastoral", "title": "Pastoral Lead"}))
    assert changed_lines(document.text, result.text) == [
        "+   - id: pastoral",
        "+     title: Pastoral Lead",
    ]
    lines = result.text.splitlines()
    index = lines.index("  - id: pastoral")
    assert lines[index + 2 : index + 4] == ["  # the head, last", "  - id: head"], (
        "the comment stays with the head"
    )
    appended = edited(document, Insert("/roles/-", {"id": "x", "title": "X"}))
    assert appended.text.splitlines()[16:19] == [
        "    title: Headteacher",
        "  - id: x",
        "    title: X",
    ]
    assert "\n\nescalations:" in appended.text


def test_delete_a_key_and_a_list_item() -> None:
    document = opened(POLICY)
    result = edited(document, Delete("/organisation/sector"), Delete("/roles/0"))
    assert changed_lines(document.text, result.text) == [
        "-   sector: education",
        "-   - id: dsl",
        "-     title: Designated Safeguarding Lead",
        '-     contact: {phone: "01632 960001", hours: "08:00-17:00"}',
    ]
    last = edited(document, Delete("/roles/2"))
    assert "Headteacher" not in last.text and "\n\nescalations:" in last.text


def test_move_a_list_item() -> None:
    document = opened(POLICY)
    result = edited(document, Move("/roles/2", 0))
    data = load_bytes(result.new_bytes, "x").data
    assert [role["id"] for role in data["roles"]] == ["head", "dsl", "ddsl"]
    assert "# Who to go to" in result.text and "# deputy" in result.text
    assert result.text.endswith(POLICY.split("escalations:")[1].replace("\n    ", "\n"))


def test_several_changes_in_one_edit_each_see_the_ones_before() -> None:
    document = opened(POLICY)
    result = edited(
        document,
        Insert("/roles/0", {"id": "new", "title": "New"}),
        SetValue("/roles/1/title", "DSL"),  # dsl, now second
        Delete("/escalations/0/steps/0/within"),
    )
    data = load_bytes(result.new_bytes, "x").data
    assert data["roles"][1] == {
        "id": "dsl",
        "title": "DSL",
        "contact": {"phone": "01632 960001", "hours": "08:00-17:00"},
    }
    assert data["escalations"][0]["steps"][0] == {"to": "dsl"}
    assert len(changed_lines(document.text, result.text)) == 5


def test_a_block_text_stays_a_block() -> None:
    document = opened(
        """\
        summary: >-
          A charity running youth clubs
          across Northshire.
        notes: |
          First line
          Second line
        """
    )
    result = edited(document, SetValue("/summary", "A charity."), SetValue("/notes", "One\nTwo\n"))
    assert result.text == "summary: >-\n  A charity.\nnotes: |\n  One\n  Two\n"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (SetValue("/roles/9/title", "x"), "no item 9"),
        (SetValue("/nothing/here", "x"), "there is no /nothing"),
        (Delete("/organisation/nothing"), "no `nothing` to delete"),
        (Insert("/organisation/id", "x"), "for list items"),
        (Move("/roles/0", 5), "cannot move to 5"),
        (SetValue("roles", "x"), "must start with '/'"),
        (SetValue("/roles/01", "x"), "not a list index"),
        (SetValue("/organisation/id/deeper", "x"), "not a list or a mapping"),
        (SetValue("/organisation/when", float("nan")), "not a number"),
        (SetValue("/organisation/when", object()), "cannot hold a object"),
        (SetValue("/organisation/when", {1: "x"}), "keys must be text"),
        (SetValue("", {"a": 1}), "one field at a time"),
    ],
)
def test_a_change_that_cannot_apply_is_refused_with_its_reason(change: object, says: str) -> None:
    document = opened(POLICY)
    refusal = refused(document, change)  # type: ignore[arg-type]
    assert says in refusal.reason


def test_anchored_parts_are_refused_and_the_rest_is_editable() -> None:
    document = opened(
        """\
        office: &office {phone: "1", hours: "9-5"}
        roles:
          - id: dsl
            contact: *office
          - id: ddsl
            title: Deputy
        """
    )
    assert "anchor &office" in refused(document, SetValue("/roles/0/contact/hours", "24/7")).reason
    assert "anchor &office" in refused(document, SetValue("/office/hours", "24/7")).reason
    result = edited(document, SetValue("/roles/1/title", "Deputy DSL"))
    assert changed_lines(document.text, result.text) == [
        "-     title: Deputy",
        "+     title: Deputy DSL",
    ]


def test_changes_from_their_json_form() -> None:
    assert change_from_dict({"op": "set", "path": "/a", "value": 1}) == SetValue("/a", 1)
    assert change_from_dict({"op": "insert", "path": "/a/-", "value": 1}) == Insert("/a/-", 1)
    assert change_from_dict({"op": "delete", "path": "/a"}) == Delete("/a")
    assert change_from_dict({"op": "move", "path": "/a/0", "to": 2}) == Move("/a/0", 2)
    for bad in ({"op": "set", "path": "/a"}, {"op": "move", "path": "/a", "to": True}, {}):
        with pytest.raises(ChangeError):
            change_from_dict(bad)


def test_a_relayout_touching_the_change_is_reported() -> None:
    """FACTS.md: a flow mapping wrapped over two lines comes back joined.
    Untouched, it keeps its bytes; changed, the lines it had are named."""
    text = """\
        roles:
          - {id: dsl, title: Designated Safeguarding Lead,
              contact: {phone: "1"}}
          - id: ddsl
            title: Deputy
        """
    document = opened(text)
    assert document.rendered != document.text
    untouched = edited(document, SetValue("/roles/1/title", "Deputy DSL"))
    assert untouched.relayouts == ()
    assert "Lead,\n      contact" in untouched.text
    touched = edited(document, SetValue("/roles/0/title", "DSL"))
    assert [(r.first_line, r.last_line) for r in touched.relayouts] == [(2, 3)]
    assert "- {id: dsl, title: DSL, contact: {phone: '1'}}" in touched.relayouts[0].rewritten or (
        '- {id: dsl, title: DSL, contact: {phone: "1"}}' in touched.relayouts[0].rewritten
    )
    assert load_bytes(touched.new_bytes, "x").data["roles"][0]["title"] == "DSL"


def test_comments_above_the_document_start_are_kept() -> None:
    document = opened("# header\n---\nid: a   # end\nname: b\n")
    result = edited(document, SetValue("/name", "c"))
    assert result.text == "# header\n---\nid: a   # end\nname: c\n"
    first = edited(document, SetValue("/id", "z"))
    assert load_bytes(first.new_bytes, "x").data == {"id": "z", "name": "b"}
    assert "# end" in first.text


def test_a_byte_order_mark_and_windows_line_ends_are_kept() -> None:
    from policycoord.editing import Document, open_bytes

    raw = "\ufeffid: a\r\nname: b\r\n# end\r\n".encode()
    document = open_bytes(raw, "x.yaml")
    assert isinstance(document, Document)
    assert edit(document, []).new_bytes == raw  # type: ignore[union-attr]
    result = edited(document, SetValue("/name", "c"))
    assert result.new_bytes == "\ufeffid: a\r\nname: c\r\n# end\r\n".encode()


def test_a_new_file_from_data_reads_back() -> None:
    data = {
        "policycoord": 1,
        "organisation": {"id": "new-org", "name": "yes"},
        "roles": [{"id": "dsl", "title": "DSL"}],
    }
    text = new_text(data)
    assert isinstance(text, str)
    assert load_bytes(text.encode(), "x").data == data
    assert "  - id: dsl\n" in text and "name: 'yes'" in text
