"""Reading many files: in this process, or shared out among worker processes.

Each file is read and loaded (loading.py) and checked against its schema
(validation.py) on its own, so this is the part of a run that can be split
up. With `jobs` above 1 and at least `WORKERS_FROM_FILES` files, the files go
to `jobs` worker processes in chunks, and each chunk's results come back
whole and in the order the files were given: what a run reports never
depends on `jobs`. Below that many files the start-up of the workers would
cost more than they save, and everything stays in this process.

The workers are spawn-safe: what they run is a module-level function of
module-level data, so they work with every start method. On Linux they are
forked (nothing to import again); elsewhere, and whenever a thread other
than the main one is running (forking copies no threads, only their locks),
they are spawned. They ignore Ctrl-C, which the parent handles (it stops
handing out chunks and exits with the usual message). A machine where
worker processes cannot be started at all is read in this process.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from policycoord.build import declares_partnership
from policycoord.errors import PolicycoordError
from policycoord.findings import Violation
from policycoord.loading import LoadedFile, load_file
from policycoord.validation import validate

#: Fewer files than this are read in this process whatever `jobs` says.
WORKERS_FROM_FILES: Final = 400
#: Files per chunk sent to a worker: enough to make each round trip worth
#: it, few enough that the workers finish together.
CHUNK_BOUNDS: Final = (16, 128)

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
            files, each=each, max_size=max_size, kind=kind, jobs=jobs, progress=progress
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
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
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


class WorkerError(Exception):
    """A worker process failed while reading files (a bug in policycoord)."""


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C waits while workers start (they inherit this), so that none
    is interrupted before it can ignore it; the parent then gets it."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: spawned workers start afresh
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _in_workers(
    files: Sequence[tuple[Path, str]],
    *,
    each: Callable[[ReadFile], _T],
    max_size: int,
    kind: str | None,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> list[_T] | None:
    """The files read by worker processes, in order; None when no worker
    process can be started. Each worker has a chunk in hand and one more
    waiting, so none waits for the parent; a worker that dies stops the run."""
    low, high = CHUNK_BOUNDS
    size = max(low, min(high, len(files) // (jobs * 8) or 1))
    pairs = [(str(file), display) for file, display in files]
    tasks = list(enumerate(pairs[start : start + size] for start in range(0, len(pairs), size)))
    results: list[list[_T] | None] = [None] * len(tasks)
    workers = _start(min(jobs, len(tasks)), max_size, kind)
    if not workers:
        return None
    try:
        _share_out(workers, tasks, results, each, len(files), progress)
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
    context = _context()
    workers: dict[Any, Any] = {}
    try:
        with _interrupts_held():  # until each worker ignores Ctrl-C itself
            for _ in range(count):
                parent_end, child_end = context.Pipe()
                process = context.Process(
                    target=_serve, args=(child_end, max_size, kind), daemon=True
                )
                process.start()
                child_end.close()
                workers[parent_end] = process
    except (OSError, ImportError, NotImplementedError):  # no processes, no pipes
        pass
    return workers


def _share_out(
    workers: dict[Any, Any],
    tasks: list[tuple[int, list[tuple[str, str]]]],
    results: list[list[_T] | None],
    each: Callable[[ReadFile], _T],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    from multiprocessing.connection import wait

    waiting = iter(tasks)
    outstanding = 0
    for connection in workers:
        for task in itertools.islice(waiting, 2):
            _send(connection, task)
            outstanding += 1
    done = 0
    while outstanding:
        sentinels = {process.sentinel for process in workers.values()}
        ready_ones: list[Any] = wait([*workers, *sentinels])
        if any(ready in sentinels for ready in ready_ones):
            raise _died()
        for ready in ready_ones:
            try:
                index, read, failure = ready.recv()
            except EOFError:  # its pipe closed before its process was seen to end
                raise _died() from None
            outstanding -= 1
            if read is None:
                raise WorkerError(failure)
            results[index] = [each(one) for one in read]
            done += len(read)
            if progress is not None:
                progress(done, total)
            for task in itertools.islice(waiting, 1):
                _send(ready, task)
                outstanding += 1


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
