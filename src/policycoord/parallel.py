"""Running part of a run in another process, the same way everywhere.

Two parts of a large run are shared with other processes when `--jobs` is
above 1: reading the files (reading.py, with worker processes that are
spawn-safe) and running the rules (`observe` below). The rules read the
whole model, which only a forked copy of this process has without sending
it over (sending it would cost more than the rules), so they are shared
only where processes are forked: on Linux, when no other thread runs. The
jargon rules (PC301-PC304, which read every text) then run in a forked copy
while this process runs the others, and their violations come back; if the
copy cannot be made or does not answer, this process runs them itself. The
report is the same either way: the rules' findings are put together in
their usual order.

Workers ignore Ctrl-C (and end at SIGTERM): the parent handles both, and
ends them.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from policycoord.findings import Violation
    from policycoord.model import Model
    from policycoord.rules import Rule

#: Rules are shared with a forked copy only for a model of at least this
#: many organisations (making the copy costs a few milliseconds).
FORK_RULES_FROM: Final = 400
#: The family of rules the forked copy runs: the escalation rules share the
#: walks along every path (model.escalation_graphs, which no other rule
#: reads), about half of the rules' work at 20,000 organisations; the rest
#: (the jargon rules read each different text once) are the other half.
FORKED_FAMILY: Final = "escalation"


def context() -> Any:
    """Fork where it is safe (Linux, one thread), else spawn."""
    import multiprocessing

    if can_fork():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
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


def become_worker() -> None:
    """In a worker: leave Ctrl-C to the parent, and end at SIGTERM."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


Observed = list[tuple[type["Rule"], list["Violation"]]]


def observe(rules: Sequence[type[Rule]], model: Model, *, jobs: int = 1) -> Observed:
    """Each rule with the violations it yields for `model`, in the order given."""
    from policycoord import texts

    try:
        return _observe(rules, model, jobs=jobs)
    finally:
        texts.forget()  # what the jargon rules shared, kept with the model otherwise


def _observe(rules: Sequence[type[Rule]], model: Model, *, jobs: int) -> Observed:
    forked = [rule for rule in rules if rule.family == FORKED_FAMILY]
    if jobs < 2 or not forked or len(model.organisations) < FORK_RULES_FROM or not can_fork():
        return [(rule, list(rule().check(model))) for rule in rules]
    connection, process = _fork(forked, model)
    try:
        here = {rule: list(rule().check(model)) for rule in rules if rule not in forked}
    except BaseException:  # an error, Ctrl-C: the copy is ended
        if process is not None:
            process.terminate()
        raise
    there = _collect(connection, process)
    if there is None:  # no copy, or it failed: this process runs them too
        there = [list(rule().check(model)) for rule in forked]
    here.update(zip(forked, there, strict=True))
    return [(rule, here[rule]) for rule in rules]


def _fork(rules: list[type[Rule]], model: Model) -> tuple[Any, Any]:
    """A forked copy of this process running `rules` (None, None if none)."""
    import multiprocessing

    try:
        parent_end, child_end = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.get_context("fork").Process(
            target=_observe_there, args=(rules, model, child_end), daemon=True
        )
        with interrupts_held():
            process.start()
    except (OSError, ValueError):  # no processes, no pipes
        return None, None
    child_end.close()
    return parent_end, process


def _observe_there(rules: list[type[Rule]], model: Model, connection: Any) -> None:
    become_worker()
    try:
        found = [list(rule().check(model)) for rule in rules]
    except Exception:  # the parent runs them again, and reports the error itself
        found = None
    connection.send(found)
    connection.close()


def _collect(connection: Any, process: Any) -> list[list[Violation]] | None:
    """What the forked copy found; None when there is none to collect."""
    if connection is None:
        return None
    try:
        found: list[list[Violation]] | None = connection.recv()
    except (EOFError, OSError):  # it died
        found = None
    except BaseException:  # Ctrl-C, SIGTERM: end the copy too
        process.terminate()
        raise
    finally:
        connection.close()
    process.join()
    return found
