"""`policycoord diff` in each format: terminal, markdown (a pull-request
comment), json.

Pure renderers, `render(diff, options) -> str`, registered in
`policycoord.output.formats`, which also feeds `diff --format`. They format
what `diffing.diff` decided; deterministic (no clock, no hash order). User
text goes through the same guards as the check reports: `core.text.visible`
into rich `Text` (never markup) for the terminal, `markdown_text`
for Markdown, and JSON's own escaping (`json_report.dumps`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import Finding, Severity, fails
from policycoord.core.text import visible
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters import json_report
from policycoord.output.reporters.markdown_text import (
    BUDGET,
    FINDINGS_HEADER,
    NAME_LIMIT,
    finding_row,
    markdown_message,
    markdown_text,
    size,
)
from policycoord.output.reporters.terminal import console_for

if TYPE_CHECKING:  # types only: rendering loads no more than it needs
    from rich.console import Console

    from policycoord.views.meaning import Change
    from policycoord.workflows.diffing import DiffReport, Side


#: headings of the meaning changes, by kind, in report order
KIND_TITLES = {
    "organisation": "Organisations",
    "owner": "Who owns each duty",
    "timeframe": "Timeframes",
    "escalation": "Escalation targets",
}
#: how each direction is marked in text (the word always says it; no colour needed)
DIRECTION_WORDS = {
    "added": "added",
    "removed": "removed",
    "changed": "changed",
    "longer": "longer",
    "shorter": "shorter",
}
_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _side_label(side: Side) -> str:
    if side.commit is None:
        return side.label
    short = side.commit[:12]
    return side.label if side.label == short else f"{side.label} ({short})"


def _failing(diff: DiffReport) -> int:
    return sum(fails(f.severity, diff.fail_on) for f in diff.introduced)


def _verdict_words(diff: DiffReport) -> str:
    added = len(diff.introduced)
    fixed = len(diff.resolved)
    noun = "finding" if added == 1 else "findings"
    resolved = f"; it resolves {fixed:,} finding{'s' if fixed != 1 else ''}" if fixed else ""
    if diff.fail_on == "never":
        level = "nothing fails this run (--fail-on never)"
    else:
        level = f"a change fails when it adds a finding of severity {diff.fail_on} or above"
    if diff.failed:
        return (
            f"Failed: this change adds {added:,} {noun}, {_failing(diff):,} at or above the fail "
            f"level{resolved}; {level}."
        )
    if added:
        return (
            f"Passed: this change adds {added:,} {noun}, all below the fail level{resolved}; "
            f"{level}."
        )
    return f"Passed: this change adds no findings{resolved}; {level}."


def _counts(diff: DiffReport) -> list[tuple[str, int, int]]:
    base, head = diff.base, diff.head
    return [
        ("errors", base.errors, head.errors),
        ("warnings", base.warnings, head.warnings),
        ("info", base.infos, head.infos),
        ("organisations", base.organisations, head.organisations),
    ]


def _delta(before: int, after: int) -> str:
    change = after - before
    return f"{change:+,}" if change else "0"


def _notes(diff: DiffReport) -> list[str]:
    """What the reader must know to trust the comparison."""
    notes = []
    for side in (diff.base, diff.head):
        if not side.has_partnership:
            notes.append(f"{_side_label(side)} has no partnership file: nothing to check there.")
        elif side.problem is not None:
            notes.append(
                f"{_side_label(side)} could not be checked ({side.problem.rstrip('.')}), so "
                "every finding of the other side counts as new."
            )
    if diff.unreadable:
        files = ", ".join(diff.unreadable)
        notes.append(
            f"Not read in {_side_label(diff.head)}: {files}. Their findings in "
            f"{_side_label(diff.base)} are not counted as resolved"
            + (f" ({diff.unjudged:,} left out)." if diff.unjudged else ".")
        )
    return notes


# --- terminal -----------------------------------------------------------------------------------


def render_terminal(diff: DiffReport, options: RenderOptions) -> str:
    console, buffer = console_for(options)
    if not options.quiet and diff.partnership_name:
        console.print(Text(visible(diff.partnership_name), style="bold underline"))
    console.print(
        Text(visible(f"Comparing {_side_label(diff.base)} with {_side_label(diff.head)}."))
    )
    for note in _notes(diff):
        console.print(Text(visible(note), style="bold"))
    console.print()
    _terminal_findings(console, f"Introduced ({len(diff.introduced):,})", diff.introduced)
    _terminal_findings(console, f"Resolved ({len(diff.resolved):,})", diff.resolved)
    if diff.changes:
        console.print(Text(f"What changed in meaning ({len(diff.changes):,})", style="bold"))
        for change in diff.changes:
            line = Text(f"  {DIRECTION_WORDS[change.direction]:<8} ", style="bold")
            line.append(visible(change.message))
            console.print(line)
            where = change.location
            place = str(where)
            suffix = " (in the base revision)" if change.in_base else ""
            console.print(Text(visible(f"           {place}{suffix}"), style="dim"))
        console.print()
    if not options.quiet:
        table = Table(title="Summary", title_justify="left", expand=False)
        table.add_column("")
        table.add_column(visible(_side_label(diff.base)), justify="right")
        table.add_column(visible(_side_label(diff.head)), justify="right")
        table.add_column("change", justify="right")
        for name, before, after in _counts(diff):
            table.add_row(name, f"{before:,}", f"{after:,}", _delta(before, after))
        console.print(table)
    console.print(Text(_verdict_words(diff), style="bold red" if diff.failed else ""))
    return buffer.getvalue()


def _terminal_findings(console: Console, title: str, findings: Sequence[Finding]) -> None:
    if not findings:
        return
    console.print(Text(title, style="bold"))
    for finding in findings:
        where = finding.location
        line = Text()  # as `check`: the place and code in bold, the message and Fix plain
        line.append(visible(f"  {where}"), style="bold")
        line.append("  ")
        line.append(finding.severity.value, style=_STYLES[finding.severity])
        line.append(f"  {finding.code}  ", style="bold")
        line.append(visible(finding.message))
        console.print(line)
        if finding.suggestion:
            fix = Text().append("      Fix: ", style="bold")
            console.print(fix.append(visible(finding.suggestion)))
    console.print()


# --- markdown -----------------------------------------------------------------------------------

#: rows per list tried, most first, until the comment fits GitHub's limit
_ROW_LIMITS = (None, 200, 100, 50, 20, 10, 5, 0)
FULL_DIFF = "policycoord diff --format json"


def render_markdown(diff: DiffReport, options: RenderOptions) -> str:
    """A pull-request comment: verdict, counts, introduced, resolved, changes
    in meaning. Cut to fit a GitHub comment (`BUDGET`), keeping the
    introduced findings longest and saying what was left out."""
    for limit in _ROW_LIMITS:
        text = _markdown_document(diff, limit)
        if size(text) <= BUDGET:
            return text
    return text


def _markdown_document(diff: DiffReport, limit: int | None) -> str:
    name = diff.partnership_name or diff.partnership
    title = markdown_text(name, limit=NAME_LIMIT) if name else "Policies"
    mark = "❌" if diff.failed else "✅"
    lines = [
        f"## {title}: what this change does",
        "",
        f"**{mark} {markdown_text(_verdict_words(diff))}**",
        "",
        "Comparing "
        + markdown_text(_side_label(diff.base), limit=NAME_LIMIT)
        + " with "
        + markdown_text(_side_label(diff.head), limit=NAME_LIMIT)
        + ".",
        "",
    ]
    for note in _notes(diff):
        lines += [f"**Note:** {markdown_text(note)}", ""]
    base = markdown_text(_side_label(diff.base), limit=NAME_LIMIT)
    head = markdown_text(_side_label(diff.head), limit=NAME_LIMIT)
    lines += [f"| | {base} | {head} | Change |", "|---|---:|---:|---:|"]
    lines += [
        f"| {name.capitalize()} | {before:,} | {after:,} | {_delta(before, after)} |"
        for name, before, after in _counts(diff)
    ]
    cut = 2 * limit if limit is not None else None  # introduced findings are kept longest
    lines += _markdown_findings("Introduced", diff.introduced, diff, cut)
    lines += _markdown_findings("Resolved", diff.resolved, diff, limit)
    lines += _markdown_changes(diff.changes, limit)
    return "\n".join(lines) + "\n"


def _left_out(count: int) -> list[str]:
    if count <= 0:
        return []
    return ["", f"{count:,} more not shown here: `{FULL_DIFF}` lists everything."]


def _markdown_findings(
    title: str, findings: Sequence[Finding], diff: DiffReport, limit: int | None
) -> list[str]:
    if not findings:
        return []
    kept = list(
        findings if limit is None else sorted(findings, key=lambda f: -f.severity.rank)[:limit]
    )
    lines = ["", f"### {title} ({len(findings):,})", ""]
    if kept:
        lines += list(FINDINGS_HEADER)
        lines += [finding_row(f, diff.organisation_names) for f in kept]
    return lines + _left_out(len(findings) - len(kept))


def _markdown_changes(changes: Sequence[Change], limit: int | None) -> list[str]:
    if not changes:
        return []
    lines = ["", f"### What changed in meaning ({len(changes):,})"]
    shown = 0
    for kind, title in KIND_TITLES.items():
        of_kind = [c for c in changes if c.kind == kind]
        if not of_kind:
            continue
        room = None if limit is None else max(0, limit - shown)
        kept = of_kind if room is None else of_kind[:room]
        shown += len(kept)
        lines += ["", f"#### {title} ({len(of_kind):,})", ""]
        for change in kept:
            where = markdown_text(change.location.short, limit=NAME_LIMIT)
            base = " in the base" if change.in_base else ""
            lines.append(
                f"- **{DIRECTION_WORDS[change.direction]}**: "
                f"{markdown_message(change.message, cell=False)} ({where}{base})"
            )
        lines += _left_out(len(of_kind) - len(kept))
    return lines


# --- json ---------------------------------------------------------------------------------------


def _side_json(side: Side) -> dict[str, object]:
    return {
        "revision": side.label,
        "commit": side.commit,
        "has_partnership": side.has_partnership,
        "problem": side.problem,
        "summary": {
            "organisations": side.organisations,
            "error": side.errors,
            "warning": side.warnings,
            "info": side.infos,
        },
    }


def _change_json(change: Change) -> dict[str, object]:
    where = change.location
    return {
        "kind": change.kind,
        "direction": change.direction,
        "organisation": change.organisation,
        "subject": change.subject,
        "message": change.message,
        "before": change.before,
        "after": change.after,
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "pointer": where.pointer,
        "in_base": change.in_base,
    }


def render_json(diff: DiffReport, options: RenderOptions) -> str:
    return json_report.dumps(
        {
            "version": 1,
            "tool": {"name": TOOL_NAME, "version": diff.tool_version},
            "partnership": diff.partnership,
            "base": _side_json(diff.base),
            "head": _side_json(diff.head),
            "fail_on": diff.fail_on,
            "failed": diff.failed,
            "introduced": [json_report.finding_record(f) for f in diff.introduced],
            "resolved": [json_report.finding_record(f) for f in diff.resolved],
            "changes": [_change_json(c) for c in diff.changes],
            "unreadable": list(diff.unreadable),
            "unjudged": diff.unjudged,
        }
    )
