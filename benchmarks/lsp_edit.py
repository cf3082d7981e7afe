"""How soon `policycoord lsp` publishes an edit's diagnostics, on a
1,000-organisation partnership (benchmarks/generate.py).

Driven as an editor drives it: `python -m policycoord lsp` in a subprocess,
JSON-RPC over its standard input and output (tests/lsp/client.py). One
policy file is opened; then, EDITS times, its first step to the county's
MASH is pointed at a role the council does not have (and back again), and
the time from sending didChange to receiving the publishDiagnostics that
shows the change (a PC201 appears, or goes) is measured on this side of
the pipe: JSON encoding, the server's incremental re-read of that one file,
the re-check of the whole partnership, and the diagnostics' encoding are
all inside it. For comparison it also prints the time of the re-check alone
in-process (Workspace.set_text), which is what the server waits for.

    PYTHONPATH=src python benchmarks/lsp_edit.py [ORGS] [EDITS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import ensure  # noqa: E402
from tests.lsp.client import Client  # noqa: E402


def _file(repo: Path) -> str:
    for path in sorted(repo.glob("orgs/**/*.yaml")):
        if "      - to: county-cs/mash\n" in path.read_text(encoding="utf-8"):
            return path.relative_to(repo).as_posix()
    raise SystemExit("no policy file escalates to county-cs/mash")


def _has_pc201(diagnostics: list[dict]) -> bool:
    return any(d["code"] == "PC201" for d in diagnostics)


def over_stdio(repo: Path, relative: str, edits: int) -> list[float]:
    client = Client(repo)
    client.initialize()
    text = (repo / relative).read_text(encoding="utf-8")
    started = time.monotonic()
    client.open(relative, text)
    mark, found = client.diagnostics(relative, timeout=600)
    print(f"first diagnostics (the first check of everything): {time.monotonic() - started:.2f} s")
    assert not _has_pc201(found)
    broken = text.replace("to: county-cs/mash\n", "to: county-cs/front-door\n", 1)
    times = []
    for number in range(edits):
        wrong = number % 2 == 0
        sent = time.monotonic()
        client.change(relative, broken if wrong else text, version=number + 2)
        mark, found = client.diagnostics(
            relative, after=mark, timeout=60, where=lambda d, w=wrong: _has_pc201(d) == w
        )
        times.append(time.monotonic() - sent)
    client.close()
    return times


def in_process(repo: Path, relative: str, edits: int) -> list[float]:
    sys.path.insert(0, str(ROOT / "src"))
    from policycoord.workflows.workspace import Workspace

    workspace = Workspace(repo)
    workspace.check()
    text = (repo / relative).read_text(encoding="utf-8")
    broken = text.replace("to: county-cs/mash\n", "to: county-cs/front-door\n", 1)
    times = []
    for number in range(edits):
        started = time.monotonic()
        workspace.set_text(repo / relative, broken if number % 2 == 0 else text)
        times.append(time.monotonic() - started)
    return times


def _say(what: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"{what}: median {statistics.median(times) * 1000:.0f} ms, "
        f"90th percentile {p90 * 1000:.0f} ms, fastest {ordered[0] * 1000:.0f} ms, "
        f"slowest {ordered[-1] * 1000:.0f} ms ({len(times)} edits)"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="How soon policycoord lsp publishes an edit's diagnostics "
        "(over stdio, and the re-check alone in-process).",
    )
    parser.add_argument("orgs", nargs="?", type=int, default=1000, help="organisations (1000)")
    parser.add_argument("edits", nargs="?", type=int, default=20, help="edits timed (20)")
    arguments = parser.parse_args()
    orgs, edits = arguments.orgs, arguments.edits
    repo = Path(f"/tmp/pc-{orgs}")
    ensure(repo, orgs)
    relative = _file(repo)
    print(f"{orgs} organisations; editing {relative}")
    _say("didChange -> publishDiagnostics, over stdio", over_stdio(repo, relative, edits))
    _say("the re-check alone, in-process (Workspace.set_text)", in_process(repo, relative, edits))


if __name__ == "__main__":
    main()
