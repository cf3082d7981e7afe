"""The loader's fast path (loading.plain_data) and the source map worked out
later (SourceMap.of_source): for every file the fast path takes, the data and
the map are exactly what the full reading (loading.parse) gives; everything
unusual is left to the full reading."""

from __future__ import annotations

import datetime
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.input.loading import SourceMap, load_bytes
from policycoord.input.loading.fast_path import NotPlain, plain_data, plain_positions
from policycoord.input.loading.full_reading import parse
from policycoord.input.validation import json_compatible, json_ready

SUITE = PROJECT_ROOT.parent / "shared" / "corpus" / "yaml-test-suite"


def typed(value: Any) -> Any:
    """`value` with every scalar's type made visible (1, 1.0 and True differ)."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value))


def full(raw: bytes) -> Any:
    return parse(raw, raw.decode("utf-8"), "f.yaml")


def corpus() -> list[Path]:
    found = sorted((PROJECT_ROOT / "examples").rglob("*.yaml"))
    found += sorted((PROJECT_ROOT / "tests").rglob("*.yaml"))
    if SUITE.is_dir():
        found += sorted(SUITE.glob("*.yaml"))
    return found


def test_the_fast_path_reads_what_the_full_reading_reads() -> None:
    taken = 0
    for path in corpus():
        raw = path.read_bytes()
        for variant in (raw, raw.rstrip(b"\r\n"), raw.replace(b"\n", b"\r\n")):
            try:
                fast, _ = plain_data(variant, escapes=b"\\" in variant)
            except (NotPlain, yaml.YAMLError, UnicodeDecodeError):
                continue
            taken += 1
            parsed = full(variant)
            assert typed(fast) == typed(parsed.data), path
            assert plain_positions(variant) == (parsed.source_map.values, parsed.source_map.keys)
            assert_json_ready(variant)
    assert taken > 100  # the corpus mostly is ordinary files


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "examples").rglob("*.yaml")), ids=str)
def test_ordinary_files_take_the_fast_path_and_map_later(path: Path) -> None:
    raw = path.read_bytes()
    loaded = load_bytes(raw, path.name)
    eager = full(raw).source_map
    assert loaded.source_map._source is not None  # not worked out yet
    assert loaded.source_map.values == eager.values
    assert loaded.source_map.keys == eager.keys
    assert loaded.source_map._source is None  # worked out once, then kept


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a repeated key (PC002)
        "a: &x 1\nb: *x\n",  # an anchor and an alias
        "a: !!str 1\n",  # a tag
        "base: &b {x: 1}\nc:\n  <<: *b\n",  # a merge key
        "<<: 1\n",
        'a: "\\u202e"\n',  # an escaped invisible character (PC009)
        "a: 1\n---\nb: 2\n",  # a second document
        "",  # no document
        "a: 2026-02-30\n",  # a date that does not exist (PC001)
        "? [a, b]\n: c\n",  # a list as a key
        "a: [b\n",  # not well-formed
    ],
)
def test_the_unusual_is_left_to_the_full_reading(text: str) -> None:
    raw = text.encode("utf-8")
    with pytest.raises((NotPlain, yaml.YAMLError)):
        plain_data(raw, escapes="\\" in text)


def test_a_map_worked_out_later_travels_as_bytes() -> None:
    raw = b"a:\n  b: [1, 2]\n"
    later = SourceMap.of_source(raw, "f.yaml")
    sent = pickle.dumps(later)
    assert raw in sent and b"/a/b" not in sent
    assert pickle.loads(sent).values == full(raw).source_map.values
    assert later.values  # worked out: it travels as the map itself
    assert pickle.loads(pickle.dumps(later)).keys == full(raw).source_map.keys


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(min_value=datetime.date(1900, 1, 1)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_any_dumped_document_reads_the_same_both_ways(document: Any, flow: bool) -> None:
    raw = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True).encode("utf-8")
    try:
        fast, _ = plain_data(raw, escapes=b"\\" in raw)
    except NotPlain:
        return  # an escaped invisible character, say: the full reading's
    parsed = full(raw)
    assert typed(fast) == typed(parsed.data)
    assert typed(fast) == typed(yaml.load(raw, Loader=yaml.CSafeLoader))
    assert plain_positions(raw) == (parsed.source_map.values, parsed.source_map.keys)
    assert_json_ready(raw)


def assert_json_ready(raw: bytes) -> None:
    """What validation sees is the whole-copy conversion, and the data is untouched."""
    loaded = load_bytes(raw, "f.yaml")
    before = typed(loaded.data)
    assert typed(json_ready(loaded)) == typed(json_compatible(loaded.data))
    assert typed(loaded.data) == before


def test_the_dates_are_noted_where_they_are() -> None:
    raw = b"a:\n  b: 2026-01-02\n  c: [x, 2026-01-03, {d: 2026-01-04}]\ne: 2026-01-05\n"
    assert load_bytes(raw, "f.yaml").dates == (
        ("a", "b"),
        ("a", "c", 1),
        ("a", "c", 2, "d"),
        ("e",),
    )
    assert load_bytes(b"2026-01-02: x\n", "f.yaml").dates is None  # a key JSON cannot take
    assert load_bytes(b"1: x\n", "f.yaml").dates is None


def test_a_run_keeps_nothing_of_the_repository_afterwards(tmp_path: Path) -> None:
    """Nothing (a cache, an exception's traceback) holds the model after a
    run: a process that checks many revisions (`history`) would keep them all."""
    import datetime
    import gc
    import shutil

    from policycoord.model.policies import Organisation
    from policycoord.workflows.pipeline import Options, check

    repository = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "examples" / "policies", repository)
    (repository / "orgs" / "repeated-key.yaml").write_text(
        "policycoord: 1\norganisation: {id: twice, id: twice}\n", encoding="utf-8"
    )  # read the careful way, after the fast path gives up on it
    check([str(repository)], options=Options(today=datetime.date(2026, 11, 24)))
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Organisation)]


_SOME_INVISIBLE = "\u00ad\u200b\u200d\u202e\u2066\ufeff\U000e0041\u3164"


@settings(max_examples=300, derandomize=True, database=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x7F),
            st.characters(min_codepoint=0x80, codec="utf-8"),  # no lone surrogate
            st.sampled_from(_SOME_INVISIBLE),
        )
    )
)
def test_invisible_characters_are_found_among_the_non_ascii_ones(text: str) -> None:
    from policycoord.core.text import INVISIBLE_CHARACTERS
    from policycoord.input.loading.invisible import has_invisible

    assert has_invisible(text.encode("utf-8")) == bool(INVISIBLE_CHARACTERS.search(text))


def test_a_file_with_curly_quotes_and_a_hidden_space_is_pc009() -> None:
    raw = "summary: St Mary\u2019s \u2013 the DSL\u200b leads\n".encode()
    assert [code for code, _ in load_bytes(raw, "f.yaml").problems] == ["PC009"]
    clean = "summary: St Mary\u2019s \u2013 the DSL leads\n".encode()
    assert load_bytes(clean, "f.yaml").problems == ()
