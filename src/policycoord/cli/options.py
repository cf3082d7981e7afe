"""The options that several commands share, and their parsers.

Each `--format` offers the formats that the registry
(`policycoord.output.formats`) lists for its command, in the registry's order.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE
from policycoord.output import formats


def format_choice(command: str) -> type[StrEnum]:
    """The `--format` choices of `command`, as typer takes them: an enum."""
    choices = [(name, name) for name in formats.names(command)]
    return cast("type[StrEnum]", StrEnum(f"{command.title()}Format", choices))


def format_metavar(command: str) -> str:
    """What `--format` takes, as `--help` shows it: `terminal|markdown|json`."""
    return "|".join(formats.names(command))


def format_help(command: str) -> str:
    """The `--format` help of `command`: its default, and the `--output` file
    suffixes that choose a format, from the registry."""
    suffixes = ", ".join(
        " or ".join(fmt.suffixes) for fmt in formats.formats(command) if fmt.suffixes
    )
    default = formats.COMMANDS[command]
    return (
        f"Output format. Default: from the --output file's extension ({suffixes}), else {default}."
    )


def format_option(command: str) -> Any:
    """The `--format/-f` option of `command`: its choices shown as
    `terminal|markdown|json`, its help from the registry."""
    return typer.Option(
        "--format",
        "-f",
        help=format_help(command),
        metavar=format_metavar(command),
        show_default=False,
    )


if TYPE_CHECKING:  # to mypy each is a StrEnum; typer sees its command's choices
    CheckFormat = StrEnum
    ValidateFormat = StrEnum
    DiffFormat = StrEnum
    HistoryFormat = StrEnum
    MatrixFormat = StrEnum
    MissionFormat = StrEnum
else:
    CheckFormat = format_choice("check")
    ValidateFormat = format_choice("validate")
    DiffFormat = format_choice("diff")
    HistoryFormat = format_choice("history")
    MatrixFormat = format_choice("matrix")
    MissionFormat = format_choice("mission")


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def current_date() -> datetime.date:
    """The date a run checks against when `--today` is not given."""
    return datetime.date.today()


def parse_today(value: str | None) -> datetime.date:
    if value is None:
        return current_date()
    try:
        # strictly YYYY-MM-DD: fromisoformat also takes 20260101 and 2026-W01-1
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date written YYYY-MM-DD.", param_hint="'--today'"
        ) from None


def parse_size(value: str | None) -> int:
    if value is None:
        return DEFAULT_MAX_FILE_SIZE
    match = re.fullmatch(r"\s*(\d+)\s*([kKmM]?)[bB]?\s*", value)
    if not match:
        raise typer.BadParameter(
            f"{value!r} is not a size such as 5MB, 500KB or 100000.",
            param_hint="'--max-file-size'",
        )
    factor = {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2).lower()]
    size = int(match.group(1)) * factor
    if size < 1:
        raise typer.BadParameter(
            "the limit must be at least 1 byte.", param_hint="'--max-file-size'"
        )
    return size


def parse_codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(
        code.strip().upper() for value in values or () for code in value.split(",") if code.strip()
    )


def parse_fail_on(value: FailOn | None) -> str | None:
    return value.value if value else None


def at_least_one(value: int | None) -> int | None:
    """A count that must be 1 or more (`--jobs`, `--max`), checked as the
    command line is read."""
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} is too few: give 1 or more.")
    return value


def parse_jobs(value: int | None) -> int:
    from policycoord.input.reading import default_jobs

    return value if value is not None else default_jobs()


PartnershipOpt = Annotated[
    str | None,
    typer.Option("--partnership", help="The partnership file.", metavar="FILE"),
]
PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Folders or files to check. Default: the repository around the current folder.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE (atomically).", metavar="FILE"),
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a finding is at least this severe. "
        "Default: the partnership's rules.fail_on, else error.",
        metavar="|".join(FailOn),
        show_default=False,
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="The date to check reviews against (YYYY-MM-DD).", metavar="DATE"),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Findings only, no summary.")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (also NO_COLOR=1).")]
MaxSizeOpt = Annotated[
    str | None,
    typer.Option(
        "--max-file-size",
        help="Largest policy file read (default 5MB).",
        metavar="SIZE",
        show_default=False,
    ),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        help="Only these codes or prefixes (PC1, PC203). Wins over the partnership's "
        "rules.ignore for the same or a more specific code.",
        metavar="CODES",
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Skip these codes or prefixes.", metavar="CODES"),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        callback=at_least_one,
        help="Processes that read the files (1: only this one). Default: one per processor. "
        "The report is the same whatever the number.",
        metavar="N",
        show_default=False,
    ),
]
