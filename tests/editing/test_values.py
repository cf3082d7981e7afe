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


FOLDED = """\
organisation:
  id: police
summary: >
  Wessex Coast Police polices Harbourne District from Harbourne and Eastcliff
  stations. The control room takes every emergency call. The PPU investigates
  abuse within families, and the Child Exploitation Team investigates child
  prostitution, county lines and online grooming, working alongside the youth
  justice exploitation lead.
roles: []
"""


def test_a_folded_block_stays_folded_at_its_width_and_only_lines_near_the_change_move() -> None:
    """A fix of a few words in a wrapped summary (an avoided term) keeps
    the block folded (`>`) and wrapped as wide as it was: the lines before
    the change are the same bytes, none is wider than the widest before."""
    document = opened(FOLDED)
    text = load_bytes(FOLDED.encode(), "x.yaml").data["summary"]
    new = text.replace("child prostitution", "sexual exploitation of children")
    result = edited(document, SetValue("/summary", new))
    after = result.new_bytes.decode("utf-8")
    assert load_bytes(result.new_bytes, "x.yaml").data["summary"] == new
    before_lines, after_lines = FOLDED.splitlines(), after.splitlines()
    assert after_lines[:5] == before_lines[:5]  # up to the line the change is on
    assert after_lines[2] == "summary: >"
    widest = max(len(line) for line in before_lines)
    assert all(len(line) <= widest for line in after_lines), after
    assert after_lines[-1] == "roles: []"
    assert len(after_lines) == len(before_lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("ab  .,:#-'\"\t\n"), max_size=300))
@example("a" * 120 + " b")  # a word wider than the block
@example("a  b " * 40)  # double spaces are never folded
def test_any_text_replacing_a_folded_block_loads_back_equal(text: str) -> None:
    result = edited(opened(FOLDED), SetValue("/summary", text))
    assert load_bytes(result.new_bytes, "x.yaml").data["summary"] == text
