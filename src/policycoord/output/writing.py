"""Writing reports: atomically, so a failed run never leaves a half-written
or clobbered file (written to a temporary file beside the target, flushed to
disk, then renamed over it)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from policycoord.core.errors import PolicycoordError
from policycoord.core.processes import stops_held


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
        raise PolicycoordError(f"Cannot write {target}: {reason(error)}.") from None
    if special:  # /dev/null, a named pipe, a terminal: write to it, never replace it
        _write_stream(target, text)
        return
    temporary: str | None = None
    try:  # OSError: e.g. a folder we may not write into, a full disk
        with stops_held():  # Ctrl-C waits until the temporary file has a name here
            handle, temporary = _temporary_beside(target, folder)
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
        temporary = None
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {reason(error)}.") from None
    finally:
        _remove(temporary)


#: at most this many bytes of the target's name go into a temporary file's
#: name, so that it stays within a file system's 255 bytes however long the
#: report's name is (".", the name, ".", 8 random characters, ".tmp")
_NAME_IN_TEMPORARY = 200


def _temporary_beside(target: Path, folder: Path) -> tuple[int, str]:
    """A new, hidden temporary file in `folder`, named after `target`."""
    name = target.name
    while len(os.fsencode(name)) > _NAME_IN_TEMPORARY:
        name = name[:-1]
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)


def _remove(temporary: str | None) -> None:
    """Remove the temporary file, if one is left (Ctrl-C waits until then)."""
    if temporary is not None:
        with stops_held(), contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_stream(target: Path, text: str) -> None:
    """Write to a device or a named pipe as it is (`-o /dev/null`, `-o /dev/stdout`)."""
    try:
        with open_stream(target) as stream:
            stream.write(text)
    except OSError as error:
        raise PolicycoordError(f"Cannot write {target}: {reason(error)}.") from None


#: How long a named pipe given as the output is waited for to have a reader
#: (`policycoord check -o pipe & cat pipe` starts both at once).
READER_WAIT = 10.0


def open_stream(target: Path | str, *, append: bool = False) -> TextIO:
    """`target` opened to write text to, as it is: a device, a named pipe, or
    (`append`) a file added to. A named pipe that nothing reads from is an
    error (ENXIO) after `READER_WAIT` seconds, where a plain open would wait
    for a reader for ever."""
    import time

    nonblocking = getattr(os, "O_NONBLOCK", 0)  # not on Windows
    flags = os.O_WRONLY | nonblocking
    if append:
        flags |= os.O_APPEND | os.O_CREAT
    deadline = time.monotonic() + READER_WAIT
    while True:
        try:
            handle = os.open(target, flags, 0o666)
            break
        except OSError as error:
            if error.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        if nonblocking:
            os.set_blocking(handle, True)  # once open, a slow reader is waited for
        return os.fdopen(handle, "a" if append else "w", encoding="utf-8", newline="\n")
    except BaseException:
        os.close(handle)
        raise


def reason(error: OSError) -> str:
    """Why a file could not be written, in words (`Cannot write X: ...`)."""
    if error.errno == errno.ENXIO:
        return "it is a named pipe that nothing is reading from"
    return str(error.strerror or error)


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
    temporary: str | None = None
    try:
        with stops_held():  # Ctrl-C waits until the temporary file has a name here
            handle, temporary = _temporary_beside(target, folder)
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
        raise PolicycoordError(f"Cannot write {target}: {reason(error)}.") from None
    finally:
        _remove(temporary)


def write_new_below(
    folder: Path, relative: str, text: str, *, check: Callable[[], None] = lambda: None
) -> bool:
    """`write_new` for `folder / relative` (`relative` with `/`), the folders
    on the way made as needed. Where the system can (`dir_fd`, O_NOFOLLOW:
    not Windows), `folder` and then each folder below it is opened from the
    one above without following a symbolic link, and the file is made in the
    last one so opened (`write_new_in`): a link put on the way after the
    checks is never written through. Elsewhere the folders are made and
    `write_new` writes by path. `check` is called before the file is made
    and when a folder on the way cannot be opened (a link or a file there):
    it raises to say why. True if written, False if something is there."""
    target = folder / relative
    if not _opens_below():
        check()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _no_folder(target, error) from None
        check()
        return write_new(target, text)
    try:
        opened = _open_folder(folder, relative, check)
    except OSError as error:
        raise _no_folder(target, error) from None
    try:
        check()  # again: to name a link made meanwhile
        return write_new_in(opened, Path(relative).name, text, shown=target)
    finally:
        os.close(opened)


def _opens_below() -> bool:
    """Whether folders can be opened one below the other without following a
    link, and files made, linked and looked at in them (not on Windows)."""
    with_folders = {call.__name__ for call in os.supports_dir_fd}
    without_following = {call.__name__ for call in os.supports_follow_symlinks}
    return (
        hasattr(os, "O_DIRECTORY")
        and hasattr(os, "O_NOFOLLOW")
        and {"open", "mkdir", "stat", "link", "unlink", "rename"} <= with_folders
        and {"stat", "link"} <= without_following
    )


def _no_folder(target: Path, error: OSError) -> PolicycoordError:
    return PolicycoordError(f"Cannot create the folder {target.parent}: {reason(error)}.")


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _open_folder(folder: Path, relative: str, check: Callable[[], None]) -> int:
    """`folder` (as given, made if missing), then each folder below it on
    the way to `relative`, made if missing and opened from the one above,
    never through a symbolic link; the last one's descriptor."""
    directory = getattr(os, "O_DIRECTORY", 0)
    below = os.O_RDONLY | directory | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
    folder.mkdir(parents=True, exist_ok=True)
    opened = os.open(folder, os.O_RDONLY | directory | _CLOEXEC)
    try:
        for part in Path(relative).parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=opened)
            try:
                inner = os.open(part, below, dir_fd=opened)
            except OSError:  # a link (ELOOP) or a file (ENOTDIR) there: say which
                check()
                raise
            os.close(opened)
            opened = inner
    except BaseException:
        os.close(opened)
        raise
    return opened


def write_new_in(folder: int, name: str, text: str, *, shown: Path) -> bool:
    """`write_new` in a folder opened already (`folder`, a descriptor): no
    path is looked up again, so a symbolic link put on the way meanwhile is
    never followed, and a link at `name` itself counts as a file that is
    there. True if written, False if something is there already. Where the
    file system has no hard links, the new file is renamed into place once
    nothing is seen there (as `write_new` does)."""
    if _there(name, folder, shown):
        return False
    temporary: str | None = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
    try:
        with stops_held():  # Ctrl-C waits until the temporary file has a name here
            candidate = f".{name[:_NAME_IN_TEMPORARY]}.{os.urandom(4).hex()}.tmp"
            handle = os.open(candidate, flags, 0o666, dir_fd=folder)
            temporary = candidate  # the mode is 0o666 less the umask, as for any new file
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        try:  # fails rather than replacing a file made a moment ago
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links (EPERM, ENOTSUP, EXDEV...)
            if _there(name, folder, shown):
                return False
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
            temporary = None
        return True
    except OSError as error:
        raise PolicycoordError(f"Cannot write {shown}: {reason(error)}.") from None
    finally:
        if temporary is not None:
            with stops_held(), contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)


def _there(name: str, folder: int, shown: Path) -> bool:
    """Whether anything (a link too) is at `name` in the opened `folder`."""
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise PolicycoordError(f"Cannot write {shown}: {reason(error)}.") from None
    return True
