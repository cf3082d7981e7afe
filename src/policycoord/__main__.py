"""`python -m policycoord`, and the `policycoord` console script.

Loading the command line takes a moment (typer, rich, every reporter). A
Ctrl-C in that moment would end in a Python traceback, so until `cli.main`
takes over (it turns Ctrl-C into one line and exit status 130) an interrupt
ends the run here in the same way. Nothing has been read or written yet.

Once the run is over (its report written, its exit status decided), Ctrl-C
is ignored: Python then frees its memory (a tenth of a second on a large
partnership), and a Ctrl-C in that moment would end the process by the
signal itself, so the caller would take a finished run for an interrupted
one. A run thus either ends with status 130 and no new report, or with its
own status and its whole report.
"""

# `_signal` is what the `signal` module wraps: without `signal`'s enums (it
# imports `enum`, a few milliseconds), Ctrl-C is guarded sooner. The moments
# before this module runs (Python's own start) are Python's to handle.
import _signal  # type: ignore[import-not-found]  # (no stub: the module behind `signal`)
import os
import sys

#: 128 + SIGINT, as shells report a run ended by Ctrl-C.
INTERRUPTED = 130


def _interrupted_while_starting(signum: int, frame: object) -> None:
    sys.stderr.write("policycoord: interrupted.\n")
    sys.stderr.flush()
    os._exit(INTERRUPTED)


def main() -> None:
    """The console script (nothing but the standard modules above is loaded yet)."""
    # Only Python's own Ctrl-C handler is replaced: an ignored SIGINT (a
    # background job) stays ignored.
    guarded = _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
    if guarded:
        _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    try:
        # `validate FILE...` (the pre-commit hook) runs without the command line
        from policycoord.cli.quick import validate_files_only

        status = validate_files_only(sys.argv[1:])
        if status is not None:
            sys.exit(status)
        from policycoord.cli.app import main as run

        if guarded:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        run()
    finally:
        if guarded:  # the run is over
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


if __name__ == "__main__":
    main()
