"""The splice on its own: the original's lines kept wherever the library's
rendering of the unchanged file agrees with it around a change."""

from __future__ import annotations

from policycoord.editing.splice import splice


def test_no_change_is_the_original_even_where_the_rendering_differs() -> None:
    assert splice("a:  1\n", "a: 1\n", "a: 1\n").text == "a:  1\n"


def test_a_change_away_from_a_relayout_keeps_the_original_layout() -> None:
    original = "# top\nx: {a: 1,\n  b: 2}\ny: 1\nz: 2\n"
    before = "x: {a: 1, b: 2}\ny: 1\nz: 2\n"
    after = "x: {a: 1, b: 2}\ny: 1\nz: 3\n"
    result = splice(original, before, after)
    assert result.text == "# top\nx: {a: 1,\n  b: 2}\ny: 1\nz: 3\n"
    assert result.replaced == ((5, 5),) and result.relayouts == ()


def test_a_change_inside_a_relayout_rewrites_and_names_those_lines() -> None:
    original = "x: {a: 1,\n  b: 2}\ny: 1\n"
    before = "x: {a: 1, b: 2}\ny: 1\n"
    after = "x: {a: 5, b: 2}\ny: 1\n"
    result = splice(original, before, after)
    assert result.text == "x: {a: 5, b: 2}\ny: 1\n"
    ((relayout),) = result.relayouts
    assert (relayout.first_line, relayout.last_line) == (1, 2)
    assert relayout.original == "x: {a: 1,\n  b: 2}\n"


def test_lines_the_rendering_drops_stay_when_the_change_is_elsewhere() -> None:
    original = "# dropped\n---\na: 1\nb: 2\n"
    result = splice(original, "a: 1\nb: 2\n", "a: 1\nb: 3\n")
    assert result.text == "# dropped\n---\na: 1\nb: 3\n"
    first = splice(original, "a: 1\nb: 2\n", "a: 0\nb: 2\n")
    assert first.text == "# dropped\n---\na: 0\nb: 2\n" and first.relayouts == ()


def test_inserted_and_removed_lines() -> None:
    original = "a: 1\nb: 2\n"
    assert splice(original, original, "a: 1\nc: 0\nb: 2\n").text == "a: 1\nc: 0\nb: 2\n"
    assert splice(original, original, "b: 2\n").text == "b: 2\n"
    assert splice(original, original, "a: 1\nb: 2\nc: 3\n").replaced == ((3, 2),)
