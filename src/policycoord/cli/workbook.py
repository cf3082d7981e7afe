"""`workbook export` and `workbook import`: each organisation's policy as a
spreadsheet workbook, sent out, filled in, and read back into the repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policycoord.cli.check import BaselineOpt
from policycoord.cli.help_text import HelpCommand, HelpGroup
from policycoord.cli.options import (
    CheckFormat,
    FailOn,
    IgnoreOpt,
    NoColorOpt,
    OutputOpt,
    PartnershipOpt,
    SelectOpt,
    TodayOpt,
    format_option,
    parse_codes,
    parse_fail_on,
    parse_today,
)
from policycoord.cli.stdout import (
    reads_of_a_run,
    use_color,
    width,
    wraps,
    write,
    write_stderr,
    write_stdout,
)
from policycoord.output import formats
from policycoord.output.formats import RenderOptions

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from policycoord.editing.workbook_import import ImportResult

#: As `diff`, an import fails on what it changes, not on what the files held:
ImportFailOnOpt = Annotated[
    FailOn | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 when the workbooks introduce a finding at least this severe (findings "
        "already in the files do not fail an import). Default: the partnership's "
        "rules.fail_on, else error.",
        metavar="|".join(FailOn),
        show_default=False,
    ),
]

app = typer.Typer(
    cls=HelpGroup,
    help="Each organisation's policy as a workbook: send it, have it filled in, import it.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FormatOpt = Annotated[CheckFormat | None, format_option("check")]
ExportOutputOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The folder to write the workbooks into. A workbook already there that "
        "differs (one sent back, not yet imported) is never replaced: import it first or "
        "choose another folder.",
        metavar="FOLDER",
    ),
]
ImportForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Import a workbook even though its organisation's file changed since the "
        "export (the workbook's contents replace those changes).",
    ),
]
ExportForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace workbooks already in the folder even when they differ from the "
        "new ones (what was filled in them is lost).",
    ),
]


@app.command("export", cls=HelpCommand, short_help="Write one workbook per organisation.")
def export(
    folder: Annotated[
        str | None,
        typer.Argument(
            help="The policy repository. Default: the one around the current folder.",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    organisation: Annotated[
        list[str] | None,
        typer.Option(
            "--organisation",
            help="Only this organisation's workbook (its id); repeat for more. Default: all.",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    output: ExportOutputOpt = Path(),
    force: ExportForceOpt = False,
    return_to: Annotated[
        str | None,
        typer.Option(
            "--return-to",
            help="Who the workbooks go back to, as the first sheet says (a name and email).",
            metavar="WHO",
            show_default=False,
        ),
    ] = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Write one workbook (.xlsx) per organisation, named after its id: its policy
    pre-filled, drop-down lists for every choice, and its current findings."""
    from policycoord.output.workbooks.export import RETURN_TO, NotExported, export_workbooks
    from policycoord.output.workbooks.summary import export_summary
    from policycoord.workflows.pipeline import Options

    results = export_workbooks(
        [folder] if folder else [],
        folder=output,
        organisations=organisation or (),
        partnership=partnership,
        options=Options(today=parse_today(today)),
        return_to=return_to or RETURN_TO,
        force=force,
    )
    write_stderr(export_summary(results, str(output)))
    raise typer.Exit(1 if any(isinstance(r, NotExported) for r in results) else 0)


@app.command("import", cls=HelpCommand, short_help="Read returned workbooks into the policies.")
def import_command(
    files: Annotated[
        list[str],
        typer.Argument(
            help="The returned workbooks (.xlsx), and last, optionally, the policy "
            "repository's folder.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    force: ImportForceOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: ImportFailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Read returned workbooks, check them as policy files, and write the changes
    into each organisation's policy file (comments and layout kept). Reports the
    findings in the workbooks, and what they fix and introduce."""
    from policycoord.editing.workbook_import import import_workbooks
    from policycoord.output.workbooks.summary import exit_status
    from policycoord.workflows.pipeline import Options

    workbooks, repository = _workbooks_and_folder(files)
    reads = _reads(workbooks, repository, partnership, baseline)
    _refuse_early(output, reads, partnership)
    result = import_workbooks(
        workbooks,
        partnership=partnership,
        repository=repository,
        options=Options(
            today=parse_today(today),
            fail_on=parse_fail_on(fail_on),
            select=parse_codes(select),
            ignore=parse_codes(ignore),
            baseline=baseline,
        ),
        dry_run=dry_run,
        force=force,
    )
    status = exit_status(result)
    _emit(
        result,
        status,
        fmt,
        output,
        color=use_color(no_color=no_color, output=output),
        reads=reads,
        partnership=partnership,
    )
    raise typer.Exit(status)


def _refuse_early(
    output: Path | None, reads: Callable[[], list[Path]], partnership: str | None
) -> None:
    """A report over a file the import reads is refused before any policy
    file is written (`write` checks again when it writes the report)."""
    if output is not None and str(output) != "-":
        from policycoord.workflows.repository import refuse_to_overwrite_input

        refuse_to_overwrite_input(
            output, reads(), partnership=Path(partnership).absolute() if partnership else None
        )


def _reads(
    workbooks: list[str], repository: Path | None, partnership: str | None, baseline: str | None
) -> Callable[[], list[Path]]:
    """What an import reads: the workbooks (a report must never replace one),
    and what `check` reads in the repository."""
    repository_reads = reads_of_a_run(
        [str(repository)] if repository else None, partnership, baseline
    )
    return lambda: [Path(workbook) for workbook in workbooks] + repository_reads()


def _workbooks_and_folder(files: list[str]) -> tuple[list[str], Path | None]:
    """The workbooks, and the repository's folder when the last one given is a folder."""
    if len(files) > 1 and Path(files[-1]).is_dir():
        return files[:-1], Path(files[-1])
    return files, None


def _emit(
    result: ImportResult,
    status: int,
    fmt: CheckFormat | None,
    output: Path | None,
    *,
    color: bool,
    reads: Callable[[], Sequence[Path]],
    partnership: str | None,
) -> None:
    """The findings in the workbooks (as `check` renders them), and what the
    import did with the verdict last: after the findings on a terminal (the
    report's own summary and verdict left out: they are about the files, not
    the import), else on standard error."""
    from policycoord.output.workbooks.summary import import_summary, verdict

    chosen = formats.choose("check", fmt, output)
    summary = import_summary(result, show_changes=result.dry_run) + verdict(result, status) + "\n"
    terminal = chosen.name == "terminal"
    if result.report is not None:
        options = RenderOptions(
            color=color,
            width=width(color),
            wrap=wraps(color=color, output=output),
            quiet=terminal,
        )
        write(
            chosen.renderer("check")(result.report, options),
            chosen.name,
            output,
            reads=reads,
            partnership=partnership,
        )
    if terminal and output is None:
        write_stdout(summary)
    else:
        write_stderr(summary)
