"""The command line: each command parses options, calls the library, renders,
and exits. Exit status: 0 nothing at or above the fail level, 1 findings at
or above it, 2 policycoord could not run. Never a traceback."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from policycoord.core.about import ISSUES_URL, __version__
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Report
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE
from policycoord.output.reporters import FORMATS
from policycoord.output.reporters.diff_formats import DIFF_FORMATS
from policycoord.output.reporters.history_formats import HISTORY_FORMATS
from policycoord.output.reporters.matrix_formats import MATRIX_FORMATS
from policycoord.output.reporters.mission_formats import MISSION_FORMATS
from policycoord.workflows import init as init_files

app = typer.Typer(
    name="policycoord",
    help="Check that the safeguarding policies of a children's partnership fit together.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


if TYPE_CHECKING:
    Format = StrEnum
else:  # the --format choices come from the reporter registry
    Format = StrEnum("Format", [(name, name) for name in FORMATS])

if TYPE_CHECKING:
    MatrixFormat = StrEnum
else:  # the matrix --format choices come from the matrix renderers' registry
    MatrixFormat = StrEnum("MatrixFormat", [(name, name) for name in MATRIX_FORMATS])

if TYPE_CHECKING:
    DiffFormat = StrEnum
else:  # the diff --format choices come from the diff renderers' registry
    DiffFormat = StrEnum("DiffFormat", [(name, name) for name in DIFF_FORMATS])

if TYPE_CHECKING:
    HistoryFormat = StrEnum
else:  # the history --format choices come from the history renderers' registry
    HistoryFormat = StrEnum("HistoryFormat", [(name, name) for name in HISTORY_FORMATS])

if TYPE_CHECKING:
    MissionFormat = StrEnum
else:  # the mission --format choices come from the mission renderers' registry
    MissionFormat = StrEnum("MissionFormat", [(name, name) for name in MISSION_FORMATS])


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class SchemaKind(StrEnum):
    policy = "policy"
    partnership = "partnership"


def _today(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    try:
        # strictly YYYY-MM-DD: fromisoformat also takes 20260101 and 2026-W01-1
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date written YYYY-MM-DD.", param_hint="'--today'"
        ) from None


def _size(value: str | None) -> int:
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


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(
        code.strip().upper() for value in values or () for code in value.split(",") if code.strip()
    )


def _use_color(no_color: bool, output: Path | None) -> bool:
    if no_color or output is not None or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _emit(
    report: Report, chosen: StrEnum | None, output: Path | None, *, quiet: bool, color: bool
) -> None:
    from policycoord.output.reporters import REPORTERS, RenderOptions, format_for

    fmt = chosen.value if chosen is not None else format_for(output)
    options = RenderOptions(color=color, quiet=quiet, width=_width(color))
    if fmt == "terminal" and os.environ.get("GITHUB_ACTIONS") == "true":
        _github_actions(report)
    _write(REPORTERS[fmt](report, options), fmt, output)


def _github_actions(report: Report) -> None:
    """Under GitHub Actions the terminal format also annotates the changed
    files (workflow commands on standard output, where the runner reads
    them) and appends a Markdown summary to the job's step summary."""
    from policycoord.output.reporters import github, markdown

    _write_stdout(github.annotations(report), "github")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    from policycoord.output.writing import open_stream, reason

    try:
        with open_stream(summary_file, append=True) as handle:
            handle.write(markdown.summary(report) + "\n")
    except OSError as error:
        sys.stderr.write(
            f"policycoord: could not add to the step summary {summary_file}: {reason(error)}.\n"
        )


def _needs_views(chosen: StrEnum | None, output: Path | None) -> bool:
    """Whether the report drawn needs the matrix and escalation diagrams
    (Markdown and HTML do; the step summary under GitHub Actions does not)."""
    from policycoord.output.reporters import NEEDS_VIEWS, format_for

    fmt = chosen.value if chosen is not None else format_for(output)
    return fmt in NEEDS_VIEWS


def _write(text: str, fmt: str, output: Path | None) -> None:
    from policycoord.output.writing import write_atomic

    if output is not None:
        write_atomic(output, text)
    elif text:
        _write_stdout(text, fmt)


def _write_stdout(text: str, fmt: str) -> None:
    """Print a report. A standard output that cannot encode every character
    (an ASCII or Latin-1 locale) gets JSON as UTF-8, its defined encoding, and
    anything else with the characters escaped: never a crash."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # raised before anything is written
        buffer = getattr(sys.stdout, "buffer", None)
        if fmt == "json" and buffer is not None:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
        else:
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    sys.stdout.flush()


def _width(color: bool) -> int:
    if color and sys.stdout.isatty():
        import shutil

        return max(60, shutil.get_terminal_size((100, 24)).columns)
    return 100


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
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: from the --output file's extension (.json, .md, .html, "
        ".sarif, .xml), else terminal.",
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
        min=1,
        help="Processes that read the files (1: only this one). Default: one per processor. "
        "The report is the same whatever the number.",
        metavar="N",
        show_default=False,
    ),
]


def _jobs(value: int | None) -> int:
    from policycoord.input.reading import default_jobs

    return value if value is not None else default_jobs()


@app.command()
def check(
    paths: PathsArg = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="Report only findings not in this baseline file (see `policycoord baseline`).",
            metavar="FILE",
        ),
    ] = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    max_file_size: MaxSizeOpt = None,
    jobs: JobsOpt = None,
) -> None:
    """Cross-check every policy in the repository and report what does not fit."""
    from policycoord.workflows.pipeline import Options
    from policycoord.workflows.pipeline import check as run_check

    options = Options(
        today=_today(today),
        fail_on=fail_on.value if fail_on else None,
        select=_codes(select),
        ignore=_codes(ignore),
        max_file_size=_size(max_file_size),
        baseline=baseline,
        views=_needs_views(fmt, output),
        jobs=_jobs(jobs),
    )
    with _progress(enabled=not quiet) as progress:
        report = run_check(paths or [], partnership=partnership, options=options, progress=progress)
    _emit(report, fmt, output, quiet=quiet, color=_use_color(no_color, output))
    raise typer.Exit(report.exit_status)


@app.command("baseline")
def baseline_command(
    paths: PathsArg = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the baseline ('-' for standard output). "
            "Default: policycoord-baseline.json beside the partnership file.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    max_file_size: MaxSizeOpt = None,
) -> None:
    """Write the current findings to a baseline file; `check --baseline` reports only new ones."""
    from policycoord.checks import baseline as baselines
    from policycoord.workflows.pipeline import Options, baseline_path
    from policycoord.workflows.pipeline import check as run_check

    options = Options(
        today=_today(today),
        select=_codes(select),
        ignore=_codes(ignore),
        max_file_size=_size(max_file_size),
        every_finding=True,  # however many one rule finds in one file
    )
    report = run_check(paths or [], partnership=partnership, options=options)
    entries = baselines.entries(report.findings)
    text = baselines.document(entries)
    if output == "-":
        _write_stdout(text, "json")
        raise typer.Exit(0)
    target = Path(output) if output else baseline_path(paths or [], partnership=partnership)
    _write(text, "json", target)
    sys.stderr.write(
        f"Wrote {len(entries)} finding{'s' if len(entries) != 1 else ''} to {target}. "
        f"`policycoord check --baseline {target}` now reports only new findings.\n"
    )
    raise typer.Exit(0)


@app.command("diff")
def diff_command(
    base: Annotated[
        str,
        typer.Option(
            "--base",
            help="The revision to compare with: a branch, tag or commit (e.g. origin/main).",
            metavar="REF",
        ),
    ],
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="The revision to check. Default: the files as they are now (the working tree).",
            metavar="REF",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from the --output file's extension (.md, .json), "
            "else terminal.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    max_file_size: MaxSizeOpt = None,
) -> None:
    """Findings a change introduces and resolves between two git revisions, and what it
    changes in meaning (duty owners, timeframes, escalation targets).

    Exit status 1 only when the change introduces a finding at or above the fail level:
    a change is never blocked by problems it did not add.
    """
    from policycoord.output.reporters import RenderOptions
    from policycoord.output.reporters.diff_formats import DIFF_FORMATS, DIFF_SUFFIXES
    from policycoord.workflows.diffing import diff
    from policycoord.workflows.pipeline import Options

    options = Options(
        today=_today(today),
        fail_on=fail_on.value if fail_on else None,
        select=_codes(select),
        ignore=_codes(ignore),
        max_file_size=_size(max_file_size),
    )
    report = diff(base, head, partnership=partnership, options=options)
    chosen = _chosen(fmt, output, DIFF_SUFFIXES)
    color = _use_color(no_color, output)
    text = DIFF_FORMATS[chosen](
        report, RenderOptions(color=color, quiet=quiet, width=_width(color))
    )
    _write(text, chosen, output)
    raise typer.Exit(report.exit_status)


@app.command("history")
def history_command(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only commits after this revision (e.g. the tag of the last board).",
            metavar="REF",
        ),
    ] = None,
    max_count: Annotated[
        int,
        typer.Option(
            "--max",
            help="At most this many commits (or tags), the latest.",
            metavar="N",
            min=1,
        ),
    ] = 50,
    tags: Annotated[
        bool, typer.Option("--tags", help="Only tagged commits (e.g. one tag per board).")
    ] = False,
    fmt: Annotated[
        HistoryFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from the --output file's extension (.md, .json, "
            ".html), else terminal.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    partnership: PartnershipOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """The summary counts at each commit (or tag) that touched the policies: is the
    partnership getting better between boards? Each commit is checked as of its own date."""
    from policycoord.output.reporters import RenderOptions
    from policycoord.output.reporters.history_formats import HISTORY_FORMATS, HISTORY_SUFFIXES
    from policycoord.workflows.history import history
    from policycoord.workflows.pipeline import Options

    options = Options(select=_codes(select), ignore=_codes(ignore))
    found = history(
        since=since, max_count=max_count, tags_only=tags, partnership=partnership, options=options
    )
    chosen = _chosen(fmt, output, HISTORY_SUFFIXES)
    color = _use_color(no_color, output)
    _write(
        HISTORY_FORMATS[chosen](found, RenderOptions(color=color, width=_width(color))),
        chosen,
        output,
    )
    raise typer.Exit(0)


def _chosen(fmt: StrEnum | None, output: Path | None, suffixes: dict[str, str]) -> str:
    """The format asked for, else the one --output's extension implies, else terminal."""
    if fmt is not None:
        return fmt.value
    if output is not None:
        return suffixes.get(output.suffix.lower(), "terminal")
    return "terminal"


@app.command()
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Policy or partnership files, or folders. Default: the repository around "
            "the current folder.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    today: TodayOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    max_file_size: MaxSizeOpt = None,
    jobs: JobsOpt = None,
) -> None:
    """Check files on their own (YAML, schema, unsafe input): fast, for editors and pre-commit."""
    from policycoord.workflows.pipeline import Options, validate_files

    options = Options(
        today=_today(today),
        fail_on=fail_on.value if fail_on else None,
        max_file_size=_size(max_file_size),
        jobs=_jobs(jobs),
    )
    report = validate_files(files or [], options=options)
    _emit(report, fmt, output, quiet=quiet, color=_use_color(no_color, output))
    raise typer.Exit(report.exit_status)


@app.command()
def matrix(
    paths: PathsArg = None,
    fmt: Annotated[
        MatrixFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from the --output file's extension "
            "(.md, .csv, .json), else terminal.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    partnership: PartnershipOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Show the responsibility matrix: duties x organisations, who is R/A/C/I, gaps and overlaps."""
    from policycoord.output.reporters import RenderOptions
    from policycoord.output.reporters.matrix_formats import matrix_format_for
    from policycoord.views.matrix import build_matrix
    from policycoord.workflows.pipeline import Options, load_model

    model = load_model(paths or [], partnership=partnership, options=Options(today=_today(today)))
    chosen = fmt.value if fmt is not None else matrix_format_for(output)
    color = _use_color(no_color, output)
    text = MATRIX_FORMATS[chosen](
        build_matrix(model), RenderOptions(color=color, width=_width(color))
    )
    _write(text, chosen, output)


@app.command()
def mission(
    paths: PathsArg = None,
    fmt: Annotated[
        MissionFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: html for an --output file ending .html, else markdown.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    pack: Annotated[
        bool, typer.Option("--pack", help="The workshop pack: per theme, a page to discuss.")
    ] = False,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Write the joint mission statement (or, with --pack, a two-hour workshop pack)."""
    from policycoord.output.reporters.mission_formats import mission_format_for
    from policycoord.views.mission import build_mission
    from policycoord.workflows.pipeline import Options, check_with_model

    options = Options(today=_today(today))
    model, report = check_with_model(paths or [], partnership=partnership, options=options)
    findings = report.findings
    chosen = fmt.value if fmt is not None else mission_format_for(output)
    _write(MISSION_FORMATS[chosen](build_mission(model, findings), pack=pack), chosen, output)


@app.command("rules")
def rules_command() -> None:
    """List every rule: code, name, default severity and what it reports."""
    from policycoord.checks.catalogue import rules_table

    sys.stdout.write(rules_table())


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A rule code such as PC203.")]) -> None:
    """Show one rule's documentation, with an example that triggers it and a fixed one."""
    from policycoord.checks.catalogue import explain as explain_rule

    sys.stdout.write(explain_rule(code))


@app.command()
def schema(kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")]) -> None:
    """Print the JSON Schema of a policy file or of the partnership file."""
    from policycoord.input.validation import schema_text

    sys.stdout.write(schema_text(kind.value))


@app.command()
def init(
    folder: Annotated[
        Path,
        typer.Argument(help="Where to create the repository (created if missing).", metavar="DIR"),
    ] = Path(),
    partnership_id: Annotated[
        str, typer.Option("--partnership-id", help="The partnership's id (a slug).")
    ] = init_files.DEFAULT_PARTNERSHIP_ID,
    partnership_name: Annotated[
        str, typer.Option("--partnership-name", help="The partnership's full name.")
    ] = init_files.DEFAULT_PARTNERSHIP_NAME,
    organisation_id: Annotated[
        str,
        typer.Option("--organisation-id", help="The first organisation's id (a slug)."),
    ] = init_files.DEFAULT_ORGANISATION_ID,
    organisation_name: Annotated[
        str, typer.Option("--organisation-name", help="The first organisation's name.")
    ] = init_files.DEFAULT_ORGANISATION_NAME,
    sector: Annotated[
        str,
        typer.Option("--sector", help="The first organisation's sector, e.g. education, health."),
    ] = init_files.DEFAULT_SECTOR,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="The approval date written in the new policy (YYYY-MM-DD).",
            metavar="DATE",
        ),
    ] = None,
) -> None:
    """Start a policy repository: partnership.yaml, one organisation in orgs/, a pre-commit
    config and a GitHub Actions workflow. The result passes `policycoord check` at once.

    An existing file is never overwritten: it is left alone and named. Exit status 0 when
    every file was written or already there; 2 when DIR is a file, an id is not a slug or
    a file cannot be written.
    """
    from policycoord.output.writing import write_new

    files = init_files.starter_files(
        partnership_id=partnership_id,
        partnership_name=partnership_name,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        sector=sector,
        today=_today(today),
    )
    if folder.exists() and not folder.is_dir():
        raise PolicycoordError(f"Cannot create a repository in {folder}: it is a file.")
    written: list[str] = []
    left: list[str] = []
    for relative, text in files.items():
        target = folder / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PolicycoordError(
                f"Cannot create the folder {target.parent}: {error.strerror or error}."
            ) from None
        if write_new(target, text):
            written.append(relative)
            sys.stdout.write(f"Wrote {relative}\n")
        else:
            left.append(relative)
            sys.stdout.write(f"Left {relative} alone: it already exists.\n")
    summary = f"Wrote {len(written)} file{'s' if len(written) != 1 else ''} in {folder}"
    if left:
        summary += f"; left {len(left)} existing file{'s' if len(left) != 1 else ''} alone"
        summary += f": {', '.join(left)}"
    sys.stdout.write(summary + ".\n")
    if written:
        sys.stdout.write("Next: edit the files, then run `policycoord check` in that folder.\n")
    raise typer.Exit(0)


PROGRESS_AFTER_FILES = 200


@contextlib.contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("Reading policies"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    task = bar.add_task("read", total=None)
    started = False

    def advance(done: int, total: int) -> None:
        nonlocal started
        if total < PROGRESS_AFTER_FILES:
            return
        if not started:
            bar.start()
            started = True
        bar.update(task, completed=done, total=total)

    try:
        yield advance
    finally:
        if started:
            bar.stop()


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
            # output, say; --output files say which file themselves (output.py)
            sys.stderr.write(f"policycoord: could not write: {error.strerror or error}.\n")
            from policycoord.output.writing import drop_standard_output

            drop_standard_output()
            sys.exit(2)
        sys.stderr.write(
            f"policycoord: internal error ({type(error).__name__}: {error}). This is a bug in "
            f"policycoord, not in your policies; please report it at {ISSUES_URL} with the "
            "command you ran.\n"
        )
        sys.exit(2)
    sys.exit(0)
