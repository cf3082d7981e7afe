"""`policycoord validate FILE...` without loading the command line.

The pre-commit hook runs `policycoord validate` with the changed files on
every commit, so start-up is most of its time, and loading the command line
(typer and its option parsing, every command) takes several times as long
as reading a file. When the arguments are `validate` and file names only (no
option: nothing starts with `-`), `__main__` runs the validation here, as
the `validate` command does with its defaults, and prints the same terminal
report (tests/cli/test_quick_validate.py compares the two, byte for byte). Anything else
goes to the command line: other arguments, a run under GitHub Actions (its
report also goes to annotations and the step summary), and any failure (a
file that does not exist: the command line starts again from the arguments
and says so, with the usual exit status).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from policycoord.cli.stdout import use_color, width, wraps, write_stdout


def validate_files_only(arguments: Sequence[str]) -> int | None:
    """Run `validate FILE...` and return its exit status; None when it is
    the command line's to run (nothing has been written then)."""
    if len(arguments) < 2 or arguments[0] != "validate":
        return None
    if any(argument.startswith("-") for argument in arguments[1:]):
        return None
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return None
    try:
        text, status = _validated(arguments[1:])
    except Exception:  # a missing file, or a bug: the command line says what
        return None
    if text:
        try:
            write_stdout(text)
        except OSError as error:  # a full disk, a closed pipe
            sys.stderr.write(f"policycoord: could not write: {error.strerror or error}.\n")
            from policycoord.cli.stdout import drop_standard_output

            drop_standard_output()
            return 2
    return status


def _validated(files: Sequence[str]) -> tuple[str, int]:
    from policycoord.input.reading import default_jobs
    from policycoord.output import formats
    from policycoord.workflows.pipeline import Options, validate_files

    report = validate_files(list(files), options=Options(jobs=default_jobs()))
    color = use_color()
    options = formats.RenderOptions(
        color=color, quiet=False, width=width(color), wrap=wraps(color=color)
    )
    render = formats.choose("validate", None, None).renderer("validate")
    return render(report, options), report.exit_status
