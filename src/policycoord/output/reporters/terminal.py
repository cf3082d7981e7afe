"""`--format terminal`: findings grouped by organisation, then a summary
and a verdict that says what fails the run and what does not.

    orgs/st-marys-primary.yaml:23:5  error  PC102  St Mary's Primary School has
        no accountable role for ...
        Fix: Decide which of your roles answers for this duty; then record
             that role in ...
        See: orgs/northshire-cs.yaml:40:7

On a terminal (or with `COLUMNS` set, or in colour) lines are wrapped to the
width with hanging indents: a message's further lines under the message, a
Fix's under the Fix. Into a pipe or a file, each finding, Fix and See is
one line, for grep and for CI logs that wrap by themselves.

Every piece of user text goes through `visible()` and into rich `Text`
objects (never markup strings), so `[red]`, ANSI escapes and bidi overrides
in a policy file are shown as written and never obeyed.
"""

from __future__ import annotations

import io
import re
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from policycoord.core.findings import Finding, Report, Severity, causes_first, fails
from policycoord.core.text import listing, visible
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
        soft_wrap=not (options.color or options.wrap),
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


#: where a finding's further lines start: under its message, and under the
#: text of its Fix (after `    Fix: `)
MESSAGE_INDENT = 4
LABEL_INDENT = 9


def _finding_lines(finding: Finding, width: int | None = None) -> list[Text]:
    """A finding's lines: the message, its Fix, its See lines; wrapped to
    `width` with hanging indents, or one line each when `width` is None."""
    where = finding.location
    line = Text()  # the location and code in bold, the message at full strength
    line.append(visible(str(where)), style="bold")
    line.append("  ")
    line.append(finding.severity.value, style=_STYLES[finding.severity])
    line.append(f"  {finding.code}  ", style="bold")
    line.append(visible(finding.message))
    lines = hanging(line, width, MESSAGE_INDENT)
    if finding.suggestion:
        fix = Text().append("    Fix: ", style="bold").append(visible(finding.suggestion))
        lines.extend(hanging(fix, width, LABEL_INDENT))
    for related in finding.related:
        see = Text("    See: ", style="dim").append(visible(str(related)))
        lines.extend(hanging(see, width, LABEL_INDENT))
    return lines


def hanging(text: Text, width: int | None, indent: int) -> list[Text]:
    """`text` wrapped at spaces to `width` terminal cells, every line after
    the first indented by `indent` spaces (a word longer than a line is
    broken); `[text]` itself when `width` is None."""
    if width is None:
        return [text]
    plain = text.plain
    room = max(width - indent, 10)
    lines: list[Text] = []
    start, limit = 0, width
    while start < len(plain):
        if lines:  # a further line starts at a word, under the indent
            while start < len(plain) and plain[start] == " ":
                start += 1
            if start == len(plain):
                break
        end = _line_end(plain, start, limit)
        piece = text[start:end]
        piece.rstrip()
        lines.append(Text(" " * indent).append_text(piece) if lines else piece)
        start, limit = end, room
    return lines or [text]


def _line_end(plain: str, start: int, limit: int) -> int:
    """Where a line that starts at `start` ends: at the last space that
    lets it fit in `limit` cells (not one inside a `code span` such as
    `raci: accountable`, when another will do), or inside a word longer
    than the line."""
    used, space, loose, code = 0, -1, -1, plain.count("`", 0, start) % 2 == 1
    for index in range(start, len(plain)):
        character = plain[index]
        if character == "`":
            code = not code
        elif character == " ":
            loose = index
            if not code:
                space = index
        used += cell_len(character)
        if used > limit:
            if space > start:
                return space
            if loose > start:
                return loose
            return max(index, start + 1)
    return len(plain)


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


def _suppressed(report: Report, width: int | None = None) -> list[Text]:
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
        said = Text(
            visible(
                f"{count} finding{'s' if count != 1 else ''} suppressed: "
                + " and ".join(parts)
                + " (`--format json` lists them)."
            ),
            style="dim",
        )
        lines.extend(hanging(said, width, 0))
    stale = report.stale_baseline
    if stale:
        count = len(stale)
        said = Text(
            visible(
                f"{count} baseline entr{'ies' if count != 1 else 'y'} no longer "
                f"occur{'' if count != 1 else 's'}; write the baseline again with "
                "`policycoord baseline` to shrink it:"
            )
        )
        lines.extend(hanging(said, width, 0))
        for entry in stale:
            owner = f" ({entry.organisation})" if entry.organisation else ""
            shown = Text(visible(f"    {entry.code}{owner}  {entry.message}"), style="dim")
            lines.extend(hanging(shown, width, 8))
    return lines


#: how the verdict counts each severity: one and many
_NOUNS = {
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("note", "notes"),
}


def _counted(counts: dict[Severity, int], severities: list[Severity]) -> tuple[str, bool]:
    """`8 errors and 3 notes`, and whether that is one thing (`fails`) or more (`fail`)."""
    parts = [f"{counts[s]} {_NOUNS[s][counts[s] != 1]}" for s in severities]
    return listing(parts), len(parts) == 1 and counts[severities[0]] == 1


def verdict(report: Report) -> str:
    """What fails this run and what does not, and the level that decides it:
    `8 errors fail this run; 8 warnings and 3 notes do not (--fail-on error).`"""
    if not report.findings:
        if report.suppressed:
            return "No new findings on any of the checks that ran."
        return "No findings on any of the checks that ran."
    counts = dict.fromkeys(_NOUNS, 0)
    for finding in report.findings:
        counts[finding.severity] += 1
    present = [severity for severity in _NOUNS if counts[severity]]
    failing = [severity for severity in present if fails(severity, report.fail_on)]
    passing = [severity for severity in present if severity not in failing]
    level = _level(report)
    if not failing:
        these, one = _counted(counts, passing)
        return f"{these} {'does' if one else 'do'} not fail this run {level}."
    these, one = _counted(counts, failing)
    said = f"{these} {'fails' if one else 'fail'} this run"
    if not passing:
        return f"{said} {level}."
    others, one = _counted(counts, passing)
    return f"{said}; {others} {'does' if one else 'do'} not {level}."


def _level(report: Report) -> str:
    """The level that decides, and who set it: `(--fail-on error)`, or
    `(the partnership's rules.fail_on: warning)` when its file set it."""
    if report.fail_on_by == "partnership":
        return f"(the partnership's rules.fail_on: {report.fail_on})"
    return f"(--fail-on {report.fail_on})"


def _verdict(report: Report) -> Text:
    return Text(verdict(report), style="bold red" if report.failed else "bold")


def render(report: Report, options: RenderOptions) -> str:
    console, buffer = console_for(options)
    width = options.width if options.color or options.wrap else None
    if not options.quiet and report.partnership_name:
        console.print(Text(visible(report.partnership_name), style="bold underline"))
        console.print()
    ordered = sorted(
        causes_first(report.findings), key=lambda f: _group_order(report, f.organisation)
    )
    for organisation, group in groupby(ordered, key=lambda f: f.organisation):
        console.print(Text(visible(_group_title(report, organisation)), style="bold"))
        for finding in group:
            for line in _finding_lines(finding, width):
                console.print(line, soft_wrap=True)  # laid out already
        console.print()
    if not options.quiet:
        console.print(_summary(report))
        for line in _suppressed(report, width):
            console.print(line, soft_wrap=True)
        console.print(_verdict(report))
    # rich pads a wrapped line or a table's title with spaces: none at line ends
    return _TRAILING_SPACES.sub(r"\1", buffer.getvalue())


#: spaces at the end of a line, before the escape codes that end its styles
_TRAILING_SPACES = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
