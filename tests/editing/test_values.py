"""Text a person typed is hostile input: every string set as a value reads
back through policycoord's own loader as the string it is, and the file
never holds the invisible characters it may contain."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from editing.helpers import changed_lines, edited, opened
from policycoord.editing import SetValue
from policycoord.editing.values import plain_is_safe, styled
from policycoord.input.loading import load_bytes

POLICY = """\
    # St Mary's: who does what
    organisation:
      id: st-marys   # the id others use
      name: "St Mary's Primary"
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
      - {id: ddsl, title: Deputy}
    """

HOSTILE = [
    "key: value",
    "a # not a comment",
    "#starts like a comment",
    "- looks like a list item",
    "-",
    "?",
    ": colon first",
    "it's",
    '"double"',
    "'single'",
    "two\nlines",
    "ends with a newline\n",
    "  leading spaces",
    "trailing spaces  ",
    "<script>alert(1)</script>",
    "right\u202eto left",
    "zero\u200bwidth",
    "bell\x07",
    "escape \x1b[31m red",
    "tab\there",
    "carriage\rreturn",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "False",
    "NULL",
    "null",
    "~",
    "",
    "2026-01-01",
    "2026-01-01 10:00:00",
    "12:30",
    "007",
    "0x1F",
    "1e3",
    "1_000",
    ".inf",
    "-.nan",
    "3.14",
    "+1",
    "0o17",
    "{a: 1}",
    "[1, 2]",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "|",
    ">",
    "---",
    "...",
    "a: b: c",
    "Ünïcödé Cymraeg: ŵ ŷ",
    "emoji 🙂",
    "\\backslash\\",
    "line\u2028separator",
    "\ufeffbom",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("pointer", ["/roles/0/title", "/roles/1/title", "/organisation/new"])
def test_a_hostile_string_reads_back_as_itself(text: str, pointer: str) -> None:
    document = opened(POLICY)
    result = edited(document, SetValue(pointer, text))
    loaded = load_bytes(result.new_bytes, "orgs/test.yaml")
    assert loaded.loaded
    node = loaded.data
    for token in pointer[1:].split("/"):
        node = node[int(token)] if isinstance(node, list) else node[token]
    assert node == text and type(node) is str
    assert "# St Mary's: who does what" in result.text and "# the id others use" in result.text
    for hidden in ("\u202e", "\u200b", "\x07", "\x1b", "\u2028"):
        assert hidden not in result.text, "hidden characters are written as escapes"
    if "\n" not in text and pointer != "/organisation/new":
        assert len(changed_lines(document.text, result.text)) == 2


def test_yaml_words_are_quoted_and_ordinary_text_is_not() -> None:
    for word in ("yes", "No", "on", "null", "2026-01-01", "007", "12:30", "1_000", "~"):
        assert not plain_is_safe(word), word
        assert styled(word) != word or type(styled(word)) is not str
    for text in ("Designated Safeguarding Lead", "24 hours", "dsl", "St Mary's"):
        assert plain_is_safe(text) and type(styled(text)) is str


def test_a_new_mapping_list_number_and_date_read_back_with_their_types() -> None:
    document = opened(POLICY)
    value = {
        "id": "yes",
        "title": "On call",
        "deputies": ["no", 7, True, None],
        "since": datetime.date(2026, 1, 1),
        "ratio": 0.5,
    }
    result = edited(document, SetValue("/roles/0/extra", value))
    data = load_bytes(result.new_bytes, "x.yaml").data
    assert data["roles"][0]["extra"] == value
    assert type(data["roles"][0]["extra"]["deputies"][1]) is int


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_any_string_set_as_a_value_loads_back_equal(text: str) -> None:
    document = opened(POLICY)
    result = edited(document, SetValue("/roles/0/title", text))
    data = load_bytes(result.new_bytes, "x.yaml").data
    assert data["roles"][0]["title"] == text
    assert data["organisation"] == {"id": "st-marys", "name": "St Mary's Primary"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=20), st.text(max_size=20))
@example("", ":0")  # plain, `:0` is no scalar in a flow mapping: it is quoted
@example("notes", "Phone, then email")
@example("x]", "{a}")
@example("title", "[DSL]")
def test_any_key_and_value_in_a_flow_mapping_load_back_equal(key: str, text: str) -> None:
    document = opened(POLICY)
    result = edited(
        document, SetValue("/roles/1/" + key.replace("~", "~0").replace("/", "~1"), text)
    )
    data = load_bytes(result.new_bytes, "x.yaml").data
    assert data["roles"][1][key] == text
