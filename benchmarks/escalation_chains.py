"""Escalation walks at scale: long hand-off chains and one long cycle.

Makes (once) a partnership of N organisations whose significant-harm paths
hand off from one organisation to the next in chains of `--chain` (the last
of each chain hands to the council's MASH), plus one cycle through
`--cycle` organisations, then prints in one run the time of a plain
CLoader parse of the policy files, the time of `check`, their ratio, and
how many escalation findings the walk rules gave. The walks are memoised
per state, so the time grows with N, not with N x chain length.

    python benchmarks/escalation_chains.py --orgs 20000 --chain 2000 --cycle 1000
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import time
from collections import Counter
from pathlib import Path

import yaml

from policycoord.workflows.pipeline import Options, check

PARTNERSHIP = """\
policycoord: 1
partnership: {id: chains, name: Chains Partnership}
duties: []
glossary: []
concerns:
  - id: significant-harm
    title: A child is suffering, or likely to suffer, significant harm
    must_reach: [council/mash, council/edt]
    max_total: 2 weeks
    out_of_hours: required
"""

COUNCIL = """\
policycoord: 1
organisation: {id: council, name: Council Children's Services, sector: social-care}
roles:
  - {id: mash, title: Multi-Agency Safeguarding Hub, contact: {hours: office}}
  - {id: edt, title: Emergency Duty Team, contact: {hours: 24/7}}
receives:
  - {concern: significant-harm, role: mash, from: ["*"]}
  - {concern: significant-harm, role: edt, from: ["*"]}
"""


def organisation(org_id: str, target: str) -> str:
    return (
        "policycoord: 1\n"
        f"organisation: {{id: {org_id}, name: Organisation {org_id}, sector: voluntary}}\n"
        "roles:\n"
        "  - {id: lead, title: Safeguarding Lead, contact: {hours: 24/7}}\n"
        "receives:\n"
        '  - {concern: significant-harm, role: lead, from: ["*"]}\n'
        "escalations:\n"
        "  - concern: significant-harm\n"
        "    steps:\n"
        "      - {to: lead, within: immediately}\n"
        f"      - {{to: {target}, within: 1 minute}}\n"
    )


def make_repository(out: Path, count: int, chain: int, cycle: int) -> None:
    marker = out / f".made-{count}-{chain}-{cycle}"
    if marker.exists():
        return
    shutil.rmtree(out, ignore_errors=True)
    (out / "orgs").mkdir(parents=True)
    (out / "partnership.yaml").write_text(PARTNERSHIP, encoding="utf-8")
    (out / "orgs" / "council.yaml").write_text(COUNCIL, encoding="utf-8")
    chained = count - cycle
    for index in range(chained):
        last = (index + 1) % chain == 0 or index + 1 == chained
        target = "council/mash" if last else f"o{index + 1}/lead"
        (out / "orgs" / f"o{index}.yaml").write_text(
            organisation(f"o{index}", target), encoding="utf-8"
        )
    for index in range(cycle):
        target = f"c{(index + 1) % cycle}/lead"
        (out / "orgs" / f"c{index}.yaml").write_text(
            organisation(f"c{index}", target), encoding="utf-8"
        )
    marker.write_text("", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=20000)
    parser.add_argument("--chain", type=int, default=2000)
    parser.add_argument("--cycle", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(f"/tmp/policycoord-chains-{args.orgs}")
    make_repository(out, args.orgs, args.chain, args.cycle)
    files = sorted((out / "orgs").glob("*.yaml"))

    started = time.perf_counter()
    for file in files:
        yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
    floor = time.perf_counter() - started

    started = time.perf_counter()
    report = check([str(out)], options=Options(today=datetime.date(2026, 11, 24)))
    full = time.perf_counter() - started
    codes = Counter(f.code for f in report.findings if f.code.startswith("PC2"))

    print(
        f"organisation files   {len(files):>9,}  (chains of {args.chain}, a cycle of {args.cycle})"
    )
    print(f"CLoader parse        {floor:>9.2f} s")
    print(f"policycoord check    {full:>9.2f} s")
    print(f"ratio check / parse  {full / floor:>9.2f}x")
    print(
        "escalation findings  "
        + (", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none")
    )


if __name__ == "__main__":
    main()
