"""Processes and signals, the same way everywhere: when worker processes are
forked (Linux, one thread) or spawned, how a worker leaves Ctrl-C to its
parent, and how Ctrl-C and SIGTERM are held for the moment a temporary file
or folder is made or removed (so a stop never leaves one behind)."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any


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


@contextlib.contextmanager
def stops_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait (they are kept, and take effect just after):
    around making and removing a temporary file or folder, so that a stop
    never comes between the file existing and the code that removes it
    knowing its name."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
