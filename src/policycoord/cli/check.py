"""`check`, `baseline` and `validate`: findings, from the whole repository or
from files on their own."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policycoord.cli.options import (
    CheckFormat,
    FailOnOpt,
    IgnoreOpt,
    JobsOpt,
    MaxSizeOpt,
    NoColorOpt,
    OutputOpt,
    PartnershipOpt,
    PathsArg,
    QuietOpt,
    SelectOpt,
    TodayOpt,
    ValidateFormat,
    format_option,
    parse_codes,
    parse_fail_on,
    parse_jobs,
    parse_size,
    parse_today,
)
from policycoord.cli.stdout import reads_of_a_run, use_color, width, wraps, write, write_stdout
from policycoord.output import formats
from policycoord.output.formats import Format, RenderOptions

if TYPE_CHECKING:
    from policycoord.core.findings import Report
    from policycoord.views import Views
    from policycoord.workflows.pipeline import Options

CheckFormatOpt = Annotated[
    CheckFormat | None,
    format_option("check"),
]
ValidateFormatOpt = Annotated[
    ValidateFormat | None,
    format_option("validate"),
]
BaselineOpt = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        help="Report only findings not in this baseline file (see policycoord baseline).",
        metavar="FILE",
    ),
]
BaselineOutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Where to write the baseline ('-' for standard output). "
        "Default: policycoord-baseline.json beside the partnership file.",
        metavar="FILE",
        show_default=False,
    ),
]
FilesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Policy or partnership files, or folders. Default: the repository around "
        "the current folder.",
        show_default=False,
    ),
]


FixOpt = Annotated[
    bool,
    typer.Option(
        "--fix",
        help="Apply the safe fixes to the files (comments and layout kept), say what "
        "changed, then report what is left.",
    ),
]
UnsafeFixesOpt = Annotated[
    bool,
    typer.Option(
        "--unsafe-fixes",
        help="With --fix or alone: apply the fixes that need a person's eye too "
        "(a did-you-mean: check each change).",
    ),
]


def check(
    paths: PathsArg = None,
    fmt: CheckFormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    max_file_size: MaxSizeOpt = None,
    jobs: JobsOpt = None,
    fix: FixOpt = False,
    unsafe_fixes: UnsafeFixesOpt = False,
) -> None:
    """Cross-check every policy in the repository and report what does not fit."""
    from policycoord.workflows.pipeline import Options

    options = Options(
        today=parse_today(today),
        fail_on=parse_fail_on(fail_on),
        select=parse_codes(select),
        ignore=parse_codes(ignore),
        max_file_size=parse_size(max_file_size),
        baseline=baseline,
        jobs=parse_jobs(jobs),
    )
    chosen = formats.choose("check", fmt, output)
    report, views = _fixed_and_checked(
        paths or [],
        partnership,
        options,
        views=chosen.draws_views,
        quiet=quiet,
        fix=fix or unsafe_fixes,
        unsafe=unsafe_fixes,
    )
    from policycoord.workflows.repository import partnership_prefix

    _emit(
        report,
        chosen,
        "check",
        output,
        quiet=quiet,
        color=use_color(no_color=no_color, output=output),
        views=views,
        prefix=partnership_prefix(paths or [], partnership=partnership),
        reads=reads_of_a_run(paths, partnership, baseline),
        partnership=partnership,
        root=_partnership_folder(paths, partnership) if chosen.shows_fixes else None,
    )
    raise typer.Exit(report.exit_status)


def _fixed_and_checked(
    paths: list[str],
    partnership: str | None,
    options: Options,
    *,
    views: bool,
    quiet: bool,
    fix: bool,
    unsafe: bool,
) -> tuple[Report, Views | None]:
    """The run (after `--fix`'s passes, the last one's), with its views."""
    drawn: list[Views | None] = [None]

    def run() -> Report:
        report, drawn[0] = _checked(paths, partnership, options, views=views, quiet=quiet)
        return report

    if not fix:
        return run(), drawn[0]
    from policycoord.cli.fixing import fix_before_check

    report = fix_before_check(run, paths=paths, partnership=partnership, unsafe=unsafe, quiet=quiet)
    return report, drawn[0]


def _checked(
    paths: list[str], partnership: str | None, options: Options, *, views: bool, quiet: bool
) -> tuple[Report, Views | None]:
    """The run, with the matrix and diagrams when the format draws them."""
    from policycoord.workflows.pipeline import check as run_check
    from policycoord.workflows.pipeline import check_with_views

    with _progress(enabled=not quiet) as progress:
        if views:
            return check_with_views(
                paths, partnership=partnership, options=options, progress=progress
            )
        return run_check(paths, partnership=partnership, options=options, progress=progress), None


def _partnership_folder(paths: list[str] | None, partnership: str | None) -> Path:
    """The folder a check's paths are relative to."""
    from policycoord.input.discovery import locate_partnership

    return locate_partnership(paths or [], partnership=partnership, cwd=Path.cwd()).parent


def baseline_command(
    paths: PathsArg = None,
    output: BaselineOutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    max_file_size: MaxSizeOpt = None,
) -> None:
    """Write the current findings to a baseline file; then check --baseline reports only
    new ones."""
    from policycoord.checks import baseline as baselines
    from policycoord.output.reporters import baseline_file
    from policycoord.workflows.pipeline import Options, baseline_path
    from policycoord.workflows.pipeline import check as run_check

    options = Options(
        today=parse_today(today),
        select=parse_codes(select),
        ignore=parse_codes(ignore),
        max_file_size=parse_size(max_file_size),
        every_finding=True,  # however many one rule finds in one file
    )
    report = run_check(paths or [], partnership=partnership, options=options)
    entries = baselines.entries(report.findings)
    text = baseline_file.document(entries)
    if output == "-":
        write_stdout(text, "json")
        raise typer.Exit(0)
    target = Path(output) if output else baseline_path(paths or [], partnership=partnership)
    write(text, "json", target, reads=reads_of_a_run(paths, partnership), partnership=partnership)
    sys.stderr.write(
        f"Wrote {len(entries)} finding{'s' if len(entries) != 1 else ''} to {target}. "
        f"`policycoord check --baseline {target}` now reports only new findings.\n"
    )
    raise typer.Exit(0)


def validate(
    files: FilesArg = None,
    fmt: ValidateFormatOpt = None,
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
        today=parse_today(today),
        fail_on=parse_fail_on(fail_on),
        max_file_size=parse_size(max_file_size),
        jobs=parse_jobs(jobs),
    )
    from policycoord.workflows.repository import prefix_in_repository

    report = validate_files(files or [], options=options)
    chosen = formats.choose("validate", fmt, output)
    color = use_color(no_color=no_color, output=output)
    prefix = prefix_in_repository(Path.cwd())  # validate's paths are relative to it
    _emit(
        report,
        chosen,
        "validate",
        output,
        quiet=quiet,
        color=color,
        prefix=prefix,
        reads=lambda: _validated(files or []),
        root=Path.cwd(),  # validate's paths are relative to it
    )
    raise typer.Exit(report.exit_status)


def _emit(
    report: Report,
    chosen: Format,
    command: str,
    output: Path | None,
    *,
    quiet: bool,
    color: bool,
    views: Views | None = None,
    prefix: str | None = None,
    reads: Callable[[], list[Path]] | None = None,
    partnership: str | None = None,
    root: Path | None = None,
) -> None:
    """Render and write the report; `root`: the folder its paths are
    relative to, for the formats that carry fixes as text (sarif)."""
    wrap = wraps(color=color, output=output)
    changes = {}
    if chosen.shows_fixes and root is not None:
        from policycoord.editing import text_changes

        changes = text_changes(root, report.findings)
    options = RenderOptions(
        color=color,
        quiet=quiet,
        width=width(color),
        wrap=wrap,
        views=views,
        repository_prefix=prefix,
        fix_changes=changes,
    )
    if chosen.name == "terminal" and os.environ.get("GITHUB_ACTIONS") == "true":
        _github_actions(report, prefix)
    text = chosen.renderer(command)(report, options)
    write(text, chosen.name, output, reads=reads, partnership=partnership)


def _validated(files: list[str]) -> list[Path]:
    """The files `validate` reads: those named, the YAML files below the
    folders named, or (none named) the repository's."""
    from policycoord.input.discovery import yaml_files_below
    from policycoord.workflows.repository import read_by_a_run

    if not files:
        return read_by_a_run()
    named = [Path(file) for file in files]
    return [f for path in named for f in (yaml_files_below(path) if path.is_dir() else [path])]


def _github_actions(report: Report, prefix: str | None) -> None:
    """Under GitHub Actions the terminal format also annotates the changed
    files (workflow commands on standard output, where the runner reads
    them) and appends a Markdown summary to the job's step summary."""
    from policycoord.output.reporters import github, markdown_report

    write_stdout(github.annotations(report, prefix), "github")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    from policycoord.output.writing import open_stream, reason

    try:
        with open_stream(summary_file, append=True) as handle:
            handle.write(markdown_report.summary(report) + "\n")
    except OSError as error:
        sys.stderr.write(
            f"policycoord: could not add to the step summary {summary_file}: {reason(error)}.\n"
        )


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
