"""`--format github`: GitHub Actions workflow commands, one per finding.

    ::error file=orgs/st-marys-primary.yaml,line=23,col=1,title=PC102 duty-not-covered::St ...

`error`, `warning` and `notice` for the severities error, warning and info;
then one summary line, which is not a command. Findings that a waiver or the
baseline accepted are not annotated: the summary line counts them.

The runner reads a command per line and splits it at `::` and `,`, so user
text is escaped as it expects (the escapes of `@actions/core`): in the
message `%` -> `%25`, CR -> `%0D`, LF -> `%0A`; in a property value also
`:` -> `%3A` and `,` -> `%2C`. A name holding `\\n::error::` therefore stays
inside its own annotation and cannot start a command. Other controls,
invisible characters and line separators (which the log viewer would obey:
it renders ANSI colours) are shown as `\\xNN` / `<U+XXXX>` by `shown()`.

GitHub reads a `file` against the root of the repository, so each path is
the report's path (relative to the folder of partnership.yaml) with that
folder's path in the repository in front (`RenderOptions.repository_prefix`,
found by the run): the annotations land on the files wherever
partnership.yaml sits. Outside a git repository the paths are as the other
formats show them.
"""

# No `from __future__ import annotations` here: this module defines a
# function of that name (the terminal reporter calls `github.annotations`),
# and the annotations below need no postponing on Python 3.11.
import re
from typing import Final

from policycoord.core.findings import Finding, Report, Severity
from policycoord.core.text import shown
from policycoord.output.formats import RenderOptions, repository_path

COMMANDS: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

_NOT_A_LINE_BREAK: Final = re.compile(r"[^\r\n]+")


def escape_data(text: str) -> str:
    """A command's message: shown, then `%`, CR and LF percent-encoded."""
    text = _NOT_A_LINE_BREAK.sub(lambda m: shown(m.group()), text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as data, and `:` and `,` percent-encoded."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, prefix: str | None = None) -> str:
    """One finding as one workflow command line (without its line break);
    `prefix` is `RenderOptions.repository_prefix`."""
    where = finding.location
    path = repository_path(where.path, prefix)
    properties = ",".join(
        (
            f"file={escape_property(path)}",
            f"line={where.line}",
            f"col={where.column}",
            f"title={escape_property(f'{finding.code} {finding.name}')}",
        )
    )
    message = f"{where.cell}: {finding.message}" if where.cell else finding.message
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def annotations(report: Report, prefix: str | None = None) -> str:
    """Every finding as a workflow command, one per line (each ending in a
    line break); empty when there is nothing to report. `check` writes these
    beside the terminal report under GitHub Actions. `prefix` is
    `RenderOptions.repository_prefix`."""
    return "".join(f"{annotation(finding, prefix)}\n" for finding in report.findings)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary_line(report: Report) -> str:
    """The closing line: the counts and whether the run fails. Never a
    command: it starts with `policycoord:`."""
    summary = report.summary
    counts = ", ".join(
        (
            _count(summary.error, "error", "errors"),
            _count(summary.warning, "warning", "warnings"),
            _count(summary.info, "info", "info"),
        )
    )
    accepted = f"; {summary.suppressed} accepted by waivers or the baseline"
    verdict = "failed" if report.failed else "passed"
    if report.fail_on == "never":
        rule = "nothing fails a run with --fail-on never"
    else:
        rule = f"a run fails on {report.fail_on} or above"
    return f"policycoord: {counts}{accepted if summary.suppressed else ''}; {verdict} ({rule}).\n"


def render(report: Report, options: RenderOptions) -> str:
    """The annotations, then (unless quiet) the summary line."""
    text = annotations(report, options.repository_prefix)
    return text + ("" if options.quiet else summary_line(report))
