"""Which files make up the policy repository.

- The partnership file: `--partnership FILE`; otherwise `partnership.yaml` in
  the first path given (or its folder) or the nearest parent; otherwise in
  the current folder or the nearest parent.
- Policy files: explicit file paths as given; a folder given on the command
  line means every `*.yaml`/`*.yml` below it, except that the repository's
  own folder means "discover": the partnership's `policies` globs (relative
  to the partnership file), by default every YAML file below its folder but
  the partnership file, hidden files and hidden folders.
- Nothing outside the repository folder (the partnership file's folder) is
  read: a glob, path or symbolic link that leads outside it gives PC011 and
  is not followed. This keeps a hostile `policies: ["/etc/**"]` or a link to
  a private file out of a report that may be published.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import FileProblem, Location, Violation

PARTNERSHIP_FILE = "partnership.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class PolicyPath:
    """A policy file to read: where it is, and how reports name it."""

    file: Path
    display: str


@dataclass(frozen=True, slots=True)
class Discovered:
    """What discovery found: the repository folder, its partnership file, the
    policy files to read and the problems met finding them."""

    root: Path
    partnership: Path
    partnership_display: str
    policies: tuple[PolicyPath, ...]
    problems: tuple[FileProblem, ...]
    complete: bool = True  # the whole repository, not just the paths a user named


def find_partnership(start: Path) -> Path | None:
    """`partnership.yaml` in `start` (a folder, or a file's folder) or above."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        found = candidate / PARTNERSHIP_FILE
        if found.is_file():
            return found
    return None


def display_path(file: Path, root: Path) -> str:
    """A path as reports show it: relative to the repository, with `/`.

    A file name that is not valid UTF-8 reaches Python with each byte that
    does not decode as a lone surrogate (U+DC80-U+DCFF, `surrogateescape`),
    which no report can be written with (nor a fingerprint hashed from):
    each is shown as `\\xNN`, the byte it stands for, so the finding still
    names the file recognisably."""
    text, base = str(file), str(root)
    below = base if base.endswith(os.sep) else base + os.sep
    if os.sep == "/" and text.startswith(below):  # the usual case, without pathlib's parsing
        shown = text[len(below) :]
    else:
        try:
            shown = file.relative_to(root).as_posix()
        except ValueError:
            shown = Path(os.path.relpath(file, root)).as_posix()
    if _UNDECODABLE.search(shown):
        return _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", shown)
    return shown


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _real(file: Path) -> Path | None:
    """Where `file` really is, links followed; None for a symbolic link loop."""
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None


def _inside(file: Path, root_real: Path) -> bool:
    real = _real(file)
    return real is not None and _within(real, root_real)


def _within(real: Path, root_real: Path) -> bool:
    """Whether a path with its links already followed is `root_real` or below it."""
    text, root = str(real), str(root_real)
    return text == root or text.startswith(root if root.endswith(os.sep) else root + os.sep)


class _Resolver:
    """`_real` for many files, most in a few folders: a file that is not a
    symbolic link really is in its folder's real place, so each folder is
    resolved once, and each file costs one `lstat`."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path | None] = {}

    def real(self, file: Path) -> Path | None:
        try:
            is_link = stat.S_ISLNK(os.lstat(file).st_mode)
        except (OSError, ValueError):  # missing, unreadable, a NUL in the name
            return _real(file)
        if is_link:
            return _real(file)
        folder = file.parent
        if folder not in self._folders:
            self._folders[folder] = _real(folder)
        real_folder = self._folders[folder]
        return real_folder / file.name if real_folder is not None else None


class _Chooser:
    """The policy files chosen so far, each once, and the problems found on
    the way (a path that leads outside the repository: PC011, once each)."""

    def __init__(self, root: Path, partnership_file: Path) -> None:
        self.root = root
        self.root_real = root.resolve()
        self.partnership_real = _real(partnership_file)
        self.resolver = _Resolver()
        self.problems: list[FileProblem] = []
        self.chosen: dict[Path, PolicyPath] = {}
        self.refused: set[Path] = set()

    def take(self, file: Path, origin: Location | None = None) -> None:
        absolute = Path(os.path.abspath(file))
        real = self.resolver.real(absolute)
        if real is not None and real == self.partnership_real:
            return
        shown = display_path(absolute, self.root)
        # a link loop leads nowhere: it is taken, and reading it gives PC010
        if real is not None and not _within(real, self.root_real):
            if absolute not in self.refused:
                self.refused.add(absolute)
                self.problems.append(_outside(shown, origin))
            return
        self.chosen.setdefault(absolute, PolicyPath(absolute, shown))

    def take_given(self, given: str, target: Path) -> None:
        """A path named on the command line: a file, or every YAML file below a folder."""
        if target.is_dir():
            if not _inside(target, self.root_real):
                self.problems.append(_outside(display_path(target, self.root), None))
                return
            for file in yaml_files_below(target):
                self.take(file)
        elif target.exists() or target.is_symlink():
            self.take(target)
        else:
            raise PolicycoordError(f"{given} does not exist.")


def discover(
    paths: Sequence[str],
    *,
    partnership: str | None,
    cwd: Path,
    policies_globs: Sequence[tuple[str, Location]] | None = None,
) -> Discovered:
    """Find the policy files of the repository whose partnership file is
    `partnership` (already located). `policies_globs` are the partnership's
    `policies` patterns with where each is written."""
    partnership_file = (
        Path(partnership) if partnership else locate_partnership(paths, partnership=None, cwd=cwd)
    )
    root = partnership_file.parent
    chooser = _Chooser(root, partnership_file)
    explicit = [(given, Path(cwd, given)) for given in paths]
    complete = not explicit or any(_same(target, root) for _, target in explicit)
    if complete:
        for file, origin in _from_globs(root, policies_globs, chooser.problems):
            chooser.take(file, origin)
    for given, target in explicit:
        if not _same(target, root):
            chooser.take_given(given, target)
    ordered = tuple(sorted(chooser.chosen.values(), key=lambda p: p.display))
    return Discovered(
        complete=complete,
        root=root,
        partnership=partnership_file,
        partnership_display=display_path(partnership_file, root),
        policies=ordered,
        problems=tuple(chooser.problems),
    )


def special_kind(path: Path) -> str | None:
    """What a path that is there but is not a regular file or a folder is
    ("a named pipe", "a device or a socket"); None when nothing is there.
    Such a file is never opened: a named pipe waits for a writer for ever,
    and /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return "a named pipe" if stat.S_ISFIFO(mode) else "a device or a socket"


def locate_partnership(paths: Sequence[str], *, partnership: str | None, cwd: Path) -> Path:
    if partnership is not None:
        chosen = Path(cwd, partnership)
        if chosen.is_dir():
            raise PolicycoordError(
                f"The partnership file {partnership} is a folder; give the file itself, "
                f"such as {Path(partnership, PARTNERSHIP_FILE).as_posix()}."
            )
        if not chosen.is_file():
            kind = special_kind(chosen)
            if kind is None:
                raise PolicycoordError(f"The partnership file {partnership} does not exist.")
            raise PolicycoordError(
                f"The partnership file {partnership} is not a regular file (it is {kind}); "
                f"give the partnership file itself, such as {PARTNERSHIP_FILE}."
            )
        return Path(os.path.abspath(chosen))
    start = Path(cwd, paths[0]) if paths else cwd
    if paths and not start.exists() and not start.is_symlink():
        raise PolicycoordError(f"{paths[0]} does not exist.")
    found = find_partnership(Path(os.path.abspath(start)))
    if found is None and paths:
        # a path outside any repository (it gets PC011): the current folder's
        found = find_partnership(Path(os.path.abspath(cwd)))
    if found is None:
        where = f"{paths[0]} or the current folder" if paths else "the current folder"
        raise PolicycoordError(
            f"No {PARTNERSHIP_FILE} found in {where}, nor in any folder above. To start a "
            "new policy repository here, run `policycoord init`; otherwise run policycoord "
            f"inside a policy repository (the folder with {PARTNERSHIP_FILE}, or below it), "
            "or pass --partnership FILE."
        )
    return Path(os.path.abspath(found))


def _same(a: Path, b: Path) -> bool:
    real = _real(a)
    return real is not None and real == _real(b)


def _hidden(path: Path, root: Path, named: frozenset[str] = frozenset()) -> bool:
    """A hidden file or folder below `root`, unless a pattern names it as written."""
    text, base = str(path), str(root)
    below = base if base.endswith(os.sep) else base + os.sep
    if os.sep == "/" and text.startswith(below):  # the usual case, without pathlib's parsing
        parts: Sequence[str] = text[len(below) :].split("/")
    else:
        parts = path.relative_to(root).parts
    return any(part.startswith(".") and part not in named for part in parts)


def contained_yaml_files(
    folder: Path, show: Callable[[Path], str]
) -> tuple[list[Path], list[FileProblem]]:
    """The YAML files below a folder that really are inside it; a link that
    leads outside it is a PC011 (named by `show`), not read."""
    real = _real(folder)
    inside: list[Path] = []
    problems: list[FileProblem] = []
    for file in yaml_files_below(folder):
        if real is not None and _inside(file, real):
            inside.append(file)
        else:
            problems.append(_outside(show(file), None, within=f"the folder {show(folder)}"))
    return inside, problems


def yaml_files_below(folder: Path) -> list[Path]:
    """Every YAML file below a folder, hidden files and folders skipped, links
    to folders not followed (a link to a file is checked by the caller)."""
    found: list[Path] = []
    # os.walk's order (a folder's files, then each of its folders in turn),
    # without its recursion, which folders nested a thousand deep exhaust
    waiting = [str(folder)]
    while waiting:
        current = waiting.pop()
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError:  # unreadable, or gone: as os.walk, skipped here (PC010 is per file)
            continue
        files, folders = [], []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()  # a link to a folder is a folder, not followed
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(entry.name)
            elif not entry.is_symlink():
                folders.append(entry.name)
        found.extend(Path(current, name) for name in sorted(files) if name.endswith(YAML_SUFFIXES))
        waiting.extend(os.path.join(current, name) for name in sorted(folders, reverse=True))
    return found


def _from_globs(
    root: Path,
    globs: Sequence[tuple[str, Location]] | None,
    problems: list[FileProblem],
) -> list[tuple[Path, Location | None]]:
    if globs is None:
        return [(file, None) for file in yaml_files_below(root)]
    found: list[tuple[Path, Location | None]] = []
    for written, origin in globs:
        pattern = _within_root(written)
        if pattern is None:
            problems.append(_outside(written, origin, glob=True))
            continue
        try:
            matches = sorted(root.glob(pattern))
        # pathlib raises ValueError for an empty or malformed pattern,
        # NotImplementedError for a non-relative one, and IndexError or
        # AttributeError for `.` and `./` (Python 3.11-3.12): none matches a file
        except (ValueError, NotImplementedError, IndexError, AttributeError):
            continue
        except RecursionError:  # pathlib goes a call deeper for each folder level
            problems.append(_too_deep(written, origin))
            continue
        # wildcards never pick up hidden files (.pre-commit-config.yaml, .github/);
        # a hidden folder written out in the pattern (`.orgs/*.yaml`) is honoured
        named = frozenset(part for part in Path(pattern).parts if part.startswith("."))
        for file in matches:
            if _hidden(file, root, named):
                continue
            # a folder named like a policy file is taken too: reading it gives PC010
            if not file.is_dir() or file.name.endswith(YAML_SUFFIXES):
                found.append((file, origin))
    return found


def _within_root(pattern: str) -> str | None:
    """A `policies` pattern to look for below the repository folder, its
    `..` worked out on the text (`orgs/../orgs/*.yaml` is `orgs/*.yaml`);
    None when it leads outside the folder (absolute, or a `..` with no
    folder before it to go back from)."""
    path = Path(pattern)
    if path.is_absolute():
        return None
    if ".." not in path.parts:
        return pattern
    parts: list[str] = []
    for part in path.parts:
        if part != "..":
            parts.append(part)
        elif parts:
            parts.pop()
        else:
            return None
    return "/".join(parts) or "."


def would_discover(
    relative_path: str, patterns: Sequence[str] | None, *, partnership: str = PARTNERSHIP_FILE
) -> bool:
    """Whether discovery of the whole repository reads a regular file at
    `relative_path` (below the repository folder, with `/`; its folders real
    folders, not links) once it is there, for the partnership's `policies`
    `patterns` (None when it writes none). The rule `_from_globs` follows:
    without patterns, a YAML file in no hidden folder; with them, a file one
    pattern matches as `Path.glob` does (`*` `?` `[...]` within one name,
    `**` any folders, a pattern ending in `**` only folders before Python
    3.13), no part hidden unless the pattern writes that hidden name out,
    and never a pattern that leads outside the folder. Never the
    partnership file (`partnership`, its path below the folder)."""
    path = PurePosixPath(relative_path)
    parts = path.parts
    if not parts or path.is_absolute() or ".." in parts or "/".join(parts) == partnership:
        return False
    if patterns is None:
        return parts[-1].endswith(YAML_SUFFIXES) and not any(p.startswith(".") for p in parts)
    return any(_pattern_reads(pattern, parts) for pattern in patterns)


_TRAILING_STARS_LIST_FILES = sys.version_info >= (3, 13)


def _pattern_reads(pattern: str, parts: tuple[str, ...]) -> bool:
    """Whether `_from_globs` takes a file at `parts` for one `policies` pattern."""
    written = _within_root(pattern) if pattern else None
    wanted = PurePath(written).parts if written else ()
    if not wanted or PurePath(written or "").anchor:
        return False  # outside the folder, empty, or `.`: pathlib matches no file
    if any("**" in part and part != "**" for part in wanted) and not _TRAILING_STARS_LIST_FILES:
        return False  # pathlib before 3.13: ValueError, nothing matched
    if wanted[-1] == "**" and not _TRAILING_STARS_LIST_FILES:
        return False  # `orgs/**` lists folders only
    named = {part for part in wanted if part.startswith(".")}
    if any(part.startswith(".") and part not in named for part in parts):
        return False  # wildcards never pick up hidden files
    return _glob_matches(wanted, parts)


def _glob_matches(wanted: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Glob matching part by part, each (pattern, path) position tried once;
    a trailing `**` takes at least one name (the file)."""
    seen: set[tuple[int, int]] = set()
    waiting = [(0, 0)]
    while waiting:
        at_pattern, at_path = waiting.pop()
        if (at_pattern, at_path) in seen:
            continue
        seen.add((at_pattern, at_path))
        if at_pattern == len(wanted):
            if at_path == len(parts):
                return True
            continue
        if wanted[at_pattern] == "**":  # zero or more folders
            last = at_pattern + 1 == len(wanted)
            first = at_path + 1 if last else at_path
            waiting.extend((at_pattern + 1, skip) for skip in range(first, len(parts) + last))
        elif at_path < len(parts) and _name_matches(parts[at_path], wanted[at_pattern]):
            waiting.append((at_pattern + 1, at_path + 1))
    return False


def _name_matches(name: str, wanted: str) -> bool:
    """One name against one pattern part, as pathlib compares them (without
    case on Windows)."""
    return fnmatch.fnmatchcase(os.path.normcase(name), os.path.normcase(wanted))


_REPOSITORY = "the repository folder (where partnership.yaml is)"


def _too_deep(shown: str, origin: Location | None) -> FileProblem:
    location = origin if origin is not None else Location(shown, 1, 1, "")
    return FileProblem(
        "PC005",
        Violation(
            message=f"The `policies` pattern `{shown}` was not searched: it goes through "
            "folders nested hundreds of levels deep, further than policycoord looks.",
            location=location,
            subject=shown,
            suggestion="Keep policy files a few folders below the partnership file, with a "
            "pattern such as `orgs/*.yaml` or `orgs/**/*.yaml`.",
        ),
    )


def _outside(
    shown: str, origin: Location | None, *, glob: bool = False, within: str = _REPOSITORY
) -> FileProblem:
    what = f"The `policies` pattern `{shown}`" if glob else f"{shown}"
    location = origin if origin is not None else Location(shown, 1, 1, "")
    return FileProblem(
        "PC011",
        Violation(
            message=f"{what} leads outside {within}; policycoord does not read files there.",
            location=location,
            subject=shown,
            suggestion="Keep policy files inside the repository, and use patterns relative "
            "to the partnership file such as `orgs/*.yaml`.",
        ),
    )
