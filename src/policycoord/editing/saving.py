"""Writing an edited file: atomically, never over a newer file, never when
nothing changed.

- `save` writes only when the new bytes differ from what was read, and only
  when the file on disk still holds exactly the bytes that were read (their
  SHA-256): another editor or a `git pull` since is a `Conflict`, which hands
  the person's new text back. The new text goes to a temporary file in the
  same folder, flushed to disk (fsync), given the file's permissions, then
  renamed over the file (`os.replace`): a failure at any point leaves the
  old file whole. A symbolic link is followed: the file it points to is
  replaced, the link stays.
- `create` writes a new file only where there is none (a new organisation):
  the temporary file is linked into place, which fails rather than replace
  a file created a moment before.

Nothing here raises for an I/O problem: each outcome is data.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass

from policycoord.core.processes import stops_held
from policycoord.editing.document import Document, read_regular


@dataclass(frozen=True, slots=True)
class Saved:
    path: str


@dataclass(frozen=True, slots=True)
class Unchanged:
    """Nothing to write: the new text is the file's text, byte for byte."""

    path: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Not written: the file changed on disk since it was read (or, for a new
    file, one is already there). `text` is the person's new text, kept."""

    path: str
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Failed:
    """Not written: the disk or the folder refused (`text` kept)."""

    path: str
    reason: str
    text: str


def save(
    document: Document, filename: str | os.PathLike[str], text: str
) -> Saved | Unchanged | Conflict | Failed:
    """Write `text` over `filename`, which `document` was read from."""
    new = (("\ufeff" if document.bom else "") + text).encode("utf-8")
    if new == document.raw:
        return Unchanged(document.path)
    changed = _changed_since(document, filename)
    if changed is not None:
        return Conflict(document.path, changed, text)
    target = os.path.realpath(filename)
    try:
        _replace(target, new, document.snapshot.mode)
    except OSError as error:
        return Failed(document.path, f"The file could not be written: {_why(error)}.", text)
    return Saved(document.path)


def _changed_since(document: Document, filename: str | os.PathLike[str]) -> str | None:
    """Why the file on disk is not what `document` read, or None."""
    try:
        now, _ = read_regular(filename)
    except FileNotFoundError:
        return "The file was deleted or moved since it was opened; nothing was written."
    except OSError as error:
        return f"The file could not be read again before saving: {_why(error)}."
    if hashlib.sha256(now).hexdigest() != document.snapshot.sha256:
        return (
            "The file changed on disk since it was opened (another editor, or a git pull?); "
            "nothing was written. Your changes are kept: open the file again and make them "
            "there."
        )
    return None


def _replace(target: str, data: bytes, mode: int | None) -> None:
    folder = os.path.dirname(target) or "."
    temporary: str | None = None
    try:
        with stops_held():  # Ctrl-C waits until the temporary file has a name
            handle, temporary = tempfile.mkstemp(
                prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
            )
        _write_all(handle, data, mode if mode is not None else _default_mode())
        os.replace(temporary, target)
        temporary = None
        _sync_folder(folder)
    finally:
        if temporary is not None:
            with stops_held(), contextlib.suppress(OSError):
                os.unlink(temporary)


def _write_all(handle: int, data: bytes, mode: int) -> None:
    """Write, set the permissions, flush to disk and close a temporary file."""
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fchmod(stream.fileno(), mode)
        os.fsync(stream.fileno())


def create(filename: str | os.PathLike[str], text: str) -> Saved | Conflict | Failed:
    """Write a new file, only if nothing is at `filename` yet."""
    target = os.fspath(filename)
    folder = os.path.dirname(target) or "."
    exists = f"{target} already exists; nothing was written (choose another id, or open it)."
    if os.path.lexists(target):
        return Conflict(target, exists, text)
    temporary: str | None = None
    try:
        with stops_held():
            handle, temporary = tempfile.mkstemp(prefix=".new.", suffix=".tmp", dir=folder)
        _write_all(handle, text.encode("utf-8"), _default_mode())
        try:
            os.link(temporary, target)
        except FileExistsError:
            return Conflict(target, exists, text)
        except OSError:  # no hard links here (some network and FAT file systems)
            if os.path.lexists(target):
                return Conflict(target, exists, text)
            os.replace(temporary, target)  # only the moment since the look is unguarded
            temporary = None
        _sync_folder(folder)
    except OSError as error:
        return Failed(target, f"The file could not be written: {_why(error)}.", text)
    finally:
        if temporary is not None:
            with stops_held(), contextlib.suppress(OSError):
                os.unlink(temporary)
    return Saved(target)


def _sync_folder(folder: str) -> None:
    """Flush the folder's entry for the renamed file (where the system can)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _default_mode() -> int:
    current = os.umask(0)
    os.umask(current)
    return 0o666 & ~current


def _why(error: OSError) -> str:
    return str(error.strerror or error)
