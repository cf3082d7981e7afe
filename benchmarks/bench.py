"""Country scale: `policycoord check` against merely parsing the same files.

    python -m benchmarks.bench --orgs 20000 [--jobs 2] [--dir /tmp/pc-20000]

Generates (or reuses) the synthetic partnership of `benchmarks/generate.py`
and prints, from one run, each figure measured in a fresh process (so that
one measurement's heap, caches and imports cannot help or hurt the next):

- the floor: read every file `check` reads and `yaml.load` it with PyYAML's
  C loader (`yaml.CLoader`), keeping every document, in one process, with
  Python's defaults (the cyclic garbage collector on);
- `check` in-process on one core (`jobs=1`), and with J worker processes;
- the command line end to end (`policycoord check DIR`, start-up included);
- the peak memory (`ru_maxrss`) of each, the floor's with every document kept;
- each time and peak as a ratio of the floor's;
- the time per organisation at N and at N/10 (is it linear?);
- the variant with a 1,000-organisation escalation cycle (and the 1,000-term
  shared glossary every repository has): floor, check, ratio;
- the variant where every organisation's prose texts differ (the generated
  texts come from a few dozen sentences, and the jargon rules read each
  different text once): floor, check, ratio;
- `policycoord validate one-file.yaml` (the pre-commit path) against
  `python -c "import yaml"`, best of five each;
- check-jsonschema's schema-only pass on the same files, when it is
  installed (a benchmark-only tool: never a dependency of policycoord).

The last line is `ratio check/parse: X.XX` (one core, in-process). Times on
a shared machine are noisy: the ratios, measured in the same run, are what
count; `--repeat R` keeps the best of R runs of each measurement, the
measurements taking turns.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import TODAY, ensure

PROJECT_ROOT = Path(__file__).resolve().parents[1]


# -- what a fresh process measures ----------------------------------------------


def _files(root: Path) -> list[Path]:
    """The files `check` reads: the partnership file and every policy file."""
    return [root / "partnership.yaml", *sorted((root / "orgs").rglob("*.yaml"))]


def _peak_mb(who: int) -> float:
    import resource

    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for."""
    import resource

    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_floor(root: Path) -> dict[str, Any]:
    import resource

    import yaml

    files = _files(root)
    cpu = _cpu()
    started = time.perf_counter()
    documents = [yaml.load(file.read_bytes(), Loader=yaml.CLoader) for file in files]
    seconds = time.perf_counter() - started
    peak = _peak_mb(resource.RUSAGE_SELF)
    assert len(documents) == len(files)
    return {"seconds": seconds, "cpu": _cpu() - cpu, "peak": peak, "files": len(files)}


def measure_check(root: Path, jobs: int) -> dict[str, Any]:
    import dataclasses
    import resource

    from policycoord.workflows.pipeline import Options, check

    known = {field.name for field in dataclasses.fields(Options)}
    options = Options(today=TODAY, **({"jobs": jobs} if "jobs" in known else {}))
    cpu = _cpu()
    started = time.perf_counter()
    report = check([str(root)], options=options)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu,
        "peak": _peak_mb(resource.RUSAGE_SELF),
        "workers_peak": _peak_mb(resource.RUSAGE_CHILDREN),
        "findings": len(report.findings),
        "organisations": report.summary.organisations,
    }


MEASURES: dict[str, Callable[[Path, int], dict[str, Any]]] = {
    "floor": lambda root, _: measure_floor(root),
    "check": measure_check,
}


def rounds(runs: list[tuple[str, Path, int]], repeat: int) -> list[dict[str, Any]]:
    """Each (kind, repository, jobs) measured `repeat` times, taking turns
    (a machine whose load changes during the run treats them alike), best
    of each."""
    best: list[dict[str, Any] | None] = [None] * len(runs)
    for _ in range(repeat):
        for index, (kind, root, jobs) in enumerate(runs):
            result = fresh(kind, root, jobs)
            so_far = best[index]
            if so_far is None or result["seconds"] < so_far["seconds"]:
                best[index] = result
    return [result for result in best if result is not None]


def fresh(kind: str, root: Path, jobs: int = 1, repeat: int = 1) -> dict[str, Any]:
    """`kind` measured in a new Python process, best of `repeat`."""
    best: dict[str, Any] | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench", "--measure", kind, "--dir", str(root),
             "--jobs", str(jobs)],
            cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    assert best is not None
    return best


def _command() -> list[str]:
    script = Path(sys.executable).with_name("policycoord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "policycoord"]


def timed_command(args: list[str], repeat: int, *, warm: bool = False) -> tuple[float, float]:
    """Best wall time of a command, and the peak memory of its largest
    process; `warm`: after one run that is not timed."""
    import resource

    # As installed: `pip install` compiles the bytecode, and a first run
    # writes what it did not. PYTHONDONTWRITEBYTECODE (set in some shells and
    # containers) would time compiling the source on every run instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if warm:
        subprocess.run(args, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, check=False, env=env)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, check=False, env=env)
        best = min(best, time.perf_counter() - started)
    return best, _peak_mb(resource.RUSAGE_CHILDREN)


# -- the report ------------------------------------------------------------------


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on this platform
        return "unknown"


def line(label: str, text: str) -> None:
    print(f"{label:<34}{text}", flush=True)


def check_jsonschema(root: Path) -> float | None:
    tool = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    if not Path(tool).exists():
        return None
    files = [str(f) for f in _files(root)[1:]]
    schema = str(PROJECT_ROOT / "schemas" / "policy.schema.json")
    started = time.perf_counter()
    for start in range(0, len(files), 4000):  # below the command line's length limit
        subprocess.run(
            [tool, "--schemafile", schema, *files[start : start + 4000]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> None:
    count, jobs, repeat = args.orgs, args.jobs, args.repeat
    root = args.dir or Path(f"/tmp/policycoord-country-{count}")
    line("load average before", load_average())
    ensure(root, count, seed=args.seed)
    sizes = [f.stat().st_size for f in _files(root)[1:]]
    line(
        "repository",
        f"{root}: {len(sizes):,} organisation files, {sum(sizes) / len(sizes) / 1024:.1f} KB "
        "on average, and partnership.yaml",
    )

    floor, one, many = rounds(
        [("floor", root, 1), ("check", root, 1), ("check", root, jobs)], repeat
    )
    cli, cli_peak = timed_command(
        [*_command(), "check", str(root), "--today", TODAY.isoformat(), "--jobs", str(jobs)],
        repeat,
    )
    f_s, f_mb = floor["seconds"], floor["peak"]
    line(
        "floor: read + CLoader",
        f"{f_s:7.2f} s  {f_s / count * 1000:6.3f} ms/org  peak {f_mb:6.0f} MB  "
        f"(cpu {floor['cpu']:.2f} s)",
    )
    runs = (("check, in-process, 1 core", one), (f"check, in-process, {jobs} workers", many))
    for label, result in runs:
        s, mb = result["seconds"], result["peak"]
        workers = (
            f" (+ largest worker {result['workers_peak']:.0f} MB, shared pages too)"
            if result is many
            else ""
        )
        line(
            label,
            f"{s:7.2f} s  {s / f_s:5.2f}x floor  peak {mb:6.0f} MB = {mb / f_mb:4.2f}x floor's"
            + workers
            + f"  (cpu {result['cpu']:.2f} s)",
        )
    line(
        f"check, command line, {jobs} workers",
        f"{cli:7.2f} s  {cli / f_s:5.2f}x floor  (largest process {cli_peak:.0f} MB)",
    )
    line("findings", f"{one['findings']:,} ({one['organisations']:,} organisations)")
    assert one["findings"] == many["findings"], "the worker run found something else"

    if not args.no_linearity and count >= 1000:
        small_root = Path(f"{root}-tenth")
        ensure(small_root, count // 10, seed=args.seed)
        small_floor, small = rounds([("floor", small_root, 1), ("check", small_root, 1)], repeat)
        per_small = small["seconds"] / (count // 10) * 1000
        floor_small = small_floor["seconds"] / (count // 10) * 1000
        per_large = one["seconds"] / count * 1000
        line(
            f"per organisation, N={count // 10:,}",
            f"{per_small:6.3f} ms (check, 1 core; the floor {floor_small:.3f} ms)",
        )
        line(
            f"per organisation, N={count:,}",
            f"{per_large:6.3f} ms  = {per_large / per_small:.2f}x N/10's (linear: 1.00)",
        )

    if not args.no_variant:
        variants = (
            ("cycle of 1,000 + 1,000 terms", "cycle", {"cycle": min(1000, count // 2)}),
            ("every prose text different", "distinct", {"distinct": True}),
        )
        for label, suffix, shape in variants:
            variant_root = Path(f"{root}-{suffix}")
            ensure(variant_root, count, seed=args.seed, **shape)
            v_floor, v_one, v_many = rounds(
                [
                    ("floor", variant_root, 1),
                    ("check", variant_root, 1),
                    ("check", variant_root, jobs),
                ],
                repeat,
            )
            v_s = v_floor["seconds"]
            line(
                label,
                f"floor {v_s:.2f} s; check 1 core {v_one['seconds'] / v_s:.2f}x, {jobs} workers "
                f"{v_many['seconds'] / v_s:.2f}x; peak {v_one['peak'] / v_floor['peak']:.2f}x "
                "floor's",
            )

    one_file = next((root / "orgs").rglob("*.yaml"))
    validate, _ = timed_command([*_command(), "validate", str(one_file)], 5, warm=True)
    import_yaml, _ = timed_command([sys.executable, "-c", "import yaml"], 5, warm=True)
    line(
        "validate one file",
        f'{validate * 1000:5.0f} ms  = {validate / import_yaml:.2f}x `python -c "import yaml"` '
        f"({import_yaml * 1000:.0f} ms)",
    )
    if not args.no_jsonschema:
        seconds = check_jsonschema(root)
        if seconds is None:
            line("check-jsonschema", "not installed (pip install check-jsonschema to compare)")
        else:
            line(
                "check-jsonschema (schema only)",
                f"{seconds:7.2f} s  {seconds / f_s:5.2f}x floor",
            )
    line("load average after", load_average())
    print(f"ratio check/parse: {one['seconds'] / f_s:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=None, help="where the repository is made")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="best of R runs of each figure")
    parser.add_argument("--no-linearity", action="store_true", help="skip the N/10 run")
    parser.add_argument(
        "--no-variant", action="store_true", help="skip the cycle and distinct-text variants"
    )
    parser.add_argument("--no-jsonschema", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(MEASURES[args.measure](args.dir, args.jobs)))
        return
    run(args)


if __name__ == "__main__":
    main()
