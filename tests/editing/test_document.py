"""Opening a file for editing: refused, as data and with the loader's own
findings, when an edit would be unsafe; otherwise its layout is its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editing.helpers import opened
from policycoord.editing import Document, Refusal, open_bytes, open_document
from policycoord.editing.document import detect_layout
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        (b"roles: [unclosed\n", "PC001", "not well-formed"),
        (b"id: caf\xe9\n", "PC001", "not UTF-8"),
        (b"id: a\nname: b\nid: c\n", "PC002", "id"),
        (b"id: !!python/object:os.system x\n", "PC005", "tag"),
        (
            b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\n"
            b"f: &f [*e, *e]\ng: &g [*f, *f]\nh: &h [*g, *g]\ni: &i [*h, *h]\nj: &j [*i, *i]\n"
            b"k: &k [*j, *j]\nl: &l [*k, *k]\nm: &m [*l, *l]\nn: &n [*m, *m]\no: &o [*n, *n]\n"
            b"p: &p [*o, *o]\nq: &q [*p, *p]\nr: &r [*q, *q]\ns: &s [*r, *r]\nt: &t [*s, *s]\n",
            "PC005",
            "",
        ),
    ],
)
def test_a_file_that_is_unsafe_to_edit_is_refused_with_the_loaders_finding(
    raw: bytes, code: str, says: str
) -> None:
    result = open_bytes(raw, "orgs/x.yaml")
    assert isinstance(result, Refusal)
    assert result.reason.startswith("This file cannot be edited until it is fixed by hand")
    assert next(c for c, _ in result.findings) == code
    assert says.lower() in result.reason.lower()


def test_a_repeated_key_names_both_lines() -> None:
    result = open_bytes(b"organisation:\n  id: a\n  id: b\n", "orgs/x.yaml")
    assert isinstance(result, Refusal)
    ((code, finding),) = result.findings
    assert code == "PC002" and finding.location.line == 3


@pytest.mark.parametrize("raw", [b"- a\n- b\n", b"just text\n", b"", b"# only a comment\n"])
def test_a_file_whose_top_is_not_a_mapping_is_refused(raw: bytes) -> None:
    result = open_bytes(raw, "orgs/x.yaml")
    assert isinstance(result, Refusal) and "mapping" in result.reason


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(DEFAULT_MAX_FILE_SIZE + 1)
    result = open_document(big, "big.yaml")
    assert isinstance(result, Refusal) and result.findings[0][0] == "PC005"
    assert isinstance(open_bytes(b"a: b\n" * (DEFAULT_MAX_FILE_SIZE // 5 + 1), "x"), Refusal)


def test_a_missing_file_a_folder_and_a_pipe_are_refused(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    for target in (tmp_path / "missing.yaml", tmp_path, pipe):
        result = open_document(target)
        assert isinstance(result, Refusal) and result.findings[0][0] == "PC010", target


def test_invisible_characters_do_not_stop_an_edit() -> None:
    document = opened("title: a\u200bb\n")
    assert [code for code, _ in document.loaded.problems] == ["PC009"]


def test_an_opened_file_keeps_its_bytes_and_what_was_read(tmp_path: Path) -> None:
    target = tmp_path / "org.yaml"
    target.write_bytes(b"id: a   # x\n")
    target.chmod(0o640)
    document = open_document(target, "orgs/org.yaml")
    assert isinstance(document, Document)
    assert document.raw == b"id: a   # x\n" and document.path == "orgs/org.yaml"
    assert document.snapshot.size == 12 and document.snapshot.mode == 0o640
    assert document.snapshot.mtime_ns == target.stat().st_mtime_ns


@pytest.mark.parametrize(
    ("text", "mapping", "offset"),
    [
        ("roles:\n  - id: a\n    title: b\norg:\n  id: x\n", 2, 2),
        ("roles:\n- id: a\n  title: b\norg:\n  id: x\n", 2, 0),
        ("roles:\n    - id: a\norg:\n    id: x\n    deep:\n        a: 1\n", 4, 4),
        ("org:\n    id: x\nroles:\n- a\n", 4, 0),
        ("a: b\n", 2, 2),
    ],
)
def test_the_layout_is_the_files_own(text: str, mapping: int, offset: int) -> None:
    layout = detect_layout(text)
    assert (layout.mapping, layout.offset) == (mapping, offset)
    assert opened(text).rendered == text


def test_both_sequence_styles_come_back_unchanged_and_new_items_follow_them() -> None:
    from editing.helpers import edited
    from policycoord.editing import Insert

    for text, new in (
        ("roles:\n- id: a\n", "roles:\n- id: a\n- id: b\n"),
        ("roles:\n  - id: a\n", "roles:\n  - id: a\n  - id: b\n"),
    ):
        document = opened(text)
        assert edited(document).text == text
        assert edited(document, Insert("/roles/-", {"id": "b"})).text == new
