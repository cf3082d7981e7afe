"""Acceptance test for the responsibility checks (PC101-PC107, issue 4), written
blind from the contract (SPEC §2.1-§2.3, §3, §3.1 and issue 4).

The fixture tests/acceptance/westmere/ is a realistic partnership of eight
organisations that is clean except for exactly one seeded defect of each code
PC101-PC107; tests/acceptance/westmere/EXPECTED.md lists each defect, where
it is expected, why, and the traps that must stay quiet.
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

FIXTURE = ACCEPTANCE / "westmere"
TODAY = datetime.date(2026, 11, 24)

CS = "Westmere County Council Children's Services"
POLICE = "Westmere Constabulary"
ICB = "NHS Westmere Integrated Care Board"

# code -> (organisation, path, line, subject id, names the message must hold)
# Organisation None: a partnership-wide finding, reported on the duty in
# partnership.yaml; its message must name the organisations involved.
EXPECTED: dict[str, tuple[str | None, str, int, str, tuple[str, ...]]] = {
    # publish-yearly-report: a partnership duty nobody is accountable for
    # (two organisations consulted, one informed, nobody responsible).
    "PC101": (None, "partnership.yaml", 49, "publish-yearly-report", (CS, ICB, POLICE)),
    # safer-recruitment applies to every member; the church names its officer
    # only as consulted.
    "PC102": (
        "st-aidans-church",
        "orgs/st-aidans-church.yaml",
        32,  # its own entry for the duty (issue 19; was `responsibilities:`, line 20)
        "safer-recruitment",
        ("St Aidan's Parish Church, Westmere",),
    ),
    # notify-serious-incident: the council and the ICB are both accountable.
    "PC103": (None, "partnership.yaml", 42, "notify-serious-incident", (CS, ICB)),
    # refer-to-childrens-social-care: `1 working day` (worst case 96 hours)
    # against max_within `24 hours`.
    "PC104": (
        "little-acorns-nursery",
        "orgs/little-acorns-nursery.yaml",
        24,
        "refer-to-childrens-social-care",
        ("Little Acorns Day Nursery",),
    ),
    # arrange-rapid-review (no max_within): the council (responsible) promises
    # `10 working days`, the ICB (accountable) `15 working days`.
    "PC105": (None, "partnership.yaml", 46, "arrange-rapid-review", (CS, ICB)),
    # attend-child-protection-conference: role `dls` (meant `dsl`).
    "PC106": (
        "harbourside-academy",
        "orgs/harbourside-academy.yaml",
        43,
        "dls",
        ("Harbourside Academy",),
    ),
    # attend-child-protection-conference: the nursery (early-years, outside the
    # duty's applies_to, so no PC102) makes its manager responsible and names
    # no accountable role of its own.
    "PC107": (
        "little-acorns-nursery",
        "orgs/little-acorns-nursery.yaml",
        35,
        "attend-child-protection-conference",
        ("Little Acorns Day Nursery",),
    ),
}

EXPECTED_KEYS = Counter(
    (code, org, path, line) for code, (org, path, line, _, _) in EXPECTED.items()
)

# The duty each finding is about (PC106 is about a role, within this duty).
DUTY_OF = {
    "PC101": "publish-yearly-report",
    "PC102": "safer-recruitment",
    "PC103": "notify-serious-incident",
    "PC104": "refer-to-childrens-social-care",
    "PC105": "arrange-rapid-review",
    "PC106": "attend-child-protection-conference",
    "PC107": "attend-child-protection-conference",
}


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


def test_exactly_the_seeded_responsibility_defects(findings: tuple[Finding, ...]) -> None:
    actual = Counter(_key(f) for f in findings if f.code.startswith("PC1"))
    assert actual == EXPECTED_KEYS


def test_nothing_else_is_reported(findings: tuple[Finding, ...]) -> None:
    others = [(_key(f), f.message) for f in findings if not f.code.startswith("PC1")]
    assert others == []
    assert len(findings) == len(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_message_names_organisation_and_subject(findings: tuple[Finding, ...], code: str) -> None:
    finding = _by_code(findings, code)
    _, _, _, subject, names = EXPECTED[code]
    assert subject in finding.subject, (finding.subject, subject)
    text = finding.message
    for name in names:
        assert name in text, f"{code}: {name!r} not in {text!r}"
    assert re.search(rf"(?<![a-z0-9-]){re.escape(subject)}(?![a-z0-9-])", text), (code, text)
    assert DUTY_OF[code] in text, (code, text)
    assert finding.suggestion, code


def test_pc104_explains_the_working_day_worst_case(findings: tuple[Finding, ...]) -> None:
    # SPEC §2.1: the difference comes only from working days (1 working day is
    # nominally 24 hours), so the message says so in those words.
    message = _by_code(findings, "PC104").message
    assert "1 working day" in message and "24 hours" in message
    assert "96 hours" in message
    assert re.search(r"bank[- ]holiday", message, re.IGNORECASE), message


def test_pc106_suggests_the_closest_role(findings: tuple[Finding, ...]) -> None:
    finding = _by_code(findings, "PC106")
    assert re.search(r"`dsl`", finding.message + " " + finding.suggestion), finding.suggestion


def test_pc105_names_both_timeframes(findings: tuple[Finding, ...]) -> None:
    message = _by_code(findings, "PC105").message
    assert "10 working days" in message and "15 working days" in message


def test_severities_follow_the_defaults(findings: tuple[Finding, ...]) -> None:
    severities = {f.code: f.severity.value for f in findings}
    assert severities == {
        "PC101": "error",
        "PC102": "error",
        "PC103": "warning",
        "PC104": "error",
        "PC105": "warning",
        "PC106": "error",
        "PC107": "warning",
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
    assert (summary["error"], summary["warning"], summary["info"]) == (4, 3, 0)
