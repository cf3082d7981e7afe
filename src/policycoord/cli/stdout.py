"""Colour, width and writing a report, for the commands and for quick.py.

Standard modules only (no typer, no rich): `validate FILE...` on the quick
path (quick.py) uses these too, so that its report is the command's, byte
for byte, without loading the command line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def use_color(*, no_color: bool = False, output: Path | None = None) -> bool:
    """Colour only on a terminal (or FORCE_COLOR), never into a file, with
    NO_COLOR, or on a terminal that says it has none (TERM=dumb)."""
    if no_color or output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _is_terminal() and os.environ.get("TERM") != "dumb"


def _is_terminal() -> bool:
    """Whether standard output is a terminal (False when it is closed)."""
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def width(color: bool) -> int:
    """The width to lay a report out at (at least 60): `COLUMNS` when it is
    set, else the terminal's when standard output is one (in colour or
    not), else 100."""
    columns = _columns()
    if columns is not None:
        return max(60, columns)
    if _is_terminal():
        import shutil

        return max(60, shutil.get_terminal_size((100, 24)).columns)
    return 100


def wraps(*, color: bool, output: Path | None = None) -> bool:
    """Whether a terminal report wraps its lines (with hanging indents): on
    standard output that is a terminal, in colour, or when `COLUMNS` asks
    for a width; never into a file, where each finding stays one line."""
    if output is not None:
        return False
    return color or _columns() is not None or _is_terminal()


def _columns() -> int | None:
    """`COLUMNS` as a number of columns, when it is set to one."""
    text = os.environ.get("COLUMNS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def reads_of_a_run(
    paths: Sequence[str] | None, partnership: str | None, baseline: str | None = None
) -> Callable[[], list[Path]]:
    """What a run on these arguments reads (asked only when writing a file):
    its partnership and policy files (for `diff` and `history`, the working
    tree's: a report must never replace one, even though they read git),
    and the baseline."""

    def reads() -> list[Path]:
        from policycoord.workflows.repository import read_by_a_run

        files = read_by_a_run(paths or [], partnership=partnership)
        return files + ([Path(baseline)] if baseline is not None else [])

    return reads


def write(
    text: str,
    fmt: str,
    output: Path | None,
    *,
    reads: Callable[[], Sequence[Path]] | None = None,
    partnership: str | None = None,
) -> None:
    """The report into `output` (atomically), else onto standard output
    (also for `-o -`). Never over a file the run reads (what `reads`
    returns, or a file discovery lists in the repository around `output`),
    nor where discovery would list it as a policy (in that repository or in
    the one of `--partnership`): exit status 2."""
    if output is not None and str(output) == "-":
        output = None
    if output is not None:
        from policycoord.output.writing import write_atomic
        from policycoord.workflows.repository import refuse_to_overwrite_input

        refuse_to_overwrite_input(
            output,
            reads() if reads is not None else (),
            partnership=Path(os.path.abspath(partnership)) if partnership is not None else None,
        )
        write_atomic(output, text)
    elif text:
        write_stdout(text, fmt)


def write_stdout(text: str, fmt: str = "terminal") -> None:
    """Print a report. A standard output that cannot encode every character
    (an ASCII or Latin-1 locale) gets a format that says it is UTF-8 (JSON,
    SARIF, XML, HTML: `Format.utf8`) as UTF-8 bytes, and anything else with
    the characters escaped: never a crash. A closed standard output is
    an error (exit status 2) that says so."""
    if sys.stdout is None:
        from policycoord.core.errors import PolicycoordError

        raise PolicycoordError(
            "Cannot write the report: standard output is closed. Give --output FILE to write "
            "it to a file."
        )
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # raised before anything is written
        from policycoord.output import formats

        buffer = getattr(sys.stdout, "buffer", None)
        if formats.get(fmt).utf8 and buffer is not None:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
        else:
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    sys.stdout.flush()


def write_stderr(text: str) -> None:
    """Say something on standard error. One that cannot encode every
    character (a stream that is strict about an ASCII or Latin-1 encoding)
    gets them escaped (`\\xe9`): never a crash."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:  # raised before anything is written
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def drop_standard_output() -> None:
    """After writing to standard output failed (a full disk): what Python
    still holds for it can never be written, so standard output is pointed
    at the null device. Otherwise Python's last flush, as it exits, fails
    again, prints a traceback and turns the exit status into 120."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
