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

import _signal  # type: ignore[import-not-found]  # (no stub: the module behind `signal`)
import os
import sys

from policycoord.core.interrupts import HUNG_UP, INTERRUPTED, guard, hung_up_while_starting


class _ClosedOutput:
    """Standard output when it was closed before the run: writing a report
    to it is an error that says so (exit status 2, as any run that could
    not write its report), never an internal error."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        from policycoord.core.errors import PolicycoordError

        raise PolicycoordError(
            "Cannot write the report: standard output is closed. Give --output FILE to write "
            "it to a file."
        )

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(9, "standard output is closed")


def _standard_streams() -> None:
    """Python leaves `sys.stdout` or `sys.stderr` None when the run starts
    with it closed. Messages then go nowhere (the exit status still says
    what happened: a message that cannot be written must not turn exit
    status 2 into 1), and a report to standard output is an error."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the whole run)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()


def _hung_up(signum: int, frame: object) -> None:
    """SIGHUP (the terminal closed) ends the run as SIGTERM does: by
    unwinding, so temporary files and folders are removed."""
    raise SystemExit(HUNG_UP)


def _say_hung_up() -> None:
    try:  # the terminal may be gone
        sys.stderr.write("policycoord: stopped (the terminal hung up).\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def main() -> None:
    """The console script (nothing but the standard modules above is loaded yet)."""
    # Only Python's own Ctrl-C handler is replaced: an ignored SIGINT (a
    # background job) stays ignored.
    guarded = guard()
    _standard_streams()
    hangup = getattr(_signal, "SIGHUP", None)
    if hangup is not None and _signal.getsignal(hangup) in (
        _signal.SIG_DFL,
        hung_up_while_starting,
    ):
        _signal.signal(hangup, _hung_up)
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
    except SystemExit as exit_:
        if exit_.code == HUNG_UP:
            _say_hung_up()
        raise
    except KeyboardInterrupt:  # between handing Ctrl-C back to Python and `run`'s own guard
        sys.stderr.write("policycoord: interrupted.\n")
        sys.exit(INTERRUPTED)
    finally:
        if guarded:  # the run is over
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


if __name__ == "__main__":
    main()
