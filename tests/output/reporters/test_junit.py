"""`--format junit`: well-formed JUnit XML whatever the user text, one test
case per organisation (and one for partnership-wide findings), a failure per
finding at or above the fail level, the rest in `<system-out>`."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY, CliRunner
from markupsafe import escape

from output.reporters.hostile_repo import hostile_repo, json_findings, raw_controls
from output.test_report_formats_golden import broken_repo
from policycoord.core.findings import Location, Severity
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.junit import PARTNERSHIP_WIDE, render
from policycoord.workflows.pipeline import Options, check

# XML 1.0's Char production
XML_CHARS = "\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"


def junit(cli: CliRunner, repo: Path, *args: str) -> tuple[str, ET.Element]:
    code, out, err = cli("check", "--today", TODAY, "-f", "junit", *args, cwd=repo)
    assert code in (0, 1), err
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    return out, ET.fromstring(out.encode("utf-8"))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    (suite,) = root.findall("testsuite")
    found = {case.get("name", ""): case for case in suite.findall("testcase")}
    assert len(found) == len(suite.findall("testcase")), "test case names are unique"
    return found


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_counts(cli: CliRunner, fail_on: str) -> None:
    _, root = junit(cli, EXAMPLES, "--fail-on", fail_on)
    document = json_findings(cli, EXAMPLES, "--fail-on", fail_on)
    levels = {"error": 3, "warning": 2, "info": 1, "never": 4}
    rank = {"error": 3, "warning": 2, "info": 1}
    failing = [f for f in document["findings"] if rank[f["severity"]] >= levels[fail_on]]
    by_name = cases(root)
    organisations = sorted({f["organisation"] for f in document["findings"]} - {None})
    assert list(by_name) == [PARTNERSHIP_WIDE, *sorted(set(organisations) | _all_orgs())]
    # one failure per test case, whatever number of findings fail in it
    for name, case in by_name.items():
        organisation = None if name == PARTNERSHIP_WIDE else name
        mine = [f for f in failing if f["organisation"] == organisation]
        failures = case.findall("failure")
        assert len(failures) == (1 if mine else 0), name
        if mine:
            (failure,) = failures
            worst = max(mine, key=lambda f: rank[f["severity"]])  # the first of the worst
            assert failure.get("type") == worst["code"]
            assert (failure.text or "").count("\n   Fix: ") == len(mine)
    failed_cases = sum(1 for case in by_name.values() if case.find("failure") is not None)
    (suite,) = root.findall("testsuite")
    for element in (root, suite):
        assert element.get("name") == "policycoord"
        assert element.get("tests") == str(len(by_name))
        assert element.get("failures") == str(failed_cases)
    outs = "".join(case.findtext("system-out", "") for case in by_name.values())
    below = len(document["findings"]) - len(failing)
    assert outs.count("\n") == below + document["summary"]["suppressed"]
    assert "(accepted, waived until 2027-03-31: The Integrated Care Board" in outs
    for case in by_name.values():
        assert case.get("classname") == "policycoord"


def _all_orgs() -> set[str]:
    return {path.stem for path in (EXAMPLES / "orgs").glob("*.yaml")}


def test_failure_details(cli: CliRunner) -> None:
    _, root = junit(cli, EXAMPLES)
    (failure,) = cases(root)["st-marys-primary"].findall("failure")
    assert failure.get("type") == "PC102"
    assert failure.get("message", "").startswith(
        "1 finding fails: error PC102 duty-not-covered: "
        "St Mary's Church of England Primary School has no accountable role"
    )
    text = failure.text or ""
    assert text.startswith(
        "1. orgs/st-marys-primary.yaml:4:7  error  PC102 duty-not-covered\n"
        "   St Mary's Church of England Primary School has no accountable role"
    )
    assert "\n   Fix: Decide which of your roles answers for this duty" in text
    assert "\n   See: partnership.yaml:24:" in text


def test_several_findings_share_the_one_failure(cli: CliRunner) -> None:
    _, root = junit(cli, EXAMPLES, "--fail-on", "warning")
    (failure,) = cases(root)["riverside-fc"].findall("failure")
    # two errors and a warning: the worst is the first error in the report's order
    assert failure.get("type") == "PC203"
    assert failure.get("message", "").startswith(
        "3 findings fail: the worst, error PC203 escalation-dead-end: The significant-harm path"
    )
    text = failure.text or ""
    starts = re.findall(r"^(\d+)\. (\S+)  (\w+)  (PC\d+) ", text, flags=re.MULTILINE)
    assert starts == [
        ("1", "orgs/riverside-fc.yaml:9:18", "warning", "PC401"),
        ("2", "orgs/riverside-fc.yaml:39:14", "error", "PC203"),
        ("3", "orgs/riverside-fc.yaml:45:13", "error", "PC201"),
    ]
    assert text.count("\n\n") == 2  # a blank line between findings


def test_a_member_without_a_file_has_a_test_case(cli: CliRunner, tmp_path: Path) -> None:
    _, root = junit(cli, broken_repo(tmp_path / "repo"))
    by_name = cases(root)
    assert {"missing", "gamma", "alpha", PARTNERSHIP_WIDE} <= set(by_name)
    assert [f.get("type") for f in by_name["missing"].findall("failure")] == ["PC006"]


def test_hostile_text_stays_well_formed_and_shown(cli: CliRunner, tmp_path: Path) -> None:
    out, root = junit(cli, hostile_repo(tmp_path / "repo"), "--fail-on", "warning")
    assert re.fullmatch(f"[{XML_CHARS}]*", out)
    assert raw_controls(out) == []
    failure = next(f for f in root.iter("failure") if "  PC007 " in (f.text or ""))
    (line,) = [
        line for line in (failure.text or "").splitlines() if line.startswith("   %0A")
    ]  # the message, on a line of its own under its finding's number
    assert line.startswith(
        "   %0A:\\x3aerror:\\x3ax\\x0a:\\x3awarning file=a,line=1:\\x3ainjected\\x0d\\x0a"
        "<script>alert(1)</script>"
        " ]]> \\x1b[31mred <U+202E>evil \\x00\\x07\\x85\\x9b<U+FFFE> [link](1) {0}"
    )
    assert "<script>" not in out and "]]>" not in out


def test_characters_xml_forbids_are_replaced() -> None:
    report = check([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    nasty = "a\x00b\x08c\ufffe\uffffd\ud800e\udcff]]><![CDATA[&\x1b\u202e\x85"
    finding = dataclasses.replace(
        report.findings[0],
        severity=Severity.ERROR,
        message=nasty,
        suggestion=nasty,
        organisation=nasty,
        location=Location(f"orgs/{nasty}.yaml", 1, 1),
        related=(Location(nasty, 2, 2),),
    )
    out = render(dataclasses.replace(report, findings=(finding,)), RenderOptions())
    out.encode("utf-8")  # no lone surrogates
    root = ET.fromstring(out.encode("utf-8"))
    assert re.fullmatch(f"[{XML_CHARS}]*", out)
    (failure,) = root.iter("failure")
    shown = "a\\x00b\\x08c<U+FFFE><U+FFFF>d<U+D800>e<U+DCFF>]]><![CDATA[&\\x1b<U+202E>\\x85"
    assert failure.get("message") == f"1 finding fails: error PC403 no-mission-commitment: {shown}"
    assert shown in [case.get("name") for case in root.iter("testcase")]
    assert f"\n   Fix: {shown}\n   See: {shown}:2:2\n" in (failure.text or "")


def test_an_xml_output_file_means_junit(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "policycoord.xml"
    code, out, err = cli("check", "--today", TODAY, "-o", target, cwd=EXAMPLES)
    assert (code, out, err) == (1, "", "")
    assert target.read_text(encoding="utf-8") == junit(cli, EXAMPLES)[0]


# --- real readers: every finding survives -----------------------------------------------


def _expected(finding: dict[str, Any]) -> tuple[str, ...]:
    """What a reader must find of a failing finding: where, how bad, which
    code, the message and what to do."""
    where = f"{finding['path']}:{finding['line']}:{finding['column']}"
    head = f"{where}  {finding['severity']}  {finding['code']} {finding['name']}"
    return head, finding["message"], f"Fix: {finding['suggestion']}"


def _by_case(document: dict[str, Any], fail_on: str) -> dict[str, tuple[list[Any], list[Any]]]:
    """Test case name -> (its failing findings, the others)."""
    rank = {"error": 3, "warning": 2, "info": 1, "never": 4}
    grouped: dict[str, tuple[list[Any], list[Any]]] = {}
    for finding in document["findings"]:
        name = finding["organisation"] or PARTNERSHIP_WIDE
        failing, other = grouped.setdefault(name, ([], []))
        (failing if rank[finding["severity"]] >= rank[fail_on] else other).append(finding)
    return grouped


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_every_finding_survives_xunitparser(cli: CliRunner, fail_on: str) -> None:
    xunitparser = pytest.importorskip("xunitparser", reason="pip install xunitparser (test extra)")
    out, _ = junit(cli, EXAMPLES, "--fail-on", fail_on)
    document = json_findings(cli, EXAMPLES, "--fail-on", fail_on)
    # xunitparser also asserts that `tests` and `failures` match what it read
    suite, result = xunitparser.parse(io.BytesIO(out.encode("utf-8")))
    read = {case.methodname: case for case in suite}
    grouped = _by_case(document, fail_on)
    assert len(result.failures) == sum(1 for failing, _ in grouped.values() if failing)
    seen = 0
    for name, (failing, other) in grouped.items():
        case = read[name]
        if failing:
            assert case.result == "failure"
            assert case.message.startswith(f"{len(failing)} finding")
            for finding in failing:
                for part in _expected(finding):
                    assert part in case.trace, (name, part)
                seen += 1
        for finding in other:
            assert finding["message"] in (case.stdout or ""), (name, finding["code"])
            seen += 1
    assert seen == len(document["findings"]) > 0
    assert "(accepted, waived until 2027-03-31" in (read["northshire-icb"].stdout or "")


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_every_finding_survives_junit2html(cli: CliRunner, fail_on: str) -> None:
    parser = pytest.importorskip(
        "junit2htmlreport.parser", reason="pip install junit2html (test extra)"
    )
    out, _ = junit(cli, EXAMPLES, "--fail-on", fail_on)
    document = json_findings(cli, EXAMPLES, "--fail-on", fail_on)
    report = parser.Junit(xmlstring=out)
    read = {case.name: case for suite in report for case in suite.all()}
    page = report.html()
    seen = 0
    for name, (failing, other) in _by_case(document, fail_on).items():
        case = read[name]
        assert case.failed() == bool(failing)
        for finding in failing:
            for part in _expected(finding):
                assert part in case.failure, (name, part)
                assert str(escape(part)) in page, (name, part)
            seen += 1
        for finding in other:
            assert finding["message"] in (case.stdout or "")
            seen += 1
    assert seen == len(document["findings"]) > 0
