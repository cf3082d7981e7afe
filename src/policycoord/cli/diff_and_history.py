"""`diff` and `history`: the repository across git revisions."""

from __future__ import annotations

from typing import Annotated

import typer

from policycoord.cli.options import (
    DiffFormat,
    FailOnOpt,
    HistoryFormat,
    IgnoreOpt,
    MaxSizeOpt,
    NoColorOpt,
    OutputOpt,
    PartnershipOpt,
    QuietOpt,
    SelectOpt,
    TodayOpt,
    at_least_one,
    format_option,
    parse_codes,
    parse_fail_on,
    parse_size,
    parse_today,
)
from policycoord.cli.stdout import reads_of_a_run, use_color, width, wraps, write
from policycoord.output import formats
from policycoord.output.formats import RenderOptions

BaseOpt = Annotated[
    str,
    typer.Option(
        "--base",
        help="The revision to compare with: a branch, tag or commit (e.g. origin/main).",
        metavar="REF",
    ),
]
HeadOpt = Annotated[
    str | None,
    typer.Option(
        "--head",
        help="The revision to check. Default: the files as they are now (the working tree).",
        metavar="REF",
        show_default=False,
    ),
]
DiffFormatOpt = Annotated[
    DiffFormat | None,
    format_option("diff"),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only commits after this revision (e.g. the tag of the last board).",
        metavar="REF",
    ),
]
MaxCountOpt = Annotated[
    int,
    typer.Option(
        "--max",
        help="At most this many commits (or tags), the latest.",
        metavar="N",
        callback=at_least_one,
    ),
]
TagsOpt = Annotated[
    bool, typer.Option("--tags", help="Only tagged commits (e.g. one tag per board).")
]
HistoryFormatOpt = Annotated[
    HistoryFormat | None,
    format_option("history"),
]


def diff_command(
    base: BaseOpt,
    head: HeadOpt = None,
    fmt: DiffFormatOpt = None,
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
    from policycoord.workflows.diffing import diff
    from policycoord.workflows.pipeline import Options

    options = Options(
        today=parse_today(today),
        fail_on=parse_fail_on(fail_on),
        select=parse_codes(select),
        ignore=parse_codes(ignore),
        max_file_size=parse_size(max_file_size),
    )
    report = diff(base, head, partnership=partnership, options=options)
    chosen = formats.choose("diff", fmt, output)
    color = use_color(no_color=no_color, output=output)
    render = chosen.renderer("diff")
    text = render(report, RenderOptions(color=color, quiet=quiet, width=width(color)))
    write(
        text, chosen.name, output, reads=reads_of_a_run(None, partnership), partnership=partnership
    )
    raise typer.Exit(report.exit_status)


def history_command(
    since: SinceOpt = None,
    max_count: MaxCountOpt = 50,
    tags: TagsOpt = False,
    fmt: HistoryFormatOpt = None,
    output: OutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    partnership: PartnershipOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """The summary counts at each commit (or tag) that touched the policies: is the
    partnership getting better between boards? Each commit is checked as of its own date."""
    from policycoord.workflows.history import history
    from policycoord.workflows.pipeline import Options

    options = Options(select=parse_codes(select), ignore=parse_codes(ignore))
    found = history(
        since=since, max_count=max_count, tags_only=tags, partnership=partnership, options=options
    )
    chosen = formats.choose("history", fmt, output)
    color = use_color(no_color=no_color, output=output)
    render = chosen.renderer("history")
    wrap = wraps(color=color, output=output)
    text = render(found, RenderOptions(color=color, width=width(color), wrap=wrap))
    write(
        text, chosen.name, output, reads=reads_of_a_run(None, partnership), partnership=partnership
    )
    raise typer.Exit(0)
