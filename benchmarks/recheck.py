"""Re-checking one changed file of a large partnership (`serve`, `lsp`).

    python -m benchmarks.recheck [--orgs 1000] [--dir /tmp/pc-1000] [--edits 20] [--verify]

Generates (or reuses) the synthetic partnership of `benchmarks/generate.py`,
copies it to a temporary folder (the edits are made there), and prints:

- the full check (`policycoord.check()` in-process), median of three;
- `Workspace.reread([file])` after a realistic edit written to one
  organisation's file (a timeframe changed, a role retitled, an acronym
  added to a note, a role's hours changed), median over
  `--edits` different files spread across the repository;
- `Workspace.set_text(file, text)` with such an edit as an editor's unsaved
  text, median over the same files;
- each as a ratio of the full check.

With `--verify`, after every edit the workspace's report is compared with a
fresh full check of the same files (not timed); a difference stops the run.
Times on a shared machine are noisy: the medians and ratios are what count.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import TODAY, ensure

#: (what is written, what it becomes): each edit changes what some rule finds
#: or could find, as a person editing a policy would
EDITS: tuple[tuple[str, str], ...] = (
    ("within: 24 hours", "within: 3 days"),
    ("title: Deputy Safeguarding Lead", "title: Deputy Designated Lead"),
    ("notes: The lead", "notes: The DSL (CAMHS liaison) and the lead"),
    ("hours: office}", "hours: 24/7}"),
    ("within: immediately", "within: 2 working days"),
)


def _files(root: Path, count: int) -> list[Path]:
    """`count` organisation files spread across the repository (the county's
    own departments, which everyone hands to, included as they come)."""
    every = sorted((root / "orgs").rglob("*.yaml"))
    step = max(1, len(every) // count)
    return every[::step][:count]


def _edited(text: str, turn: int) -> str:
    for offset in range(len(EDITS)):
        before, after = EDITS[(turn + offset) % len(EDITS)]
        if before in text:
            return text.replace(before, after, 1)
    return text + "\n# edited\n"


def _timed(action: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Seconds `action` took; with `cpu`, its CPU seconds are appended there."""
    started, used = time.perf_counter(), time.process_time()
    action()
    if cpu is not None:
        cpu.append(time.process_time() - used)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args(argv)
    source = args.dir or Path(f"/tmp/pc-{args.orgs}")
    ensure(source, args.orgs)
    with tempfile.TemporaryDirectory(prefix="policycoord-recheck-") as scratch:
        root = Path(scratch) / "repo"
        shutil.copytree(source, root)
        _measure(root, args.edits, verify=args.verify)


def _measure(root: Path, edits: int, *, verify: bool) -> None:
    from policycoord.workflows.pipeline import Options, check
    from policycoord.workflows.workspace import Workspace

    options = Options(today=TODAY)
    full_cpu: list[float] = []
    full = statistics.median(
        _timed(lambda: check(cwd=root, options=options), full_cpu) for _ in range(3)
    )
    workspace = Workspace(root, options=options)
    first = _timed(workspace.check)
    files = _files(root, edits)
    rereads: list[float] = []
    texts: list[float] = []
    cpu: dict[str, list[float]] = {"reread": [], "set_text": []}
    for turn, file in enumerate(files):
        text = file.read_text(encoding="utf-8")
        file.write_text(_edited(text, turn), encoding="utf-8")
        rereads.append(_timed(functools.partial(workspace.reread, [file]), cpu["reread"]))
        if verify:
            _same(workspace, root, options)
            print(f"  {file.relative_to(root)}: reread equals a full check", flush=True)
        unsaved = _edited(file.read_text(encoding="utf-8"), turn + 1)
        texts.append(_timed(functools.partial(workspace.set_text, file, unsaved), cpu["set_text"]))
        if verify:
            _same(workspace, root, options, given=(file, unsaved))
        workspace.set_text(file, None)
    _print(len(workspace.latest().model.organisations), full, first, rereads, texts)
    full_ms = statistics.median(full_cpu) * 1000
    middle = {what: statistics.median(times) * 1000 for what, times in cpu.items()}
    print(
        f"CPU time (less moved by a busy machine): full check {full_ms:.0f} ms, "
        f"reread {middle['reread']:.1f} ms, set_text {middle['set_text']:.1f} ms (medians)"
    )


def _print(
    organisations: int, full: float, first: float, rereads: list[float], texts: list[float]
) -> None:
    reread, set_text = statistics.median(rereads), statistics.median(texts)
    print(f"organisations: {organisations:,}")
    print(f"full check: {full * 1000:.0f} ms (median of 3)")
    print(f"the workspace's first check: {first * 1000:.0f} ms")
    print(
        f"reread one file: {reread * 1000:.1f} ms (median of {len(rereads)} files; "
        f"slowest {max(rereads) * 1000:.0f} ms)"
    )
    print(f"set_text one file: {set_text * 1000:.1f} ms (slowest {max(texts) * 1000:.0f} ms)")
    print(f"ratio reread/full: {reread / full:.3f}; set_text/full: {set_text / full:.3f}")


def _same(
    workspace: object, root: Path, options: object, given: tuple[Path, str] | None = None
) -> None:
    """The workspace's report equals a fresh full check of the same files."""
    from policycoord.workflows.pipeline import Options, check
    from policycoord.workflows.workspace import Workspace

    assert isinstance(workspace, Workspace) and isinstance(options, Options)
    if given is None:
        expected = check(cwd=root, options=options)
    else:
        file, text = given
        saved = file.read_text(encoding="utf-8")
        file.write_text(text, encoding="utf-8")
        try:
            expected = check(cwd=root, options=options)
        finally:
            file.write_text(saved, encoding="utf-8")
    got = workspace.latest().report
    if got != expected:
        fields = [
            f for f in expected.__dataclass_fields__ if getattr(got, f) != getattr(expected, f)
        ]
        extra = set(got.findings) - set(expected.findings)
        missing = set(expected.findings) - set(got.findings)
        raise SystemExit(
            f"the workspace's report differs from a full check ({', '.join(fields)}): "
            f"{len(extra)} findings more ({[f.code for f in extra]}), {len(missing)} fewer "
            f"({[f.code for f in missing]})"
        )


if __name__ == "__main__":
    main()
