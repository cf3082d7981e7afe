"""`--format html`: one self-contained page for the partnership board.

A pure reporter, `render(report, options) -> str`. The page holds its own CSS,
its own small filter script and its diagrams as inline SVG: it loads nothing
(a Content-Security-Policy `<meta>` forbids every network load and lets only
this module's own style and script run, by their SHA-256 hashes).

- Header: the partnership, the verdict in words, and summary cards.
- Findings: a table (severity, code and name, kind of problem, organisation,
  `path:line`, message, what to do, related places), filterable by severity,
  organisation and kind (the families of `rules/base.py`) with the filter
  script; without JavaScript every finding is shown and the filter form stays
  `hidden`. Then the suppressed findings with their waiver or the baseline.
- The responsibility matrix as a coloured `<table>` whose cells also carry the
  R/A/C/I letters and the words GAP / OVERLAP, so colour is never the only
  signal.
- Each concern's escalation paths as an SVG drawn from
  `diagram_layout.layout`, plus the same steps as a table.

Safety: the template is rendered by a jinja2 Environment with autoescaping on
for everything, and every piece of user text first goes through
`textsafe.visible` (bidi and control characters shown, not obeyed). This
module hands the template plain strings and numbers only; the one `Markup`
is the package's own CSS and script. No user text goes into the `<script>`:
the filter reads `data-` attributes that hold our own keys (`o3`, `gaps`).
Nothing depends on the clock or on hash order: the same report gives the
same bytes.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from policycoord.core.about import TOOL_NAME
from policycoord.core.findings import Finding, Location, Report, Severity, Suppressed
from policycoord.core.textsafe import visible
from policycoord.core.timeframes import long_date
from policycoord.output.reporters import RenderOptions
from policycoord.views.diagrams import Diagram, Edge, Node
from policycoord.views.layout import Layout, Point, layout
from policycoord.views.matrix import PARTNERSHIP_SCOPE, Cell, Matrix, Row

TEMPLATE = "html/report.html.j2"
STYLESHEET = "html/report.css"
SCRIPT = "html/filters.js"

#: Diagrams with more boxes than this are given as a table only: a drawing of
#: thousands of boxes helps nobody and would make the page enormous.
MAX_DRAWN_NODES = 400

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
class Place:
    text: str  # path:line
    full: str  # path:line:column

    @property
    def parts(self) -> tuple[str, ...]:
        """`text` cut after each `/`, where a narrow column may break the line."""
        pieces = self.text.split("/")
        return (*(f"{piece}/" for piece in pieces[:-1]), pieces[-1])


#: Text in pieces, each `(text, code)`: the pieces that a message wrote between
#: backticks (ids, timeframes, YAML keys) are shown as code.
Pieces = tuple[tuple[str, bool], ...]


def pieces(text: str) -> Pieces:
    """`text` (already made visible) split at its backticks, when they pair up."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: show them as written
        return ((text, False),)
    return tuple((part, number % 2 == 1) for number, part in enumerate(parts) if part)


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


@dataclass(frozen=True, slots=True)
class EntryView:
    letter: str
    raci: str
    role: str
    role_title: str  # for the hover text; "" when unknown
    known: bool
    within: str


@dataclass(frozen=True, slots=True)
class CellView:
    css: str
    entries: tuple[EntryView, ...]
    applicable: bool
    missing: bool
    overlap: bool


@dataclass(frozen=True, slots=True)
class RowView:
    duty: str
    title: str
    scope: str
    max_within: str
    status: str  # ok | gap | overlap | gap+overlap
    status_words: str
    cells: tuple[CellView, ...]


@dataclass(frozen=True, slots=True)
class RoleKey:
    organisation: str
    roles: tuple[tuple[str, str], ...]  # (role id, title or a note)


@dataclass(frozen=True, slots=True)
class MatrixView:
    columns: tuple[str, ...]
    rows: tuple[RowView, ...]
    notes: tuple[str, ...]
    summary: str
    roles: tuple[RoleKey, ...]


@dataclass(frozen=True, slots=True)
class Line:
    x: int
    y: int
    text: str
    css: str


@dataclass(frozen=True, slots=True)
class NodeView:
    x: int
    y: int
    width: int
    height: int
    css: str
    lines: tuple[Line, ...]
    title: str  # the full text, for hover and screen readers


@dataclass(frozen=True, slots=True)
class EdgeView:
    path: str
    css: str
    marker: str  # which arrowhead
    label_x: int
    label_y: int
    label_anchor: str  # start | middle
    within: str
    codes: str
    title: str


@dataclass(frozen=True, slots=True)
class StepView:
    source: str
    target: str
    within: str
    route: str
    codes: str
    place: Place


@dataclass(frozen=True, slots=True)
class DiagramView:
    number: int
    concern: str
    title: str
    max_total: str
    codes: str
    summary: str
    drawn: bool
    width: int
    height: int
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    steps: tuple[StepView, ...]


# --- rendering ---------------------------------------------------------------------------


@functools.cache
def environment() -> jinja2.Environment:
    """The templates of every HTML page (the report, the mission statement
    and pack, the history), escaping everything they are given."""
    from policycoord.core.shown import shown

    made = jinja2.Environment(
        loader=jinja2.PackageLoader("policycoord.output.reporters", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    made.filters["shown"] = shown
    return made


def asset(name: str) -> str:
    """The text of one of the pages' own files (CSS, script)."""
    templates = environment()
    assert templates.loader is not None
    source, _, _ = templates.loader.get_source(templates, name)
    return source


def style_only_csp(style: str) -> str:
    """The Content-Security-Policy of a page with its own stylesheet and no script."""
    return f"default-src 'none'; style-src {csp_hash(style)}; base-uri 'none'; form-action 'none'"


def csp_hash(text: str) -> str:
    """`'sha256-…'` for a Content-Security-Policy source list."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def render(report: Report, options: RenderOptions) -> str:
    style = asset(STYLESHEET)
    script = asset(SCRIPT)
    csp = (
        "default-src 'none'; "
        f"style-src {csp_hash(style)}; "
        f"script-src {csp_hash(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    keys = _organisation_keys(report)
    findings = [_finding_view(report, finding, keys) for finding in _ordered(report.findings)]
    views = report.views
    template = environment().get_template(TEMPLATE)
    return template.render(
        tool=TOOL_NAME,
        version=report.tool_version,
        title=_title(report),
        partnership=visible(report.partnership_name or report.partnership or ""),
        verdict=_verdict(report),
        failed=report.failed,
        cards=_cards(report),
        findings=findings,
        severities=_severity_choices(findings),
        organisations=_organisation_choices(findings),
        families=_family_choices(findings),
        suppressed=[_suppressed_view(report, s, keys) for s in report.suppressed],
        stale=[
            (e.code, _organisation_words(report, e.organisation), visible(e.message))
            for e in report.stale_baseline
        ],
        views_built=views is not None,
        matrix=_matrix_view(views.matrix) if views is not None else None,
        diagrams=[_diagram_view(n, d) for n, d in enumerate(views.diagrams, 1)] if views else [],
        csp=csp,
        style=Markup(style),  # the package's own stylesheet, not user data
        script=Markup(script),  # the package's own script, not user data
    )


def _title(report: Report) -> str:
    name = report.partnership_name or report.partnership
    return "Safeguarding policy check" + (f": {visible(name)}" if name else "")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _verdict(report: Report) -> tuple[str, str]:
    """The result in one word (`Failed`, `Passed`) and in a sentence or two."""
    total = len(report.findings)
    summary = report.summary
    levels = (
        f"{_count(summary.error, 'error', 'errors')}, "
        f"{_count(summary.warning, 'warning', 'warnings')}, {summary.info} info"
    )
    if report.fail_on == "never":
        rule = "Nothing fails this run (--fail-on never)."
    else:
        rule = f"A run fails on a finding of severity {report.fail_on} or above."
    if report.failed:
        return "Failed", f"{_count(total, 'finding', 'findings')} ({levels}). {rule}"
    if total:
        found = _count(total, "finding", "findings")
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
    """Errors first, then warnings, then info; within a severity, the report's order."""
    return sorted(findings, key=lambda f: -f.severity.rank)


def _family(code: str) -> tuple[str, str]:
    from policycoord.checks.rules import RULES_BY_CODE
    from policycoord.checks.rules.base import FAMILIES

    rule = RULES_BY_CODE.get(code)
    if rule is None or rule.family not in FAMILIES:
        return OTHER_FAMILY
    return rule.family, FAMILIES[rule.family]


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


def _place(location: Location) -> Place:
    return Place(
        text=visible(f"{location.path}:{location.line}"),
        full=visible(f"{location.path}:{location.line}:{location.column}"),
    )


def _finding_view(report: Report, finding: Finding, keys: dict[str, str]) -> FindingView:
    family, family_words = _family(finding.code)
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
        place=_place(finding.location),
        message=pieces(visible(finding.message)),
        suggestion=pieces(visible(finding.suggestion)),
        related=tuple(_place(r) for r in finding.related),
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
    from policycoord.checks.rules.base import FAMILIES

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
        waiver_place=_place(waiver.location),
        baseline="",
    )


# --- the responsibility matrix ----------------------------------------------------------------

_STATUS_WORDS = {"ok": "OK", "gap": "GAP", "overlap": "OVERLAP", "gap+overlap": "GAP and OVERLAP"}


def _cell_css(cell: Cell) -> str:
    if cell.missing:
        return "gap"
    if cell.overlap:
        return "overlap"
    if cell.entries:
        return {"accountable": "a", "responsible": "r", "consulted": "c", "informed": "i"}.get(
            cell.entries[0].raci, "i"
        )
    return "empty" if cell.applicable else "na"


def _row_view(row: Row) -> RowView:
    scope = "partnership" if row.scope == PARTNERSHIP_SCOPE else "each member"
    return RowView(
        duty=visible(row.duty),
        title=visible(row.title),
        scope=scope,
        max_within=visible(row.max_within or ""),
        status=row.status,
        status_words=_STATUS_WORDS.get(row.status, visible(row.status)),
        cells=tuple(
            CellView(
                css=_cell_css(cell),
                entries=tuple(
                    EntryView(
                        letter=entry.letter,
                        raci=visible(entry.raci),
                        role=visible(entry.role),
                        role_title=visible(entry.role_title or ""),
                        known=entry.role_title is not None,
                        within=visible(entry.within or ""),
                    )
                    for entry in cell.entries
                ),
                applicable=cell.applicable,
                missing=cell.missing,
                overlap=cell.overlap,
            )
            for cell in row.cells
        ),
    )


def _matrix_view(matrix: Matrix) -> MatrixView:
    roles = []
    for index, column in enumerate(matrix.columns):
        seen: dict[str, str] = {}
        for row in matrix.rows:
            for entry in row.cells[index].entries:
                seen.setdefault(
                    visible(entry.role),
                    visible(entry.role_title)
                    if entry.role_title is not None
                    else "not a role in its file",
                )
        if seen:
            roles.append(RoleKey(visible(column.label), tuple(seen.items())))
    summary = (
        f"{_count(len(matrix.rows), 'duty', 'duties')} × "
        f"{_count(len(matrix.columns), 'organisation', 'organisations')}: "
        f"{_count(matrix.gaps, 'gap', 'gaps')}, {_count(matrix.overlaps, 'overlap', 'overlaps')}."
    )
    return MatrixView(
        columns=tuple(visible(c.label) for c in matrix.columns),
        rows=tuple(_row_view(row) for row in matrix.rows),
        notes=tuple(visible(note) for note in matrix.notes),
        summary=summary,
        roles=tuple(roles),
    )


# --- escalation diagrams ----------------------------------------------------------------------

#: Approximate characters per line in a box (DejaVu Sans / Arial at the sizes the CSS sets).
_TITLE_CHARACTERS = 31  # 12px bold
_SMALL_CHARACTERS = 37  # 11px
_LINE_TOPS = (18, 33, 49, 65)  # baselines inside a box


def _wrap(text: str, width: int, lines: int) -> list[str]:
    return textwrap.wrap(text, width, max_lines=lines, placeholder=" …") or [""]


def _markers(node: Node) -> list[str]:
    if node.start:
        return ["where the path starts"]
    words = []
    if not node.exists:
        words.append("MISSING: no such role")
    else:
        words.append("24/7" if node.around_the_clock else "office hours")
    if node.must_reach:
        words.append("★ MUST REACH")
    if node.dead_end:
        words.append("DEAD END")
    return words


def _node_css(node: Node) -> str:
    if node.start:
        classes = ["start"]
    elif not node.exists:
        classes = ["missing"]
    else:
        classes = ["day-night" if node.around_the_clock else "office"]
    if node.must_reach:
        classes.append("must-reach")
    if node.dead_end:
        classes.append("dead-end")
    return " ".join(classes)


def _node_title(node: Node) -> str:
    if node.start:
        return f"{visible(node.label)}: where its path starts"
    role = visible(node.label) if node.exists else f"{visible(node.key)} (no such role)"
    parts = [f"{role}, {visible(node.organisation_name)}"]
    if node.exists:
        parts.append("works 24/7" if node.around_the_clock else "works office hours")
    if node.must_reach:
        parts.append("a role the concern must reach")
    if node.dead_end:
        parts.append("a path ends here without reaching a must-reach role")
    return "; ".join(parts)


def _node_view(node: Node, at: Layout) -> NodeView:
    box = at.boxes[node.key]
    marker_line = " · ".join(_markers(node))
    markers = _wrap(marker_line, _SMALL_CHARACTERS, 2)
    label = visible(node.label) if node.exists or node.start else visible(node.key)
    room = len(_LINE_TOPS) - len(markers)  # lines left for the title (and organisation)
    if node.start:  # its title is the organisation's name
        texts = [(t, "title") for t in _wrap(label, _TITLE_CHARACTERS, room)]
    else:
        texts = [(t, "title") for t in _wrap(label, _TITLE_CHARACTERS, room - 1)]
        organisation = visible(node.organisation_name)
        texts += [(t, "organisation") for t in _wrap(organisation, _SMALL_CHARACTERS, 1)]
    texts += [(t, "marker") for t in markers]
    lines = tuple(
        Line(box.x + 8, box.y + top, text, css)
        for (text, css), top in zip(texts, _LINE_TOPS, strict=False)
    )
    return NodeView(box.x, box.y, box.width, box.height, _node_css(node), lines, _node_title(node))


def _path(points: tuple[Point, ...], back: bool) -> str:
    """SVG path data: curves between columns, straight lines through waypoints;
    a back edge is drawn with straight lines only."""
    (x, y), rest = points[0], points[1:]
    data = [f"M{x} {y}"]
    for nx, ny in rest:
        if back or ny == y or nx - x < 2:
            data.append(f"L{nx} {ny}")
        else:
            bend = (nx - x) // 2
            data.append(f"C{x + bend} {y} {nx - bend} {ny} {nx} {ny}")
        x, y = nx, ny
    return " ".join(data)


def _edge_css(edge: Edge, back: bool) -> tuple[str, str]:
    classes = ["edge", "night" if edge.out_of_hours else "day"]
    if back:
        classes.append("back")
    if edge.codes:
        classes.append("problem")
    marker = "problem" if edge.codes else ("night" if edge.out_of_hours else "day")
    return " ".join(classes), marker


def _edge_title(edge: Edge, names: dict[str, str], back: bool) -> str:
    text = f"{names[edge.source]} → {names[edge.target]}"
    if edge.within:
        text += f", within {visible(edge.within)}"
    text += ", out of hours" if edge.out_of_hours else ", in office hours"
    if back:
        text += ", back to an earlier step"
    if edge.codes:
        text += "; findings here: " + ", ".join(edge.codes)
    return text


def _node_name(node: Node) -> str:
    if node.start:
        return visible(node.label)
    role = visible(node.label) if node.exists else f"{visible(node.key)} (no such role)"
    return f"{role} ({visible(node.organisation_name)})"


def _diagram_view(number: int, diagram: Diagram) -> DiagramView:
    names = {node.key: _node_name(node) for node in diagram.nodes}
    steps = tuple(
        StepView(
            source=names.get(edge.source, visible(edge.source)),
            target=names.get(edge.target, visible(edge.target)),
            within=visible(edge.within or ""),
            route="out of hours" if edge.out_of_hours else "office hours",
            codes=", ".join(edge.codes),
            place=_place(edge.location),
        )
        for edge in diagram.edges
    )
    starts = sum(node.start for node in diagram.nodes)
    summary = (
        f"Escalation paths for {visible(diagram.concern)}: "
        f"{_count(starts, 'organisation', 'organisations')}' paths, "
        f"{_count(len(diagram.nodes) - starts, 'role', 'roles')}, "
        f"{_count(len(diagram.edges), 'step', 'steps')}"
        + (f"; findings: {', '.join(diagram.codes)}." if diagram.codes else "; no findings.")
    )
    drawn = len(diagram.nodes) <= MAX_DRAWN_NODES
    nodes: tuple[NodeView, ...] = ()
    edges: tuple[EdgeView, ...] = ()
    width = height = 0
    if drawn:
        at = layout(diagram)
        width, height = at.width, at.height
        nodes = tuple(_node_view(node, at) for node in diagram.nodes)
        edge_views = []
        for route in at.routes:
            edge = diagram.edges[route.edge]
            css, marker = _edge_css(edge, route.back)
            edge_views.append(
                EdgeView(
                    path=_path(route.points, route.back),
                    css=css,
                    marker=marker,
                    label_x=route.label[0],
                    label_y=route.label[1],
                    label_anchor="middle" if route.back else "start",
                    within=visible(edge.within or ""),
                    codes=" ".join(edge.codes),
                    title=_edge_title(edge, names, route.back),
                )
            )
        edges = tuple(edge_views)
    return DiagramView(
        number=number,
        concern=visible(diagram.concern),
        title=visible(diagram.title),
        max_total=visible(diagram.max_total or ""),
        codes=", ".join(diagram.codes),
        summary=summary,
        drawn=drawn,
        width=width,
        height=height,
        nodes=nodes,
        edges=edges,
        steps=steps,
    )
