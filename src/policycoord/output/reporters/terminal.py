"""`--format terminal`: findings grouped by organisation, then a summary.

    orgs/st-marys-primary.yaml:23:5  error  PC102  St Mary's Primary School ...
        Fix: ...
        See: orgs/northshire-cs.yaml:40:7

Every piece of user text goes through `visible()` and into rich `Text`
objects (never markup strings), so `[red]`, ANSI escapes and bidi overrides
in a policy file are shown as written and never obeyed.
"""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from policycoord.core.findings import Finding, Report, Severity
from policycoord.core.text import visible
from policycoord.output.formats import RenderOptions

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
PARTNERSHIP_WIDE = "Partnership-wide, and files whose organisation is not known"


def console_for(options: RenderOptions, *, width: int | None = None) -> tuple[Console, io.StringIO]:
    """A console that writes into a buffer, as every terminal report is
    rendered (no markup, emoji or highlighting read from policy text)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
        soft_wrap=not options.color,
    )
    return console, buffer


def _group_title(report: Report, organisation: str | None) -> str:
    if organisation is None:
        return PARTNERSHIP_WIDE
    name = report.organisation_names.get(organisation)
    return f"{name} ({organisation})" if name else organisation


def _group_order(report: Report, organisation: str | None) -> tuple[int, str]:
    if organisation is None:
        return (0, "")
    return (1, _group_title(report, organisation).casefold())


def _finding_lines(finding: Finding) -> list[Text]:
    where = finding.location
    line = Text(visible(f"{where.path}:{where.line}:{where.column}"), style="bold")
    line.append("  ")
    line.append(finding.severity.value, style=_STYLES[finding.severity])
    line.append(f"  {finding.code}  ", style="bold")
    line.append(visible(finding.message))
    lines = [line]
    if finding.suggestion:
        lines.append(Text("    Fix: ", style="dim").append(visible(finding.suggestion)))
    for related in finding.related:
        lines.append(
            Text("    See: ", style="dim").append(
                visible(f"{related.path}:{related.line}:{related.column}")
            )
        )
    return lines


def _summary(report: Report) -> Table:
    summary = report.summary
    table = Table(title="Summary", title_justify="left", show_edge=True, expand=False)
    table.add_column("", style="bold")
    table.add_column("count", justify="right")
    table.add_row("files read", str(summary.files))
    table.add_row("organisations", str(summary.organisations))
    table.add_row(Text("errors", style=_STYLES[Severity.ERROR]), str(summary.error))
    table.add_row(Text("warnings", style=_STYLES[Severity.WARNING]), str(summary.warning))
    table.add_row(Text("info", style=_STYLES[Severity.INFO]), str(summary.info))
    table.add_row("suppressed", str(summary.suppressed))
    return table


def _suppressed(report: Report) -> list[Text]:
    """What was found but not reported, and baseline entries that are gone."""
    lines: list[Text] = []
    waived = sum(1 for s in report.suppressed if s.waiver is not None)
    baselined = len(report.suppressed) - waived
    if report.suppressed:
        parts = []
        if waived:
            parts.append(f"{waived} by waivers in the partnership file")
        if baselined:
            parts.append(f"{baselined} by the baseline {report.baseline or ''}".rstrip())
        count = len(report.suppressed)
        lines.append(
            Text(
                visible(
                    f"{count} finding{'s' if count != 1 else ''} suppressed: "
                    + " and ".join(parts)
                    + " (`--format json` lists them)."
                ),
                style="dim",
            )
        )
    stale = report.stale_baseline
    if stale:
        count = len(stale)
        lines.append(
            Text(
                visible(
                    f"{count} baseline entr{'ies' if count != 1 else 'y'} no longer "
                    f"occur{'' if count != 1 else 's'}; write the baseline again with "
                    "`policycoord baseline` to shrink it:"
                )
            )
        )
        for entry in stale:
            owner = f" ({entry.organisation})" if entry.organisation else ""
            lines.append(Text(visible(f"    {entry.code}{owner}  {entry.message}"), style="dim"))
    return lines


def _verdict(report: Report) -> Text:
    total = len(report.findings)
    if report.fail_on == "never":
        rule = "nothing fails this run (--fail-on never)"
    else:
        rule = f"a run fails on a finding of severity {report.fail_on} or above"
    if report.failed:
        return Text(f"Failed: {total} finding(s); {rule}.", style="bold red")
    if total:
        return Text(f"Passed with {total} finding(s) below the fail level; {rule}.")
    if report.suppressed:
        return Text("No new findings on any of the checks that ran.")
    return Text("No findings on any of the checks that ran.")


def render(report: Report, options: RenderOptions) -> str:
    console, buffer = console_for(options)
    if not options.quiet and report.partnership_name:
        console.print(Text(visible(report.partnership_name), style="bold underline"))
        console.print()
    ordered = sorted(report.findings, key=lambda f: _group_order(report, f.organisation))
    for organisation, group in groupby(ordered, key=lambda f: f.organisation):
        console.print(Text(visible(_group_title(report, organisation)), style="bold"))
        for finding in group:
            for line in _finding_lines(finding):
                console.print(line)
        console.print()
    if not options.quiet:
        console.print(_summary(report))
        for line in _suppressed(report):
            console.print(line)
        console.print(_verdict(report))
    return buffer.getvalue()
