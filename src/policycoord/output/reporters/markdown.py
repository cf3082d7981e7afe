"""`--format markdown`: the report as a pull-request comment or a board paper.

A pure reporter, `render(report, options) -> str`, for readers who are
safeguarding leads, not programmers:

- the partnership's name, a one-line verdict in words, a summary table, and
  what was suppressed (by waivers, by the baseline) and which baseline
  entries are stale;
- the findings grouped by family (gaps, overlaps, conflicts, escalation,
  jargon, governance, then reading the files), one table each, errors first;
  severity is always a word, the emoji only repeats it;
- the responsibility matrix (`matrix_formats.render_markdown`);
- each concern's escalation paths as a Mermaid `flowchart LR`, with a
  one-line key under each.

`summary(report)` is the shorter version (verdict, summary table, findings)
for a GitHub Actions step summary.

Safety. Every piece of user text (names, titles, messages, suggestions,
paths, terms) goes through `markdown_text` (Markdown and table cells) or
`mermaid_label` (inside a diagram), never straight into the document. Both
first show controls and invisible characters with `textsafe.visible`.
GitHub turns `@name` into a notification and `#12` (or `GH-12`) into a
cross-reference even when the `@` is backslash-escaped or written as
`&#64;` (its mention filter runs on the rendered HTML, after entities are
decoded), so those tokens, `://` and `www.` are split with an empty HTML
comment, which shows nothing and leaves no invisible character in text
copied from the page.

Size. A GitHub comment holds 65,536 characters (the report keeps to
`BUDGET`, counted in UTF-16 units as a browser counts them). The report is
built whole; if that is too long, each section keeps its heading and counts
and folds its detail into a `<details>` block, the findings are cut (the
least severe first) to what fits, then the suppressed list, the matrix and
each diagram are added back if they still fit. The report says exactly what
it leaves out and how to see everything (the HTML report). Nothing depends
on the clock or on hash order: the same report gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import Finding, Location, Report, Severity, Suppressed, fails
from policycoord.core.shown import shown
from policycoord.output.reporters import RenderOptions
from policycoord.views.diagrams import Diagram, Edge, Node
from policycoord.views.matrix import Matrix

#: GitHub's limit on a comment (and on an issue or pull-request body).
COMMENT_LIMIT: Final = 65_536
#: What the report may use of it: the rest is room for a bot's own marker or header.
BUDGET: Final = 64_000
#: Mermaid refuses a diagram longer than this (its default `maxTextSize`) or
#: with more edges than `MERMAID_MAX_EDGES`; such a diagram is described, not drawn.
MERMAID_MAX_TEXT: Final = 50_000
MERMAID_MAX_EDGES: Final = 500
#: The longest piece of user text shown, in characters as written; the rest is
#: cut, saying so (a name a few megabytes long must not crowd out the findings).
NAME_LIMIT: Final = 300
TEXT_LIMIT: Final = 3_000

#: Where the whole of a shortened report is: this reporter is pure and does not
#: know whether it writes a comment or a file, so the Markdown is always held to
#: a comment's size; the HTML report has no limit and prints as a board paper.
FULL_REPORT = "policycoord check --format html -o report.html"
PARTNERSHIP_WIDE = "Partnership-wide or not known"
SEVERITY_WORDS: Final = {
    Severity.ERROR: "🔴 error",
    Severity.WARNING: "🟠 warning",
    Severity.INFO: "🔵 info",
}
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


# --- escaping ---------------------------------------------------------------------------------

_LINE_BREAKS: Final = re.compile(r"\r\n|[\r\n\v\f\u0085\u2028\u2029]")
#: An empty HTML comment: shows nothing, but splits the text around it in two,
#: so neither GitHub's mention and reference filters nor its autolinker see a token.
SPLIT: Final = "<!-- -->"
_MARKDOWN_SPECIAL: Final = re.compile(r"(?i)://|www\.|\bgh-(?=\d)|[\\`*_\[\]!|~$#@&<>]")
_MARKDOWN_ENTITIES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: What would start a list item, a numbered item or a heading underline at the start of a line.
_BLOCK_START: Final = re.compile(r"^(\s*)(?:([-+=])(?=[\s=-]|$)|(\d{1,9})([.)])(?=\s|$))")


def clip(text: str, limit: int | None) -> str:
    """`text` cut after `limit` characters, saying how many more there were."""
    if limit is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def markdown_text(text: str, *, breaks: bool = False, limit: int | None = TEXT_LIMIT) -> str:
    """User text made inert for Markdown, in a paragraph or a table cell.

    Line breaks become spaces (`<br>` with `breaks`); controls and invisible
    characters are shown (`shown()`); `& < >` become entities, so no HTML;
    ``\\ ` * _ [ ] ! | ~ $`` are backslash-escaped, so no emphasis, code,
    link or image (`(` and `)` need nothing once the brackets are escaped),
    strikethrough, maths or end of a table cell; `@`, `#`, `GH-` before a
    number, `://` and `www.` are split by an empty comment (`SPLIT`), so no
    mention, issue reference or autolink; a leading list marker (`- `, `+ `,
    `1. `, `1) `) or a run of `-`/`=` is escaped, so the text cannot start a
    list, a rule or a heading underline even at the start of a line."""
    text = clip(text, limit)
    lines = _LINE_BREAKS.split(text) if breaks else [_LINE_BREAKS.sub(" ", text)]
    escaped = "<br>".join(_MARKDOWN_SPECIAL.sub(_markdown_escape, shown(line)) for line in lines)
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _markdown_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "://":
        return ":" + SPLIT + "//"
    if len(found) == 4:  # www. in any case
        return found[:3] + SPLIT + "."
    if len(found) == 3:  # GH-, as in GH-12, GitHub's other way to write #12
        return found[:2] + SPLIT + "-"
    if found in _MARKDOWN_ENTITIES:
        return _MARKDOWN_ENTITIES[found]
    if found in "@#":
        return found + SPLIT
    return "\\" + found


def _escape_block_start(match: re.Match[str]) -> str:
    spaces, marker, number, delimiter = match.groups()
    return f"{spaces}\\{marker}" if marker else f"{spaces}{number}\\{delimiter}"


_MERMAID_UNSAFE: Final = re.compile(r"[^\w .,'/-]")


def mermaid_label(text: str, *, limit: int | None = NAME_LIMIT) -> str:
    """User text for a quoted Mermaid label (`n1["..."]`, `-->|"..."|`): line
    breaks become spaces, controls and invisible characters are shown, and
    every character but letters, digits, `_`, space and `. , ' / -` is written
    as a Mermaid entity code (`#quot;`, `#60;`, `#35;`...), so the text cannot
    close the quote or the shape, start a statement, a comment (`%%`), a
    directive, a Markdown string or HTML. Mermaid shows the characters."""
    text = shown(_LINE_BREAKS.sub(" ", clip(text, limit)))
    return _MERMAID_UNSAFE.sub(_mermaid_entity, text)


def _mermaid_entity(match: re.Match[str]) -> str:
    found = match.group()
    return "#quot;" if found == '"' else f"#{ord(found)};"


# --- pieces of the report -----------------------------------------------------------------------


def _plural(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _place(location: Location) -> str:
    return markdown_text(f"{location.path}:{location.line}", limit=NAME_LIMIT)


def _organisation(report: Report, organisation: str | None) -> str:
    return organisation_cell(report.organisation_names, organisation)


def organisation_cell(names: dict[str, str], organisation: str | None) -> str:
    """An organisation's name (its id when it has no file), made inert."""
    if organisation is None:
        return PARTNERSHIP_WIDE
    return markdown_text(names.get(organisation) or organisation, limit=NAME_LIMIT)


def _family(code: str) -> tuple[str, str]:
    from policycoord.checks.rules import RULES_BY_CODE
    from policycoord.checks.rules.base import FAMILIES

    rule = RULES_BY_CODE.get(code)
    if rule is None or rule.family not in FAMILIES:
        return OTHER_FAMILY
    return rule.family, FAMILIES[rule.family]


def _families() -> list[tuple[str, str]]:
    from policycoord.checks.rules.base import FAMILIES

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


FINDINGS_HEADER = (
    "| Severity | Code | Organisation | Where | Message | What to do |",
    "|---|---|---|---|---|---|",
)


def _finding_row(report: Report, finding: Finding) -> str:
    return finding_row(finding, report.organisation_names)


def finding_row(finding: Finding, names: dict[str, str]) -> str:
    """One finding as a row under `FINDINGS_HEADER` (the `diff` comment uses it too)."""
    where = _place(finding.location)
    if finding.related:
        where += "<br>see also " + ", ".join(_place(r) for r in finding.related)
    code = f"{markdown_text(finding.code, limit=NAME_LIMIT)}<br>"
    code += markdown_text(finding.name, limit=NAME_LIMIT)
    cells = (
        SEVERITY_WORDS[finding.severity],
        code,
        organisation_cell(names, finding.organisation),
        where,
        markdown_text(finding.message, breaks=True),
        markdown_text(finding.suggestion, breaks=True),
    )
    return "| " + " | ".join(cells) + " |"


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
            f"waiver ({_place(waiver.location)}), until {markdown_text(waiver.expires)}, "
            f"approved by {approvers}: {markdown_text(waiver.reason, breaks=True)}"
        )
    cells = (
        SEVERITY_WORDS[finding.severity],
        markdown_text(finding.code, limit=NAME_LIMIT),
        _organisation(report, finding.organisation),
        _place(finding.location),
        markdown_text(finding.message, breaks=True),
        why,
    )
    return "| " + " | ".join(cells) + " |"


def _details(summary: str, body: list[str]) -> list[str]:
    """`body` folded under `summary` (our own words only, never user text)."""
    return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]


# --- diagrams -------------------------------------------------------------------------------

#: How each kind of box and arrow is drawn. Colour is never the only signal:
#: every style has its word in the label ("24/7", "office hours", "must reach",
#: "does not exist", "dead end") or its own shape or line.
MERMAID_CLASSES: Final = (
    "classDef organisation fill:#e8eef9,stroke:#3b5b92,stroke-width:2px,color:#111",
    "classDef allday fill:#e6f4ea,stroke:#1e7b34,stroke-width:2px,color:#111",
    "classDef office fill:#fff6dd,stroke:#8a6100,stroke-width:1px,color:#111",
    "classDef mustreach stroke:#1e7b34,stroke-width:4px",
    "classDef missing fill:#fde7e9,stroke:#b31d28,stroke-width:2px,stroke-dasharray:5 4,color:#111",
    "classDef stuck fill:#fde7e9,stroke:#b31d28,stroke-width:3px,color:#111",
)
PROBLEM_LINK_STYLE: Final = "stroke:#d73a49,stroke-width:3px,color:#b31d28"
DIAGRAM_KEY: Final = (
    "Key: rounded boxes are organisations, where a path starts; square boxes are roles, "
    "marked 24/7 or office hours; double boxes are roles the concern must reach; "
    "hexagons are roles that do not exist; solid arrows are office-hours steps, dotted "
    "arrows out-of-hours routes, each with its timeframe; red arrows carry the codes of "
    "the findings about that step; a role marked dead end is where a path stops "
    "without reaching a role it must reach."
)


def _node_words(node: Node) -> list[str]:
    if node.start:
        return [mermaid_label(node.label), "organisation"]
    marks = [
        "does not exist" if not node.exists else "24/7" if node.around_the_clock else "office hours"
    ]
    if node.must_reach:
        marks.append("must reach")
    if node.dead_end:
        marks.append("dead end")
    return [mermaid_label(node.label), mermaid_label(node.organisation_name), ", ".join(marks)]


def _node_statement(node_id: str, node: Node) -> str:
    """`n3["label"]`: a stadium for an organisation, a hexagon for a role that
    does not exist, a double box for a role the concern must reach."""
    label = "<br>".join(_node_words(node))
    if node.start:
        return f'{node_id}(["{label}"])'
    if not node.exists:
        return f'{node_id}{{{{"{label}"}}}}'
    if node.must_reach:
        return f'{node_id}[["{label}"]]'
    return f'{node_id}["{label}"]'


def _node_classes(node: Node) -> list[str]:
    if node.start:
        return ["organisation"]
    classes = ["missing" if not node.exists else "allday" if node.around_the_clock else "office"]
    if node.must_reach:
        classes.append("mustreach")
    if node.dead_end:
        classes.append("stuck")
    return classes


def _edge_label(edge: Edge) -> str:
    words = ["out of hours"] if edge.out_of_hours else []
    words.append(mermaid_label(edge.within) if edge.within else "no timeframe")
    if edge.codes:
        words.append(" ".join(mermaid_label(code) for code in edge.codes))
    return ", ".join(words)


def mermaid(diagram: Diagram) -> list[str]:
    """The diagram as Mermaid `flowchart LR` statements. Node ids are ours
    (`n0`, `n1`...), never user text; every label is quoted and escaped."""
    ids: dict[str, str] = {}
    nodes: list[tuple[str, Node]] = []

    def node_id(key: str, node: Node | None = None) -> str:
        if key not in ids:
            ids[key] = f"n{len(ids)}"
            stray = Node(key=key, organisation=key, organisation_name=key, label=key)
            nodes.append((ids[key], node or stray))
        return ids[key]

    for node in diagram.nodes:
        node_id(node.key, node)
    arrows = []
    problems = []
    for index, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.out_of_hours else "-->"
        source, target = node_id(edge.source), node_id(edge.target)
        arrows.append(f'{source} {arrow}|"{_edge_label(edge)}"| {target}')
        if edge.codes:
            problems.append(str(index))
    statements = [_node_statement(key, node) for key, node in nodes]
    statements += arrows
    statements += MERMAID_CLASSES
    members: dict[str, list[str]] = {}
    for key, node in nodes:
        for name in _node_classes(node):
            members.setdefault(name, []).append(key)
    for style in MERMAID_CLASSES:
        name = style.split()[1]
        if name in members:
            statements.append(f"class {','.join(members[name])} {name}")
    if problems:
        statements.append(f"linkStyle {','.join(problems)} {PROBLEM_LINK_STYLE}")
    return ["flowchart LR", *(f"    {statement}" for statement in statements)]


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
        groups.setdefault(_family(finding.code)[0], []).append(index)
    families = [(key, title) for key, title in _families() if key in groups]
    counts = "; ".join(f"{title} {len(groups[key]):,}" for key, title in families)
    lines += [f"By kind: {counts}.", ""]
    for key, title in families:
        found = [report.findings[i] for i in groups[key]]
        lines += [f"{level}# {title} ({_severity_counts(found)})", ""]
        kept = [report.findings[i] for i in groups[key] if i in keep]
        left_out = [report.findings[i] for i in groups[key] if i not in keep]
        if kept:
            table = [*FINDINGS_HEADER, *(_finding_row(report, f) for f in _by_severity(kept))]
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
                f"{_organisation(report, e.organisation)} | {markdown_text(e.message)} |"
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
    from policycoord.output.reporters.matrix_formats import _summary_line, render_markdown

    heading = "## Responsibility matrix"
    start = [_summary_line(matrix), ""] if matrix.rows else []
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
    if plan.views and report.views is not None:
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


def _document(report: Report, plan: Plan) -> str:
    level = "##" if plan.views else "###"
    lines = [_title(report, level[:-1]), "", _verdict(report), "", *_summary_table(report), ""]
    for note in (*_suppressed_line(report), *_stale_line(report)):
        lines += [note, ""]
    lines += _left_out_note(report, plan)
    lines += _findings_section(report, plan, level)
    if plan.lists:
        lines += _lists_section(report, plan, level)
    if plan.views and report.views is not None:
        lines += _matrix_section(report.views.matrix, plan)
        lines += _diagrams_section(report.views.diagrams, plan)
    lines += ["---", "", f"*Written by {TOOL_NAME} {markdown_text(report.tool_version)}.*"]
    return "\n".join(lines) + "\n"


# --- fitting in a comment ----------------------------------------------------------------------


def size(text: str) -> int:
    """The length GitHub counts, at worst: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def _fits(report: Report, plan: Plan, budget: int) -> bool:
    return size(_document(report, plan)) <= budget


def _fit(report: Report, *, views: bool, budget: int = BUDGET) -> str:
    """The whole document if it fits in `budget`; otherwise the detail folded
    and, most severe first, as many findings as fit, then whatever else fits
    of the lists, the matrix and the diagrams, in that order."""
    whole = _document(report, Plan(views=views))
    if size(whole) <= budget:
        return whole
    diagrams = len(report.views.diagrams) if views and report.views is not None else 0
    plan = Plan(
        views=views,
        folded=True,
        findings=0,
        lists=False,
        matrix=False,
        diagrams=(False,) * diagrams,
    )
    plan = replace(plan, findings=_most_findings(report, plan, budget))
    if plan.findings == len(report.findings):
        plan = _add_back(report, plan, budget)
    return _document(report, plan)


def _most_findings(report: Report, plan: Plan, budget: int) -> int:
    """The most findings (most severe first) that fit, by bisection: each
    finding shown only makes the document longer."""
    low, high = 0, len(report.findings)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(report, replace(plan, findings=middle), budget):
            low = middle
        else:
            high = middle - 1
    return low


def _add_back(report: Report, plan: Plan, budget: int) -> Plan:
    """With every finding shown, add back what fits: the lists, the matrix,
    then each diagram in order."""
    with_lists = replace(plan, lists=True)
    if _fits(report, with_lists, budget):
        plan = with_lists
    with_matrix = replace(plan, matrix=True)
    if _fits(report, with_matrix, budget):
        plan = with_matrix
    drawn = list(plan.diagrams or ())
    for index in range(len(drawn)):
        drawn[index] = True
        tried = replace(plan, diagrams=tuple(drawn))
        if _fits(report, tried, budget):
            plan = tried
        else:
            drawn[index] = False
    return plan


def render(report: Report, options: RenderOptions) -> str:
    """The whole report: summary, findings by family, the responsibility
    matrix and the escalation diagrams, in at most `BUDGET` characters."""
    return _fit(report, views=True)


def summary(report: Report) -> str:
    """The short report for a CI step summary (`$GITHUB_STEP_SUMMARY`): the
    verdict, the summary table and the findings by family, in at most
    `BUDGET` characters."""
    return _fit(report, views=False)
