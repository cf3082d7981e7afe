"""Keep the original bytes of everything a change does not touch.

ruamel.yaml writes back most files exactly, but not all (a flow mapping
wrapped over two lines comes back on one; comments above `---` are dropped;
a comment after an alias moves). So the new text is not ruamel's rendering
of the changed document, but the original text with only the changed lines
replaced, found by comparing three texts line by line:

- `original`: the file's text;
- `before`: ruamel's rendering of the file as read (no change);
- `after`: ruamel's rendering once the changes are applied.

Lines where `before` and `after` differ are the change. Each such run of
lines is taken from `after` and put in place of the same lines of
`original`, where `before` and `original` agree around it. Where ruamel's
rendering of the file as read differs from the original (a relayout) next
to or inside a changed run, the run widens to cover it, and those original
lines are reported: their layout changes with the save (`Relayout`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Relayout:
    """Original lines (1-based, inclusive) written anew in another layout,
    because a change touches them and the YAML library cannot keep their
    original layout."""

    first_line: int
    last_line: int
    original: str
    rewritten: str


@dataclass(frozen=True, slots=True)
class Spliced:
    text: str
    #: (first, last) original lines replaced, 1-based and inclusive (last <
    #: first where lines were only inserted before `first`)
    replaced: tuple[tuple[int, int], ...]
    relayouts: tuple[Relayout, ...]


def splice(original: str, before: str, after: str) -> Spliced:
    """`original` with the changes from `before` to `after` (see the module)."""
    if before == after:
        return Spliced(original, (), ())
    base, ours, theirs = (t.splitlines(keepends=True) for t in (before, original, after))
    to_ours = _line_map(base, ours)
    regions = _regions(base, theirs, to_ours, len(ours))
    out: list[str] = []
    replaced: list[tuple[int, int]] = []
    relayouts: list[Relayout] = []
    kept_up_to = 0
    for start, end, first, last, new_start, new_end in regions:
        out.extend(ours[kept_up_to:first])
        out.extend(theirs[new_start:new_end])
        kept_up_to = last
        replaced.append((first + 1, last))
        if ours[first:last] != base[start:end]:
            was, now = "".join(ours[first:last]), "".join(theirs[new_start:new_end])
            relayouts.append(Relayout(first + 1, last, was, now))
    out.extend(ours[kept_up_to:])
    return Spliced("".join(out), tuple(replaced), tuple(relayouts))


def _line_map(base: Sequence[str], ours: Sequence[str]) -> list[int | None]:
    """For each line of `base`, the line of `ours` that is the same line
    kept, or None where ruamel's layout differs from the original."""
    mapping: list[int | None] = [None] * len(base)
    matcher = difflib.SequenceMatcher(None, base, ours, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    return mapping


def _ours_start(to_ours: Sequence[int | None], start: int, end: int) -> int | None:
    """Where a run of `base` lines [start, end) starts in the original: at its
    first line's place when that line is kept there, else just below the
    line above it; None when neither is known (the run must widen)."""
    if start < end and to_ours[start] is not None:
        return to_ours[start]
    if start == 0:
        return 0
    above = to_ours[start - 1]
    return None if above is None else above + 1


def _ours_end(to_ours: Sequence[int | None], start: int, end: int, ours_size: int) -> int | None:
    """Where the run ends in the original (a run of no lines: where it starts)."""
    if start == end:
        return _ours_start(to_ours, start, end)
    last = to_ours[end - 1]
    if last is not None:
        return last + 1
    if end == len(to_ours):
        return ours_size
    return to_ours[end]


Opcodes = Sequence[tuple[str, int, int, int, int]]


def _regions(
    base: Sequence[str], theirs: Sequence[str], to_ours: Sequence[int | None], ours_size: int
) -> list[tuple[int, int, int, int, int, int]]:
    """The runs of `base` lines to replace, widened until both ends have a
    place in the original and merged where they touch, each with its lines
    in the original and the run of `theirs` lines that replaces it."""
    opcodes = difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_opcodes()
    merged: list[list[int]] = []
    for tag, start, end, _, _ in opcodes:
        if tag == "equal":
            continue
        while _ours_start(to_ours, start, end) is None:
            start -= 1
        while _ours_end(to_ours, start, end, ours_size) is None:
            end += 1
        while merged and start <= merged[-1][1]:
            start = min(start, merged.pop()[0])
        merged.append([start, end])
    regions = []
    for start, end in merged:
        first = _ours_start(to_ours, start, end)
        last = _ours_end(to_ours, start, end, ours_size)
        assert first is not None and last is not None
        new_start, new_end = _theirs_start(opcodes, start, len(theirs)), _theirs_end(opcodes, end)
        regions.append((start, end, first, last, new_start, new_end))
    return regions


def _theirs_start(opcodes: Opcodes, at: int, size: int) -> int:
    """Where a run starting at `base` line `at` starts in `theirs` (lines
    inserted right there belong to the run)."""
    for tag, a1, a2, b1, _ in opcodes:
        if a1 <= at < a2 or a1 == a2 == at:
            return b1 + (at - a1 if tag == "equal" else 0)
    return size


def _theirs_end(opcodes: Opcodes, at: int) -> int:
    """Where a run ending at `base` line `at` ends in `theirs`."""
    for tag, a1, a2, b1, b2 in reversed(opcodes):
        if a1 < at <= a2 or a1 == a2 == at:
            return b1 + (at - a1) if tag == "equal" else b2
    return 0
