"""Reading one file from disk: never waiting, never reading too much.

Every problem, I/O included, becomes a finding: a file that cannot be read
(a folder, a named pipe, a device, a missing file, no permission) is PC010,
one over the size limit is PC005, decided from its size before it is read.
"""

from __future__ import annotations

import os
import stat
from typing import Final

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.loader import load_bytes
from policycoord.input.loading.refusals import DEFAULT_MAX_FILE_SIZE
from policycoord.input.loading.source_map import LoadedFile, SourceMap


def load_file(
    filename: str | os.PathLike[str], path: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> LoadedFile:
    """Read and load one file; every problem, I/O included, becomes a finding.

    The size limit is decided from the open file's size before anything is
    read, and reading stops one byte past the limit in case the file grows.
    Opening never waits: a named pipe (which would block until someone writes
    to it) or a device is refused, not read.
    """
    try:
        descriptor = os.open(filename, _OPEN_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return _unreadable(path, _not_a_file(status.st_mode))
            if status.st_size > max_size:
                return _too_big(path, status.st_size, max_size)
            raw = _read_up_to(descriptor, status.st_size, max_size + 1)
        finally:
            os.close(descriptor)
    except IsADirectoryError:
        return _unreadable(path, "it is a folder, not a file")
    except FileNotFoundError:
        if os.path.islink(filename):
            return _unreadable(path, "it is a symbolic link to something that does not exist")
        return _unreadable(path, "it does not exist (was it moved or deleted during the run?)")
    except PermissionError:
        return _unreadable(path, "permission was denied")
    except OSError as error:
        return _unreadable(path, error.strerror or type(error).__name__)
    if len(raw) > max_size:
        return _too_big(path, len(raw), max_size)
    return load_bytes(raw, path)


def load_given(raw: bytes, path: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> LoadedFile:
    """Load bytes handed in for a file (an editor's unsaved buffer), under
    the same size limit as a file read from disk."""
    if len(raw) > max_size:
        return _too_big(path, len(raw), max_size)
    return load_bytes(raw, path)


def _read_up_to(descriptor: int, size: int, limit: int) -> bytes:
    """At most `limit` bytes of an open file whose size was `size`, read with
    `os.read` (a buffered file object reading `limit` bytes sets aside the
    whole limit first, for every file: a third of the time of reading it).
    Asks for one byte more than the size, so that a file that grew since is
    read on, up to the limit."""
    chunks: list[bytes] = []
    total = 0
    wanted = min(size + 1, limit)
    while total < limit:
        chunk = os.read(descriptor, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = min(max(wanted, 65536), limit - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


#: Read-only; never block on a named pipe; never become a terminal's controlling process.
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe, not a file"
    return "it is not a regular file (a device or a socket?)"


def _unreadable(path: str, why: str) -> LoadedFile:
    problem = Violation(
        message=f"The file could not be read: {why}.",
        location=Location(path, 1, 1, ""),
        subject="unreadable",
        suggestion="Check that the file exists and that you are allowed to read it.",
    )
    return LoadedFile(path, None, False, SourceMap(), (("PC010", problem),))


def _too_big(path: str, size: int, limit: int) -> LoadedFile:
    problem = Violation(
        message=(
            f"The file is {_megabytes(size)}, over the {_megabytes(limit)} limit for a "
            "policy file; policycoord did not read it."
        ),
        location=Location(path, 1, 1, ""),
        subject="file-size",
        suggestion="A policy file is a few kilobytes: check that this is the right file, "
        "or raise the limit with --max-file-size.",
    )
    return LoadedFile(path, None, False, SourceMap(), (("PC005", problem),), size)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    return f"{size / (1024 * 1024):.1f} MB"
