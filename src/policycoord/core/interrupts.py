"""Ctrl-C while the command line is still loading: one line and exit
status 130, never a Python traceback (standard modules only, nothing that
takes time to import). A hang-up (SIGHUP: the terminal closed) then is one
line and exit status 129.

`policycoord/__init__.py` calls `guard()` first thing when Python runs the
command line (`python -m policycoord`, the `policycoord` script), so that
the moments spent importing the package are covered too; `__main__` then
keeps the guard until `cli.main` takes over.

What comes before is Python's own start (the interpreter, `site`, `runpy`,
and the `policycoord` script's `import re`), which no code of a package
can reach: a Ctrl-C there ends the process by the signal (before Python
handles SIGINT: the shell reports 130), or gets Python's own answer (a
`KeyboardInterrupt` traceback, or "Fatal Python error" and exit status
1), in the first few milliseconds (SECURITY.md says so).
tests/cli/test_streams_and_signals.py sends SIGINT and SIGHUP as each
module after the guard is imported, and at moments after a real start.
"""

# `_signal` is what the `signal` module wraps: without `signal`'s enums (it
# imports `enum`, a few milliseconds), Ctrl-C is guarded sooner.
import _signal  # type: ignore[import-not-found]  # (no stub: the module behind `signal`)
import os
import sys

#: 128 + SIGINT, as shells report a run ended by Ctrl-C.
INTERRUPTED = 130
#: 128 + SIGHUP: the terminal was closed (or the session ended).
HUNG_UP = 129


def interrupted_while_starting(signum: int, frame: object) -> None:
    sys.stderr.write("policycoord: interrupted.\n")
    sys.stderr.flush()
    os._exit(INTERRUPTED)


def hung_up_while_starting(signum: int, frame: object) -> None:
    try:  # the terminal may be gone
        sys.stderr.write("policycoord: stopped (the terminal hung up).\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(HUNG_UP)


def guard() -> bool:
    """Take over Ctrl-C (only Python's own handler is replaced: an ignored
    SIGINT, as in a background job, stays ignored), and a hang-up where it
    has its default action. True when Ctrl-C is guarded."""
    hangup = getattr(_signal, "SIGHUP", None)
    if hangup is not None and _signal.getsignal(hangup) == _signal.SIG_DFL:
        _signal.signal(hangup, hung_up_while_starting)
    current = _signal.getsignal(_signal.SIGINT)
    if current is interrupted_while_starting:
        return True
    if current is not _signal.default_int_handler:
        return False
    _signal.signal(_signal.SIGINT, interrupted_while_starting)
    return True


def running_the_command_line() -> bool:
    """Whether Python is starting policycoord's command line (`sys.argv[0]`
    is `-m` while `python -m` imports the package, or the script's path)."""
    first = sys.argv[0] if sys.argv else ""
    return first == "-m" or os.path.basename(first) in ("policycoord", "policycoord.exe")
