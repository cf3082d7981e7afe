"""A policy or partnership file opened for editing: its original bytes, what
the project's loader reads in them, and the YAML library set up to write it
back in the file's own layout.

A file is opened only when the project's own reading of it has no problem
that makes an edit unsafe; otherwise `open_document` returns a `Refusal`
with the reason and the loader's findings, never an exception:

- PC001: not UTF-8, or not well-formed YAML;
- PC002: a repeated key (a form would silently edit one of the two);
- PC005: over the size limit, an unsafe tag, an alias bomb, nesting too deep;
- PC010: it cannot be read (a folder, a pipe, no permission, missing);
- the top of the file is not a mapping, or ruamel.yaml cannot read it.

PC009 (invisible characters) does not stop an edit: the finding stays, and
the edit keeps the text as it is.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from ruamel.yaml import YAML

from policycoord.core.findings import Violation
from policycoord.editing.values import EscapingEmitter
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE, LoadedFile, load_bytes, load_file

#: The loader's findings after which a file is not edited.
REFUSING_CODES: Final = frozenset({"PC001", "PC002", "PC005", "PC010"})
_BOM: Final = "\ufeff"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a file cannot be edited (or a change applied, or a file written),
    in words, with the loader's findings behind it."""

    reason: str
    findings: tuple[tuple[str, Violation], ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What was read: the bytes' SHA-256 and the file's status then."""

    sha256: str
    size: int
    mtime_ns: int | None = None
    mode: int | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """The file's own indentation: `mapping` spaces a level; a list's `- `
    sits `offset` spaces in from its key (0: under the key). `crlf`: every
    line ends with CR LF (edited as LF, written back as CR LF)."""

    mapping: int = 2
    offset: int = 2
    crlf: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    path: str
    raw: bytes
    text: str  #: without a byte-order mark, line ends as in the file
    bom: bool
    loaded: LoadedFile
    layout: Layout
    snapshot: Snapshot
    #: ruamel.yaml's rendering of the file as read (see splice.py)
    rendered: str = field(repr=False, default="")
    #: ruamel.yaml's round-trip tree of the text, as opening read it: the first
    #: `edit` takes it (`take_tree`) rather than read the text again; ruamel.yaml's
    #: deep copy loses comments, so later edits read the text
    spare: list[Any] = field(repr=False, default_factory=list, compare=False)

    def take_tree(self) -> Any:
        """ruamel.yaml's tree of the text, this document's to change."""
        try:
            return self.spare.pop()
        except IndexError:
            return self.yaml().load(self.working)

    @property
    def working(self) -> str:
        """The text as ruamel.yaml reads it (LF line ends)."""
        return self.text.replace("\r\n", "\n") if self.layout.crlf else self.text

    def yaml(self) -> YAML:
        return make_yaml(self.layout)


def make_yaml(layout: Layout) -> YAML:
    """ruamel.yaml's round-trip reader and writer, set up for `layout`."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never fold a long line
    yaml.indent(mapping=layout.mapping, sequence=layout.offset + 2, offset=layout.offset)
    yaml.Emitter = EscapingEmitter
    return yaml


def render(yaml: YAML, tree: Any) -> str:
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


_KEY_ONLY: Final = re.compile(r"^( *)(- +)?[^\s#][^#]*:\s*(#.*)?$")


def detect_layout(text: str) -> Layout:
    """The file's own indentation (the most common step under a bare `key:`)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    mapping: Counter[int] = Counter()
    offset: Counter[int] = Counter()
    for line, below in itertools.pairwise(lines):
        match = _KEY_ONLY.match(line)
        if match is None:
            continue
        indent = len(match.group(1)) + len(match.group(2) or "")
        below_indent = len(below) - len(below.lstrip(" "))
        if below.lstrip(" ").startswith("- ") or below.strip() == "-":
            offset[below_indent - indent] += 1
        elif below_indent > indent:
            mapping[below_indent - indent] += 1
    crlf = 0 < text.count("\r\n") == text.count("\n")
    return Layout(
        mapping=mapping.most_common(1)[0][0] if mapping else 2,
        offset=max(0, offset.most_common(1)[0][0]) if offset else 2,
        crlf=crlf,
    )


def open_document(filename: str | os.PathLike[str], path: str | None = None) -> Document | Refusal:
    """Open a file on disk for editing (`path`: the name used in findings)."""
    shown = path if path is not None else os.fspath(filename)
    loaded = load_file(filename, shown)
    refused = _refused(loaded)
    if refused is not None:
        return refused
    try:
        raw, status = read_regular(filename)
    except OSError as error:
        return Refusal(f"The file could not be read: {error.strerror or error}.")
    snapshot = Snapshot(_digest(raw), len(raw), status.st_mtime_ns, status.st_mode & 0o7777)
    return open_bytes(raw, shown, snapshot=snapshot)


def open_bytes(raw: bytes, path: str, *, snapshot: Snapshot | None = None) -> Document | Refusal:
    """Open a file's bytes (already read) for editing."""
    if len(raw) > DEFAULT_MAX_FILE_SIZE:
        return Refusal(
            f"The file is over the {DEFAULT_MAX_FILE_SIZE:,}-byte limit for a policy file."
        )
    loaded = load_bytes(raw, path)
    refused = _refused(loaded)
    if refused is not None:
        return refused
    text = raw.decode("utf-8")
    bom = text.startswith(_BOM)
    text = text.removeprefix(_BOM)
    layout = detect_layout(text)
    try:
        working = text.replace("\r\n", "\n") if layout.crlf else text
        tree = make_yaml(layout).load(working)
        rendered = render(make_yaml(layout), tree)
    except Exception as error:  # ruamel.yaml's errors share no base class
        return Refusal(
            "The editor's YAML library cannot read this file, though policycoord can "
            f"({type(error).__name__}); edit it in a text editor."
        )
    if snapshot is None:
        snapshot = Snapshot(_digest(raw), len(raw))
    return Document(path, raw, text, bom, loaded, layout, snapshot, rendered, [tree])


def read_regular(filename: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes (up to one past the size limit) and its status,
    from one open that never waits (a named pipe put in its place is an
    OSError, not a wait)."""
    descriptor = os.open(filename, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "it is not a regular file")
        chunks = []
        left = DEFAULT_MAX_FILE_SIZE + 1
        while left > 0 and (chunk := os.read(descriptor, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), status
    finally:
        os.close(descriptor)


def _refused(loaded: LoadedFile) -> Refusal | None:
    stopping = tuple((code, v) for code, v in loaded.problems if code in REFUSING_CODES)
    if stopping:
        first = stopping[0][1]
        return Refusal(
            f"This file cannot be edited until it is fixed by hand: {first.message}", stopping
        )
    if not loaded.loaded:
        return Refusal("This file could not be read.", loaded.problems)
    if not isinstance(loaded.data, dict):
        return Refusal(
            "This file cannot be edited: a policy file is a mapping of fields "
            "(`organisation:`, `roles:`...) at the top, and this one is not."
        )
    return None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
