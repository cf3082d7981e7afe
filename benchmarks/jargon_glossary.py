"""What the jargon checks cost at scale, with a large shared glossary.

Takes the repository of `example_copies.py` (N copies of the example's
organisations) and gives its partnership a shared glossary of `--terms`
extra entries (the example's own kept), then prints in one run: the time of
a plain CLoader parse of the policy files, `check` without the jargon rules
(`--ignore PC3`), `check` with them, and the jargon rules' cost as a ratio of
the parse.

A second part measures what a regular-expression alternation of every term
would make quadratic: one large organisation file (`--big-mb`, of outgoing
`sharing` purposes) checked with `--avoid-terms` partnership `avoid` entries
and `--local-terms` entries of its own glossary, against the same file with
none. The jargon checks walk each text once through a trie of all terms, so
both costs follow the amount of text, not text x terms.

    python -m benchmarks.jargon_glossary --orgs 20000 --terms 1000
    python -m benchmarks.jargon_glossary --orgs 0 --avoid-terms 3000 --local-terms 3000
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import time
from pathlib import Path

import yaml

from benchmarks.example_copies import EXAMPLE, make_repository
from policycoord.workflows.pipeline import Options, check

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


def add_avoid(out: Path, terms: int) -> None:
    partnership = out / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    entries = "".join(
        f"  - term: avoided phrase {index}\n    use: plain words {index}\n"
        for index in range(terms)
    )
    marker = "\navoid:\n"
    assert marker in text, "the example partnership has an avoid section"
    partnership.write_text(text.replace(marker, f"{marker}{entries}", 1), encoding="utf-8")


def make_big_file(out: Path, megabytes: float, avoid_terms: int, local_terms: int) -> Path:
    """A partnership of two organisations, one of them a large file of
    outgoing `sharing` purposes that use none of the terms."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "orgs").mkdir(parents=True)
    shutil.copy(EXAMPLE / "partnership.yaml", out / "partnership.yaml")
    shutil.copy(EXAMPLE / "orgs" / "northshire-cs.yaml", out / "orgs" / "northshire-cs.yaml")
    add_avoid(out, avoid_terms)
    glossary = "".join(
        f"  - term: local practice term {index}\n    meaning: Our own words number {index}\n"
        for index in range(local_terms)
    )
    purpose = (
        "    purpose: Tell the duty social worker the same day when a pupil on a child "
        "protection plan is missing from school, with what the school knows. {index}\n"
        "    basis: Working Together to Safeguard Children 2023; UK GDPR Article 6(1)(e).\n"
    )
    lines = [
        "policycoord: 1\n",
        "organisation: {id: big-academy, name: Big Academy Trust, sector: education}\n",
        f"glossary:\n{glossary}" if local_terms else "",
        "sharing:\n",
    ]
    size, index = sum(map(len, lines)), 0
    while size < megabytes * 1_000_000:
        entry = "  - with: northshire-cs\n" + purpose.format(index=index)
        lines.append(entry)
        size += len(entry)
        index += 1
    big = out / "orgs" / "big-academy.yaml"
    big.write_text("".join(lines), encoding="utf-8")
    return big


def big_file_part(megabytes: float, avoid_terms: int, local_terms: int) -> None:
    jargon = ("PC303", "PC304")
    plain_dir = Path(f"/tmp/policycoord-jargon-big-{megabytes}-0-0")
    many_dir = Path(f"/tmp/policycoord-jargon-big-{megabytes}-{avoid_terms}-{local_terms}")
    big = make_big_file(plain_dir, megabytes, 0, 0)
    make_big_file(many_dir, megabytes, avoid_terms, local_terms)
    started = time.perf_counter()
    yaml.load(big.read_bytes(), Loader=yaml.CSafeLoader)
    floor = time.perf_counter() - started
    few, _ = timed(plain_dir, Options(today=TODAY, select=jargon))
    many, findings = timed(many_dir, Options(today=TODAY, select=jargon))
    print(f"large file           {big.stat().st_size / 1e6:>9.1f} MB of outgoing text")
    print(f"CLoader parse        {floor:>9.2f} s")
    print(f"PC303+PC304, no terms{few:>9.2f} s  ({few / floor:.2f}x the parse)")
    print(
        f"PC303+PC304, {avoid_terms:,} avoid + {local_terms:,} local terms"
        f" {many:.2f} s  ({many / floor:.2f}x the parse; {many / few:.2f}x no terms)"
    )
    print(f"findings             {findings:>9,}")


def timed(out: Path, options: Options) -> tuple[float, int]:
    started = time.perf_counter()
    report = check([str(out)], options=options)
    return time.perf_counter() - started, len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=20000)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--big-mb", type=float, default=2.0)
    parser.add_argument("--avoid-terms", type=int, default=3000)
    parser.add_argument("--local-terms", type=int, default=3000)
    args = parser.parse_args()
    if args.orgs:
        copies_part(args)
    if args.big_mb:
        big_file_part(args.big_mb, args.avoid_terms, args.local_terms)


def copies_part(args: argparse.Namespace) -> None:
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
