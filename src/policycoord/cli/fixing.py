"""`check --fix` and `--unsafe-fixes`: apply the findings' fixes to the
files (through policycoord.editing: comments and layout kept, only the fixed
lines changed, never over a file changed meanwhile), say what changed, and
check again. Fixes of one place are applied one per pass, so a pass is
followed by another while the last one changed something (at most
MAX_PASSES); `check` then reports what is left, and its exit status is
that report's."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

from policycoord.core.findings import Report
from policycoord.core.text import visible
from policycoord.editing import Conflict, Failed, FileFixed, Refusal, fix_files, wanted
from policycoord.input.discovery import locate_partnership

MAX_PASSES: Final = 10


def fix_before_check(
    run: Callable[[], Report],
    *,
    paths: list[str],
    partnership: str | None,
    unsafe: bool,
    quiet: bool,
) -> Report:
    """Check, fix what the findings' fixes allow, check again; the last report."""
    root = locate_partnership(paths, partnership=partnership, cwd=Path.cwd()).parent
    report = run()
    applied = 0
    changed: set[str] = set()
    for _ in range(MAX_PASSES):
        fixes = wanted(report.findings, unsafe=unsafe)
        if not fixes:
            break
        results = fix_files(root, fixes)
        done = [r for r in results if r.applied and not _failed(r)]
        if not quiet:
            _tell(results)
        applied += sum(len(r.applied) for r in done)
        changed.update(r.path for r in done)
        if not done:
            break
        report = run()
    if not quiet:
        _summary(applied, len(changed), report, unsafe=unsafe)
    return report


def _failed(result: FileFixed) -> bool:
    return isinstance(result.saved, Conflict | Failed | Refusal)


def _tell(results: list[FileFixed]) -> None:
    """What each file's fixes did, on standard error (the report keeps
    standard output)."""
    for result in results:
        path = visible(result.path)
        if _failed(result):
            reason = getattr(result.saved, "reason", "")
            _say(f"{path}: not fixed: {visible(reason)}")
            continue
        for fix in result.applied:
            _say(f"{path}: fixed: {visible(fix.description)}")


def _summary(applied: int, files: int, report: Report, *, unsafe: bool) -> None:
    left = sum(1 for f in report.findings if f.fix is not None and f.fix.kind == "unsafe")
    line = f"Applied {applied} fix{'es' if applied != 1 else ''} in {files} file"
    line += "s." if files != 1 else "."
    if left and not unsafe:
        line += (
            f" {left} more finding{'s have' if left != 1 else ' has'} a fix that needs a "
            "person's eye: see each one, then use --unsafe-fixes to apply them."
        )
    _say(line)


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
    except UnicodeEncodeError:
        sys.stderr.write(line.encode("ascii", "backslashreplace").decode("ascii") + "\n")
