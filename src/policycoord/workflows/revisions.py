"""Reading a policy repository as it was at a git revision, without touching
the working tree (for `diff` and `history`).

Git is run as a subprocess with fixed arguments (never a shell), and a
revision's files are read with `git ls-tree` and `git cat-file --batch`, then
written into a private temporary folder that the ordinary pipeline checks.
Only regular files are exported: symbolic links and submodules in a revision
are skipped, so a revision cannot make policycoord read outside its folder.

Everything here raises PolicycoordError (exit 2) with a message a
safeguarding lead can act on: not a git repository, git missing, a revision
that does not exist, or one missing from a shallow clone (the usual case in
CI, where `actions/checkout` fetches one commit by default).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from policycoord.core.errors import PolicycoordError
from policycoord.core.processes import stops_held

#: git's file modes for regular files (plain and executable); links are 120000
_REGULAR_FILE_MODES = frozenset({"100644", "100755"})

#: the files a revision's export holds (besides the partnership file itself)
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit as `history` lists it."""

    sha: str
    short: str
    date: str  # the committer date, YYYY-MM-DD
    subject: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Repository:
    """A git work tree, and where the policy repository sits inside it."""

    root: Path  # the top of the git work tree
    folder: str  # the partnership file's folder, relative to root, POSIX ('' at the top)
    partnership_name: str  # the partnership file's name, e.g. partnership.yaml


def repository_for(partnership_file: Path) -> Repository:
    """The git repository that holds this partnership file."""
    # the folder the partnership file is in, not where a link named like it
    # points: a link must not make diff or history read another repository
    folder = partnership_file.absolute().parent.resolve()
    top = _git(folder, "rev-parse", "--show-toplevel", what="find the git repository").strip()
    if not top:
        raise PolicycoordError(f"{folder} is not inside a git repository.")
    root = Path(top)
    try:
        relative = folder.relative_to(root.resolve())
    except ValueError:
        raise PolicycoordError(f"{folder} is not inside the git repository {root}.") from None
    inside = relative.as_posix()
    return Repository(root, "" if inside == "." else inside, partnership_file.name)


def resolve(repository: Repository, ref: str, *, option: str) -> str:
    """The commit a revision names; a clear message when it does not exist."""
    if ref.startswith("-"):
        raise PolicycoordError(f"{option} {ref!r} is not a git revision.")
    result = _run(
        repository.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
    )
    sha = result.stdout.strip()
    if result.returncode == 0 and sha:
        return sha
    if is_shallow(repository):
        raise PolicycoordError(
            f"The revision {ref!r} ({option}) is not in this clone: it is a shallow clone, which "
            f"holds only the latest commits. Fetch it first ({_fetch_hint(ref)}), or check out "
            "with full history (`fetch-depth: 0` in actions/checkout)."
        )
    raise PolicycoordError(
        f"The revision {ref!r} ({option}) does not exist in this repository. Give a branch, a tag "
        "or a commit, e.g. `origin/main` (run `git fetch` first if it is another branch)."
    )


def is_shallow(repository: Repository) -> bool:
    result = _run(repository.root, "rev-parse", "--is-shallow-repository")
    return result.stdout.strip() == "true"


def _fetch_hint(ref: str) -> str:
    """How to fetch a missing revision: a branch by name, anything else
    (`HEAD~1`, a commit id) by fetching the whole history."""
    if re.fullmatch(r"[\w./-]+", ref) and not re.fullmatch(r"[0-9a-f]{7,40}", ref):
        return f"`git fetch --depth=1 origin {ref.removeprefix('origin/')}`"
    return "`git fetch --unshallow`"


def has_partnership(repository: Repository, sha: str) -> bool:
    """Whether the partnership file exists at this commit."""
    spec = f"{sha}:{_joined(repository.folder, repository.partnership_name)}"
    return _run(repository.root, "cat-file", "-e", spec).returncode == 0


@contextlib.contextmanager
def exported(repository: Repository, sha: str, *, max_size: int | None = None) -> Iterator[Path]:
    """The policy repository's folder as it was at `sha` (see `export`),
    written into a temporary folder that is removed afterwards. Yields the
    folder that holds the partnership file (so paths in reports read as in
    the working tree)."""
    temporary: Path | None = None
    try:
        # a Ctrl-C or SIGTERM (which unwinds) waits until the folder is known...
        with stops_held():
            temporary = Path(tempfile.mkdtemp(prefix="policycoord-rev-"))
        export(repository, sha, temporary, max_size=max_size)
        yield temporary
    finally:
        if temporary is not None:
            with stops_held():  # ...and until it is removed, not half of it
                shutil.rmtree(temporary, ignore_errors=True)


def export(
    repository: Repository, sha: str, destination: Path, *, max_size: int | None = None
) -> int:
    """Write the policy repository's YAML files at `sha` (and the partnership
    file, whatever its name) into `destination`, relative to its folder, and
    return how many. Only regular files: never links or submodules. A file
    larger than `max_size` is written as an empty (sparse) file of the same
    size, so the check reports it as too big (PC005) without it being read
    into memory."""
    listing = _git(
        repository.root,
        "ls-tree",
        "-r",
        "-z",
        "-l",
        "--full-tree",
        sha,
        "--",
        repository.folder or ".",
        what=f"list the files of {sha[:12]}",
    )
    wanted: list[tuple[str, str]] = []  # (blob id, path inside the folder)
    oversized: list[tuple[str, int]] = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        info, _, path = entry.partition("\t")
        mode, kind, blob, size = info.split()
        if kind != "blob" or mode not in _REGULAR_FILE_MODES:
            continue
        inside = _inside(path, repository.folder)
        if inside is None or not (
            inside.lower().endswith(_YAML_SUFFIXES) or inside == repository.partnership_name
        ):
            continue
        if max_size is not None and int(size) > max_size:
            oversized.append((inside, int(size)))
        else:
            wanted.append((blob, inside))
    for (_blob, inside), content in zip(
        wanted, _blobs(repository, [b for b, _ in wanted]), strict=True
    ):
        _write_exported(destination, inside, content)
    for inside, length in oversized:
        _write_exported(destination, inside, b"", size=length)
    return len(wanted) + len(oversized)


def _inside(path: str, folder: str) -> str | None:
    """`path` relative to `folder`, or None if it is not a safe path below it."""
    if folder:
        if not path.startswith(folder + "/"):
            return None
        path = path[len(folder) + 1 :]
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("", ".", "..", ".git") for part in parts):
        return None
    if path.startswith("/"):
        return None
    return path


def _blobs(repository: Repository, blobs: list[str]) -> Iterator[bytes]:
    """The contents of these blobs, in order, from one `git cat-file --batch`."""
    if not blobs:
        return
    with subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=repository.root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_environment(),
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        # Written from a thread-free loop: ask for one blob, read it, ask for the
        # next, so neither pipe fills up however big the repository is.
        for blob in blobs:
            process.stdin.write(blob.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3:
                raise PolicycoordError(f"git could not read the file {blob} of this revision.")
            size = int(header[2])
            content = process.stdout.read(size)
            process.stdout.read(1)  # the newline after each blob
            yield content
        process.stdin.close()


def _write_exported(destination: Path, inside: str, content: bytes, *, size: int = 0) -> None:
    target = destination.joinpath(*PurePosixPath(inside).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(
        target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
    )
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        if size > len(content):
            handle.truncate(size)


def commits(
    repository: Repository, *, since: str | None, max_count: int | None, tags_only: bool
) -> tuple[Commit, ...]:
    """The commits that touched the policy repository's folder, oldest first:
    with `since`, that revision itself (the starting point: a board's tag)
    and the commits after it; at most the `max_count` latest; with
    `tags_only`, only tagged ones."""
    if _run(repository.root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise PolicycoordError(
            "This repository has no commits yet: `history` counts findings at each commit. "
            "Commit the policies first (`git add .` then `git commit`)."
        )
    # One record a commit, ended by NUL (-z); fields on lines, the subject last
    # (git folds it onto one line; it may hold any other character).
    arguments = ["log", "-z", "--format=%H%n%h%n%cs%n%D%n%s"]
    start = resolve(repository, since, option="--since") if since is not None else None
    if not tags_only and max_count is not None:
        arguments.append(f"--max-count={max_count}")
    arguments.append(f"{start}..HEAD" if start is not None else "HEAD")
    arguments += ["--", repository.folder or "."]
    found = [
        _commit(record)
        for record in _git(repository.root, *arguments, what="list the commits").split("\0")
        if record.strip("\n")
    ]
    if start is not None:
        found.append(
            _commit(
                _git(
                    repository.root,
                    "log",
                    "-1",
                    "--format=%H%n%h%n%cs%n%D%n%s",
                    start,
                    what="read the --since revision",
                )
            )
        )
    if tags_only:
        found = [commit for commit in found if commit.tags]
    if max_count is not None:
        found = found[:max_count]
    return tuple(reversed(found))


def _commit(record: str) -> Commit:
    sha, short, date, decorations, subject = record.strip("\n").split("\n", 4)
    tags = tuple(
        part.removeprefix("tag: ") for part in decorations.split(", ") if part.startswith("tag: ")
    )
    return Commit(sha, short, date, subject, tags)


def _joined(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _environment() -> dict[str, str]:
    """git's environment: no pager, no prompts, English messages, no
    configuration that could run programs of a repository's choosing."""
    environment = dict(os.environ)
    environment.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "LC_ALL": "C",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return environment


def _run(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *arguments],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise PolicycoordError(
            "git is not installed (or not on PATH): `diff` and `history` read the "
            "repository's history with git."
        ) from None


def _git(cwd: Path, *arguments: str, what: str) -> str:
    result = _run(cwd, *arguments)
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()
        detail = reason[-1] if reason else f"git exited with status {result.returncode}"
        if "not a git repository" in detail:
            raise PolicycoordError(
                f"{cwd} is not inside a git repository: `diff` and `history` compare "
                "revisions of a policy repository kept in git."
            )
        raise PolicycoordError(f"Could not {what}: {detail}")
    return result.stdout
