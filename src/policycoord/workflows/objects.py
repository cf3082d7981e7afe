"""git's objects read as data: one `git cat-file --batch` per repository,
kept open for a whole run (`history` reads every commit through it), that
gives commits, trees and blobs by id. Trees are parsed here, so no path
ever goes to git (no pathspec, no quoting), and a blob over the size limit
is skipped a piece at a time, never held in memory.

The process runs with gitcommand's settings: an object missing from a
partial clone is never fetched. git then says it is missing, or stops
(its fetch refused); either is `MissingObject`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from policycoord.workflows import gitcommand

#: how much of a skipped blob is read at a time
_PIECE = 1 << 16


class MissingObject(Exception):
    """An object git does not have (or could not give)."""


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str  # as git writes it: 40000 (a tree), 100644, 100755, 120000, 160000
    name: bytes
    object_id: str


class Objects:
    """Objects of the repository at `root`, read through one `git cat-file --batch`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            process.kill()
            process.wait()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            try:
                self._process = subprocess.Popen(
                    gitcommand.command("cat-file", "--batch"),
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=gitcommand.environment(),
                )
            except OSError as error:
                raise gitcommand.GitError(
                    f"Could not run git in {self.root}: {error.strerror or error}."
                ) from None
        return self._process

    def _header(self, name: str) -> tuple[str, int]:
        """Ask for an object; its type and size (its content follows)."""
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(name.encode("ascii") + b"\n")
            process.stdin.flush()
        except (BrokenPipeError, UnicodeEncodeError):
            self.close()
            raise MissingObject(name) from None
        header = process.stdout.readline().split()
        if len(header) != 3 or not header[2].isdigit():
            self.close()  # "missing", or git stopped: start again for the next question
            raise MissingObject(name)
        return header[1].decode("ascii"), int(header[2])

    def read(self, name: str, *, limit: int | None = None) -> tuple[str, bytes, int]:
        """An object's type, content and size; the content is empty (and was
        never held in memory) when it is larger than `limit`."""
        kind, size = self._header(name)
        process = self._started()
        assert process.stdout is not None
        if limit is not None and size > limit:
            left = size
            while left:
                piece = process.stdout.read(min(left, _PIECE))
                if not piece:
                    raise MissingObject(name)
                left -= len(piece)
            content = b""
        else:
            content = process.stdout.read(size)
        process.stdout.read(1)  # the newline after each object
        return kind, content, size

    def tree_of(self, commit: str) -> str:
        """The id of a commit's tree."""
        kind, content, _ = self.read(commit)
        if kind != "commit" or not content.startswith(b"tree "):
            raise MissingObject(commit)
        return content[5 : content.index(b"\n")].decode("ascii")

    def entries(self, tree: str) -> list[TreeEntry]:
        """A tree's entries, as git stores them."""
        kind, content, _ = self.read(tree)
        if kind != "tree":
            raise MissingObject(tree)
        width = len(tree) // 2  # 20 bytes for SHA-1 ids, 32 for SHA-256
        entries = []
        position = 0
        while position < len(content):
            space = content.index(b" ", position)
            end = content.index(b"\0", space)
            object_id = content[end + 1 : end + 1 + width].hex()
            mode = content[position:space].decode("ascii")
            entries.append(TreeEntry(mode, content[space + 1 : end], object_id))
            position = end + 1 + width
        return entries

    def has(self, name: str) -> bool:
        try:
            self.read(name, limit=0)
        except MissingObject:
            return False
        return True
