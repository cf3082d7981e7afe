"""`--format html`: one self-contained page for the partnership board.

A pure reporter, `render(report, options) -> str`. The page holds its own CSS,
its own small filter script and its diagrams as inline SVG: it loads nothing
(a Content-Security-Policy `<meta>` forbids every network load and lets only
this module's own style and script run, by their SHA-256 hashes).

- Header: the partnership, the verdict in words, and summary cards.
- Findings: a table (severity, code and name, kind of problem, organisation,
  `path:line`, message, what to do, related places), filterable by severity,
  organisation and kind (the families of `core.findings.FAMILIES`, stamped
  on each finding by the engine) with the filter script; without JavaScript
  every finding is shown and the filter form stays `hidden`. Then the
  suppressed findings with their waiver or the baseline.
- The responsibility matrix (`html_matrix`) and each concern's escalation
  paths (`html_diagrams`), when the run built them.

Safety: the template is rendered by the jinja2 environment of `html_page`,
with autoescaping on for everything, and every piece of user text first goes
through `core.text.visible` (bidi and control characters shown, not obeyed).
This module hands the template plain strings and numbers only; the one
`Markup` is the package's own CSS and script. No user text goes into the
`<script>`: the filter reads `data-` attributes that hold our own keys
(`o3`, `gaps`). Nothing depends on the clock or on hash order: the same
report gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import (
    FAMILIES,
    Finding,
    Report,
    Severity,
    Suppressed,
    causes_first,
)
from policycoord.core.text import visible
from policycoord.core.timeframes import long_date
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.html_diagrams import diagram_view
from policycoord.output.reporters.html_matrix import matrix_view
from policycoord.output.reporters.html_page import (
    Pieces,
    Place,
    asset,
    count,
    csp_hash,
    environment,
    pieces,
    place,
)

if TYPE_CHECKING:
    from policycoord.views import Views

TEMPLATE = "html/report.html.j2"
STYLESHEET = "html/report.css"
SCRIPT = "html/filters.js"

SEVERITY_WORDS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Info"}
PARTNERSHIP_WIDE = "Partnership-wide"
OTHER_FAMILY = ("other", "Other")


# --- the view model the template reads ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Card:
    key: str  # css class
    number: int
    words: str


@dataclass(frozen=True, slots=True)
class FindingView:
    severity: str  # error | warning | info
    severity_words: str
    code: str
    name: str
    family: str  # key of FAMILIES
    family_words: str
    organisation_key: str  # "partnership" or o<number>: our own key, for the filter
    organisation: str
    place: Place
    message: Pieces
    suggestion: Pieces
    related: tuple[Place, ...]
    #: where a person changes the field behind it (the browser workspace's
    #: form); "" in the report, which is a file of its own
    href: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    words: str
    count: int


@dataclass(frozen=True, slots=True)
class SuppressedView:
    finding: FindingView
    waiver: bool
    reason: str
    approvers: str
    expires: str
    waiver_place: Place | None
    baseline: str


# --- rendering ---------------------------------------------------------------------------


def render(report: Report, options: RenderOptions) -> str:
    style = asset(STYLESHEET)
    script = asset(SCRIPT)
    csp = (
        "default-src 'none'; "
        f"style-src {csp_hash(style)}; "
        f"script-src {csp_hash(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    template = environment().get_template(TEMPLATE)
    return template.render(
        **page_context(report, options.views),
        csp=csp,
        style=Markup(style),  # the package's own stylesheet, not user data
        script=Markup(script),  # the package's own script, not user data
    )


#: Where a finding's field is changed (the browser workspace gives one)
Href = Callable[[Finding], str]


def page_context(report: Report, views: Views | None, href: Href | None = None) -> dict[str, Any]:
    """What the report's template and its parts (`templates/html/parts/`)
    read: the browser workspace's dashboard renders the same parts from it,
    with `href` linking each finding to the form field behind it."""
    keys = _organisation_keys(report)
    findings = [_finding_view(report, f, keys, href) for f in _ordered(report.findings)]
    return {
        "tool": TOOL_NAME,
        "version": report.tool_version,
        "title": _title(report),
        "partnership": visible(report.partnership_name or report.partnership or ""),
        "verdict": _verdict(report),
        "failed": report.failed,
        "cards": _cards(report),
        "findings": findings,
        "severities": _severity_choices(findings),
        "organisations": _organisation_choices(findings),
        "families": _family_choices(findings),
        "suppressed": [_suppressed_view(report, s, keys) for s in report.suppressed],
        "stale": [
            (e.code, _organisation_words(report, e.organisation), pieces(visible(e.message)))
            for e in report.stale_baseline
        ],
        "views_built": views is not None,
        "matrix": matrix_view(views.matrix) if views is not None else None,
        "diagrams": [diagram_view(n, d) for n, d in enumerate(views.diagrams, 1)] if views else [],
    }


def _title(report: Report) -> str:
    name = report.partnership_name or report.partnership
    return "Safeguarding policy check" + (f": {visible(name)}" if name else "")


def _verdict(report: Report) -> tuple[str, str]:
    """The result in one word (`Failed`, `Passed`) and in a sentence or two."""
    total = len(report.findings)
    summary = report.summary
    levels = (
        f"{count(summary.error, 'error', 'errors')}, "
        f"{count(summary.warning, 'warning', 'warnings')}, {summary.info} info"
    )
    if report.fail_on == "never":
        rule = "Nothing fails this run (--fail-on never)."
    else:
        rule = f"A run fails on a finding of severity {report.fail_on} or above."
    if report.failed:
        return "Failed", f"{count(total, 'finding', 'findings')} ({levels}). {rule}"
    if total:
        found = count(total, "finding", "findings")
        return "Passed", f"{found} below the fail level ({levels}). {rule}"
    if report.suppressed:
        return "Passed", "No new findings on any of the checks that ran."
    return "Passed", "No findings on any of the checks that ran."


def _cards(report: Report) -> list[Card]:
    summary = report.summary
    return [
        Card("error", summary.error, "errors" if summary.error != 1 else "error"),
        Card("warning", summary.warning, "warnings" if summary.warning != 1 else "warning"),
        Card("info", summary.info, "info"),
        Card("suppressed", summary.suppressed, "suppressed"),
        Card("files", summary.files, "files read" if summary.files != 1 else "file read"),
        Card(
            "organisations",
            summary.organisations,
            "organisations" if summary.organisations != 1 else "organisation",
        ),
    ]


# --- findings ------------------------------------------------------------------------------


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within a severity, the report's
    order, but a cause before what follows from it."""
    return sorted(causes_first(list(findings)), key=lambda f: -f.severity.rank)


def _family(finding: Finding) -> tuple[str, str]:
    """The finding's family (stamped by the engine) and its heading."""
    if finding.family not in FAMILIES:
        return OTHER_FAMILY
    return finding.family, FAMILIES[finding.family]


def _organisation_keys(report: Report) -> dict[str, str]:
    """Our own short key for each organisation (`o1`, `o2`...), by name: the
    filter script compares keys, never user text."""
    ids = set(report.organisation_names)
    everything = (*report.findings, *(s.finding for s in report.suppressed))
    ids |= {f.organisation for f in everything if f.organisation is not None}
    ordered = sorted(ids, key=lambda org: (_organisation_words(report, org).casefold(), org))
    return {org: f"o{number}" for number, org in enumerate(ordered, 1)}


def _organisation_words(report: Report, organisation: str | None) -> str:
    if organisation is None:
        return PARTNERSHIP_WIDE
    name = report.organisation_names.get(organisation)
    return visible(name if name else organisation)


def _finding_view(
    report: Report, finding: Finding, keys: dict[str, str], href: Href | None = None
) -> FindingView:
    family, family_words = _family(finding)
    organisation = finding.organisation
    return FindingView(
        severity=finding.severity.value,
        severity_words=SEVERITY_WORDS[finding.severity],
        code=visible(finding.code),
        name=visible(finding.name),
        family=family,
        family_words=family_words,
        organisation_key="partnership" if organisation is None else keys[organisation],
        organisation=_organisation_words(report, organisation),
        place=place(finding.location),
        message=pieces(visible(finding.message)),
        suggestion=pieces(visible(finding.suggestion)),
        related=tuple(place(r) for r in finding.related),
        href=href(finding) if href is not None else "",
    )


def _severity_choices(findings: list[FindingView]) -> list[Choice]:
    counts = Counter(f.severity for f in findings)
    return [
        Choice(severity.value, SEVERITY_WORDS[severity], counts[severity.value])
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]


def _organisation_choices(findings: list[FindingView]) -> list[Choice]:
    counts = Counter(f.organisation_key for f in findings)
    words = {f.organisation_key: f.organisation for f in findings}
    ordered = sorted(counts, key=lambda key: (0, 0) if key == "partnership" else (1, int(key[1:])))
    return [Choice(key, words[key], counts[key]) for key in ordered]


def _family_choices(findings: list[FindingView]) -> list[Choice]:
    counts = Counter(f.family for f in findings)
    order = [*FAMILIES, OTHER_FAMILY[0]]
    words = {**FAMILIES, OTHER_FAMILY[0]: OTHER_FAMILY[1]}
    return [Choice(key, words[key], counts[key]) for key in order if counts[key]]


def _long_date(iso: str) -> str:
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return visible(iso)
    return long_date(day)


def _suppressed_view(
    report: Report, suppressed: Suppressed, keys: dict[str, str]
) -> SuppressedView:
    finding = _finding_view(report, suppressed.finding, keys)
    waiver = suppressed.waiver
    if waiver is None:
        return SuppressedView(
            finding=finding,
            waiver=False,
            reason="",
            approvers="",
            expires="",
            waiver_place=None,
            baseline=visible(report.baseline or "the baseline file"),
        )
    return SuppressedView(
        finding=finding,
        waiver=True,
        reason=visible(waiver.reason),
        approvers=", ".join(_organisation_words(report, org) for org in waiver.approved_by),
        expires=_long_date(waiver.expires),
        waiver_place=place(waiver.location),
        baseline="",
    )
