"""The rules shared with a forked copy of this process (`--jobs`).

Two parts of a large run are shared with other processes when `--jobs` is
above 1: reading the files (input/reading.py, with worker processes that are
spawn-safe) and running the rules (`observe` below). The rules read the
whole model, which only a forked copy of this process has without sending
it over (sending it would cost more than the rules), so they are shared
only where processes are forked: on Linux, when no other thread runs. This
process then takes rules from the front of a queue (the jargon rules
first) and the forked copy from its back (the escalation rules first) until
they meet, so each does about half whatever the rules cost on the
partnership at hand; the copy's violations come back. If the copy cannot be
made or does not answer, this process runs what it took itself. The report
is the same either way: the rules' findings are put together in their
usual order.

Workers ignore Ctrl-C (and end at SIGTERM): the parent handles both, and
ends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from policycoord.core.processes import become_worker, can_fork, interrupts_held

if TYPE_CHECKING:
    from policycoord.checks.rules import Rule
    from policycoord.core.findings import Violation
    from policycoord.model.model import Model

#: Rules are shared with a forked copy only for a model of at least this
#: many organisations (making the copy costs a few milliseconds).
FORK_RULES_FROM: Final = 400
#: The family of rules the forked copy starts with (`_queue`): the
#: escalation rules share the walks along every path
#: (model.escalation_graphs, which no other rule reads).
FORKED_FAMILY: Final = "escalation"


Observed = list[tuple[type["Rule"], list["Violation"]]]


def observe(
    rules: Sequence[type[Rule]], model: Model, *, jobs: int = 1, codes: Sequence[str] = ()
) -> Observed:
    """Each rule with the violations it yields for `model`, in the order given;
    each rule is made with `codes`, every code of the catalogue."""
    from policycoord.model import texts

    try:
        return _observe(rules, model, jobs=jobs, codes=tuple(codes))
    finally:
        texts.forget()  # what the jargon rules shared, kept with the model otherwise


def _observe(
    rules: Sequence[type[Rule]], model: Model, *, jobs: int, codes: tuple[str, ...]
) -> Observed:
    if jobs < 2 or len(rules) < 2 or len(model.organisations) < FORK_RULES_FROM or not can_fork():
        return [(rule, list(rule(codes=codes).check(model))) for rule in rules]
    queue = _queue(rules)
    ends = _Ends(len(queue))
    connection, process = _fork(queue, model, ends, codes)
    here: dict[int, list[Violation]] = {}
    try:
        while (index := ends.claim(from_back=False, other=process)) is not None:
            here[index] = list(queue[index](codes=codes).check(model))
    except BaseException:  # an error, Ctrl-C: the copy is ended
        if process is not None:
            process.terminate()
        raise
    there = _collect(connection, process)
    if there is None:  # no copy, or it failed: this process runs what it took too
        there = [
            (i, list(queue[i](codes=codes).check(model)))
            for i in range(len(queue))
            if i not in here
        ]
    here.update(there)
    found = {queue[index]: violations for index, violations in here.items()}
    return [(rule, found[rule]) for rule in rules]


def _queue(rules: Sequence[type[Rule]]) -> list[type[Rule]]:
    """The rules in the order the two processes take them: this one from
    the front, the copy from the back, until they meet. The jargon rules
    (which share the texts read once) are at the front, the escalation rules
    (which share the walks) at the back, the others in between, so that
    each family mostly stays in one process and how much each process does
    follows what the rules cost on this partnership."""
    first = {"jargon": 0, FORKED_FAMILY: 2}
    return sorted(rules, key=lambda rule: first.get(rule.family, 1))


class _Ends:
    """The two ends of the queue, shared with the forked copy (each claim
    under a lock; a process that died holding it is not waited for)."""

    def __init__(self, size: int) -> None:
        import multiprocessing

        self._ends = multiprocessing.get_context("fork").Array("i", [0, size - 1])

    def claim(self, *, from_back: bool, other: Any) -> int | None:
        """The next rule's index from one end; None once the ends have met.
        `other` is the other process (or a test of whether it is alive)."""
        lock = self._ends.get_lock()
        while not lock.acquire(timeout=0.5):
            if not _alive(other):  # it died holding the lock: nobody else takes
                return self._take(from_back)
        try:
            return self._take(from_back)
        finally:
            lock.release()

    def _take(self, from_back: bool) -> int | None:
        ends: Any = self._ends.get_obj()
        front, back = int(ends[0]), int(ends[1])
        if front > back:
            return None
        if from_back:
            ends[1] = back - 1
            return back
        ends[0] = front + 1
        return front


def _alive(other: Any) -> bool:
    if other is None:
        return False
    if isinstance(other, int):  # the parent's process id, seen from the copy
        import os

        return os.getppid() == other
    return bool(other.is_alive())


def _fork(
    queue: list[type[Rule]], model: Model, ends: _Ends, codes: tuple[str, ...]
) -> tuple[Any, Any]:
    """A forked copy of this process taking rules from the back of `queue`
    (None, None if none)."""
    import multiprocessing
    import os

    try:
        parent_end, child_end = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.get_context("fork").Process(
            target=_observe_there,
            args=(queue, model, ends, codes, os.getpid(), child_end),
            daemon=True,
        )
        with interrupts_held():
            process.start()
    except (OSError, ValueError):  # no processes, no pipes
        return None, None
    child_end.close()
    return parent_end, process


def _observe_there(
    queue: list[type[Rule]],
    model: Model,
    ends: _Ends,
    codes: tuple[str, ...],
    parent: int,
    connection: Any,
) -> None:
    become_worker()
    found: list[tuple[int, list[Violation]]] = []
    try:
        while (index := ends.claim(from_back=True, other=parent)) is not None:
            found.append((index, list(queue[index](codes=codes).check(model))))
    except Exception:  # the parent runs them again, and reports the error itself
        connection.send(None)
    else:
        connection.send(found)
    connection.close()


def _collect(connection: Any, process: Any) -> list[tuple[int, list[Violation]]] | None:
    """What the forked copy found (by index in the queue); None when there
    is none to collect."""
    if connection is None:
        return None
    try:
        found: list[tuple[int, list[Violation]]] | None = connection.recv()
    except (EOFError, OSError):  # it died
        found = None
    except BaseException:  # Ctrl-C, SIGTERM: end the copy too
        process.terminate()
        raise
    finally:
        connection.close()
    process.join()
    return found
