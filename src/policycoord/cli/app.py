"""The command line: the typer app, every command registered on it (each
lives in the module of its group), and `main()`, the one place where an
error becomes exit status 2, Ctrl-C 130 and SIGTERM 143. Each command parses
its options, calls the library, renders and exits: 0 nothing at or above the
fail level, 1 findings at or above it, 2 policycoord could not run. Never a
traceback."""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer

from policycoord.cli import (
    catalogue,
    check,
    diff_and_history,
    init,
    lsp,
    matrix_and_mission,
    serve,
    workbook,
)
from policycoord.cli.help_text import HelpCommand, HelpGroup
from policycoord.core.about import ISSUES_URL, __version__
from policycoord.core.errors import PolicycoordError

app = typer.Typer(
    cls=HelpGroup,
    name="policycoord",
    help="Check that the safeguarding policies of a children's partnership fit together.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: Each command, in the order `policycoord --help` lists them, with its line
#: there (short enough for one line of an 80-column terminal).
COMMANDS = (
    ("check", check.check, "Cross-check every policy and report what does not fit."),
    ("baseline", check.baseline_command, "Accept today's findings: write them to a baseline."),
    ("diff", diff_and_history.diff_command, "What a change adds and fixes between two revisions."),
    ("history", diff_and_history.history_command, "Counts at each commit: is it getting better?"),
    ("validate", check.validate, "Check files on their own: YAML, schema, unsafe input."),
    ("matrix", matrix_and_mission.matrix, "Who owns each duty in each organisation (RACI)."),
    ("mission", matrix_and_mission.mission, "The joint mission statement, or a workshop pack."),
    ("rules", catalogue.rules_command, "Every check: code, name, severity, what it reports."),
    ("explain", catalogue.explain, "One check's documentation, with examples."),
    ("schema", catalogue.schema, "Print the JSON Schema of a policy or partnership file."),
    ("init", init.init, "Start a policy repository that passes the check at once."),
    ("serve", serve.serve, "Read and edit the policies in a web browser."),
    ("lsp", lsp.lsp, "The editor server: every check as you type, with fixes."),
)
for _name, _function, _summary in COMMANDS:
    app.command(_name, cls=HelpCommand, short_help=_summary)(_function)
#: Commands with commands of their own (`workbook export`, `workbook import`).
GROUPS = (("workbook", workbook.app, "Each organisation's policy as a workbook, and back."),)
for _name, _group, _summary in GROUPS:
    app.add_typer(_group, name=_name, short_help=_summary)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"policycoord {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Check that the safeguarding policies of a children's partnership fit together."""


#: 128 + SIGTERM, as shells report a run that was terminated (a CI job cancelled)
TERMINATED = 143


def _stop_cleanly_on_sigterm() -> None:
    """A SIGTERM (a cancelled CI job, a timeout) ends the run as Ctrl-C does:
    by unwinding, so temporary files and folders (`diff`'s revisions, an
    unfinished report) are removed. Only when SIGTERM has its default action
    (a caller that ignores or handles it keeps its choice)."""
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(TERMINATED)

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, terminated)


def _say_interrupted() -> None:
    """The one line for Ctrl-C; the caller then exits 130.

    CPython takes a Ctrl-C that ends code run by `exec` or `eval` from a
    string (dataclasses and namedtuple write their methods so, and a Ctrl-C
    can land there while a module loads) as never handled, even once caught:
    under `python -m policycoord` it would end itself by SIGINT after
    exiting, not with 130. Each string `exec` clears that mark as it starts,
    so an empty one does here (tests/cli/test_faults.py, "generated code")."""
    sys.stderr.write("policycoord: interrupted.\n")
    exec("")


def main(argv: list[str] | None = None) -> NoReturn:
    """The console script. The one place where errors become exit status 2,
    and Ctrl-C exit status 130 (128 + SIGINT, as shells report it): reports
    are written atomically at the end, so an interrupted run leaves none."""
    import errno

    interrupted = 130
    _stop_cleanly_on_sigterm()
    try:
        app(args=argv, prog_name="policycoord")
    except SystemExit as exit_:
        code = exit_.code
        if code == interrupted:  # typer turns Ctrl-C during a command into exit 130
            _say_interrupted()
        elif code == TERMINATED:
            sys.stderr.write("policycoord: stopped (the run was terminated).\n")
        sys.exit(code if isinstance(code, int) else (0 if code is None else 2))
    except PolicycoordError as error:
        sys.stderr.write(f"policycoord: {error}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        _say_interrupted()
        sys.exit(interrupted)
    except Exception as error:
        if isinstance(error, OSError) and error.errno in (
            errno.ENOSPC,
            errno.EFBIG,
            getattr(errno, "EDQUOT", errno.ENOSPC),
        ):
            # only writing fails so (a full disk, a file-size limit): standard
            # output, say; --output files say which file themselves (output/writing.py)
            sys.stderr.write(f"policycoord: could not write: {error.strerror or error}.\n")
            from policycoord.cli.stdout import drop_standard_output

            drop_standard_output()
            sys.exit(2)
        sys.stderr.write(
            f"policycoord: internal error ({type(error).__name__}: {error}). This is a bug in "
            f"policycoord, not in your policies; please report it at {ISSUES_URL} with the "
            "command you ran.\n"
        )
        sys.exit(2)
    sys.exit(0)
