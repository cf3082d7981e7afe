"""Every YAML file the project ships or was tested on comes back from the
editor byte-identical when nothing changes, and one changed value changes
one line (the files in examples/ and tests/acceptance/, and the official
YAML test suite in ../shared where it is)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ACCEPTANCE, PROJECT_ROOT, SHARED

from editing.helpers import changed_lines
from policycoord.editing import (
    Delete,
    Document,
    Edited,
    Refusal,
    SetValue,
    edit,
    open_bytes,
    open_document,
)
from policycoord.editing.changes import Change
from policycoord.input.loading import escape_pointer_token, key_text, load_bytes
from policycoord.input.validation import validate

POLICY_FILES = sorted(
    [*(PROJECT_ROOT / "examples").rglob("*.y*ml"), *ACCEPTANCE.glob("*/**/*.y*ml")]
)
SUITE = SHARED / "corpus" / "yaml-test-suite"


def _name(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def string_leaves(node: Any, pointer: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_leaves(value, f"{pointer}/{escape_pointer_token(key_text(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_leaves(value, f"{pointer}/{index}")
    elif isinstance(node, str) and "\n" not in node:
        yield pointer


def test_there_are_files_to_try() -> None:
    assert len(POLICY_FILES) > 50


@pytest.mark.parametrize("path", POLICY_FILES, ids=_name)
def test_a_policy_file_opens_and_comes_back_byte_identical(path: Path) -> None:
    document = open_document(path, _name(path))
    assert isinstance(document, Document), document
    result = edit(document, [])
    assert isinstance(result, Edited) and result.new_bytes == path.read_bytes()


@pytest.mark.parametrize("path", POLICY_FILES, ids=_name)
def test_one_changed_value_changes_one_line(path: Path) -> None:
    """Every fifth one-line text value of the file, one at a time: its own
    lines are replaced by one (a folded text over several lines becomes one
    line of the same block). A value shared through an anchor or a merge key
    is refused (tested in test_edit.py)."""
    document = open_document(path, _name(path))
    assert isinstance(document, Document)
    tried = 0
    for pointer in list(string_leaves(document.loaded.data))[::5]:
        result = edit(document, [SetValue(pointer, "Changed: yes # by a form")])
        if isinstance(result, Refusal):
            assert "YAML anchor" in result.reason or "merge key" in result.reason, result
            continue
        tried += 1
        lines = changed_lines(document.text, result.text)
        assert [line[0] for line in lines].count("+") == 1, (pointer, lines)
        ((first, last),) = result.replaced
        assert len(lines) == 2 + last - first, (pointer, lines)
        assert result.relayouts == ()
    assert tried > 0


def _suite_files() -> list[Path]:
    if not SUITE.is_dir():
        return []
    return [p for p in sorted(SUITE.glob("*.yaml")) if not p.with_suffix(".error").exists()]


@pytest.mark.skipif(not SUITE.is_dir(), reason="../shared/corpus/yaml-test-suite is absent")
def test_the_yaml_test_suite_never_breaks_the_editor() -> None:
    """Each well-formed case: opened or refused as data; when opened, no
    change is byte-identical, and a changed first value either reads back as
    asked, with every line outside the changed run kept, or is refused."""
    opened = edited = 0
    for path in _suite_files():
        raw = path.read_bytes()
        document = open_bytes(raw, path.name)
        if isinstance(document, Refusal):
            assert document.reason
            continue
        opened += 1
        assert edit(document, []).new_bytes == raw  # type: ignore[union-attr]
        key = next(iter(document.loaded.data), None)
        if key is None:
            continue
        pointer = "/" + escape_pointer_token(key_text(key))
        result = edit(document, [SetValue(pointer, "new: value # x")])
        if isinstance(result, Refusal):
            continue
        edited += 1
        data = load_bytes(result.new_bytes, path.name).data
        assert data[key] == "new: value # x", path.name
        _kept_outside(document.text, result, path.name)
    assert opened > 50 and edited > 40, (opened, edited)


def _kept_outside(original: str, result: Edited, name: str) -> None:
    """Every original line outside the replaced runs is in the new text, in order."""
    lines = original.splitlines(keepends=True)
    replaced = {n for first, last in result.replaced for n in range(first, last + 1)}
    kept = [line for number, line in enumerate(lines, 1) if number not in replaced]
    new = iter(result.text.splitlines(keepends=True))
    for line in kept:
        assert any(line == candidate for candidate in new), (name, line)


@pytest.mark.parametrize(
    ("name", "change", "kind", "new_errors"),
    [
        ("orgs/st-marys-primary.yaml", SetValue("/roles/0/title", "yes"), "policy", []),
        (
            "orgs/st-marys-primary.yaml",
            SetValue("/organisation/sector", "a bakery"),
            "policy",
            ["/organisation/sector"],
        ),
        ("orgs/riverside-fc.yaml", Delete("/organisation/name"), "policy", ["/organisation"]),
        ("partnership.yaml", SetValue("/partnership/name", "2026-01-01"), "partnership", []),
    ],
)
def test_an_edited_file_validates_as_before_but_for_the_change(
    name: str, change: Change, kind: str, new_errors: list[str]
) -> None:
    path = PROJECT_ROOT / "examples" / "policies" / name
    document = open_document(path, name)
    assert isinstance(document, Document)
    result = edit(document, [change])
    assert isinstance(result, Edited)
    before = {v.location.pointer for v in validate(document.loaded, kind)}
    after = {v.location.pointer for v in validate(load_bytes(result.new_bytes, name), kind)}
    assert after - before == set(new_errors) and before - after == set()


@pytest.mark.parametrize("path", POLICY_FILES, ids=_name)
def test_the_first_edit_on_the_tree_opening_read_is_the_edit_on_the_text_read_again(
    path: Path,
) -> None:
    """The first edit of a document changes the tree opening read (no second
    parse); every later edit reads the text again. Both give the same bytes,
    comments before a list's first item included."""
    document = open_document(path, _name(path))
    assert isinstance(document, Document)
    pointers = list(string_leaves(document.loaded.data))
    if not pointers:
        return
    changes = [SetValue(pointers[len(pointers) // 2], "Changed by a form")]
    assert document.spare
    first = edit(document, changes)
    assert not document.spare
    again = edit(document, changes)
    if isinstance(first, Refusal):
        assert again == first
    else:
        assert isinstance(again, Edited) and again.text == first.text
