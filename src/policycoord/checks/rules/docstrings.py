"""A rule's docstring as documentation: its `## ` sections, the small
repositories of its examples, and the compact notation of its Fixed section.

The Example section holds ```yaml blocks, each a small repository: files
introduced by `# file: NAME` lines. The Fixed section holds, for each of
them in the same position, a ```diff block that shows only what the fix
changes:

    ```diff
    # file: orgs/st-marys-primary.yaml
     roles:
    +  - id: headteacher
    +    title: Headteacher
    @@
    -    raci: informed
    +    raci: accountable
    # file: orgs/northshire-police.yaml (new)
    +policycoord: 1
    +organisation: {id: northshire-police, name: Northshire Police, sector: police}
    # file: orgs/old.yaml (removed)
    ```

Under `# file: NAME` a line starting `-` is removed, `+` is added, and ` `
(or an empty line: a blank line of the file) is context that stays. A
change is a run of such lines; `@@` starts the next change in the same
file. The context and removed lines of a change, in order, must be
consecutive lines of the example file, found there exactly once, and the
changes of a file come in its order; the added lines take the place of the
removed ones, after the context written before them. `(new)` adds a whole
file (every line `+`), after the example's files; `(removed)` removes one
(nothing under it). Files the diff does not name stay as they are. A
```yaml block in the Fixed section is the fixed repository written whole.

`expanded()` turns each diff back into the fixed repository in full, as a
```yaml block, so that the documentation people read (`policycoord
explain`, docs/rules.md, SARIF) shows the whole fixed repository. A diff
that does not apply strictly raises FixedNotationError, naming the rule,
the file and the line; the test suite expands every rule's docstring.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DocExample", "FixedNotationError", "apply_fix", "examples", "expanded", "sections"]


@dataclass(frozen=True, slots=True)
class DocExample:
    """A small repository from a rule's docstring: file name -> text."""

    files: dict[str, str]


class FixedNotationError(ValueError):
    """A Fixed diff that is not written in the notation or does not apply to
    its example: a mistake in a rule's docstring, which the tests catch."""


_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_FENCE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_ANY_FENCE = re.compile(r"^```(yaml|diff)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FILE_MARK = re.compile(r"^# file: (\S+)\n", re.MULTILINE)
_DIFF_FILE = re.compile(r"# file: (\S+)(?: \((new|removed)\))?")
_FIXED = re.compile(r"^## Fixed$", re.MULTILINE)


def sections(doc: str) -> dict[str, str]:
    """The `## Heading` sections of a rule docstring, by heading."""
    parts = _SECTION.split(doc)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def examples(doc: str, heading: str) -> list[DocExample]:
    """The repositories written in a section's ```yaml blocks."""
    return [_repository(block) for block in _FENCE.findall(sections(doc).get(heading, ""))]


@functools.cache
def expanded(doc: str, label: str) -> str:
    """`doc` with each ```diff block of its Fixed section replaced by the
    ```yaml block of the fixed repository it gives, applied to the Example
    block in the same position. `label` (the rule's code) names the rule in
    a FixedNotationError."""
    heading = _FIXED.search(doc)
    if heading is None:
        return doc
    following = _SECTION.search(doc, heading.end())
    stop = following.start() if following is not None else len(doc)
    originals = examples(doc, "Example")
    pieces: list[str] = []
    done = heading.end()
    for index, block in enumerate(_ANY_FENCE.finditer(doc, heading.end(), stop)):
        pieces.append(doc[done : block.start()])
        done = block.end()
        if block.group(1) == "yaml":
            pieces.append(block.group())
            continue
        where = f"{label} ## Fixed, diff {index + 1}"
        if index >= len(originals):
            raise FixedNotationError(
                f"{where}: there is no Example block {index + 1} for it to apply to "
                f"(## Example has {len(originals)})."
            )
        pieces.append(f"```yaml\n{_written(apply_fix(originals[index], block.group(2), where))}```")
    return doc[: heading.end()] + "".join(pieces) + doc[done:]


def apply_fix(example: DocExample, diff: str, where: str) -> DocExample:
    """The repository that `diff` (the text of a ```diff block) makes of
    `example`, strictly: see the module docstring. `where` begins every
    error message."""
    files = dict(example.files)
    added: dict[str, str] = {}
    for change in _file_changes(diff, where):
        here = f"{where}, {change.name}"
        if change.status == "new":
            if change.name in files:
                raise FixedNotationError(
                    f"{here}: the example already has this file; write the lines that change "
                    "under `# file: NAME` without `(new)`."
                )
            added[change.name] = _joined(line.text for line in change.lines)
        elif change.status == "removed":
            if files.pop(change.name, None) is None:
                raise FixedNotationError(f"{here}: the example has no such file to remove.")
        elif change.name not in files:
            raise FixedNotationError(
                f"{here}: the example has no such file (it has {', '.join(files)}); "
                f"write `# file: {change.name} (new)` to add one."
            )
        else:
            files[change.name] = _joined(_patched(_lines(files[change.name]), change, here))
    return DocExample({**files, **added})


@dataclass(frozen=True, slots=True)
class _DiffLine:
    """One line under a `# file:` line: its mark (` `, `-`, `+`), its text
    without the mark, and its line number in the diff block (from 1)."""

    mark: str
    text: str
    number: int

    def __str__(self) -> str:
        return f"diff line {self.number} `{self.mark}{self.text}`"


@dataclass(slots=True)
class _FileChange:
    """What a diff block does to one file: `status` is "changed", "new" or
    "removed"; a changed file's lines are in `hunks` (the changes, in order)."""

    name: str
    status: str
    number: int
    hunks: list[list[_DiffLine]]

    @property
    def lines(self) -> list[_DiffLine]:
        return [line for hunk in self.hunks for line in hunk]


def _repository(block: str) -> DocExample:
    """The files of a ```yaml block's text."""
    pieces = _FILE_MARK.split(block)
    return DocExample({pieces[i]: pieces[i + 1] for i in range(1, len(pieces) - 1, 2)})


def _written(repository: DocExample) -> str:
    """The text of a ```yaml block for `repository` (what `_repository` reads)."""
    return "".join(f"# file: {name}\n{text}" for name, text in repository.files.items())


def _lines(text: str) -> list[str]:
    """The lines of a file's text, split at line feeds only (a file may
    hold other characters that `str.splitlines` would break at)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _joined(lines: Iterable[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def _file_changes(diff: str, where: str) -> list[_FileChange]:
    """The `# file:` sections of a ```diff block, each checked for what its
    status allows."""
    changes: list[_FileChange] = []
    for number, line in enumerate(_lines(diff), 1):
        if line.startswith("# file: "):
            changes.append(_file_header(line, number, changes, where))
            continue
        if not changes:
            raise FixedNotationError(
                f"{where}: diff line {number} `{line}` comes before any `# file: NAME` line."
            )
        change = changes[-1]
        if line == "@@":
            if not change.hunks[-1]:
                raise FixedNotationError(
                    f"{where}, {change.name}: diff line {number} `@@` ends a change with no lines."
                )
            change.hunks.append([])
        elif line == "" or line[0] in " -+":
            change.hunks[-1].append(_DiffLine(line[:1] or " ", line[1:], number))
        else:
            raise FixedNotationError(
                f"{where}, {change.name}: diff line {number} `{line}` starts with none of "
                "` `, `-`, `+`, `@@` or `# file:`."
            )
    for change in changes:
        _check_change(change, where)
    return changes


def _file_header(line: str, number: int, changes: list[_FileChange], where: str) -> _FileChange:
    header = _DIFF_FILE.fullmatch(line)
    if header is None:
        raise FixedNotationError(
            f"{where}: diff line {number} `{line}` is not `# file: NAME`, "
            "`# file: NAME (new)` or `# file: NAME (removed)`."
        )
    name = header.group(1)
    if any(change.name == name for change in changes):
        raise FixedNotationError(f"{where}, {name}: diff line {number} names the file again.")
    return _FileChange(name, header.group(2) or "changed", number, [[]])


def _check_change(change: _FileChange, where: str) -> None:
    """What each status allows under its `# file:` line."""
    here = f"{where}, {change.name}"
    lines = change.lines
    if change.status == "removed" and lines:
        raise FixedNotationError(f"{here}: {lines[0]}: nothing goes under a removed file.")
    if change.status == "new":
        wrong = [line for line in lines if line.mark != "+"]
        if wrong or len(change.hunks) > 1 or not lines:
            what = str(wrong[0]) if wrong else f"diff line {change.number}"
            raise FixedNotationError(
                f"{here}: {what}: a new file is written whole, every line with `+` (no `@@`)."
            )
    if change.status == "changed" and not lines:
        raise FixedNotationError(
            f"{here}: diff line {change.number} names the file but changes nothing in it."
        )
    if change.status == "changed" and not change.hunks[-1]:
        raise FixedNotationError(f"{here}: the diff ends with `@@` and no change after it.")


def _patched(lines: list[str], change: _FileChange, where: str) -> list[str]:
    """`lines` with each change of `change.hunks` made, strictly."""
    result: list[str] = []
    done = 0  # lines[:done] are dealt with
    for hunk in change.hunks:
        old = [line.text for line in hunk if line.mark != "+"]
        new = [line.text for line in hunk if line.mark != "-"]
        start = _located(lines, hunk, done, where)
        result += lines[done:start]
        result += new
        done = start + len(old)
    return result + lines[done:]


def _located(lines: list[str], hunk: list[_DiffLine], done: int, where: str) -> int:
    """Where in `lines` the context and removed lines of `hunk` are, found
    exactly once and not before `done` (the end of the change above)."""
    anchors = [line for line in hunk if line.mark != "+"]
    if not anchors:
        raise FixedNotationError(
            f"{where}: {hunk[0]}: a change that only adds lines needs a context line (` `) "
            "to say where they go."
        )
    if all(line.mark == " " for line in hunk):
        raise FixedNotationError(f"{where}: {hunk[0]}: the change has no `-` or `+` line.")
    old = [line.text for line in anchors]
    starts = _occurrences(lines, old)
    if not starts:
        raise FixedNotationError(f"{where}: {_unmatched(lines, anchors)}")
    if len(starts) > 1:
        places = ", ".join(str(start + 1) for start in starts)
        raise FixedNotationError(
            f"{where}: {anchors[0]} and the lines after it match {len(starts)} places in the "
            f"example file (lines {places}); add context lines (` `) to tell them apart."
        )
    if starts[0] < done:
        raise FixedNotationError(
            f"{where}: {anchors[0]} matches line {starts[0] + 1} of the example file, inside "
            f"or before the change above it (which ends at line {done}); write a file's "
            "changes in its order."
        )
    return starts[0]


def _occurrences(lines: list[str], run: list[str]) -> list[int]:
    """Every index at which `run` is a run of consecutive `lines`."""
    size = len(run)
    return [
        start
        for start in range(len(lines) - size + 1)
        if lines[start] == run[0] and lines[start : start + size] == run
    ]


def _unmatched(lines: list[str], anchors: list[_DiffLine]) -> str:
    """Which context or removed line of a change the example file lacks:
    the first that no longer continues a run found in the file."""
    if not _occurrences(lines, [anchors[0].text]):
        return f"{anchors[0]} matches no line of the example file."
    found = 1  # the first `found` anchors are a run of the file
    while _occurrences(lines, [line.text for line in anchors[: found + 1]]):
        found += 1
    return (
        f"{anchors[found]} does not follow {anchors[found - 1]} in the example file "
        "(the context and removed lines of a change are consecutive lines of the file)."
    )
