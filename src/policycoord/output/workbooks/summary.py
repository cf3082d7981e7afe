"""What `workbook export` and `workbook import` did, in words for the
business manager (the findings themselves are rendered by the report
formats of `check`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from policycoord.core.findings import Finding
from policycoord.core.text import visible
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
