"""Reading many files: in this process, or shared out among worker processes.

Each file is read and loaded (input/loading) and checked against its schema
(input/validation) on its own, so this is the part of a run that can be split
up. With `jobs` above 1 and at least `WORKERS_FROM_FILES` files, the files go
in chunks to `jobs - 1` worker processes and to this one (which reads a
chunk whenever no worker has one to give back), and each chunk's results
are put back in the order the files were given: what a run reports never
depends on `jobs`. Workers send back each file's data, problems and bytes
(its source map is worked out from them only if a finding needs it), not
a source map. Below that many files the start-up of the workers would cost
more than they save, and everything stays in this process.

The workers are spawn-safe: what they run is a module-level function of
module-level data, so they work with every start method. On Linux they are
forked (nothing to import again); elsewhere, and whenever a thread other
than the main one is running (forking copies no threads, only their locks),
they are spawned. They ignore Ctrl-C, which the parent handles (it stops
handing out chunks and exits with the usual message). A machine where
worker processes cannot be started at all is read in this process.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Violation
from policycoord.core.processes import become_worker, context, interrupts_held
from policycoord.input.loading import LoadedFile, load_file
from policycoord.input.validation import validate

#: Fewer files than this are read in this process whatever `jobs` says.
WORKERS_FROM_FILES: Final = 400
#: Files per chunk: enough to make each round trip worth it, few enough
#: that this process, which also reads, is soon back to hand out more.
CHUNK_BOUNDS: Final = (16, 64)
#: Chunks each worker has in hand or waiting, so that none waits for this
#: process while it reads a chunk itself.
IN_FLIGHT: Final = 4

Load = Callable[..., LoadedFile]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True, eq=False)
class ReadFile:
    """One file read, loaded and checked against the schema of its kind."""

    loaded: LoadedFile
    kind: str  # "policy" | "partnership"
    schema_problems: tuple[Violation, ...]


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def read_file(
    file: str | os.PathLike[str],
    display: str,
    *,
    max_size: int,
    kind: str | None,
    load: Load = load_file,
) -> ReadFile:
    """Read one file; `kind` None: a partnership file by its name or content."""
    loaded = load(file, display, max_size=max_size)
    if kind is None:
        kind = "partnership" if declares_partnership(Path(file).name, loaded) else "policy"
    return ReadFile(loaded, kind, tuple(validate(loaded, kind)))


def read_files(
    files: Sequence[tuple[Path, str]],
    *,
    each: Callable[[ReadFile], _T],
    max_size: int,
    kind: str | None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    load: Load = load_file,
) -> list[_T]:
    """Read `(file, display path)` pairs with up to `jobs` processes, and
    give back `each(file read)` for each, in their order. `each` runs here,
    as each file (or chunk) arrives, so that what it does not keep of a
    file's data is let go at once. `load` is used in this process only (the
    workers always use `load_file`)."""
    if jobs > 1 and len(files) >= WORKERS_FROM_FILES:
        found = _in_workers(
            files,
            each=each,
            max_size=max_size,
            kind=kind,
            jobs=jobs,
            progress=progress,
            load=load,
        )
        if found is not None:
            return found
    kept: list[_T] = []
    for done, (file, display) in enumerate(files, start=1):
        kept.append(each(read_file(file, display, max_size=max_size, kind=kind, load=load)))
        if progress is not None:
            progress(done, len(files))
    return kept


def _serve(connection: Any, max_size: int, kind: str | None) -> None:
    """A worker: read each chunk it is sent, send back `(index, files read)`,
    until it is sent None. A failure goes back as text (an exception may not
    survive the trip)."""
    become_worker()
    while (task := connection.recv()) is not None:
        index, chunk = task
        try:
            read = [
                read_file(file, display, max_size=max_size, kind=kind) for file, display in chunk
            ]
        except Exception as error:  # a bug: the parent reports it
            connection.send((index, None, f"{type(error).__name__}: {error}"))
        else:
            connection.send((index, read, ""))
    connection.close()


def declares_partnership(name: str, loaded: LoadedFile) -> bool:
    """A file is a partnership file by its name or by its `partnership:` block."""
    if name == "partnership.yaml":
        return True
    return isinstance(loaded.data, dict) and "partnership" in loaded.data


class WorkerError(Exception):
    """A worker process failed while reading files (a bug in policycoord)."""


def _context() -> Any:
    """How workers are started (core.processes.context: forked on Linux)."""
    return context()


def _in_workers(
    files: Sequence[tuple[Path, str]],
    *,
    each: Callable[[ReadFile], _T],
    max_size: int,
    kind: str | None,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    load: Load,
) -> list[_T] | None:
    """The files read by `jobs - 1` worker processes and this one, in order;
    None when no worker process can be started. This process reads the
    chunks not handed out (and runs `each` on every file), so `jobs`
    processes are busy, never more; each worker has `IN_FLIGHT` chunks in
    hand or waiting, and this process takes what they send back every few
    files, so none waits for it. A worker that dies stops the run."""
    low, high = CHUNK_BOUNDS
    size = max(low, min(high, len(files) // (jobs * 32) or 1))
    pairs = [(str(file), display) for file, display in files]
    tasks = list(enumerate(pairs[start : start + size] for start in range(0, len(pairs), size)))
    results: list[list[_T] | None] = [None] * len(tasks)
    workers = _start(min(jobs - 1, len(tasks)), max_size, kind)
    if not workers:
        return None

    def read_here(file: str, shown: str) -> _T:
        return each(read_file(file, shown, max_size=max_size, kind=kind, load=load))

    try:
        sharing = _Sharing(workers, collections.deque(tasks), results, each, len(files), progress)
        sharing.run(read_here)
    except BaseException:  # an error or Ctrl-C: the busy workers are ended
        for process in workers.values():
            process.terminate()
        raise
    finally:
        _stop(workers)
    return [file for chunk in results if chunk is not None for file in chunk]


def _start(count: int, max_size: int, kind: str | None) -> dict[Any, Any]:
    """Worker processes, by the parent's end of each one's pipe; as many as
    could be started."""
    workers: dict[Any, Any] = {}
    start_method = _context()
    try:
        with interrupts_held():  # until each worker ignores Ctrl-C itself
            for _ in range(count):
                parent_end, child_end = start_method.Pipe()
                process = start_method.Process(
                    target=_serve, args=(child_end, max_size, kind), daemon=True
                )
                process.start()
                child_end.close()
                workers[parent_end] = process
    except (OSError, ImportError, NotImplementedError):  # no processes, no pipes
        pass
    return workers


class _Sharing(Generic[_T]):
    """Chunks handed out to workers, and read here in between."""

    #: Files this process reads before it looks again for workers' results:
    #: a worker cannot send a chunk back (nor go on) until this process takes it.
    LOOK_EVERY = 4

    def __init__(
        self,
        workers: dict[Any, Any],
        waiting: collections.deque[tuple[int, list[tuple[str, str]]]],
        results: list[list[_T] | None],
        each: Callable[[ReadFile], _T],
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.workers, self.waiting, self.results = workers, waiting, results
        self.each, self.total, self.progress = each, total, progress
        self.sentinels = {process.sentinel for process in workers.values()}
        self.outstanding = self.done = 0

    def run(self, read_here: Callable[[str, str], _T]) -> None:
        for connection in self.workers:
            for _ in range(IN_FLIGHT):
                self.hand_out(connection)
        while self.outstanding or self.waiting:
            if not self.waiting:  # nothing left to read here: wait for the workers
                self.take_results(block=True)
                continue
            index, chunk = self.waiting.popleft()
            kept: list[_T] = []
            for number, (file, shown) in enumerate(chunk, start=1):
                kept.append(read_here(file, shown))
                if number % self.LOOK_EVERY == 0:
                    self.take_results(block=False)
            self.results[index] = kept
            self.count(len(chunk))

    def hand_out(self, connection: Any) -> None:
        if self.waiting:
            _send(connection, self.waiting.popleft())
            self.outstanding += 1

    def take_results(self, *, block: bool) -> None:
        """What the workers have sent back (waiting for some when `block`)."""
        from multiprocessing.connection import wait

        ready_ones: list[Any] = wait([*self.workers, *self.sentinels], None if block else 0)
        if any(ready in self.sentinels for ready in ready_ones):
            raise _died()
        for ready in ready_ones:
            try:
                index, read, failure = ready.recv()
            except EOFError:  # its pipe closed before its process was seen to end
                raise _died() from None
            self.outstanding -= 1
            if read is None:
                raise WorkerError(failure)
            self.results[index] = [self.each(one) for one in read]
            self.count(len(read))
            self.hand_out(ready)

    def count(self, files: int) -> None:
        self.done += files
        if self.progress is not None:
            self.progress(self.done, self.total)


def _send(connection: Any, task: tuple[int, list[tuple[str, str]]]) -> None:
    try:
        connection.send(task)
    except OSError:  # a broken pipe: the worker has gone
        raise _died() from None


def _died() -> PolicycoordError:
    return PolicycoordError(
        "A worker process reading the policy files stopped unexpectedly (was the machine out "
        "of memory?); run again with --jobs 1 to read them in one process."
    )


def _stop(workers: dict[Any, Any]) -> None:
    """Tell the workers to finish, and wait until they have."""
    for connection, process in workers.items():
        with contextlib.suppress(OSError):  # it has gone already
            connection.send(None)
        process.join()
        connection.close()
