"""Root causes first (checks/causes.py, issue 19): a file that cannot be read
or a misspelt field is reported as the cause, saying how many findings
follow from it; each of those says what it follows from."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from conftest import make_repo, run_cli

from policycoord.core.findings import Finding, Location, Severity, causes_first
from policycoord.workflows.pipeline import Options, check

TODAY = datetime.date(2026, 11, 24)

PARTNERSHIP = """\
    policycoord: 1
    partnership:
      id: north
      name: North Partnership
      members: [school, surgery, council]
    duties:
      - {id: refer, title: Refer a child at risk, scope: each-member}
      - {id: train-staff, title: Train staff, scope: each-member}
    concerns:
      - {id: harm, title: Significant harm, must_reach: [council/mash]}
    glossary:
      - {term: MASH, meaning: Multi-Agency Safeguarding Hub}
"""

COUNCIL = """\
    policycoord: 1
    organisation: {id: council, name: North Council, sector: social-care}
    roles:
      - {id: mash, title: Front door team, contact: {phone: "01632 960000", hours: 24/7}}
    responsibilities:
      - {duty: refer, role: mash, raci: accountable}
      - {duty: train-staff, role: mash, raci: accountable}
    receives:
      - {concern: harm, role: mash}
    escalations:
      - concern: harm
        steps: [{to: mash, within: immediately}]
"""

SCHOOL = """\
    policycoord: 1
    organisation: {id: school, name: North School, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    responsibilities:
      - {duty: refer, role: dsl, raci: accountable}
      - {duty: train-staff, role: dsl, raci: accountable}
    escalations:
      - concern: harm
        steps: [{to: dsl, within: immediately}, {to: council/mash, within: 1 hour}]
    sharing:
      - {with: surgery, purpose: Health information about pupils, basis: Public task}
"""

SURGERY = """\
    policycoord: 1
    organisation: {id: surgery, name: North Surgery, sector: primary-care}
    roles:
      - {id: gp-lead, title: GP safeguarding lead}
    responsibilities:
      - {duty: refer, role: gp-lead, raci: accountable}
      - {duty: train-staff, role: gp-lead, raci: accountable}
    escalations:
      - concern: harm
        steps: [{to: gp-lead, within: immediately}, {to: council/mash, within: 1 hour}]
    sharing:
      - {with: school, purpose: Health information about pupils, basis: Public task}
"""


def _check(root: Path, **files: str) -> list[Finding]:
    base = {
        "partnership.yaml": PARTNERSHIP,
        "orgs/council.yaml": COUNCIL,
        "orgs/school.yaml": SCHOOL,
        "orgs/surgery.yaml": SURGERY,
    }
    base.update({f"orgs/{name}.yaml": text for name, text in files.items()})
    make_repo(root, base)
    return list(check([str(root)], options=Options(today=TODAY)).findings)


def test_the_fixture_is_clean(tmp_path: Path) -> None:
    assert _check(tmp_path) == []


def test_a_file_that_does_not_parse_is_filed_under_the_organisation_it_names(
    tmp_path: Path,
) -> None:
    broken = "policycoord: 1\norganisation: {id: north-gp, name: North Surgery\nroles: [\n"
    make_repo(tmp_path, {"orgs/surgery.yaml": ""})
    (tmp_path / "orgs" / "surgery.yaml").unlink()
    findings = _check(tmp_path, **{"north-gp-practice": broken})
    # filed under the id its readable part names (not "a file whose organisation is
    # not known"), and as that member has a file, broken, no PC006 "has no policy file"
    assert [(f.code, f.organisation) for f in findings] == [("PC001", "north-gp")]


def test_a_broken_file_is_claimed_by_the_member_it_is_named_after(tmp_path: Path) -> None:
    findings = _check(tmp_path, surgery="{{{ not yaml at all\n")
    assert [(f.code, f.organisation) for f in findings] == [("PC001", "surgery")]


def test_a_broken_file_named_after_nobody_leaves_the_member_missing(tmp_path: Path) -> None:
    files = {"partnership.yaml": PARTNERSHIP, "orgs/council.yaml": COUNCIL}
    files |= {"orgs/school.yaml": SCHOOL, "orgs/notes.yaml": "{{{ broken\n"}
    make_repo(tmp_path, files)
    findings = check([str(tmp_path)], options=Options(today=TODAY)).findings
    assert {(f.code, f.organisation) for f in findings} >= {("PC006", "surgery"), ("PC001", None)}


def test_a_misspelt_section_is_the_cause_of_what_its_absence_gives(tmp_path: Path) -> None:
    misspelt = SCHOOL.replace("responsibilities:", "responsibilites:")
    findings = _check(tmp_path, school=misspelt)
    assert [f.code for f in findings] == ["PC102", "PC102", "PC003"]
    *duties, cause = findings
    assert cause.message.endswith(
        " 2 other findings follow from this one (2 × PC102): put this right first."
    )
    for duty in duties:
        assert duty.cause == cause.fingerprint
        assert duty.message.endswith(
            "This follows from the field `responsibilites` at orgs/school.yaml:5, which "
            "policycoord does not know: put that right first."
        )


def test_misspelt_roles_are_the_cause_of_every_step_to_them_in_any_file(tmp_path: Path) -> None:
    misspelt = COUNCIL.replace("roles:", "rolse:")
    findings = _check(tmp_path, council=misspelt)
    causes = [f for f in findings if f.code == "PC003"]
    assert len(causes) == 1
    following = [f for f in findings if f.cause]
    assert following, findings
    assert {f.cause for f in following} == {causes[0].fingerprint}
    # the school's and the surgery's steps to council/mash are among them
    assert {"school", "surgery"} <= {f.organisation for f in following if f.code == "PC201"}
    # every other finding follows from it: nothing is left unexplained
    assert [f for f in findings if not f.cause and f.code != "PC003"] == []


def test_a_misspelt_duty_id_is_the_cause_of_every_responsibility_for_it(tmp_path: Path) -> None:
    root = tmp_path
    make_repo(
        root,
        {
            "partnership.yaml": PARTNERSHIP.replace("- {id: train-staff", "- {idd: train-staff"),
            "orgs/council.yaml": COUNCIL,
            "orgs/school.yaml": SCHOOL,
            "orgs/surgery.yaml": SURGERY,
        },
    )
    findings = list(check([str(root)], options=Options(today=TODAY)).findings)
    [unknown_key] = [f for f in findings if f.code == "PC003" and "`idd`" in f.message]
    unknown_duty = [f for f in findings if f.code == "PC106"]
    assert len(unknown_duty) == 3  # one per organisation naming train-staff
    assert all(f.cause == unknown_key.fingerprint for f in unknown_duty)
    assert "3 other findings follow from this one (3 × PC106)" in unknown_key.message


def test_findings_that_do_not_follow_are_left_alone(tmp_path: Path) -> None:
    # a misspelt section of the school says nothing about the surgery's own problems
    misspelt = SCHOOL.replace("responsibilities:", "responsibilites:")
    surgery = SURGERY.replace(
        "raci: accountable}\n      - {duty: train-staff",
        "raci: responsible}\n      - {duty: train-staff",
    )
    findings = _check(tmp_path, school=misspelt, surgery=surgery)
    surgery_findings = [f for f in findings if f.organisation == "surgery"]
    assert surgery_findings and all(not f.cause for f in surgery_findings)
    assert all("follows from" not in f.message for f in surgery_findings)


def test_the_cause_is_read_first_in_the_terminal_html_and_junit(tmp_path: Path) -> None:
    misspelt = SCHOOL.replace("responsibilities:", "responsibilites:")
    _check(tmp_path, school=misspelt)
    status, out, _ = run_cli("check", "--no-color", cwd=tmp_path)
    assert status == 1
    lines = [line for line in out.splitlines() if line.startswith("orgs/school.yaml")]
    assert [line.split()[2] for line in lines] == ["PC003", "PC102", "PC102"]
    # JSON keeps the order SPEC §5 gives: by path, line, column, code
    status, out, _ = run_cli("check", "-f", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(out)["findings"]] == ["PC102", "PC102", "PC003"]
    status, out, _ = run_cli("check", "-f", "junit", cwd=tmp_path)
    failure = out[out.index("<failure") :]
    assert failure.index("PC003") < failure.index("PC102")
    status, out, _ = run_cli("check", "-f", "html", cwd=tmp_path)
    assert out.index("responsibilites") < out.index("has no accountable role for")
    status, out, _ = run_cli("check", "-f", "markdown", cwd=tmp_path)
    assert out.index("responsibilites") < out.index("has no accountable role for")


def test_causes_first_keeps_everything_else_in_order() -> None:
    def finding(code: str, line: int, org: str | None, cause: str = "") -> Finding:
        return Finding(
            code=code,
            name=code,
            severity=Severity.ERROR,
            message=code,
            location=Location("orgs/a.yaml", line, 1, f"/{line}"),
            organisation=org,
            fingerprint=f"{code}-{line}",
            cause=cause,
        )

    cause = finding("PC003", 20, "a")
    early = finding("PC102", 4, "a", cause="PC003-20")
    other = finding("PC401", 9, "a")
    elsewhere = finding("PC201", 2, "b", cause="PC003-20")  # another organisation
    later = finding("PC207", 30, "a", cause="PC003-20")  # already after its cause
    ordered = causes_first([elsewhere, early, other, cause, later])
    assert ordered == [elsewhere, other, cause, early, later]


def test_what_a_misspelt_field_did_not_hide_is_not_linked(tmp_path: Path) -> None:
    # the council misspells `receives`; its separate typo `role: mahs` and the
    # other organisations' own problems do not follow from that (review, issue 19)
    council = COUNCIL.replace("receives:", "recieves:").replace(
        "raci: accountable}\n      - {duty: train-staff, role: mash",
        "raci: accountable}\n      - {duty: train-staff, role: mahs",
    )
    findings = _check(tmp_path, council=council)
    typo = [f for f in findings if f.code == "PC106"]
    assert typo and all(not f.cause for f in typo), typo


def test_an_organisation_is_named_by_its_whole_id_only(tmp_path: Path) -> None:
    # `council` misspells its roles; steps to `north-council/...` are not about it
    north = COUNCIL.replace("id: council, name: North Council", "id: north-council, name: N")
    files = {
        "partnership.yaml": PARTNERSHIP.replace("members: [school, surgery, council]", ""),
        "orgs/council.yaml": COUNCIL.replace("roles:", "rolse:"),
        "orgs/north-council.yaml": north,
        "orgs/school.yaml": SCHOOL.replace("council/mash", "north-council/edt"),
    }
    make_repo(tmp_path, files)
    findings = check([str(tmp_path)], options=Options(today=TODAY)).findings
    [cause] = [f for f in findings if f.code == "PC003"]
    for finding in findings:
        if finding.organisation == "school":
            assert finding.cause != cause.fingerprint, finding


def test_a_field_beside_its_section_does_not_stand_for_it(tmp_path: Path) -> None:
    # the school has its `escalations:` and an extra prose field; its missing
    # path for a second concern does not follow from that field
    extra = SCHOOL + "    escalation_notes: we phone the MASH\n"
    concern = "      - {id: exploitation, title: Exploitation, must_reach: [council/mash]}\n"
    files = {
        "partnership.yaml": PARTNERSHIP.replace("    glossary:", concern + "    glossary:"),
        "orgs/council.yaml": COUNCIL,
        "orgs/school.yaml": extra,
        "orgs/surgery.yaml": SURGERY,
    }
    make_repo(tmp_path, files)
    findings = check([str(tmp_path)], options=Options(today=TODAY)).findings
    missing = [f for f in findings if f.code == "PC207" and f.organisation == "school"]
    assert missing and not missing[0].cause
    [field] = [f for f in findings if f.code == "PC003"]
    assert "follow" not in field.message


def test_a_walk_ending_at_an_unreadable_organisation_follows_from_its_file(
    tmp_path: Path,
) -> None:
    # the school's night route goes to the council's EDT; the council's file
    # does not parse, so the night walk ends there: that follows from the file
    school = SCHOOL.replace(
        "{to: council/mash, within: 1 hour}",
        "{to: council/mash, within: 1 hour, out_of_hours: council/edt}",
    )
    broken = "policycoord: 1\norganisation: {id: council, name: North Council\nroles: [\n"
    findings = _check(tmp_path, school=school, council=broken)
    [problem] = [f for f in findings if f.code == "PC001"]
    [dead_end] = [f for f in findings if f.code == "PC203"]
    assert problem.organisation == "council"
    assert dead_end.cause == problem.fingerprint
    assert "whose organisation's policy file (orgs/council.yaml) could not be read" in (
        dead_end.message
    )
    assert "Until this file can be read, nothing about `council` can be checked" in (
        problem.message
    )


def test_an_empty_key_is_a_field_like_any_other(tmp_path: Path) -> None:
    # found by the YAML test suite (WZ62): `"": value` has the pointer "/"
    findings = _check(tmp_path, school=SCHOOL + '    "": stray\n    ? ""\n    : again\n')
    assert "PC001" in {f.code for f in findings} or "PC003" in {f.code for f in findings}
    findings = _check(tmp_path, school=SCHOOL + '    "": {id: x}\n')
    assert [f.code for f in findings] == ["PC003"]
