"""Time `policycoord check` against a plain parse of the same files.

Makes (once) a repository of N organisation files, copies of the shipped
example's organisations with their ids made unique, then prints in one run:
the time of merely parsing every policy file with PyYAML's C loader (the
floor), the time of a full in-process `check`, and their ratio.

    python benchmarks/example_copies.py --orgs 2000
    python benchmarks/example_copies.py --orgs 20000 --out /tmp/pc-bench-20000

A stopgap until the synthetic-partnership generator of the country-scale
issue: copies of nine files are realistic in size, not in variety.
"""

from __future__ import annotations

import argparse
import datetime
import re
import shutil
import time
from pathlib import Path

import yaml

from policycoord.workflows.pipeline import Options, check

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "policies"


def make_repository(out: Path, count: int) -> None:
    if (out / "partnership.yaml").exists() and len(list((out / "orgs").glob("*.yaml"))) == count:
        return
    shutil.rmtree(out, ignore_errors=True)
    (out / "orgs").mkdir(parents=True)
    shutil.copy(EXAMPLE / "partnership.yaml", out / "partnership.yaml")
    sources = sorted((EXAMPLE / "orgs").glob("*.yaml"))
    for index in range(count):
        text = sources[index % len(sources)].read_text(encoding="utf-8")
        match = re.search(r"\n  id: (\S+)\n", text)
        assert match, "every example organisation has an id"
        org_id = f"{match.group(1)}-{index}"
        text = text.replace(match.group(0), f"\n  id: {org_id}\n", 1)
        (out / "orgs" / f"{org_id}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(f"/tmp/policycoord-bench-{args.orgs}")
    make_repository(out, args.orgs)
    files = sorted((out / "orgs").glob("*.yaml"))
    size = sum(f.stat().st_size for f in files)

    started = time.perf_counter()
    for file in files:
        yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
    floor = time.perf_counter() - started

    started = time.perf_counter()
    report = check([str(out)], options=Options(today=datetime.date(2026, 11, 24)))
    full = time.perf_counter() - started

    print(f"organisation files   {len(files):>9,}  ({size / len(files) / 1024:.1f} KB on average)")
    print(f"CLoader parse        {floor:>9.2f} s  ({floor / len(files) * 1000:.2f} ms a file)")
    print(f"policycoord check    {full:>9.2f} s  ({full / len(files) * 1000:.2f} ms a file)")
    print(f"ratio check / parse  {full / floor:>9.2f}x")
    print(f"findings             {len(report.findings):>9,}")


if __name__ == "__main__":
    main()
