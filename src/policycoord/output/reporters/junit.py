"""`--format junit` (also chosen by `-o FILE.xml`, the only XML format): a
JUnit XML report, for CI systems that show test results (GitLab's
`artifacts: reports: junit:`, Jenkins, Azure DevOps).

    <testsuites name="policycoord" tests="11" failures="4">
      <testsuite name="policycoord" tests="11" failures="4" errors="0" skipped="0">
        <testcase classname="policycoord" name="(partnership-wide)"/>
        <testcase classname="policycoord" name="riverside-fc">
          <failure type="PC203" message="2 findings fail: the worst, error PC203 ...">
    1. orgs/riverside-fc.yaml:39:14  error  PC203 escalation-dead-end
       The significant-harm path goes ...
       Fix: Continue the path to ...
       See: orgs/riverside-fc.yaml:45:13

    2. orgs/riverside-fc.yaml:45:13  error  PC201 ...
          </failure>
          <system-out>... findings below the fail level ...</system-out>
        </testcase>

One test case per organisation: first `(partnership-wide)` for findings
that belong to no organisation (the partnership file, and files whose
organisation is not known; its name is not a valid id, so it cannot be
mistaken for an organisation's), then every organisation with a file and
every organisation a finding names (a member without a file, say), by id.

A test case has at most one `<failure>`, as JUnit has it: the readers keep
one (xunitparser keeps the last of several, junit2html shows none of them),
so several would lose findings. It holds every finding of the organisation
at or above the run's fail level (`fails()`): its `message` says how many
and which is the worst (the most severe, the first in the report's order of
those), its `type` is the worst's code, and its text lists each of them,
numbered, with `path:line:col`, severity, code and name, the message, what
to do and the related places. Findings below the fail level, and findings
that a waiver or the baseline accepted (with the reason), are listed in
`<system-out>`, so nothing is dropped. `tests` counts the test cases and
`failures` the test cases with a failure, as JUnit counts them.

Built with ElementTree, never by joining strings. User text is shown with
`shown()`: controls, invisible characters, lone surrogates and U+FFFE/FFFF
become `\\xNN` / `<U+XXXX>`, so the document is always well-formed XML 1.0
and nothing in it is obeyed by whoever displays it. No timestamps or
durations: the same inputs give byte-identical output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Final

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import Finding, Report, Suppressed, causes_first, fails
from policycoord.core.text import shown
from policycoord.output.formats import RenderOptions

PARTNERSHIP_WIDE: Final = "(partnership-wide)"
DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _organisations(report: Report) -> list[str]:
    named = {f.organisation for f in report.findings} | {
        s.finding.organisation for s in report.suppressed
    }
    return sorted({*report.organisation_names, *(o for o in named if o is not None)})


def _line(finding: Finding) -> str:
    where = finding.location
    return f"{where}  {finding.severity.value}  {finding.code} {finding.name}  {finding.message}"


def _details(number: int, finding: Finding) -> str:
    """One finding of a failure's text: where, what, what to do, and the
    related places, numbered and indented under its number."""
    where = finding.location
    lines = [
        f"{where}  {finding.severity.value}  {finding.code} {finding.name}",
        finding.message,
    ]
    if finding.suggestion:
        lines.append(f"Fix: {finding.suggestion}")
    lines += [f"See: {related}" for related in finding.related]
    mark = f"{number}. "
    indent = " " * len(mark)
    return "\n".join(
        (mark if index == 0 else indent) + shown(line) for index, line in enumerate(lines)
    )


def _worst(findings: list[Finding]) -> Finding:
    """The most severe finding; of several as severe, the first."""
    return min(findings, key=lambda finding: -finding.severity.rank)


def _failure(case: ET.Element, failing: list[Finding]) -> None:
    """The one `<failure>` of a test case, holding every failing finding."""
    worst = _worst(failing)
    about = f"{worst.severity.value} {worst.code} {worst.name}: {worst.message}"
    if len(failing) == 1:
        message = f"1 finding fails: {about}"
    else:
        message = f"{len(failing)} findings fail: the worst, {about}"
    failure = ET.SubElement(case, "failure", {"type": worst.code, "message": shown(message)})
    failure.text = "\n\n".join(_details(n, f) for n, f in enumerate(failing, 1)) + "\n"


def _accepted(report: Report, suppressed: Suppressed) -> str:
    if suppressed.waiver is not None:
        why = f"waived until {suppressed.waiver.expires}: {suppressed.waiver.reason}"
    else:
        why = f"in the baseline {report.baseline or ''}".rstrip()
    return shown(f"{_line(suppressed.finding)}  (accepted, {why})")


def _testcase(
    report: Report, name: str, findings: list[Finding], accepted: list[Suppressed]
) -> tuple[ET.Element, bool]:
    case = ET.Element("testcase", {"classname": TOOL_NAME, "name": shown(name)})
    failing = [f for f in findings if fails(f.severity, report.fail_on)]
    if failing:
        _failure(case, failing)
    below = [shown(_line(f)) for f in findings if not fails(f.severity, report.fail_on)]
    below += [_accepted(report, suppressed) for suppressed in accepted]
    if below:
        ET.SubElement(case, "system-out").text = "\n".join(below) + "\n"
    return case, bool(failing)


def document(report: Report) -> ET.Element:
    """The `<testsuites>` element."""
    groups: list[tuple[str, str | None]] = [(PARTNERSHIP_WIDE, None)]
    groups += [(organisation, organisation) for organisation in _organisations(report)]
    findings: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in causes_first(report.findings):
        findings[finding.organisation].append(finding)
    accepted: dict[str | None, list[Suppressed]] = defaultdict(list)
    for suppressed in report.suppressed:
        accepted[suppressed.finding.organisation].append(suppressed)
    cases = []
    failures = 0
    for name, organisation in groups:
        case, failed = _testcase(report, name, findings[organisation], accepted[organisation])
        cases.append(case)
        failures += failed
    counts = {"tests": str(len(cases)), "failures": str(failures)}
    suites = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
    suite = ET.SubElement(
        suites, "testsuite", {"name": TOOL_NAME, **counts, "errors": "0", "skipped": "0"}
    )
    suite.extend(cases)
    return suites


def render(report: Report, options: RenderOptions) -> str:
    root = document(report)
    ET.indent(root, space="  ")
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
