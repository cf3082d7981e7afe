"""`check --fix` and `--unsafe-fixes`: the findings' fixes applied to the
files by the library (editing.fix_until_stable: through the editing stage,
comments and layout kept, never over a file changed meanwhile, checking
again while a pass changed something); here only what changed is said, on
standard error (the report keeps standard output). `check` then reports
the last check's findings, and its exit status is that report's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from policycoord.core.findings import Report
from policycoord.core.text import visible
from policycoord.editing import FileFixed, FixRun, fix_until_stable, saved_well
from policycoord.input.discovery import locate_partnership


def fix_before_check(
    run: Callable[[], Report],
    *,
    paths: list[str],
    partnership: str | None,
    unsafe: bool,
    quiet: bool,
) -> Report:
    """Check, fix, check again until nothing more applies; the last report."""
    root = locate_partnership(paths, partnership=partnership, cwd=Path.cwd()).parent
    done = fix_until_stable(run, root, unsafe=unsafe, each_pass=None if quiet else _tell)
    if not quiet:
        _summary(done, unsafe=unsafe)
    return done.report


def _tell(results: Sequence[FileFixed]) -> None:
    """What each file's fixes did."""
    for result in results:
        path = visible(result.path)
        if not saved_well(result):
            reason = getattr(result.saved, "reason", "")
            _say(f"{path}: not fixed: {visible(reason)}")
            continue
        for fix in result.applied:
            # the fix's description is what to do; done, it is said so
            _say(f"{path}: {visible(fix.description)} Done.")


def _summary(done: FixRun, *, unsafe: bool) -> None:
    applied, files, left = done.applied, len(done.changed), done.unsafe_left
    line = f"Applied {applied} fix{'es' if applied != 1 else ''} in {files} file"
    line += "s." if files != 1 else "."
    if left and not unsafe:
        line += (
            f" {left} more finding{'s have' if left != 1 else ' has'} a fix that needs a "
            "person's eye: see each one, then use --unsafe-fixes to apply them."
        )
    _say(line)


def _say(line: str) -> None:
    from policycoord.cli.stdout import write_stderr

    write_stderr(line + "\n")
