"""`matrix` and `mission`: views of the partnership beside the findings."""

from __future__ import annotations

from typing import Annotated

import typer

from policycoord.cli.options import (
    MatrixFormat,
    MissionFormat,
    NoColorOpt,
    OutputOpt,
    PartnershipOpt,
    PathsArg,
    TodayOpt,
    format_option,
    parse_today,
)
from policycoord.cli.stdout import reads_of_a_run, use_color, width, write
from policycoord.output import formats
from policycoord.output.formats import RenderOptions

MatrixFormatOpt = Annotated[
    MatrixFormat | None,
    format_option("matrix"),
]
MissionFormatOpt = Annotated[
    MissionFormat | None,
    format_option("mission"),
]
PackOpt = Annotated[
    bool, typer.Option("--pack", help="The workshop pack: per theme, a page to discuss.")
]


def matrix(
    paths: PathsArg = None,
    fmt: MatrixFormatOpt = None,
    output: OutputOpt = None,
    partnership: PartnershipOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Show the responsibility matrix: duties x organisations, who is R/A/C/I, gaps and overlaps."""
    from policycoord.views.matrix import build_matrix
    from policycoord.workflows.pipeline import Options, load_model

    options = Options(today=parse_today(today))
    model = load_model(paths or [], partnership=partnership, options=options)
    chosen = formats.choose("matrix", fmt, output)
    color = use_color(no_color=no_color, output=output)
    render = chosen.renderer("matrix")
    text = render(build_matrix(model), RenderOptions(color=color, width=width(color)))
    write(
        text, chosen.name, output, reads=reads_of_a_run(paths, partnership), partnership=partnership
    )


def mission(
    paths: PathsArg = None,
    fmt: MissionFormatOpt = None,
    output: OutputOpt = None,
    pack: PackOpt = False,
    today: TodayOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Write the joint mission statement (or, with --pack, a two-hour workshop pack)."""
    from policycoord.views.mission import build_mission
    from policycoord.workflows.pipeline import Options, check_with_model

    options = Options(today=parse_today(today))
    model, report = check_with_model(paths or [], partnership=partnership, options=options)
    chosen = formats.choose("mission", fmt, output)
    render = chosen.renderer("mission")
    text = render(build_mission(model, report.findings), pack=pack)
    write(
        text, chosen.name, output, reads=reads_of_a_run(paths, partnership), partnership=partnership
    )
