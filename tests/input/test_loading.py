"""The YAML loader (policycoord.input.loading): data equal to `yaml.safe_load`, a
source map that points at the right line and column, and every hostile input
turned into a finding (PC001, PC002, PC005, PC009, PC010) instead of an
exception.

The equivalence tests run over the YAML test suite corpus in
`../shared/corpus/yaml-test-suite` (skipped when that folder is absent).
Where policycoord deliberately reads a file differently from `safe_load`,
the case is listed in `PARSER_DIFFERENCES` or `DELIBERATE_DIFFERENCES` with
its reason, and the test checks that the difference is still real.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycoord.input import loading
from policycoord.input.loading import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    LoadedFile,
    escape_pointer_token,
    files,
    key_text,
    load_bytes,
    load_file,
)

CORPUS = SHARED / "corpus/yaml-test-suite"
CORPUS_FILES = sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []
#: What libyaml (and so the source map) counts as a line break.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# -- helpers -----------------------------------------------------------------


def load(text: str | bytes) -> LoadedFile:
    return load_bytes(text.encode("utf-8") if isinstance(text, str) else text, "policy.yaml")


def codes(loaded: LoadedFile) -> list[str]:
    return [code for code, _ in loaded.problems]


def only(loaded: LoadedFile, code: str) -> Any:
    """The one problem with `code` (a Violation)."""
    found = [violation for found_code, violation in loaded.problems if found_code == code]
    assert len(found) == 1, f"expected one {code}, got {loaded.problems}"
    return found[0]


def fatal(loaded: LoadedFile) -> list[str]:
    """The codes that stop a file from loading (PC010 from bytes: a Git LFS
    pointer or a git-crypt file)."""
    return [code for code in codes(loaded) if code in ("PC001", "PC005", "PC010")]


def same(a: Any, b: Any) -> bool:
    """Deep equality where NaN equals NaN and types must match (1 != True)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def resolve(data: Any, pointer: str) -> Any:
    """Follow a JSON pointer as the source map writes it (keys through
    `key_text`, `!!omap`/`!!pairs` entries as (key, value) tuples)."""
    current = data
    for token in pointer.split("/")[1:]:
        if isinstance(current, dict | set | frozenset):
            matches = [key for key in current if escape_pointer_token(key_text(key)) == token]
            assert matches, f"{token!r} of {pointer!r} is not a key of {current!r}"
            current = current[matches[0]] if isinstance(current, dict) else None
        elif isinstance(current, tuple):
            assert escape_pointer_token(key_text(current[0])) == token, pointer
            current = current[1]
        else:
            assert isinstance(current, list), f"{pointer!r} goes through {current!r}"
            current = current[int(token)]
    return current


def line_count(text: str) -> int:
    return len(LINE_BREAK.findall(text)) + 1


def text_at(text: str, line: int, column: int) -> str:
    """The rest of the line from a 1-based position (a leading BOM is not a column)."""
    rows = LINE_BREAK.split(text.removeprefix("\ufeff"))
    return rows[line - 1][column - 1 :]


def assert_positions_inside(loaded: LoadedFile, text: str) -> None:
    last = line_count(text)
    for code, violation in loaded.problems:
        where = violation.location
        assert 1 <= where.line <= last, (code, where)
        assert where.column >= 1, (code, where)
        for related in violation.related:
            assert 1 <= related.line <= last and related.column >= 1, (code, related)
    for table in (loaded.source_map.values, loaded.source_map.keys):
        for pointer, (line, column) in table.items():
            assert 1 <= line <= last and column >= 1, (pointer, line, column)


def safe_load_outcome(raw: bytes, loader: Any = yaml.SafeLoader) -> tuple[bool, Any]:
    """(True, data) or (False, exception type name) for one PyYAML loader."""
    try:
        return True, yaml.load(raw, Loader=loader)
    except Exception as error:  # PyYAML raises KeyError and friends too
        return False, type(error).__name__


def our_outcome(loaded: LoadedFile) -> tuple[bool, Any]:
    return (False, fatal(loaded)) if fatal(loaded) else (True, loaded.data)


def outcomes_agree(ours: tuple[bool, Any], theirs: tuple[bool, Any]) -> bool:
    return ours[0] == theirs[0] and (not ours[0] or same(ours[1], theirs[1]))


# -- the source map -------------------------------------------------------------

POLICY = """\
policycoord: 1
organisation:
  id: st-marys-primary
  name: St Mary's Primary School
  sector: education
  review:
    approved: 2026-09-01
    next_review: 2027-09-01
roles:
  - id: dsl
    title: Designated Safeguarding Lead
    contact: {phone: "01234 567890", email: dsl@stmarys.example, hours: office}
    deputy: ddsl
  - id: ddsl
    title: 'Deputy DSL'
responsibilities:
  - duty: refer-to-childrens-social-care
    role: dsl
    raci: accountable
    within: 1 working day
escalations:
  - concern: significant-harm
    steps:
      - to: dsl
        within: immediately
      - to: northshire-cs/mash
        within: 24 hours
        out_of_hours: northshire-cs/edt
glossary: [{term: EHA, meaning: Early Help Assessment}]
summary: >
  Folded text
  on two lines.
"""


def test_realistic_policy_loads_like_safe_load() -> None:
    loaded = load(POLICY)
    assert loaded.loaded
    assert loaded.problems == ()
    assert same(loaded.data, yaml.safe_load(POLICY))


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (1, 1)),
        ("/policycoord", (1, 14)),
        ("/organisation", (3, 3)),
        ("/organisation/id", (3, 7)),
        ("/organisation/name", (4, 9)),
        ("/organisation/review/approved", (7, 15)),
        ("/roles", (10, 3)),
        ("/roles/0", (10, 5)),
        ("/roles/0/id", (10, 9)),
        ("/roles/0/contact", (12, 14)),
        ("/roles/0/contact/phone", (12, 22)),
        ("/roles/0/contact/email", (12, 45)),
        ("/roles/0/contact/hours", (12, 73)),
        ("/roles/1/title", (15, 12)),
        ("/responsibilities/0/within", (20, 13)),
        ("/escalations/0/steps/0/to", (24, 13)),
        ("/escalations/0/steps/1/within", (27, 17)),
        ("/escalations/0/steps/1/out_of_hours", (28, 23)),
        ("/glossary", (29, 11)),
        ("/glossary/0", (29, 12)),
        ("/glossary/0/meaning", (29, 33)),
        ("/summary", (30, 10)),
    ],
)
def test_source_map_positions(pointer: str, position: tuple[int, int]) -> None:
    assert load(POLICY).source_map.values[pointer] == position


def test_every_value_in_the_source_map_points_at_its_text() -> None:
    loaded = load(POLICY)
    assert set(iter_pointers(loaded.data)) == set(loaded.source_map.values)
    for pointer, (line, column) in loaded.source_map.values.items():
        value = resolve(loaded.data, pointer)
        here = text_at(POLICY, line, column)
        if isinstance(value, dict):
            assert here.startswith(("{", key_text(next(iter(value))))), pointer
        elif isinstance(value, list):
            assert here.startswith(("[", "-")), pointer
        elif isinstance(value, str) and pointer != "/summary":
            assert here.startswith((value, f'"{value}', f"'{value}")), (pointer, here)
        elif pointer == "/summary":
            assert here.startswith(">")
        else:
            assert here.startswith(str(value)), (pointer, here)


def test_key_positions() -> None:
    keys = load(POLICY).source_map.keys
    assert keys["/organisation"] == (2, 1)
    assert keys["/organisation/name"] == (4, 3)
    assert keys["/roles/0/id"] == (10, 5)
    assert keys["/roles/0/contact/hours"] == (12, 66)
    assert load(POLICY).source_map.key_position("/roles/0/contact/hours") == (12, 66)
    # a pointer without a key of its own falls back to the value's position
    assert load(POLICY).source_map.key_position("/roles/0") == (10, 5)


def test_flow_mapping_columns() -> None:
    values = load("a: {x: 1, yy: 22, zzz: {w: [1, 2]}}\n").source_map.values
    assert values["/a"] == (1, 4)
    assert values["/a/x"] == (1, 8)
    assert values["/a/yy"] == (1, 15)
    assert values["/a/zzz"] == (1, 24)
    assert values["/a/zzz/w"] == (1, 28)
    assert values["/a/zzz/w/1"] == (1, 32)


def test_multibyte_characters_count_as_one_column_each() -> None:
    text = 'a: {n: "é€😀ü", m: x}\nü€: 😀\n'
    loaded = load(text)
    assert loaded.data == {"a": {"n": "é€😀ü", "m": "x"}, "ü€": "😀"}
    # `a: {n: "é€😀ü", m: ` is 18 characters (25 bytes): m's value is at column 19
    assert loaded.source_map.values["/a/n"] == (1, 8)
    assert loaded.source_map.values["/a/m"] == (1, 19)
    assert loaded.source_map.keys["/ü€"] == (2, 1)
    assert loaded.source_map.values["/ü€"] == (2, 5)


def test_a_byte_order_mark_is_not_a_column() -> None:
    loaded = load("\ufeff" + POLICY)
    assert loaded.problems == ()
    assert loaded.data == load(POLICY).data
    assert loaded.source_map.keys["/policycoord"] == (1, 1)
    assert loaded.source_map.values["/policycoord"] == (1, 14)
    assert loaded.source_map.values == load(POLICY).source_map.values


def test_old_mac_line_endings_count_as_lines() -> None:
    loaded = load("a: 1\rb: 2\rc: 3\r")
    assert loaded.data == {"a": 1, "b": 2, "c": 3}
    assert loaded.source_map.values["/c"] == (3, 4)


def test_position_falls_back_to_the_nearest_ancestor() -> None:
    loaded = load("base: &b {x: 1, deep: {y: 2}}\nuse: *b\n")
    source_map = loaded.source_map
    assert loaded.data["use"] == {"x": 1, "deep": {"y": 2}}
    assert source_map.values["/use"] == (2, 6)
    # inside the alias's expansion: the alias itself
    assert "/use/deep/y" not in source_map.values
    assert source_map.position("/use/deep/y") == (2, 6)
    assert loaded.location("/use/x").line == 2
    # a pointer that is nowhere: the document
    assert source_map.position("/nothing/here") == (1, 1)


def test_merge_keys_leave_no_pointer_of_their_own() -> None:
    loaded = load("a: &a {x: 1}\nb: &b {y: 2}\nm:\n  <<: [*a, *b]\n  z: 3\nn: {<<: {q: 1}}\n")
    assert loaded.data["m"] == {"x": 1, "y": 2, "z": 3}
    for pointer in [*loaded.source_map.values, *loaded.source_map.keys]:
        resolve(loaded.data, pointer)  # every pointer leads to a value
        assert "object at" not in pointer and "<<" not in pointer
    assert loaded.source_map.position("/m/x") == (4, 3)
    assert loaded.source_map.position("/n/q") == (6, 4)


# -- equivalence with yaml.safe_load over the YAML test suite -----------------------

#: Files that PyYAML's two parsers read differently: `yaml.safe_load` uses the
#: pure-Python parser, policycoord uses libyaml's C parser (SPEC §7: speed). In
#: every one of these policycoord gives exactly what
#: `yaml.load(raw, Loader=yaml.CSafeLoader)` gives.
_TAB = "libyaml accepts a tab as separating white space here; the pure-Python scanner refuses it"
_TAB_REFUSED = (
    "libyaml refuses a tab here (content or indentation); the pure-Python scanner takes it"
)
_DIRECTIVE = "libyaml refuses an unknown or malformed directive; the pure-Python scanner skips it"
PARSER_DIFFERENCES: dict[str, str] = {
    "2LFX": _DIRECTIVE,
    "4ABK": "libyaml refuses `: ` after an unquoted flow key with no value indicator; "
    "the pure-Python parser takes it",
    "6HB6": _TAB,
    "6LVF": _DIRECTIVE,
    "96NN-00": _TAB_REFUSED,
    "96NN-01": _TAB_REFUSED,
    "BEC7": "libyaml refuses `%YAML 1.3`; the pure-Python parser only warns",
    "DC7X": _TAB,
    "DK95-05": _TAB,
    "DK95-07": _TAB,
    "HS5T": _TAB,
    "J3BT": _TAB,
    "JR7V": "libyaml reads `a?string` in a flow sequence as text; the pure-Python parser refuses",
    "K54U": _TAB,
    "MUS6-00": "libyaml takes a comment right after a %YAML directive; the pure-Python one refuses",
    "MUS6-03": "libyaml takes a tab inside a %YAML directive; the pure-Python one refuses",
    "MUS6-05": _DIRECTIVE,
    "MUS6-06": _DIRECTIVE,
    "NB6Z": _TAB,
    "R4YG": _TAB_REFUSED,
    "UKK6-02": "a lone `!` with no value: libyaml gives '' (the non-specific tag makes it a "
    "string), the pure-Python parser None",
    "UV7Q": _TAB,
    "WZ62": "libyaml takes an empty key in a flow mapping; the pure-Python parser refuses",
    "X4QW": "libyaml takes a comment right after a block scalar indicator without a space; "
    "the pure-Python scanner refuses",
    "Y79Y-001": _TAB_REFUSED,
    "Y79Y-002": _TAB,
    "Y79Y-003": _TAB,
}


@pytest.fixture(scope="module")
def corpus() -> list[Path]:
    if not CORPUS_FILES:
        pytest.skip(f"../shared/corpus not present: {CORPUS} does not exist")
    return CORPUS_FILES


def _corpus_ids() -> list[str]:
    return [path.stem for path in CORPUS_FILES] or ["corpus-absent"]


@pytest.mark.parametrize("case", _corpus_ids())
def test_corpus_case_matches_safe_load(case: str) -> None:
    if not CORPUS_FILES:
        pytest.skip(f"../shared/corpus not present: {CORPUS} does not exist")
    raw = (CORPUS / f"{case}.yaml").read_bytes()
    text = raw.decode("utf-8", errors="replace")
    loaded = load_bytes(raw, f"{case}.yaml")  # never raises
    assert_positions_inside(loaded, text)
    if loaded.loaded:
        for pointer in [*loaded.source_map.values, *loaded.source_map.keys]:
            resolve(loaded.data, pointer)
    else:
        assert loaded.data is None and fatal(loaded)

    ours = our_outcome(loaded)
    theirs = safe_load_outcome(raw)
    if case in PARSER_DIFFERENCES:
        assert not outcomes_agree(ours, theirs), (
            f"{case} now reads like safe_load: remove it from PARSER_DIFFERENCES"
        )
        assert outcomes_agree(ours, safe_load_outcome(raw, yaml.CSafeLoader)), (
            f"{case}: policycoord differs from libyaml's own reading too"
        )
        return
    if not theirs[0]:
        assert fatal(loaded), (
            f"safe_load raises {theirs[1]} but policycoord reports {codes(loaded)}"
        )
        violation = only(loaded, fatal(loaded)[0])
        assert 1 <= violation.location.line <= line_count(text)
        assert violation.location.column >= 1
    else:
        assert not fatal(loaded), f"safe_load reads it but policycoord refuses: {loaded.problems}"
        assert same(loaded.data, theirs[1])


def test_corpus_must_fail_cases_are_refused(corpus: list[Path]) -> None:
    """Every case the suite marks `fail: true` that libyaml also refuses gets
    a PC001/PC005; the ones libyaml takes are listed (libyaml is lenient)."""
    accepted = []
    for path in corpus:
        if not path.with_suffix(".error").exists():
            continue
        loaded = load_bytes(path.read_bytes(), path.name)
        if not fatal(loaded):
            accepted.append(path.stem)
            assert safe_load_outcome(path.read_bytes(), yaml.CSafeLoader)[0], path.stem
    assert len(accepted) < 20, accepted


def test_allow_list_names_real_cases(corpus: list[Path]) -> None:
    names = {path.stem for path in corpus}
    assert set(PARSER_DIFFERENCES) <= names


def test_no_corpus_case_raises(corpus: list[Path]) -> None:
    for path in corpus:
        raw = path.read_bytes()
        for variant in (raw, b"\xef\xbb\xbf" + raw, raw.replace(b"\n", b"\r\n"), raw[:-1]):
            loaded = load_bytes(variant, path.name)
            assert isinstance(loaded, LoadedFile)


#: Deliberate differences that the corpus does not show: (yaml text, what
#: policycoord does, why).
DELIBERATE_DIFFERENCES = {
    "recursive-alias": (
        b"a: &a [1, *a]\n",
        "PC005",
        "safe_load builds a list that contains itself; policycoord refuses it (endless data)",
    ),
    "utf-16": (
        "a: 1\n".encode("utf-16"),
        "PC001",
        "safe_load decodes UTF-16 by its byte-order mark; policy files are UTF-8 (SPEC §2)",
    ),
}


@pytest.mark.parametrize("case", sorted(DELIBERATE_DIFFERENCES))
def test_deliberate_differences(case: str) -> None:
    raw, code, _why = DELIBERATE_DIFFERENCES[case]
    assert safe_load_outcome(raw)[0], "safe_load reads it"
    loaded = load(raw)
    assert codes(loaded) == [code]
    assert not loaded.loaded and loaded.data is None


def test_merge_list_precedence_follows_the_yaml_spec() -> None:
    """In `<<: [*a, *b]` the first mapping listed wins (yaml.org/type/merge).
    PyYAML 6.0.4's safe_load lets the last one win for keys longer than one
    character (yaml/pyyaml#953, a regression of #937), so this is asserted
    against the spec, not against safe_load."""
    text = (
        "first: &first {colour: red, size: 1}\n"
        "second: &second {colour: blue, shape: round}\n"
        "both:\n  <<: [*first, *second]\n  size: 9\n"
    )
    loaded = load(text)
    assert loaded.problems == ()
    assert loaded.data["both"] == {"colour": "red", "size": 9, "shape": "round"}
    # a merged mapping's own keys win over what it merges in itself
    nested = "base: &b {<<: {colour: red}, colour: blue}\nuse: {<<: *b}\n"
    assert load(nested).data["use"] == {"colour": "blue"}


# -- scalars ------------------------------------------------------------------------

SCALARS = """\
int: 42
negative: -7
octal: 0o17
octal11: 017
hex: 0x1F
underscore: 1_000
sexagesimal: 1:30
float: 3.25
exp: 1.5e+3
not_float2: 1.5e3
not_float: 12e3
inf: .inf
ninf: -.Inf
nan: .NaN
bool: true
yes: yes
No: No
on_value: on
off_value: OFF
null: null
tilde: ~
empty:
date: 2026-11-24
timestamp: 2001-12-14t21:59:43.10-05:00
spaced: 2001-12-14 21:59:43.10 -5
naive: 2001-12-15T02:59:43Z
binary: !!binary aGVsbG8gd29ybGQ=
set: !!set {a, b}
omap: !!omap [z: 1, a: 2]
pairs: !!pairs [a: 1, a: 2]
str_int: !!str 12
str_bool: !!str yes
quoted_int: "12"
single: 'yes'
quoted_null: "~"
float_tag: !!float 1
int_tag: !!int "7"
bool_tag: !!bool "true"
null_tag: !!null ""
verbatim: !<tag:yaml.org,2002:str> 3
nonspecific: ! 12
version: 1.10
"""


def test_scalars_match_safe_load() -> None:
    loaded = load(SCALARS)
    assert loaded.problems == ()
    expected = yaml.safe_load(SCALARS)
    assert same(loaded.data, expected)
    data = loaded.data
    assert data["int"] == 42 and data["octal"] == "0o17" and data["octal11"] == 15
    assert data["hex"] == 31 and data["underscore"] == 1000 and data["sexagesimal"] == 90
    assert data["not_float"] == "12e3" and data["not_float2"] == "1.5e3"
    assert data["exp"] == 1500.0
    assert data["inf"] == math.inf and data["ninf"] == -math.inf and math.isnan(data["nan"])
    assert data["bool"] is True
    assert data["on_value"] is True and data["off_value"] is False
    # `yes`, `No` and `null` as keys are bools and None too
    assert data[True] is True and data[False] is False
    assert data[None] is None and data["tilde"] is None and data["empty"] is None
    assert data["date"] == datetime.date(2026, 11, 24)
    assert type(data["date"]) is datetime.date
    assert data["timestamp"] == datetime.datetime(
        2001, 12, 15, 2, 59, 43, 100000, tzinfo=datetime.UTC
    )
    assert data["binary"] == b"hello world"
    assert data["set"] == {"a", "b"}
    assert data["omap"] == [("z", 1), ("a", 2)]
    assert data["pairs"] == [("a", 1), ("a", 2)]
    assert data["str_int"] == "12" and data["str_bool"] == "yes"
    assert data["quoted_int"] == "12" and data["single"] == "yes" and data["quoted_null"] == "~"
    assert data["float_tag"] == 1.0 and type(data["float_tag"]) is float
    assert data["int_tag"] == 7 and data["bool_tag"] is True and data["null_tag"] is None
    assert data["verbatim"] == "3"
    assert data["nonspecific"] == 12  # PyYAML resolves `! 12` like a plain 12
    assert data["version"] == 1.1


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\nreview:\n  approved: 2026-02-30\n", 3, 13),
        ("a: !!int x\n", 1, 4),
        ("a: !!int ''\n", 1, 4),
        ("a: !!bool maybe\n", 1, 4),
        ("a: !!float ten\n", 1, 4),
        ("a: !!timestamp soon\n", 1, 4),
        ("x: 1\na: !!binary 'é'\n", 2, 4),
        ("a: !!omap [1, 2]\n", 1, 4),
        ("a: !!map x\n", 1, 4),
        ("a: !!str [x]\n", 1, 4),
        ("a: !!set [x]\n", 1, 4),
        ("a: !!seq {x: 1}\n", 1, 4),
        ("? [a, b]\n: 1\n", 1, 3),
        ("a: {<<: 1}\n", 1, 9),
        ("a: 1\nb: =\n", 2, 4),  # `=` and `<<` are keys only
        ("- x\n- <<\n", 2, 3),
    ],
)
def test_values_that_cannot_be_built_are_pc001(text: str, line: int, column: int) -> None:
    assert not safe_load_outcome(text.encode())[0], "safe_load refuses these too"
    loaded = load(text)
    violation = only(loaded, "PC001")
    assert (violation.location.line, violation.location.column) == (line, column)
    assert not loaded.loaded and loaded.data is None
    assert violation.message and violation.suggestion is not None


def test_escapes_in_files_with_typed_scalars() -> None:
    """A double-quoted value that is not a string (`!!int "1"`, `!!binary`)
    in a file that uses escapes elsewhere."""
    text = 'a: !!int "1"\nb: !!binary "aGk="\nc: "tab\\there"\nd: !!float "2"\n'
    loaded = load(text)
    assert loaded.problems == ()
    assert same(loaded.data, yaml.safe_load(text))


MERGES = """\
base: &base {name: Base, hours: office, phone: "1"}
extra: &extra {fax: "3", email: e@x}
one:
  <<: *base
  name: Own
list:
  <<: [*base, *extra]
  phone: "2"
nested:
  inner:
    <<: *base
value_key: {=: 1, b: 2}
flow: {<<: *extra, email: f@x}
"""


def test_merge_keys_match_safe_load() -> None:
    loaded = load(MERGES)
    assert loaded.problems == ()
    assert same(loaded.data, yaml.safe_load(MERGES))
    assert loaded.data["one"] == {"name": "Own", "hours": "office", "phone": "1"}
    # the explicit key overrides what the merged mappings bring
    assert loaded.data["list"] == {
        "name": "Base",
        "hours": "office",
        "phone": "2",
        "fax": "3",
        "email": "e@x",
    }
    assert list(loaded.data["one"]) == list(yaml.safe_load(MERGES)["one"])


# -- duplicate keys ---------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    loaded = load("policycoord: 1\norganisation:\n  id: a\n  name: A\npolicycoord: 2\n")
    violation = only(loaded, "PC002")
    assert loaded.loaded  # a duplicate is reported, the file is still read
    assert (violation.location.line, violation.location.column) == (5, 1)
    assert violation.location.pointer == "/policycoord"
    assert "line 1" in violation.message and "line 5" in violation.message
    assert "policycoord" in violation.message
    assert [(r.line, r.column, r.pointer) for r in violation.related] == [(1, 1, "/policycoord")]
    assert loaded.data["policycoord"] == 2  # what safe_load would keep


def test_nested_and_flow_duplicates() -> None:
    text = "roles:\n  - id: a\n    title: T\n    id: b\nmap: {x: 1, y: 2, x: 3}\nok: {x: 1}\n"
    loaded = load(text)
    found = sorted(
        (v.location.line, v.location.column, v.location.pointer, v.related[0].line)
        for code, v in loaded.problems
        if code == "PC002"
    )
    assert found == [(4, 5, "/roles/0/id", 2), (5, 19, "/map/x", 5)]
    assert codes(loaded) == ["PC002", "PC002"]


def test_three_times_is_two_findings_against_the_first() -> None:
    loaded = load("a: 1\na: 2\na: 3\n")
    lines = [(v.location.line, v.related[0].line) for _, v in loaded.problems]
    assert lines == [(2, 1), (3, 1)]


def test_equal_keys_written_differently_are_duplicates() -> None:
    # `1` and `0x1` are the same int key; `true` and `yes` the same bool
    assert codes(load("1: a\n0x1: b\n")) == ["PC002"]
    assert codes(load("true: a\nyes: b\n")) == ["PC002"]
    assert codes(load("'1': a\n1: b\n")) == []  # a string and an int


def test_merged_key_overridden_is_not_a_duplicate() -> None:
    loaded = load("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\nn:\n  x: 3\n  <<: *b\n")
    assert loaded.problems == ()
    assert loaded.data["m"] == {"x": 3, "y": 2}
    assert loaded.data["n"] == {"x": 3, "y": 2}


def test_two_merge_keys_in_one_mapping_are_a_duplicate() -> None:
    """PyYAML versions disagree on which of two `<<` keys wins; say so."""
    loaded = load("a: &a {k: 1}\nb: &b {k: 2}\nm:\n  <<: *a\n  <<: *b\n")
    violation = only(loaded, "PC002")
    assert (violation.location.line, violation.location.column) == (5, 3)
    assert violation.related[0].line == 4
    assert "<<" in violation.message and "`<<: [*first, *second]`" in violation.suggestion


# -- anchors and aliases -------------------------------------------------------------


def test_aliases_work() -> None:
    text = "role: &dsl {id: dsl, title: DSL}\nroles: [*dsl, *dsl]\nname: &n Alice\nalso: *n\n"
    loaded = load(text)
    assert loaded.problems == ()
    assert same(loaded.data, yaml.safe_load(text))
    assert loaded.data["roles"] == [{"id": "dsl", "title": "DSL"}] * 2


@pytest.mark.parametrize(
    "text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [1, [2, *a]]\n", "&r\n- x\n- *r\n"]
)
def test_recursive_alias_is_pc005(text: str) -> None:
    loaded = load(text)
    violation = only(loaded, "PC005")
    assert violation.subject == "recursive-alias"
    assert "*" in violation.message
    assert not loaded.loaded and loaded.data is None


def test_undefined_alias_is_pc001() -> None:
    loaded = load("a: 1\nb: *missing\n")
    violation = only(loaded, "PC001")
    assert (violation.location.line, violation.location.column) == (2, 4)
    assert "missing" in violation.message


def test_anchor_defined_twice_is_pc001_like_safe_load() -> None:
    text = "a: &x 1\nb: &x 2\nc: *x\n"
    assert not safe_load_outcome(text.encode())[0]
    violation = only(load(text), "PC001")
    assert (violation.location.line, violation.location.column) == (2, 4)
    assert "line 1" in violation.message


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_pc005() -> None:
    loaded = load(billion_laughs())  # 9**9 values if expanded: stops long before
    violation = only(loaded, "PC005")
    assert violation.subject == "alias-expansion"
    assert f"{MAX_ALIAS_EXPANSION:,}" in violation.message
    assert not loaded.loaded and loaded.data is None
    assert violation.location.line <= 9


def test_many_aliases_under_the_bound_are_fine() -> None:
    # 2,000 aliases of a 10-value mapping: 22,000 values, well under the bound
    text = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}\nitems:\n"
    text += "".join("  - *b\n" for _ in range(2000))
    loaded = load(text)
    assert loaded.problems == ()
    assert len(loaded.data["items"]) == 2000
    assert same(loaded.data, yaml.safe_load(text))


def test_alias_bound_counts_what_aliases_add() -> None:
    width = MAX_ALIAS_EXPANSION // 1000
    under = "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * (width - 1)) + "]\n"
    over = "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * (width + 1)) + "]\n"
    assert codes(load(under)) == []
    assert codes(load(over)) == ["PC005"]


# -- depth ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 50, MAX_DEPTH])
def test_nesting_within_the_bound_is_fine(depth: int) -> None:
    text = "[" * depth + "x" + "]" * depth
    loaded = load(text)
    assert loaded.problems == ()
    assert same(loaded.data, yaml.safe_load(text))


@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 150 + "]" * 150,
        "{a: " * 150 + "x" + "}" * 150,
        "".join(" " * i + "- \n" for i in range(150)),
        "".join(" " * i + f"k{i}:\n" for i in range(150)),
    ],
)
def test_nesting_past_the_bound_is_pc005(text: str) -> None:
    violation = only(load(text), "PC005")
    assert violation.subject == "depth"
    assert str(MAX_DEPTH) in violation.message


@pytest.mark.parametrize(
    "text", ["[" * 100_000, "[" * 100_000 + "]" * 100_000, "{" * 100_000, "- " * 100_000]
)
def test_extreme_nesting_does_not_recurse(text: str) -> None:
    loaded = load(text)  # no RecursionError
    assert fatal(loaded) == ["PC005"]
    assert not loaded.loaded


# -- documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
        ("--- a\n--- b\n", 2, "more than one YAML document"),
        ("a: 1\n...\n---\n", 3, "more than one YAML document"),
        # libyaml wants a `---` before a second document
        ("a: 1\n...\n# note\nb: 2\n", 4, "document start"),
    ],
)
def test_a_second_document_is_pc001(text: str, line: int, message: str) -> None:
    loaded = load(text)
    violation = only(loaded, "PC001")
    assert violation.location.line == line
    assert message in violation.message
    assert not loaded.loaded


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "# a\n\n# b", "\ufeff", "---\n", "--- \n...\n"]
)
def test_empty_documents_are_none(text: str) -> None:
    loaded = load(text)
    assert loaded.loaded
    assert loaded.data is None
    assert loaded.problems == ()
    assert loaded.source_map.position("")[0] in (1, 2)


def test_one_document_with_markers_is_fine() -> None:
    loaded = load("%YAML 1.1\n---\na: 1\n...\n")
    assert loaded.problems == () and loaded.data == {"a": 1}


# -- syntax and encoding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"a: 1\nb: caf\xe9\n", 2, 7),  # Latin-1 e-acute
        (b"\xef\xbb\xbfa: caf\xe9\n", 1, 7),  # after a BOM
        ("a: é\nb: ".encode() + b"\xff\n", 2, 4),
        (b"a: 1\rb: \x80\r", 2, 4),
        (b"\x00", 1, 1),
    ],
)
def test_not_utf8_is_pc001_at_the_byte(raw: bytes, line: int, column: int) -> None:
    loaded = load(raw)
    violation = only(loaded, "PC001")
    assert (violation.location.line, violation.location.column) == (line, column)
    if raw != b"\x00":
        assert "UTF-8" in violation.message


@pytest.mark.parametrize(
    ("text", "line", "column", "hint"),
    [
        ("a:\n\tb: 1\n", 2, 1, "tab"),
        ("a: 1\nb: [1, 2\n", 3, 1, "bracket"),
        ("a: b: c\n", 1, 5, "quotes"),
        ("a: 1\n  b: 2\n", 2, 4, "quotes"),
        ("a: @x\n", 1, 4, "quote"),
        ("a: \x1b[31mred\n", 1, 4, "Delete the character"),
        ('x: y\na: "é\x07"\n', 2, 6, "Delete the character"),
    ],
)
def test_syntax_errors_are_pc001_with_position(
    text: str, line: int, column: int, hint: str
) -> None:
    loaded = load(text)
    violation = only(loaded, "PC001")
    assert (violation.location.line, violation.location.column) == (line, column)
    assert hint in violation.suggestion
    assert not loaded.loaded and loaded.data is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # libyaml puts the end of a text without a final line break on a line
        # after the last one; it was reported there, outside the file
        ("foo:\n  bar\ninvalid", {"PC001": (3, 8)}),
        ("? Ken Griff", {"": (1, 1), "/Ken Griff": (1, 12)}),
        ("? \n: 1\n? ", {"PC002": (3, 2), "/null": (3, 3)}),
        ("\ufeffa:\n- [1\n", {"PC001": (3, 1)}),  # ends with a line break: unchanged
        ("\ufeffa: b\nc", {"PC001": (2, 2)}),
    ],
)
def test_the_end_of_a_text_without_a_final_line_break_is_inside_it(
    text: str, where: dict[str, tuple[int, int]]
) -> None:
    loaded = load(text)
    found = {code: (v.location.line, v.location.column) for code, v in loaded.problems}
    found.update(loaded.source_map.values)
    assert {key: found.get(key) for key in where} == where
    assert_positions_inside(loaded, text)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object:os.system",
        "!!python/name:os.system",
        "!!python/tuple",
        "!custom",
        "!<tag:example.com,2026:x>",
    ],
)
def test_unsafe_tags_are_pc005(tag: str) -> None:
    loaded = load(f"a: 1\nb: {tag} ['echo']\n")
    violation = only(loaded, "PC005")
    assert (violation.location.line, violation.location.column) == (2, 4)
    assert not loaded.loaded and loaded.data is None
    scalar = only(load(f"a: {tag} x\n"), "PC005")
    assert scalar.location.column == 4


# -- PC009 invisible characters ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "name"),
    [
        ("a: 1\nname: Evil\u202eCorp\n", 2, 11, "U+202E right-to-left override"),
        ("a: 1\nb: 2\nname: zero\u200bwidth\n", 3, 11, "U+200B zero-width space"),
        ("\u200bkey: 1\n", 1, 1, "U+200B"),
        ("\ufeffname: x\u202ey\n", 1, 8, "U+202E"),  # after a BOM: the BOM is no column
        ("a: 1\rname: x\u2066y\r", 2, 8, "U+2066"),
        ("a: [x, 'y\u200dz']\n", 1, 10, "U+200D"),
        ("# comment \u202e\na: 1\n", 1, 11, "U+202E"),
    ],
)
def test_invisible_characters_are_pc009(text: str, line: int, column: int, name: str) -> None:
    loaded = load(text)
    violation = only(loaded, "PC009")
    assert (violation.location.line, violation.location.column) == (line, column)
    assert name in violation.message
    assert loaded.loaded  # a warning: the file is still read
    assert same(loaded.data, yaml.safe_load(text))


def test_pc009_lines_agree_with_the_source_map() -> None:
    """libyaml counts NEL, U+2028 and U+2029 as line breaks; so does PC009."""
    text = 'a: "x\u2028y\x85z"\nb: q\u200br\n'
    loaded = load(text)
    line = only(loaded, "PC009").location.line
    assert line == loaded.source_map.values["/b"][0] == 4
    assert only(loaded, "PC009").location.pointer == "/b"


def test_a_bom_at_the_start_is_not_reported() -> None:
    assert load("\ufeffa: 1\n").problems == ()
    # ...but one anywhere else is
    assert only(load("a: x\ufeffy\n"), "PC009").location.column == 5


def test_escaped_invisible_characters_are_reported() -> None:
    loaded = load('a: 1\nname: "Evil\\u202eCorp"\nother: "\\u200b"\nplain: \'\\u202e\'\n')
    found = [(v.location.line, v.location.column) for code, v in loaded.problems if code == "PC009"]
    assert found == [(2, 7), (3, 8)]  # single quotes do not unescape
    assert loaded.data["name"] == "Evil\u202eCorp"
    assert "U+202E" in loaded.problems[0][1].message
    assert "\\u" in loaded.problems[0][1].suggestion


def test_one_pc009_finding_per_line() -> None:
    text = 'a: \u202ex\u202c and \u200b\nb: \u200b\u200b\u200b\nc: "\\u202e" # \u202e\n'
    loaded = load(text)
    assert codes(loaded) == ["PC009", "PC009", "PC009"]
    first = loaded.problems[0][1]
    assert first.location.line == 1
    for name in ("U+202E", "U+202C", "U+200B"):
        assert name in first.message
    assert [v.location.line for _, v in loaded.problems] == [1, 2, 3]


def test_pc009_pointer_is_the_value_on_that_line() -> None:
    loaded = load("organisation:\n  id: x\n  name: A\u202eB\n")
    assert only(loaded, "PC009").location.pointer == "/organisation/name"


def test_many_invisible_lines_take_linear_time() -> None:
    """One finding per line, found without re-sorting the source map or
    re-scanning the file for each line (which took minutes on a 5 MB file)."""
    text = "".join(f'- "item {i}\u200b"\n' for i in range(20_000))
    loaded = load(text)
    # capped: the first lines, then one finding that sums up the rest
    assert len(loaded.problems) == loading.MAX_FINDINGS_PER_KIND + 1
    assert loaded.problems[-1][1].location.line == loading.MAX_FINDINGS_PER_KIND + 1
    assert "19,980 more lines" in loaded.problems[-1][1].message


# -- load_file ----------------------------------------------------------------------------


def test_load_file_refuses_a_file_over_the_limit_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: \xff\n" + b"#" * 2000)  # not UTF-8: reading it would say so
    loaded = load_file(big, "orgs/big.yaml", max_size=1000)
    violation = only(loaded, "PC005")
    assert codes(loaded) == ["PC005"]
    assert violation.subject == "file-size"
    assert "1,000 bytes" in violation.message and "2,005 bytes" in violation.message
    assert (violation.location.path, violation.location.line) == ("orgs/big.yaml", 1)
    assert not loaded.loaded and loaded.data is None and loaded.size == 2005


def test_load_file_reads_a_file_exactly_at_the_limit(tmp_path: Path) -> None:
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"a: 1\n")
    loaded = load_file(exact, "exact.yaml", max_size=5)
    assert loaded.loaded and loaded.data == {"a": 1} and loaded.problems == ()
    assert codes(load_file(exact, "exact.yaml", max_size=4)) == ["PC005"]


def test_load_file_default_limit_is_five_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse: costs nothing
    violation = only(load_file(big, "big.yaml"), "PC005")
    assert "5.0 MB" in violation.message


def _unreadable(loaded: LoadedFile) -> str:
    violation = only(loaded, "PC010")
    assert codes(loaded) == ["PC010"]
    assert not loaded.loaded and loaded.data is None
    assert (violation.location.line, violation.location.column) == (1, 1)
    return str(violation.message)


def test_load_file_on_a_folder(tmp_path: Path) -> None:
    assert "folder" in _unreadable(load_file(tmp_path, "orgs"))


def test_load_file_on_a_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _unreadable(load_file(tmp_path / "gone.yaml", "gone.yaml"))


def test_load_file_on_a_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    try:
        link.symlink_to(tmp_path / "nowhere.yaml")
    except OSError:
        pytest.skip("symbolic links are not available here")
    assert "link" in _unreadable(load_file(link, "link.yaml"))


def test_load_file_without_read_permission(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")
    locked.chmod(0)
    try:
        try:
            with locked.open("rb"):
                pass
        except PermissionError:
            pass
        else:
            pytest.skip("this user can read a file without permission (root?)")
        assert "permission" in _unreadable(load_file(locked, "locked.yaml"))
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_load_file_on_a_named_pipe_does_not_wait(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    assert "pipe" in _unreadable(load_file(pipe, "pipe.yaml"))  # returns at once


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_load_file_on_a_device() -> None:
    assert "regular file" in _unreadable(load_file("/dev/null", "null.yaml"))


# -- property tests ------------------------------------------------------------------------

HOSTILE_CHARACTERS = "\u202e\u202c\u2066\u200b\u200d\ufeff\x00\x07\x1b\x7f\x85\u2028\t\r\n"
YAML_TOKENS = "[]{}:,-?&*!|>'\"%@`#\\ ~<=.0aAé"


def assert_sane(loaded: LoadedFile) -> None:
    assert isinstance(loaded, LoadedFile)
    for code, violation in loaded.problems:
        # PC010: bytes that start as a Git LFS pointer or a git-crypt file do
        assert code in {"PC001", "PC002", "PC005", "PC009", "PC010"}, code
        assert violation.location.line >= 1 and violation.location.column >= 1
        assert violation.message
    assert loaded.loaded == (not fatal(loaded))
    if not loaded.loaded:
        assert loaded.data is None and len(fatal(loaded)) == 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(HOSTILE_CHARACTERS + YAML_TOKENS),
            st.characters(blacklist_categories=("Cs",)),
        ),
        max_size=200,
    )
)
def test_random_text_never_raises(text: str) -> None:
    loaded = load(text)
    assert_sane(loaded)
    assert_positions_inside(loaded, text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(raw: bytes) -> None:
    assert_sane(load(raw))


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cf")), max_size=30)
    | st.dates()
)
JSON_LIKE = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cf")), max_size=10)
            | st.integers(),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_LIKE, st.booleans(), st.sampled_from([None, False, True]))
def test_dumped_data_loads_like_safe_load(data: Any, unicode: bool, flow: bool | None) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow)
    loaded = load(dumped)
    assert {code for code, _ in loaded.problems} <= {"PC009"}  # escaped controls warn
    assert same(loaded.data, yaml.safe_load(dumped))
    for pointer in loaded.source_map.values:
        resolve(loaded.data, pointer)


def iter_pointers(data: Any, prefix: str = "") -> Iterator[str]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_pointers(value, f"{prefix}/{escape_pointer_token(key_text(key))}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_pointers(value, f"{prefix}/{index}")


@settings(max_examples=100, deadline=None)
@given(JSON_LIKE)
def test_block_style_dump_maps_every_value(data: Any) -> None:
    """Without aliases every value of the data has its own position."""
    dumped = yaml.safe_dump({"root": data}, allow_unicode=True, default_flow_style=False)
    loaded = load(dumped)
    pointers = set(iter_pointers(loaded.data))
    assert pointers <= set(loaded.source_map.values) | {""}


# -- PC009 beyond format characters (added with the per-file cap) -----------


def test_escaped_terminal_escape_is_pc009() -> None:
    raw = b'policycoord: 1\nsummary: "\\e[31mred\\e[0m"\n'
    loaded = loading.load_bytes(raw, "orgs/a.yaml")
    found = [v for code, v in loaded.problems if code == "PC009"]
    assert len(found) == 1
    assert found[0].location.line == 2
    assert "U+001B escape" in found[0].message
    assert loaded.data["summary"] == "\x1b[31mred\x1b[0m"


def test_escaped_tab_and_newline_are_not_pc009() -> None:
    loaded = loading.load_bytes(b'summary: "a\\tb\\nc"\n', "orgs/a.yaml")
    assert not [code for code, _ in loaded.problems if code == "PC009"]


def test_hangul_filler_lookalike_is_pc009() -> None:
    loaded = loading.load_bytes("to: mas\u3164h\n".encode(), "orgs/a.yaml")
    found = [v for code, v in loaded.problems if code == "PC009"]
    assert len(found) == 1 and "Hangul filler" in found[0].message


def test_pc009_is_capped_per_file_with_a_summary() -> None:
    lines = "".join(f"k{i}: a\u200bb\n" for i in range(500))
    loaded = loading.load_bytes(lines.encode(), "orgs/a.yaml")
    found = [v for code, v in loaded.problems if code == "PC009"]
    assert len(found) == loading.MAX_FINDINGS_PER_KIND + 1
    assert [v.location.line for v in found[:-1]] == list(range(1, 21))
    assert found[-1].message.startswith("480 more lines of this file, from line 21 to line 500")


def test_pc002_is_capped_per_file_with_a_summary() -> None:
    text = "summary: a\n" + "".join("summary: b\n" for _ in range(1000))
    loaded = loading.load_bytes(text.encode(), "orgs/a.yaml")
    found = [v for code, v in loaded.problems if code == "PC002"]
    assert len(found) == loading.MAX_FINDINGS_PER_KIND + 1
    assert "more than once" in found[0].message
    assert found[-1].message.startswith("980 more lines of this file, from line 22 to line 1001")


@pytest.mark.parametrize(
    "raw",
    [
        b"a: !!omap [1, 2]\n",
        b"a: &x 1\nb:\n  <<: *x\n",
        b"a: b: c\n",
        b"a:\n\tb: 1\n",
        b"a: !!python/object:os.system x\n",
        b"a: &a [*a]\n",
        b"a: 1\na: 2\n",
        b"a: 2026-02-30\n",
        b"a: *nowhere\n",
        b"a: 1\n---\nb: 2\n",
        b"a: caf\xe9\n",
        b"a: [1, 2\n",
        "a: x\u202ey\n".encode(),
        b'a: "\\e[31m"\n',
        b"a: !!int maybe\n",
    ],
)
def test_every_loader_finding_says_what_to_do(raw: bytes) -> None:
    loaded = loading.load_bytes(raw, "orgs/a.yaml")
    assert loaded.problems, raw
    for code, violation in loaded.problems:
        assert violation.suggestion.strip(), f"{code} for {raw!r} has no suggestion"
        assert violation.message.strip()


def test_a_file_that_grew_after_its_size_was_taken_is_read_on_up_to_the_limit(
    tmp_path: Path,
) -> None:
    # load_file takes the size with fstat, then reads; a file written to in
    # between is read past the size it had, and never past the limit + 1
    from policycoord.input.loading.files import _read_up_to

    grown = tmp_path / "grown.yaml"
    grown.write_bytes(b"x" * 200_000)
    descriptor = os.open(grown, os.O_RDONLY)
    try:
        assert _read_up_to(descriptor, 10, 150_001) == b"x" * 150_001
    finally:
        os.close(descriptor)
    descriptor = os.open(grown, os.O_RDONLY)
    try:
        assert _read_up_to(descriptor, 10, 300_000) == b"x" * 200_000
    finally:
        os.close(descriptor)
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    descriptor = os.open(empty, os.O_RDONLY)
    try:
        assert _read_up_to(descriptor, 0, 100) == b""
    finally:
        os.close(descriptor)


def test_a_file_that_grew_past_the_limit_during_the_run_is_pc005(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"summary: " + b"x" * 2_000 + b"\n")
    real_fstat = os.fstat

    def smaller(descriptor: int) -> os.stat_result:  # the size taken before it grew
        status = real_fstat(descriptor)
        values = list(status)
        values[6] = 10  # st_size
        return os.stat_result(values)

    monkeypatch.setattr(files.os, "fstat", smaller)
    loaded = loading.load_file(big, "big.yaml", max_size=1_000)
    assert [code for code, _ in loaded.problems] == ["PC005"]
    assert loaded.data is None


def test_git_lfs_pointers_and_git_crypt_files_are_pc010_never_yaml() -> None:
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"
    for raw, said in ((pointer, "Git LFS pointer"), (b"\x00GITCRYPT\x00\x01\x02", "git-crypt")):
        loaded = load_bytes(raw, "orgs/club.yaml")
        assert codes(loaded) == ["PC010"]
        assert not loaded.loaded and loaded.data is None
        assert said in loaded.problems[0][1].message
