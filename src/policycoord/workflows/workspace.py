"""A policy repository held between checks, for the front ends that stay
running: the browser workspace (`serve`) and the editor server (`lsp`).

`check()` reads the repository as `policycoord check` does; after that a
file is read again only when it changed: `reread(paths)` for files a front
end knows it wrote (no discovery, only those files), `set_text(path, text)`
for an editor's unsaved buffer (the text stands in for the file until it is
set to None), `check()` again to notice anything else (another editor, a
`git pull`: files whose size, modification time or inode moved, and files
added or removed). `set_text(path, text, new=True)` checks a file that is
not there yet (a workbook's new organisation) as if it were. A baseline
file in the options suppresses what it lists, as in `check`. Each answer
is a `Checked`: the model, the report and a generation number;
`difference(before, after)` says what a change fixed and introduced,
matched as `policycoord diff` matches findings.

Same inputs, same report: a Checked's report equals what `check()` of the
pipeline gives for the same files (tests/workflows/test_workspace.py).
Thread-safe: one check at a time.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policycoord.checks.incremental import Incremental
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Finding, Report
from policycoord.input.discovery import (
    PARTNERSHIP_FILE,
    Discovered,
    PolicyPath,
    discover,
    display_path,
    find_partnership,
    locate_partnership,
)
from policycoord.input.loading import LoadedFile, load_file, load_given
from policycoord.input.reading import Load, ReadFile, read_file
from policycoord.model.build import policies_globs
from policycoord.model.model import Model
from policycoord.workflows.diffing import introduced_and_fixed
from policycoord.workflows.pipeline import (
    Built,
    Options,
    built_from,
    model_of,
    read_baseline,
    report_of,
    run_config,
)

if TYPE_CHECKING:
    from policycoord.views import Views


@dataclass(frozen=True, slots=True)
class Checked:
    """One check of the workspace."""

    generation: int  # 1 for the first check, one more for each after it
    model: Model
    report: Report
    #: the files read, as reports name them: the partnership file first, then
    #: the policy files discovery lists (the only files a front end may write)
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    """What a change did to the findings, matched as `policycoord diff` does."""

    fixed: tuple[Finding, ...]
    introduced: tuple[Finding, ...]


def difference(before: Report, after: Report) -> Difference:
    introduced, fixed = introduced_and_fixed(before, after)
    return Difference(fixed=fixed, introduced=introduced)


_Stat = tuple[int, int, int]  # size, modification time (ns), inode


@dataclass(frozen=True, slots=True)
class _Entry:
    stat: _Stat | None  # None: read from a text handed in, not from the file
    read: ReadFile
    built: Built | None  # None for the partnership file


class Workspace:
    """The repository around `start` (found as `check` finds it: the nearest
    partnership.yaml at or above it, or the `partnership` file given).
    Raises PolicycoordError, as `check` does, when there is none."""

    def __init__(
        self,
        start: str | os.PathLike[str] = ".",
        *,
        partnership: str | None = None,
        options: Options | None = None,
    ) -> None:
        self.options = options or Options()
        self.partnership_file = _partnership_file(start, partnership)
        self.root = self.partnership_file.parent
        self._lock = threading.RLock()
        self._entries: dict[str, _Entry] = {}
        self._texts: dict[str, bytes] = {}
        self._new: set[str] = set()  # texts of files not there yet, read as policy files
        given = self.options.baseline
        self._baseline = read_baseline(given, Path.cwd()) if given is not None else None
        self._discovered: Discovered | None = None
        self._latest: Checked | None = None
        self._views: tuple[int, Views] | None = None
        self._rules = Incremental()  # the rules run again only where a change reaches

    # -- where files are -------------------------------------------------------

    def display(self, path: str | os.PathLike[str]) -> str:
        """A path as reports name it (relative to the repository, with `/`)."""
        return display_path(Path(path).absolute(), self.root)

    def path(self, display: str) -> Path:
        """The file a display path names, under the repository."""
        return self.root / display

    def reads(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file is one the workspace reads (the partnership file or
        a policy file discovery lists)."""
        shown = self.display(path)
        return shown in self.latest().files

    # -- checking -------------------------------------------------------------

    def latest(self) -> Checked:
        """The last check, checking first if there has been none."""
        with self._lock:
            return self._latest if self._latest is not None else self.check()

    def check(self) -> Checked:
        """Discover the files again and re-read those that changed on disk."""
        with self._lock:
            self._discover()
            return self._recheck(everything=True)

    def reread(self, paths: Iterable[str | os.PathLike[str]]) -> Checked:
        """Re-read these files (a front end wrote them); discovery runs again
        only when one is the partnership file or a file it did not list."""
        with self._lock:
            shown = [self.display(path) for path in paths]
            if self._discovered is None or any(s not in self._listed() for s in shown):
                self._discover()
            for one in shown:
                self._entries.pop(one, None)
            return self._recheck(everything=False)

    def set_text(
        self, path: str | os.PathLike[str], text: str | bytes | None, *, new: bool = False
    ) -> Checked:
        """Check with `text` in place of the file (an editor's unsaved
        buffer); None goes back to the file on disk. With `new`, the file
        is not there yet and is read as a policy file all the same (the
        caller has made sure that the `policies` patterns would read it)."""
        with self._lock:
            shown = self.display(path)
            if text is None:
                self._texts.pop(shown, None)
                if shown in self._new:  # listed no longer, unless it is there now
                    self._new.discard(shown)
                    self._discovered = None
            else:
                self._texts[shown] = text.encode("utf-8") if isinstance(text, str) else text
                if new:
                    self._new.add(shown)
            self._entries.pop(shown, None)
            return self.reread([path])

    def views(self, checked: Checked | None = None) -> Views:
        """The matrix and diagrams of a check (the latest by default), built once."""
        from policycoord.views import build_views

        with self._lock:
            checked = checked or self.latest()
            if self._views is None or self._views[0] != checked.generation:
                report = checked.report
                found = (*report.findings, *(s.finding for s in report.suppressed))
                self._views = (checked.generation, build_views(checked.model, found))
            return self._views[1]

    def loaded(self, display: str) -> LoadedFile | None:
        """A file as last read (its data and source map), if it is read."""
        with self._lock:
            entry = self._entries.get(display)
            return entry.read.loaded if entry is not None else None

    # -- inside ---------------------------------------------------------------

    def _listed(self) -> tuple[str, ...]:
        assert self._discovered is not None
        return (
            self._discovered.partnership_display,
            *(policy.display for policy in self._discovered.policies),
        )

    def _discover(self) -> None:
        partnership = self._read(self.partnership_file, "partnership")
        discovered = discover(
            (),
            partnership=str(self.partnership_file),
            cwd=self.root,
            policies_globs=policies_globs(partnership.read.loaded),
        )
        listed = {policy.display for policy in discovered.policies}
        added = [PolicyPath(self.path(s), s) for s in sorted(self._new) if s not in listed]
        if added:
            policies = sorted((*discovered.policies, *added), key=lambda p: p.display)
            discovered = dataclasses.replace(discovered, policies=tuple(policies))
        self._discovered = discovered
        listed = set(self._listed())
        for gone in [shown for shown in self._entries if shown not in listed]:
            del self._entries[gone]

    def _read(self, file: Path, kind: str, shown: str | None = None) -> _Entry:
        """A file's entry, read again only when it changed."""
        shown = shown if shown is not None else self.display(file)
        stat = None if shown in self._texts else _stat_of(file)
        entry = self._entries.get(shown)
        if entry is not None and entry.stat == stat and stat is not None:
            return entry
        given = self._texts.get(shown)
        load: Load = load_file
        if given is not None:

            def load(_file: object, path: str, *, max_size: int) -> LoadedFile:
                return load_given(given, path, max_size=max_size)

        read = read_file(file, shown, max_size=self.options.max_file_size, kind=kind, load=load)
        entry = _Entry(stat, read, built_from(read) if kind == "policy" else None)
        self._entries[shown] = entry
        return entry

    def _recheck(self, *, everything: bool) -> Checked:
        """Check again: with `everything`, each file whose size, time or inode
        moved is read again; else only the files whose entries were dropped
        (reread, set_text) and the partnership file when it moved."""
        discovered = self._discovered
        assert discovered is not None
        partnership = self._read(self.partnership_file, "partnership")
        entries = self._entries
        built = [
            (
                entry
                if not everything and (entry := entries.get(policy.display)) is not None
                else self._read(policy.file, "policy", policy.display)
            ).built
            for policy in discovered.policies
        ]
        model = model_of(
            partnership.read,
            [b for b in built if b is not None],
            discovered,
            self.options.today,
            before=self._latest.model if self._latest is not None else None,
        )
        config = run_config(model, self.options, self._baseline)
        report = report_of(model, self._rules.run(model, config), baseline=self.options.baseline)
        generation = self._latest.generation + 1 if self._latest is not None else 1
        self._latest = Checked(generation, model, report, self._listed())
        return self._latest


def _partnership_file(start: str | os.PathLike[str], partnership: str | None) -> Path:
    """The partnership file for a workspace started at `start` (a folder or
    a file in the repository): the nearest partnership.yaml at or above it,
    never the current folder's instead; errors name `start` as given."""
    start_path = Path(start).absolute()
    if partnership is None and not start_path.exists():
        raise PolicycoordError(f"{os.fspath(start)} does not exist.")
    cwd = start_path if start_path.is_dir() else start_path.parent
    if partnership is None and find_partnership(cwd) is None:
        raise PolicycoordError(
            f"No {PARTNERSHIP_FILE} found in {os.fspath(start)}, nor in any folder above. To "
            "start a new policy repository there, run `policycoord init`; otherwise give a "
            f"folder of a policy repository (the folder with {PARTNERSHIP_FILE}, or below it)."
        )
    return locate_partnership((), partnership=partnership, cwd=cwd).absolute()


def _stat_of(file: Path) -> _Stat | None:
    try:
        info = os.stat(file)
    except OSError:
        return None  # read again every time: the loader says what is wrong
    return (info.st_size, info.st_mtime_ns, info.st_ino)
