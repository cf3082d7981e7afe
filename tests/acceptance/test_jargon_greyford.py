"""Acceptance test for the jargon checks (PC301-PC304, issue 6), written blind
from the contract (SPEC §2.2/§2.3, §3, §3.1, DOMAIN.md "Terminology", issue 6).

The fixture tests/acceptance/greyford/ is a partnership of six organisations
that is clean for every code except six seeded jargon defects; its EXPECTED.md
lists each defect, where it is expected, why, and the traps that must stay
quiet. The expectations below were written before the first run.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter

import pytest
from conftest import ACCEPTANCE, run_cli

from policycoord.core.findings import Finding
from policycoord.workflows.pipeline import Options, check

FIXTURE = ACCEPTANCE / "greyford"
TODAY = datetime.date(2026, 11, 24)

# (code, organisation, path, line) of every finding of every code.
EXPECTED = Counter(
    [
        # KCSIE in the duty title of the partnership file itself.
        ("PC301", None, "partnership.yaml", 18),
        # SPOC used three times by the police (lines 26, 39, 41): once, at the first use.
        ("PC301", "greyford-police", "orgs/greyford-police.yaml", 26),
        # Police define CIN as "Crime Incident Number"; shared glossary "Child in Need".
        ("PC302", "greyford-police", "orgs/greyford-police.yaml", 33),
        # Built-in deprecated term "child prostitution" in a responsibility's notes.
        ("PC303", "greyford-youth-club", "orgs/greyford-youth-club.yaml", 20),
        # The partnership's own `avoid` term "troubled families" in the club's summary.
        ("PC303", "greyford-juniors", "orgs/greyford-juniors.yaml", 26),
        # TAF, defined only by the school, in the action of its step to greyford-cs/mash.
        ("PC304", "oakfield-primary", "orgs/oakfield-primary.yaml", 37),
    ]
)

SUBJECT_WORDS = {
    ("PC301", None): ("KCSIE",),
    ("PC301", "greyford-police"): ("SPOC", "2"),
    ("PC302", "greyford-police"): ("CIN", "Crime Incident Number", "Child in Need"),
    ("PC303", "greyford-youth-club"): ("child prostitution", "sexual exploitation of children"),
    ("PC303", "greyford-juniors"): ("troubled families", "families who need extra help"),
    ("PC304", "oakfield-primary"): ("TAF",),
}

SEVERITY = {"PC301": "warning", "PC302": "warning", "PC303": "warning", "PC304": "info"}


@pytest.fixture(scope="module")
def findings() -> tuple[Finding, ...]:
    return check([str(FIXTURE)], options=Options(today=TODAY)).findings


def _key(finding: Finding) -> tuple[str, str | None, str, int]:
    return (finding.code, finding.organisation, finding.location.path, finding.location.line)


def test_exactly_the_seeded_findings_of_every_code(findings: tuple[Finding, ...]) -> None:
    actual = Counter(_key(f) for f in findings)
    missing = EXPECTED - actual
    unexpected = [(_key(f), f.message) for f in findings if _key(f) in actual - EXPECTED]
    assert actual == EXPECTED, f"missing: {sorted(missing, key=str)}; unexpected: {unexpected}"


@pytest.mark.parametrize(("code", "organisation"), sorted(SUBJECT_WORDS, key=str))
def test_message_names_the_term(
    findings: tuple[Finding, ...], code: str, organisation: str | None
) -> None:
    matching = [f for f in findings if f.code == code and f.organisation == organisation]
    assert len(matching) == 1, [_key(f) for f in matching]
    text = matching[0].message + " " + matching[0].suggestion
    for word in SUBJECT_WORDS[(code, organisation)]:
        assert word.lower() in text.lower(), (word, text)


def test_severities_follow_the_defaults(findings: tuple[Finding, ...]) -> None:
    for finding in findings:
        if finding.code in SEVERITY:
            assert (
                str(getattr(finding.severity, "value", finding.severity)) == SEVERITY[finding.code]
            )


def test_cli_json_agrees() -> None:
    status, stdout, stderr = run_cli(
        "check", "--today", "2026-11-24", "--format", "json", "--fail-on", "warning", cwd=FIXTURE
    )
    assert status == 1, stderr
    report = json.loads(stdout)
    actual = Counter(
        (f["code"], f["organisation"], f["path"], f["line"]) for f in report["findings"]
    )
    assert actual == EXPECTED
    assert report["summary"]["files"] == 7
    assert report["summary"]["organisations"] == 6
    assert (report["summary"]["error"], report["summary"]["warning"]) == (0, 5)
    assert report["summary"]["info"] == 1
