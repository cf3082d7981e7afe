"""The working tree as `diff` compares it with a revision, when some policy
files are stored through a git filter (Git LFS, git-crypt: a `filter`
attribute in `.gitattributes`).

A revision holds what the filter stored (a pointer, an encrypted file),
which is PC010, while the working tree holds what the filter made of it.
Compared as they are, every such file would count as findings resolved and
introduced. So, as policycoord never runs a filter, both sides read what
git stores: a filtered file of the working tree is read as git has it
staged. The report then names these files among those that do not read.
Deciding which files are filtered reads `.gitattributes` only (`git
check-attr`): nothing runs.

A filtered file changed since it was staged (its size is not what git's
index recorded), or never staged, cannot be read as git would store it
without running the filter: `diff` reads it as PC010 saying so
(input/loading/filtered.py, `NOT_STAGED`), so an edit there is never
unseen. One whose modification or change time is not the one recorded,
or whose record git itself does not trust (size 0: "racily clean", or an
empty file staged), may have changed: PC010 saying that it may
(`MAY_HAVE_CHANGED`). Only a file with the recorded size (not 0) and
times is read as staged. Whether it changed is read from the index (`git
ls-files --debug`), which, unlike `git status`, never runs the filter to
look.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from policycoord.core.errors import PolicycoordError
from policycoord.core.processes import stops_held
from policycoord.input.loading.filtered import MAY_HAVE_CHANGED, NOT_STAGED
from policycoord.workflows import gitcommand
from policycoord.workflows.revisions import Repository


def filtered(repository: Repository, files: list[Path]) -> dict[Path, bytes]:
    """Of these working-tree files, those git stores through a filter, each
    with what git has staged for it (empty when it is not staged)."""
    relative = {}
    for file in files:
        with contextlib.suppress(ValueError, OSError):
            inside = file.absolute().resolve().relative_to(repository.root.resolve())
            relative[inside.as_posix()] = file
    if not relative:
        return {}
    data = b"".join(os.fsencode(path) + b"\0" for path in relative)
    result = gitcommand.run(repository.root, "check-attr", "-z", "--stdin", "filter", data=data)
    fields = result.stdout.split(b"\0")
    chosen = [
        os.fsdecode(fields[i])
        for i in range(0, len(fields) - 2, 3)
        if fields[i + 2] not in (b"unspecified", b"unset", b"")
    ]
    return {
        relative[path]: _staged(repository, path, relative[path])
        for path in chosen
        if path in relative
    }


def _staged(repository: Repository, path: str, file: Path) -> bytes:
    """What git has staged for `path` (as the filter stored it); `NOT_STAGED`
    when the working tree's `file` is not what was staged, or nothing was;
    `MAY_HAVE_CHANGED` when the index cannot say that it still is."""
    listed = gitcommand.run(repository.root, "ls-files", "-s", "--debug", "-z", "--", path)
    entry, _, recorded = listed.stdout.partition(b"\0")
    parts = entry.split(b"\t")[0].split()
    if listed.returncode != 0 or len(parts) < 2:
        return NOT_STAGED
    since = _since_staged(file, recorded)
    if since is not None:
        return since
    blob = gitcommand.run(repository.root, "cat-file", "blob", gitcommand.text(parts[1]))
    if blob.returncode != 0:
        raise gitcommand.failure(
            repository.root, gitcommand.text(blob.stderr), blob.returncode, what=f"read {path}"
        )
    return blob.stdout


_RECORDED = re.compile(rb"ctime: (\d+):(\d+)\n\s*mtime: (\d+):(\d+)\n(?:.*\n)*?\s*size: (\d+)")


def _since_staged(file: Path, recorded: bytes) -> bytes | None:
    """None when `file` is as git's index recorded it when it was staged
    (`git ls-files --debug`): the same size, modification time and change
    time, as git itself judges before it looks at the content (times to the
    second when git keeps no nanoseconds; sizes modulo 2**32, as the index
    keeps them). Otherwise `NOT_STAGED` when its size is not the one
    recorded (it has changed), or `MAY_HAVE_CHANGED` when only a time is not
    (a `touch` gives that too), or when the index records a size of 0: git's
    mark that its record is not to be trusted ("racily clean"), or an empty
    file staged; either way the times alone cannot tell."""
    found = _RECORDED.search(recorded)
    try:
        now = os.lstat(file)
    except OSError:
        return NOT_STAGED
    if found is None:
        return NOT_STAGED
    *times, size = (int(group) for group in found.groups())
    if size != 0 and size != now.st_size % 2**32:
        return NOT_STAGED
    if size == 0 or not _same_time(now.st_ctime_ns, times[0], times[1]):
        return MAY_HAVE_CHANGED
    if not _same_time(now.st_mtime_ns, times[2], times[3]):
        return MAY_HAVE_CHANGED
    return None


def _same_time(now_ns: int, seconds: int, nanoseconds: int) -> bool:
    """A time of the file as the index records it (seconds modulo 2**32;
    nanoseconds 0 when git keeps none)."""
    if (now_ns // 10**9) % 2**32 != seconds:
        return False
    return nanoseconds == 0 or now_ns % 10**9 == nanoseconds


@contextlib.contextmanager
def as_stored(folder: Path, files: list[Path], stored: dict[Path, bytes]) -> Iterator[Path]:
    """A temporary copy of the policy files below `folder` (the partnership
    file's), each filtered one as git stores it; removed afterwards."""
    temporary: Path | None = None
    try:
        with stops_held():
            temporary = Path(tempfile.mkdtemp(prefix="policycoord-worktree-"))
        try:
            for file in files:
                _copy(folder, file, temporary, stored.get(file))
        except OSError as error:
            raise PolicycoordError(
                f"Could not copy the working tree's files into the temporary folder "
                f"{temporary}: {error.strerror or error}. Free some space there, or set TMPDIR "
                "to a folder with room."
            ) from None
        yield temporary
    finally:
        if temporary is not None:
            with stops_held():
                shutil.rmtree(temporary, ignore_errors=True)


def _copy(folder: Path, file: Path, destination: Path, content: bytes | None) -> None:
    try:
        inside = file.absolute().relative_to(folder.absolute())
    except ValueError:
        return  # outside the repository: check reports it (PC011), never reads it
    target = destination / inside
    target.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        with contextlib.suppress(OSError):  # unreadable: its absence is what check would say
            shutil.copyfile(file, target, follow_symlinks=True)
    else:
        target.write_bytes(content)
