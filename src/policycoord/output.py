"""Writing reports: atomically, so a failed run never leaves a half-written
or clobbered file (written to a temporary file beside the target, flushed to
disk, then renamed over it)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from policycoord.errors import PolicycoordError


def drop_standard_output() -> None:
    """After writing to standard output failed (a full disk): what Python
    still holds for it can never be written, so standard output is pointed
    at the null device. Otherwise Python's last flush, as it exits, fails
    again, prints a traceback and turns the exit status into 120."""
    import sys

    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def write_atomic(target: Path, text: str) -> None:
    folder = target.parent if str(target.parent) else Path()
    try:  # a folder above that we may not look into raises PermissionError here
        if not folder.is_dir():
            if folder.exists():
                raise PolicycoordError(f"Cannot write {target}: {folder} is a file, not a folder.")
            raise PolicycoordError(f"Cannot write {target}: the folder {folder} does not exist.")
        if target.is_dir():
            raise PolicycoordError(f"Cannot write {target}: it is a folder.")
        special = target.exists() and not target.is_file()
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
    if special:  # /dev/null, a named pipe, a terminal: write to it, never replace it
        _write_stream(target, text)
        return
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:  # e.g. a folder we may not write into
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_stream(target: Path, text: str) -> None:
    """Write to a device or a named pipe as it is (`-o /dev/null`, `-o /dev/stdout`)."""
    try:
        with open(target, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_new(target: Path, text: str) -> bool:
    """Write `text` to `target` only if nothing is there yet, atomically (a
    complete file or none). True if written, False if `target` already
    existed, even when another process created it a moment ago: the new file
    is linked into place, which fails rather than replacing anything."""
    if target.exists() or target.is_symlink():
        return False
    folder = target.parent if str(target.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            if target.exists() or target.is_symlink():
                return False
            os.replace(temporary, target)
        return True
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
