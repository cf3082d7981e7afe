"""What the jargon checks cost at scale, with a large shared glossary.

Takes the repository of `example_copies.py` (N copies of the example's
organisations) and gives its partnership a shared glossary of `--terms`
extra entries (the example's own kept), then prints in one run: the time of
a plain CLoader parse of the policy files, `check` without the jargon rules
(`--ignore PC3`), `check` with them, and the jargon rules' cost as a ratio of
the parse. The jargon checks scan each text once with one compiled pattern,
so their cost follows the amount of text, not text x terms.

    python -m benchmarks.jargon_glossary --orgs 20000 --terms 1000
"""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

import yaml

from benchmarks.example_copies import make_repository
from policycoord.pipeline import Options, check

TODAY = datetime.date(2026, 11, 24)


def add_glossary(out: Path, terms: int) -> None:
    partnership = out / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    if f"# {terms} synthetic terms" in text:
        return
    entries = "".join(
        f"  - term: T{index:04d}X\n    meaning: Synthetic term number {index}\n"
        for index in range(terms)
    )
    marker = "\nglossary:\n"
    assert marker in text, "the example partnership has a glossary section"
    text = text.replace(marker, f"{marker}# {terms} synthetic terms\n{entries}", 1)
    partnership.write_text(text, encoding="utf-8")


def timed(out: Path, options: Options) -> tuple[float, int]:
    started = time.perf_counter()
    report = check([str(out)], options=options)
    return time.perf_counter() - started, len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=20000)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(f"/tmp/policycoord-jargon-{args.orgs}")
    make_repository(out, args.orgs)
    add_glossary(out, args.terms)
    files = sorted((out / "orgs").glob("*.yaml"))

    started = time.perf_counter()
    for file in files:
        yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
    floor = time.perf_counter() - started

    without, _ = timed(out, Options(today=TODAY, ignore=("PC3",)))
    with_jargon, findings = timed(out, Options(today=TODAY))
    jargon = with_jargon - without
    print(f"organisation files   {len(files):>9,}  (shared glossary of {args.terms:,} extra terms)")
    print(f"CLoader parse        {floor:>9.2f} s")
    print(f"check without PC3    {without:>9.2f} s  ({without / floor:.2f}x)")
    print(f"check with PC3       {with_jargon:>9.2f} s  ({with_jargon / floor:.2f}x)")
    print(f"jargon rules cost    {jargon:>9.2f} s  ({jargon / floor:.2f}x the parse)")
    print(f"findings             {findings:>9,}")


if __name__ == "__main__":
    main()
