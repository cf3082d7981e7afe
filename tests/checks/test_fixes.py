"""The fixes rules attach to their findings (core.findings.Fix): which
findings get one, of which kind, and what it changes; and that each rule's
documentation says whether it has a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycoord import check
from policycoord.checks.catalogue import explain, rules_markdown
from policycoord.checks.rules import ALL_RULES
from policycoord.core.findings import Finding, FixEdit
from policycoord.core.timeframes import tidy_timeframe
from tests.conftest import make_repo

PARTNERSHIP = """\
    policycoord: 1
    partnership: {id: p, name: P}
    duties:
      - {id: refer, title: Refer, scope: each-member}
    concerns:
      - {id: significant-harm, title: Harm, must_reach: [cs/mash]}
    avoid:
      - {term: county lines runner, use: a child who is being criminally exploited}
    """
COUNCIL = """\
    policycoord: 1
    organisation: {id: cs, name: CS, sector: social-care}
    roles:
      - {id: mash, title: MASH Team, contact: {phone: "1", hours: 24/7}}
    responsibilities:
      - {duty: refer, role: mash, raci: accountable}
    receives:
      - {concern: significant-harm, role: mash, from: ["*"]}
    escalations:
      - concern: significant-harm
        steps: [{to: mash, within: immediately}]
    """


def _findings(tmp_path: Path, school: str) -> list[Finding]:
    make_repo(
        tmp_path,
        {"partnership.yaml": PARTNERSHIP, "orgs/cs.yaml": COUNCIL, "orgs/school.yaml": school},
    )
    report = check([str(tmp_path)])
    return [f for f in report.findings if f.location.path == "orgs/school.yaml"]


def _fix_of(findings: list[Finding], code: str) -> tuple[str, tuple[FixEdit, ...]]:
    finding = next(f for f in findings if f.code == code and f.fix is not None)
    assert finding.fix is not None
    return finding.fix.kind, finding.fix.edits


def test_pc003_loose_timeframe_and_version_are_safe(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        """\
        policycoord: "1"
        organisation: {id: school, name: School, sector: education}
        roles: [{id: dsl, title: Lead}]
        responsibilities: [{duty: refer, role: dsl, raci: accountable, within: 24hrs}]
        escalations:
          - concern: significant-harm
            steps: [{to: cs/mash, within: immediately}]
        """,
    )
    fixes = sorted(
        ((f.fix.kind, f.fix.edits) for f in found if f.code == "PC003" and f.fix is not None),
        key=lambda fix: fix[1][0].pointer,
    )
    assert fixes == [
        ("safe", (FixEdit("orgs/school.yaml", "/policycoord", "set", 1, "1"),)),
        (
            "safe",
            (
                FixEdit(
                    "orgs/school.yaml", "/responsibilities/0/within", "set", "24 hours", "24hrs"
                ),
            ),
        ),
    ]


def test_pc003_misspelt_field_and_enum_are_unsafe(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        """\
        policycoord: 1
        organisation: {id: school, name: School, sector: educaton}
        rolse: [{id: dsl, title: Lead}]
        """,
    )
    kinds = {f.fix.description: f.fix.kind for f in found if f.fix is not None}
    assert kinds["Write `education` for `educaton`."] == "unsafe"
    assert kinds["Rename the field `rolse` to `roles`."] == "unsafe"


def test_pc201_and_pc106_did_you_mean_are_unsafe(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        """\
        policycoord: 1
        organisation: {id: school, name: School, sector: education}
        roles: [{id: dsl, title: Lead}]
        responsibilities: [{duty: refr, role: dls, raci: accountable}]
        escalations:
          - concern: significant-harm
            steps: [{to: dsl, within: immediately}, {to: cs/mahs, within: 1 hour}]
        """,
    )
    assert _fix_of(found, "PC201") == (
        "unsafe",
        (FixEdit("orgs/school.yaml", "/escalations/0/steps/1/to", "set", "cs/mash", "cs/mahs"),),
    )
    pc106 = sorted(f.fix.edits[0].value for f in found if f.code == "PC106" and f.fix)
    assert pc106 == ["dsl", "refer"]


@pytest.mark.parametrize(
    ("written", "kind", "becomes"),
    [
        ("child pornography", "safe", "child sexual abuse material (CSAM)"),
        ("child porn", "unsafe", "child sexual abuse material (CSAM)"),
        # the preferred term brings its own article: the sentence needs a person
        ("a county lines runner", "unsafe", "a a child who is being criminally exploited"),
        ("county lines runners", "unsafe", "a child who is being criminally exploited"),
    ],
)
def test_pc303_is_safe_only_for_the_term_as_listed(
    tmp_path: Path, written: str, kind: str, becomes: str
) -> None:
    found = _findings(
        tmp_path,
        f"""\
        policycoord: 1
        organisation: {{id: school, name: School, sector: education}}
        summary: Staff look for {written} at the gate.
        """,
    )
    fix_kind, edits = _fix_of(found, "PC303")
    assert fix_kind == kind
    assert edits[0].pointer == "/summary"
    assert edits[0].value == f"Staff look for {becomes} at the gate."


def test_tidy_timeframe() -> None:
    assert tidy_timeframe("24 Hours") == "24 hours"
    assert tidy_timeframe("1 Working-Days") == "1 working day"
    assert tidy_timeframe("2 wks") == "2 weeks"
    assert tidy_timeframe("24 hours") is None  # already as the schema takes it
    assert tidy_timeframe("soon") is None and tidy_timeframe("0 hours") is None


def test_every_rules_documentation_says_whether_it_has_a_fix() -> None:
    page = rules_markdown()
    for rule in ALL_RULES:
        text = explain(rule.code)
        assert "\nFix: " in text, rule.code
        if rule.fix_kind is None:
            assert "Fix: none" in text
        else:
            assert rule.fix_kind.split()[0] in text.split("\nFix: ", 1)[1].split("\n", 1)[0]
    assert page.count("\nFix: ") == len(ALL_RULES)
