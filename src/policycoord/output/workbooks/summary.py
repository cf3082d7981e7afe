"""What `workbook export` and `workbook import` did, in words for the
business manager (the findings themselves are rendered by the report
formats of `check`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from policycoord.core.findings import Finding
from policycoord.core.text import listing, visible
from policycoord.editing.workbook_import import Imported, ImportResult
from policycoord.output.workbooks.export import Exported, NotExported


def export_summary(results: Sequence[Exported | NotExported], folder: str) -> str:
    written = [r for r in results if isinstance(r, Exported)]
    lines = [f"Wrote {_count(len(written), 'workbook')} into {visible(folder)}:"]
    lines += [
        f"  {visible(r.path.name)}"
        + (" (a member with no policy file yet: blank but for its id)" if r.new else "")
        for r in written
    ]
    for result in results:
        if isinstance(result, NotExported):
            lines.append(f"Not exported: {visible(result.organisation)}: {visible(result.reason)}")
    if written:
        lines.append(
            "Send each organisation its own workbook; import the returned ones with "
            "policycoord workbook import."
        )
    return "\n".join(lines) + "\n"


def import_summary(result: ImportResult, *, show_changes: bool) -> str:
    if result.refused:
        lines = ["Nothing was imported and nothing was written:"]
        lines += [f"  {visible(reason)}" for _, reason in result.refused]  # each names its file
        return "\n".join(lines) + "\n"
    lines = [f"Read {_count(len(result.imported), 'workbook')}:"]
    for one in result.imported:
        if not one.file:
            lines.append(
                f"  {visible(one.workbook)}: nothing filled in, so no policy file was made for "
                f"{visible(one.organisation)}"
            )
            continue
        lines.append(f"  {visible(one.workbook)} -> {visible(one.file)}: {_done(one, result)}")
        if one.overwritten:
            lines.append(
                "    replacing what changed in the repository since the export "
                f"({visible(one.overwritten)})"
            )
        if show_changes and not one.unchanged:
            lines += [f"    {visible(line)}" for line in _changed_lines(one)]
    lines += _findings_lines(result.introduced, result.fixed)
    for path, reason in result.failed:
        lines.append(f"Not written: {visible(path)}: {visible(reason)}")
    if result.dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines) + "\n"


def _done(one: Imported, result: ImportResult) -> str:
    lines = one.changed_lines
    if not lines:
        return "no change"
    if one.new:
        made = f"a new policy file of {_count(lines, 'line')}"
        if result.dry_run:
            return f"{made} (not written)"
        return f"{made}, written" if one.file in result.written else f"{made}, not written"
    changed = f"{_count(lines, 'line')} changed"
    if result.dry_run:
        return f"{changed} (not written)"
    return f"{changed}, written" if one.file in result.written else f"{changed}, not written"


def _changed_lines(one: Imported) -> list[str]:
    diff = difflib.unified_diff(
        one.before.splitlines(),
        one.text.splitlines(),
        lineterm="",
        n=0,
    )
    return [line for line in diff if not line.startswith(("---", "+++"))]


def _findings_lines(introduced: Sequence[Finding], fixed: Sequence[Finding]) -> list[str]:
    if not introduced and not fixed:
        return ["The workbooks fix no finding and introduce none."]
    lines = [
        f"The workbooks fix {_count(len(fixed), 'finding')} and introduce {len(introduced):,}:"
    ]
    for word, findings in (("introduces", introduced), ("fixes", fixed)):
        for finding in findings:
            lines.append(
                f"  {word:<10} {visible(str(finding.location))}  {finding.severity.value}  "
                f"{finding.code}  {visible(finding.message)}"
            )
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def exit_status(result: ImportResult) -> int:
    """SPEC's exit statuses for an import: 2 when it could not run (a
    workbook refused, a file not written), 1 when the workbooks introduce a
    finding at or above the fail level, else 0. As for `diff`, findings the
    files already held do not decide it."""
    if result.refused or result.failed:
        return 2
    return 1 if result.failing else 0


def verdict(result: ImportResult, status: int) -> str:
    """The last line: what decided the exit status, in words, and who set
    the level as the terminal report says it (`--fail-on error`, or the
    partnership's `rules.fail_on`)."""
    if result.refused:
        return "Exit status 2: a workbook was refused, so nothing was imported or written."
    if result.failed:
        return "Exit status 2: not every file could be written (see Not written above)."
    report = result.report
    level = report.fail_on if report is not None else "error"
    by_partnership = report is not None and report.fail_on_by == "partnership"
    held = "Findings the files already held do not decide an import's exit status."
    if level == "never":
        who = "the partnership's rules.fail_on: never" if by_partnership else "--fail-on never"
        return f"Exit status 0: with {who}, no finding fails an import. {held}"
    # as the terminal report's verdict says who set the level
    at = (
        f"{level} (the partnership's rules.fail_on: {level})"
        if by_partnership
        else (f"--fail-on {level}")
    )
    if status == 1:
        return (
            f"Exit status 1: the workbooks introduce {_severities(result.failing)} at or above "
            f"{at}. {held}"
        )
    return f"Exit status 0: the workbooks introduce no finding at or above {at}. {held}"


def _severities(findings: Sequence[Finding]) -> str:
    """`2 errors and 1 warning`."""
    nouns = {"error": "error", "warning": "warning", "info": "note"}
    counts = {severity: sum(f.severity.value == severity for f in findings) for severity in nouns}
    return listing(
        f"{count} {nouns[severity]}{'' if count == 1 else 's'}"
        for severity, count in counts.items()
        if count
    )
