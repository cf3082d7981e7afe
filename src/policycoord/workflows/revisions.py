"""Reading a policy repository as it was at a git revision, without touching
the working tree (for `diff` and `history`).

git is run through `gitcommand` (fixed arguments, never a shell, every
setting that could run a program or reach the network overridden), and a
revision's files are read with `git ls-tree` and `git cat-file --batch`, then
written into a private temporary folder that the ordinary pipeline checks.
Only regular files are exported: symbolic links in a revision are skipped,
so a revision cannot make policycoord read outside its folder; a submodule's
files are read from the submodule's own repository at the commit the
revision records (`submodules`), as the working tree shows them.

Everything here raises PolicycoordError (exit 2) with a message a
safeguarding lead can act on: not a git repository, git missing, a revision
that does not exist, or one missing from a shallow clone (the usual case in
CI, where `actions/checkout` fetches one commit by default), with the
command that fetches it; and GitError when git cannot read what it needs (a
partial clone's missing file, which is never fetched).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from policycoord.core.errors import PolicycoordError
from policycoord.core.processes import stops_held
from policycoord.workflows import gitcommand, refs
from policycoord.workflows.gitcommand import GitError
from policycoord.workflows.objects import MissingObject, Objects

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
    top = gitcommand.output(folder, "rev-parse", "--show-toplevel", what="find the git repository")
    root = Path(os.fsdecode(top.rstrip(b"\n")))
    if not str(root):
        raise PolicycoordError(f"{folder} is not inside a git repository.")
    try:
        relative = folder.relative_to(root.resolve())
    except ValueError:
        raise PolicycoordError(f"{folder} is not inside the git repository {root}.") from None
    inside = relative.as_posix()
    return Repository(root, "" if inside == "." else inside, partnership_file.name)


def located(partnership: str | None, cwd: Path) -> Path:
    """The partnership file for `diff` or `history` (as `check` finds it);
    in a bare repository (git's store, with no files checked out), a
    message that says so rather than "no partnership file"."""
    from policycoord.input.discovery import locate_partnership

    try:
        return locate_partnership([], partnership=partnership, cwd=cwd)
    except PolicycoordError:
        if partnership is None:
            result = gitcommand.run(cwd, "rev-parse", "--is-bare-repository")
            if result.returncode == 0 and gitcommand.text(result.stdout).strip() == "true":
                raise PolicycoordError(
                    f"{cwd} is a bare git repository: it holds the history but no files to "
                    f"check. `diff` and `history` run in a clone with its files: "
                    f"`git clone {cwd} policies`, then run them in that folder."
                ) from None
        raise


def resolve(repository: Repository, ref: str, *, option: str) -> str:
    """The commit a revision names (see refs.resolve)."""
    return refs.resolve(repository.root, ref, option=option).sha


def is_shallow(repository: Repository) -> bool:
    return refs.is_shallow(repository.root)


class Reader:
    """Reads revisions of one repository (and the submodules inside its
    policy folder) through `objects.Objects`, kept open while it is used."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self._objects: dict[Path, Objects] = {}

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        for objects in self._objects.values():
            objects.close()
        self._objects.clear()

    def objects(self, root: Path) -> Objects:
        if root not in self._objects:
            self._objects[root] = Objects(root)
        return self._objects[root]

    def folder_tree(self, sha: str) -> str | None:
        """The tree of the policy folder at `sha`; None where it is not a folder."""
        objects = self.objects(self.repository.root)
        try:
            tree: str | None = objects.tree_of(sha)
            for part in PurePosixPath(self.repository.folder).parts:
                assert tree is not None
                found = [e for e in objects.entries(tree) if e.name == os.fsencode(part)]
                tree = found[0].object_id if found and found[0].mode == "40000" else None
                if tree is None:
                    return None
        except MissingObject:
            raise _unreadable(self.repository.root, sha, self.repository.folder) from None
        return tree

    def has_partnership(self, sha: str) -> bool:
        """Whether the partnership file exists at this commit (read from its
        tree: the file itself is not needed, so a partial clone answers too)."""
        tree = self.folder_tree(sha)
        if tree is None:
            return False
        name = os.fsencode(self.repository.partnership_name)
        try:
            entries = self.objects(self.repository.root).entries(tree)
        except MissingObject:
            raise _unreadable(self.repository.root, sha, self.repository.folder) from None
        return any(e.name == name and e.mode in _REGULAR_FILE_MODES for e in entries)

    def export(self, sha: str, destination: Path, *, max_size: int | None = None) -> int:
        """See `export`."""
        tree = self.folder_tree(sha)
        if tree is None:
            return 0
        repository = self.repository
        folder = repository.root.joinpath(*PurePosixPath(repository.folder).parts)
        place = _Place(
            repository.root, sha, folder, repository.folder, "", repository.partnership_name
        )
        try:
            return self._export_tree(place, tree, "", destination, max_size=max_size, depth=0)
        except MissingObject:
            raise _unreadable(place.root, place.sha, place.pathspec) from None

    def _export_tree(
        self,
        place: _Place,
        tree: str,
        below: str,
        destination: Path,
        *,
        max_size: int | None,
        depth: int,
    ) -> int:
        count = 0
        objects = self.objects(place.root)
        for entry in objects.entries(tree):
            name = os.fsdecode(entry.name)
            inside = _inside(f"{below}{name}", "")
            if inside is None:
                continue
            if entry.mode == "40000":
                count += self._export_tree(
                    place,
                    entry.object_id,
                    f"{inside}/",
                    destination,
                    max_size=max_size,
                    depth=depth,
                )
            elif entry.mode == "160000" and depth < _SUBMODULE_DEPTH:
                count += self._export_submodule(
                    place, inside, entry.object_id, destination, max_size=max_size, depth=depth
                )
            elif entry.mode in _REGULAR_FILE_MODES and (
                inside.lower().endswith(_YAML_SUFFIXES) or inside == place.partnership_name
            ):
                _, content, size = objects.read(entry.object_id, limit=max_size)
                oversized = max_size is not None and size > max_size
                _write_exported(
                    destination, f"{place.prefix}{inside}", content, size=size if oversized else 0
                )
                count += 1
        return count

    def _export_submodule(
        self,
        place: _Place,
        inside: str,
        commit: str,
        destination: Path,
        *,
        max_size: int | None,
        depth: int,
    ) -> int:
        """A submodule's files at the commit the revision records, read from
        the submodule's own repository (its checkout in the working tree),
        as the working tree shows them. One that is not checked out has no
        files in the working tree either: nothing."""
        folder = place.folder.joinpath(*PurePosixPath(inside).parts)
        if folder.is_symlink() or not (folder / ".git").exists():
            return 0
        shown = f"{place.prefix}{inside}"
        objects = self.objects(folder)
        try:
            tree = objects.tree_of(commit)
        except MissingObject:
            raise GitError(
                f"The submodule {shown} is at commit {commit[:12]} in this revision, and that "
                "commit is not in the submodule's repository. Fetch it with "
                f"`git submodule update --init -- {shown}`."
            ) from None
        inner = _Place(folder, commit, folder, "", f"{shown}/", None)
        try:
            return self._export_tree(
                inner, tree, "", destination, max_size=max_size, depth=depth + 1
            )
        except MissingObject:
            raise _unreadable(folder, commit, "") from None


def has_partnership(repository: Repository, sha: str, *, reader: Reader | None = None) -> bool:
    """Whether the partnership file exists at this commit."""
    if reader is not None:
        return reader.has_partnership(sha)
    with Reader(repository) as own:
        return own.has_partnership(sha)


@contextlib.contextmanager
def exported(
    repository: Repository,
    sha: str,
    *,
    max_size: int | None = None,
    reader: Reader | None = None,
) -> Iterator[Path]:
    """The policy repository's folder as it was at `sha` (see `export`),
    written into a temporary folder that is removed afterwards. Yields the
    folder that holds the partnership file (so paths in reports read as in
    the working tree)."""
    temporary: Path | None = None
    try:
        try:
            # a Ctrl-C or SIGTERM (which unwinds) waits until the folder is known...
            with stops_held():
                temporary = Path(tempfile.mkdtemp(prefix="policycoord-rev-"))
            if reader is not None:
                reader.export(sha, temporary, max_size=max_size)
            else:
                export(repository, sha, temporary, max_size=max_size)
        except OSError as error:  # e.g. a full TMPDIR: say where
            place = temporary if temporary is not None else Path(tempfile.gettempdir())
            raise PolicycoordError(
                f"Could not write the files of {sha[:12]} into the temporary folder {place}: "
                f"{error.strerror or error}. Free some space there, or set TMPDIR to a folder "
                "with room."
            ) from None
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
    return how many. Only regular files, never links; a submodule's files
    as its own repository holds them at the commit `sha` records. A file
    larger than `max_size` is written as an empty (sparse) file of the same
    size, so the check reports it as too big (PC005) without it being read
    into memory."""
    with Reader(repository) as reader:
        return reader.export(sha, destination, max_size=max_size)


#: how deep submodules inside submodules are followed
_SUBMODULE_DEPTH = 8


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a tree comes from: the repository and commit, the folder of the
    working tree it sits in, and the path before its files in the export."""

    root: Path
    sha: str
    folder: Path
    pathspec: str  # `folder` in the repository, as git names it
    prefix: str
    partnership_name: str | None  # only at the top


def _inside(path: str, folder: str) -> str | None:
    """`path` relative to `folder`, or None if it is not a safe path below it."""
    if folder:
        if not path.startswith(folder + "/"):
            return None
        path = path[len(folder) + 1 :]
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("", ".", "..", ".git") for part in parts):
        return None
    if path.startswith("/") or "\0" in path:
        return None
    return path


def _unreadable(root: Path, sha: str, pathspec: str) -> GitError:
    """Why the files of a commit could not be read, and what to run: in a
    partial clone, the command that fetches exactly what is missing."""
    listing = ("rev-list", "--objects", "--no-walk", "--missing=print", sha, "--", pathspec or ".")
    missing = gitcommand.run(root, *listing)
    absent = [
        line[1:] for line in gitcommand.text(missing.stdout).splitlines() if line.startswith("?")
    ]
    where = f"commit {sha[:12]}"
    if not absent:
        return GitError(f"git could not read the files of {where} in {root}.")
    quoted = shlex.quote(str(root))
    command = (
        f"git -C {quoted} --literal-pathspecs {' '.join(shlex.quote(part) for part in listing)}"
        f" | sed -n 's/^?//p' | git -C {quoted} cat-file --batch-check"
    )
    count = len(absent)
    return GitError(
        f"{count} file{'s' if count != 1 else ''} of {where} {'are' if count != 1 else 'is'} "
        "not in this clone (a partial clone, made with `git clone --filter`), and policycoord "
        f"never downloads anything. Fetch them with `{command}`, or clone without `--filter`."
    )


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
    head = gitcommand.run(repository.root, "rev-parse", "--verify", "--quiet", "HEAD")
    if head.returncode != 0:
        raise PolicycoordError(
            "This repository has no commits yet: `history` counts findings at each commit. "
            "Commit the policies first (`git add .` then `git commit`)."
        )
    start = resolve(repository, since, option="--since") if since is not None else None
    arguments = [*_LOG]
    if not tags_only and max_count is not None:
        arguments.append(f"--max-count={max_count}")
    arguments.append(f"{start}..HEAD" if start is not None else "HEAD")
    arguments += ["--", repository.folder or "."]
    listed = gitcommand.output(repository.root, *arguments, what="list the commits")
    records = gitcommand.text(listed).split("\0")
    found = [_commit(record) for record in records if record.strip("\n")]
    if start is not None:
        first = gitcommand.output(
            repository.root, *_LOG, "-1", start, what="read the --since revision"
        )
        found.append(_commit(gitcommand.text(first).split("\0")[0]))
    if tags_only:
        found = [commit for commit in found if commit.tags]
    if max_count is not None:
        found = found[:max_count]
    return tuple(reversed(found))


#: One record a commit, ended by NUL (-z); fields on lines, the subject last
#: (git folds it onto one line; it may hold any other character). No
#: signature is checked or shown, whatever the configuration says.
_LOG = (
    "log",
    "-z",
    "--no-show-signature",
    "--no-textconv",
    "--no-ext-diff",
    "--no-color",
    "--encoding=UTF-8",
    "--format=%H%n%h%n%cs%n%D%n%s",
)


def _commit(record: str) -> Commit:
    sha, short, date, decorations, subject = record.strip("\n").split("\n", 4)
    tags = tuple(
        part.removeprefix("tag: ") for part in decorations.split(", ") if part.startswith("tag: ")
    )
    return Commit(sha, short, date, subject, tags)


def _joined(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
