"""The Markdown check report as a document, for a given `Plan`: what it
shows whole, what it folds into `<details>` blocks and what it leaves out
(`markdown_report` chooses the plan that fits in a GitHub comment).

- the partnership's name, a one-line verdict in words, a summary table, and
  what was suppressed (by waivers, by the baseline) and which baseline
  entries are stale;
- the findings grouped by family (gaps, overlaps, conflicts, escalation,
  jargon, governance, then reading the files), one table each, errors first;
  severity is always a word, the emoji only repeats it;
- the responsibility matrix (`matrix_formats.render_markdown`);
- each concern's escalation paths as a Mermaid `flowchart LR`
  (`markdown_mermaid`), with a one-line key under each;
- when the plan leaves something out, a note saying exactly what, and how
  to see everything (the HTML report).

Every piece of user text goes through `markdown.markdown_text`; headings and
`<details>` summaries are our own words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import FAMILIES, Finding, Report, Severity, Suppressed, fails
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.markdown_mermaid import (
    DIAGRAM_KEY,
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    mermaid,
)
from policycoord.output.reporters.markdown_text import (
    COMMENT_LIMIT,
    FINDINGS_HEADER,
    NAME_LIMIT,
    SEVERITY_WORDS,
    finding_row,
    markdown_message,
    markdown_text,
    organisation_cell,
    place,
)
from policycoord.views import Views
from policycoord.views.diagrams import Diagram
from policycoord.views.matrix import Matrix

#: Where the whole of a shortened report is: this reporter is pure and does not
#: know whether it writes a comment or a file, so the Markdown is always held to
#: a comment's size; the HTML report has no limit and prints as a board paper.
FULL_REPORT = "policycoord check --format html -o report.html"
FAMILY_ORDER: Final[tuple[str, ...]] = (
    "gaps",
    "overlaps",
    "conflicts",
    "escalation",
    "jargon",
    "governance",
    "input",
)
OTHER_FAMILY: Final = ("other", "Other checks")


@dataclass(frozen=True, slots=True)
class Plan:
    """What the document holds: everything, or (when that is too long) a
    folded version with some parts cut."""

    views: bool = True  # False: the step summary, which draws no views at all
    folded: bool = False  # the detail of each section in a <details> block
    findings: int | None = None  # how many findings, most severe first (None: all)
    lists: bool = True  # the suppressed findings and stale baseline entries, listed
    matrix: bool = True
    diagrams: tuple[bool, ...] | None = None  # which diagrams are drawn (None: all)
    drawn: Views | None = None  # the matrix and diagrams to draw, when the run built them


# --- pieces of the report -------------------------------------------------------------------


def _plural(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _organisation(report: Report, organisation: str | None) -> str:
    return organisation_cell(report.organisation_names, organisation)


def _family(finding: Finding) -> tuple[str, str]:
    """The finding's family (stamped by the engine) and its heading."""
    if finding.family not in FAMILIES:
        return OTHER_FAMILY
    return finding.family, FAMILIES[finding.family]


def _families() -> list[tuple[str, str]]:
    order = [key for key in FAMILY_ORDER if key in FAMILIES]
    order += [key for key in FAMILIES if key not in order]
    return [*((key, FAMILIES[key]) for key in order), OTHER_FAMILY]


def _severity_counts(findings: Iterable[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [
        _plural(counts[Severity.ERROR], "error"),
        _plural(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]:,} info",
    ]
    return ", ".join(part for part in parts if not part.startswith("0 "))


def _by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within a severity, the report's order."""
    return sorted(findings, key=lambda f: -f.severity.rank)


def _title(report: Report, level: str) -> str:
    if report.partnership_name:
        name = markdown_text(report.partnership_name, limit=NAME_LIMIT)
    elif report.partnership:
        name = markdown_text(report.partnership, limit=NAME_LIMIT)
    else:
        name = "Safeguarding policies"
    return f"{level} {name}: policy check"


def _verdict(report: Report) -> str:
    total = len(report.findings)
    failing = sum(fails(f.severity, report.fail_on) for f in report.findings)
    if report.fail_on == "never":
        rule = "nothing fails this run (`--fail-on never`)"
    else:
        rule = f"a run fails on a finding of severity {report.fail_on} or above"
    if report.failed:
        return (
            f"**❌ Failed:** {_plural(total, 'finding')}, {failing:,} at or above the fail "
            f"level; {rule}."
        )
    if total:
        return f"**✅ Passed** with {_plural(total, 'finding')} below the fail level; {rule}."
    if report.suppressed:
        return f"**✅ Passed:** no new findings on any of the checks that ran; {rule}."
    return f"**✅ Passed:** no findings on any of the checks that ran; {rule}."


def _summary_table(report: Report) -> list[str]:
    summary = report.summary
    return [
        "| | Count |",
        "|---|---:|",
        f"| Files read | {summary.files:,} |",
        f"| Organisations | {summary.organisations:,} |",
        f"| Errors | {summary.error:,} |",
        f"| Warnings | {summary.warning:,} |",
        f"| Info | {summary.info:,} |",
        f"| Suppressed | {summary.suppressed:,} |",
    ]


def _suppressed_line(report: Report) -> list[str]:
    if not report.suppressed:
        return []
    waived = sum(1 for s in report.suppressed if s.waiver is not None)
    baselined = len(report.suppressed) - waived
    parts = []
    if waived:
        parts.append(f"{waived:,} by waivers in the partnership file")
    if baselined:
        baseline = markdown_text(report.baseline, limit=NAME_LIMIT) if report.baseline else ""
        parts.append(f"{baselined:,} by the baseline {baseline}".rstrip())
    count = len(report.suppressed)
    return [f"{_plural(count, 'finding')} suppressed: " + " and ".join(parts) + "."]


def _stale_line(report: Report) -> list[str]:
    count = len(report.stale_baseline)
    if not count:
        return []
    verb = "no longer occurs" if count == 1 else "no longer occur"
    return [
        f"{_plural(count, 'baseline entry', 'baseline entries')} {verb}: write the baseline "
        "again with `policycoord baseline` to shrink it."
    ]


def _suppressed_row(report: Report, suppressed: Suppressed) -> str:
    finding = suppressed.finding
    waiver = suppressed.waiver
    if waiver is None:
        why = "the baseline"
        if report.baseline:
            why += " " + markdown_text(report.baseline, limit=NAME_LIMIT)
    else:
        approvers = ", ".join(_organisation(report, org) for org in waiver.approved_by)
        why = (
            f"waiver ({place(waiver.location)}), until {markdown_text(waiver.expires)}, "
            f"approved by {approvers}: {markdown_text(waiver.reason, breaks=True)}"
        )
    cells = (
        SEVERITY_WORDS[finding.severity],
        markdown_text(finding.code, limit=NAME_LIMIT),
        _organisation(report, finding.organisation),
        place(finding.location),
        markdown_message(finding.message, breaks=True),
        why,
    )
    return "| " + " | ".join(cells) + " |"


def _details(summary: str, body: list[str]) -> list[str]:
    """`body` folded under `summary` (our own words only, never user text)."""
    return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]


# --- diagrams -------------------------------------------------------------------------------


def _diagram_intro(diagram: Diagram) -> str:
    starts = sum(1 for node in diagram.nodes if node.start)
    line = (
        f"Concern {markdown_text(diagram.concern, limit=NAME_LIMIT)}: "
        f"{_plural(starts, 'organisation')} with a path, {_plural(len(diagram.edges), 'arrow')}"
    )
    if diagram.max_total:
        line += f"; the whole path must take {markdown_text(diagram.max_total)} or less at worst"
    if diagram.codes:
        codes = ", ".join(markdown_text(code, limit=NAME_LIMIT) for code in diagram.codes)
        return line + f". Findings about these paths: {codes}."
    return line + ". No findings about these paths."


def _diagram_section(diagram: Diagram, *, folded: bool) -> list[str]:
    statements = mermaid(diagram)
    drawing = "\n".join(statements)
    if len(drawing) > MERMAID_MAX_TEXT or len(diagram.edges) > MERMAID_MAX_EDGES:
        body = [
            f"Too large to draw here ({len(drawing):,} characters, "
            f"{_plural(len(diagram.edges), 'arrow')}): `policycoord check --format html` draws it."
        ]
    else:
        body = ["```mermaid", *statements, "```", "", DIAGRAM_KEY]
    if folded:
        body = _details("Show the diagram", body)
    heading = f"### {markdown_text(diagram.title, limit=NAME_LIMIT)}"
    return [heading, "", _diagram_intro(diagram), "", *body, ""]


# --- the document ----------------------------------------------------------------------------


def _kept(report: Report, plan: Plan) -> set[int]:
    """The indexes of the findings shown: the most severe first."""
    if plan.findings is None:
        return set(range(len(report.findings)))
    ordered = sorted(range(len(report.findings)), key=lambda i: -report.findings[i].severity.rank)
    return set(ordered[: plan.findings])


def _folded(plan: Plan, summary: str, body: list[str]) -> list[str]:
    return _details(summary, body) if plan.folded else body


def _findings_section(report: Report, plan: Plan, level: str) -> list[str]:
    lines = [f"{level} Findings", ""]
    if not report.findings:
        return [*lines, "No findings.", ""]
    keep = _kept(report, plan)
    groups: dict[str, list[int]] = {}
    for index, finding in enumerate(report.findings):
        groups.setdefault(_family(finding)[0], []).append(index)
    families = [(key, title) for key, title in _families() if key in groups]
    causes = {f.cause for f in report.findings if f.cause}
    if causes:  # the family holding a root cause is read first (issue 19)
        first = {_family(f)[0] for f in report.findings if f.fingerprint in causes}
        families.sort(key=lambda family: family[0] not in first)
    counts = "; ".join(f"{title} {len(groups[key]):,}" for key, title in families)
    lines += [f"By kind: {counts}.", ""]
    for key, title in families:
        found = [report.findings[i] for i in groups[key]]
        lines += [f"{level}# {title} ({_severity_counts(found)})", ""]
        kept = [report.findings[i] for i in groups[key] if i in keep]
        left_out = [report.findings[i] for i in groups[key] if i not in keep]
        if kept:
            table = [
                *FINDINGS_HEADER,
                *(finding_row(f, report.organisation_names) for f in _by_severity(kept)),
            ]
            lines += [*_folded(plan, f"Show {_plural(len(kept), 'finding')}", table), ""]
        if left_out:
            lines += [
                f"*{_plural(len(left_out), 'more finding')} of this kind not shown here "
                f"({_severity_counts(left_out)}).*",
                "",
            ]
    return lines


def _lists_section(report: Report, plan: Plan, level: str) -> list[str]:
    lines: list[str] = []
    if report.suppressed:
        table = [
            "| Severity | Code | Organisation | Where | Message | Accepted by |",
            "|---|---|---|---|---|---|",
            *(_suppressed_row(report, s) for s in report.suppressed),
        ]
        lines += [f"{level} Suppressed findings", ""]
        lines += [*_folded(plan, f"Show {_plural(len(report.suppressed), 'finding')}", table), ""]
    if report.stale_baseline:
        table = [
            "| Code | Organisation | Message |",
            "|---|---|---|",
            *(
                f"| {markdown_text(e.code, limit=NAME_LIMIT)} | "
                f"{_organisation(report, e.organisation)} | {markdown_message(e.message)} |"
                for e in report.stale_baseline
            ),
        ]
        count = _plural(len(report.stale_baseline), "entry", "entries")
        lines += [f"{level} Stale baseline entries", ""]
        lines += [*_folded(plan, f"Show {count}", table), ""]
    return lines


def _matrix_cell(text: str) -> str:
    return markdown_text(text, limit=NAME_LIMIT)


def _matrix_section(matrix: Matrix, plan: Plan) -> list[str]:
    from policycoord.output.reporters.matrix_formats import render_markdown, summary_line

    heading = "## Responsibility matrix"
    start = [summary_line(matrix), ""] if matrix.rows else []
    if not plan.matrix:
        return [heading, "", *start, "Left out to fit in a comment (see above).", ""]
    text = render_markdown(matrix, RenderOptions(), cell=_matrix_cell)
    body = text.rstrip("\n").split("\n")[2:]  # below its own heading
    if plan.folded:
        return [heading, "", *start, *_details("Show the matrix", body), ""]
    return [heading, "", *body, ""]


def _diagrams_section(diagrams: tuple[Diagram, ...], plan: Plan) -> list[str]:
    if not diagrams:
        return []
    drawn = plan.diagrams if plan.diagrams is not None else (True,) * len(diagrams)
    lines = ["## Escalation paths", ""]
    left_out = drawn.count(False)
    if left_out:
        lines += [
            f"{_plural(left_out, 'diagram')} of {len(diagrams):,} left out to fit in a "
            "comment (see above).",
            "",
        ]
    for diagram, shown_here in zip(diagrams, drawn, strict=True):
        if shown_here:
            lines += _diagram_section(diagram, folded=plan.folded)
    return lines


def _left_out_note(report: Report, plan: Plan) -> list[str]:
    """Say exactly what a cut report does not show, and how to see it all."""
    missing = []
    if plan.findings is not None and plan.findings < len(report.findings):
        hidden = _by_severity(report.findings)[plan.findings :]
        missing.append(
            f"{_plural(len(hidden), 'finding')} not shown ({_severity_counts(hidden)}; "
            "the least severe are left out first)"
        )
    if not plan.lists and (report.suppressed or report.stale_baseline):
        missing.append("the list of suppressed findings and stale baseline entries (counted above)")
    if plan.views and plan.drawn is not None:
        if not plan.matrix:
            missing.append("the responsibility matrix (`policycoord matrix --format markdown`)")
        left_out = (plan.diagrams or ()).count(False)
        if left_out:
            missing.append(
                f"{_plural(left_out, 'escalation diagram')} "
                "(`policycoord check --format html` draws every one)"
            )
    if not missing:
        return []
    return [
        f"> **This report is shortened** to fit in a GitHub comment ({COMMENT_LIMIT:,} "
        "characters): " + "; ".join(missing) + f". Run `{FULL_REPORT}` for the full report "
        "(every finding, the matrix and every diagram).",
        "",
    ]


def document(report: Report, plan: Plan) -> str:
    """The report as Markdown, holding what `plan` says (whole, folded, cut)."""
    level = "##" if plan.views else "###"
    lines = [_title(report, level[:-1]), "", _verdict(report), "", *_summary_table(report), ""]
    for note in (*_suppressed_line(report), *_stale_line(report)):
        lines += [note, ""]
    lines += _left_out_note(report, plan)
    lines += _findings_section(report, plan, level)
    if plan.lists:
        lines += _lists_section(report, plan, level)
    if plan.views and plan.drawn is not None:
        lines += _matrix_section(plan.drawn.matrix, plan)
        lines += _diagrams_section(plan.drawn.diagrams, plan)
    lines += ["---", "", f"*Written by {TOOL_NAME} {markdown_text(report.tool_version)}.*"]
    return "\n".join(lines) + "\n"
