"""Each concern's escalation paths as the HTML report draws them: the view
model of an inline SVG (boxes, wrapped lines of text, arrows as SVG path data,
placed by `views.layout.layout`) plus the same steps as a table, built from
`views.diagrams`.

Colour is never the only signal: each box says 24/7 or office hours, MUST
REACH, DEAD END or MISSING in words, and each arrow has a hover title. A
diagram of more than `MAX_DRAWN_NODES` boxes is given as the table only.
Every piece of user text goes through `core.text.visible`; the template
escapes it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from policycoord.core.text import visible
from policycoord.output.reporters.html_page import Place, count, place
from policycoord.views.diagrams import Diagram, Edge, Node
from policycoord.views.layout import NODE_HEIGHT, Layout, Point, layout

#: Diagrams with more boxes than this are given as a table only: a drawing of
#: thousands of boxes helps nobody and would make the page enormous.
MAX_DRAWN_NODES = 400


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
class Band:
    """A printed page's part of a tall diagram: from `y` down, `height` high."""

    y: int
    height: int


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
    #: printed on a landscape page (`printed_landscape`)
    landscape: bool
    #: printed in these bands, a page each, when it is taller than a page
    #: (`printed_bands`); empty: printed whole
    bands: tuple[Band, ...]
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    steps: tuple[StepView, ...]


# --- boxes ------------------------------------------------------------------------------------

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
    if node.stands_in_for:
        words.append("★ STANDS IN AT NIGHT")
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
    if node.must_reach or node.stands_in_for:
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
    if node.stands_in_for:
        parts.append("out of hours it stands in for a role the concern must reach")
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


def _node_name(node: Node) -> str:
    if node.start:
        return visible(node.label)
    role = visible(node.label) if node.exists else f"{visible(node.key)} (no such role)"
    return f"{role} ({visible(node.organisation_name)})"


# --- arrows -----------------------------------------------------------------------------------


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


def _edge_views(diagram: Diagram, at: Layout, names: dict[str, str]) -> tuple[EdgeView, ...]:
    views = []
    for route in at.routes:
        edge = diagram.edges[route.edge]
        css, marker = _edge_css(edge, route.back)
        views.append(
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
    return tuple(views)


# --- the diagram ------------------------------------------------------------------------------


def _steps(diagram: Diagram, names: dict[str, str]) -> tuple[StepView, ...]:
    """The steps as rows of a table, beside (or instead of) the drawing."""
    return tuple(
        StepView(
            source=names.get(edge.source, visible(edge.source)),
            target=names.get(edge.target, visible(edge.target)),
            within=visible(edge.within or ""),
            route="out of hours" if edge.out_of_hours else "office hours",
            codes=", ".join(edge.codes),
            place=place(edge.location),
        )
        for edge in diagram.edges
    )


def _summary(diagram: Diagram) -> str:
    starts = sum(node.start for node in diagram.nodes)
    return (
        f"Escalation paths for {visible(diagram.concern)}: "
        f"{count(starts, 'organisation', 'organisations')}' paths, "
        f"{count(len(diagram.nodes) - starts, 'role', 'roles')}, "
        f"{count(len(diagram.edges), 'step', 'steps')}"
        + (f"; findings: {', '.join(diagram.codes)}." if diagram.codes else "; no findings.")
    )


#: A4 landscape with the report's 12 mm margins: the width a diagram is
#: printed at, and the height left for it under its concern's heading.
_LANDSCAPE_WIDTH_MM = 273
_LANDSCAPE_ROOM_MM = 156


def printed_landscape(width: int, height: int) -> bool:
    """Whether a diagram is printed on a landscape page: when, printed the
    width of a landscape page, it fits on one. A printed diagram is always
    as wide as its page (taller ones go on, page after page); so a short,
    wide diagram gets the wider page, and its text half as large again."""
    return 0 < height * _LANDSCAPE_WIDTH_MM <= width * _LANDSCAPE_ROOM_MM


#: A4 portrait with the report's margins (14 mm top, 16 mm bottom, 12 mm
#: each side): the width and the height a diagram is printed in; the room
#: the concern's heading and facts take above its first band.
_PORTRAIT_WIDTH_MM = 186
_PORTRAIT_HEIGHT_MM = 267
_LANDSCAPE_HEIGHT_MM = 186
_HEADING_MM = 32
#: Left free at the foot of each band's page, for rounding.
_SLACK_MM = 6


def printed_bands(at: Layout, landscape: bool) -> tuple[Band, ...]:
    """The bands a diagram is printed in, each a page high at the page's
    width (the first less its heading), each cut where no box's text is, so
    that no text is printed across two pages; () when the whole diagram
    fits under its heading."""
    page_width, page_height = (
        (_LANDSCAPE_WIDTH_MM, _LANDSCAPE_HEIGHT_MM)
        if landscape
        else (_PORTRAIT_WIDTH_MM, _PORTRAIT_HEIGHT_MM)
    )
    per_mm = at.width / page_width  # the diagram's units in a printed millimetre
    first = int((page_height - _HEADING_MM - _SLACK_MM) * per_mm)
    room = int((page_height - _SLACK_MM) * per_mm)
    if at.height <= first:
        return ()
    # where a band may end: just above or below a box's text (its first
    # NODE_HEIGHT), never through it; a box made tall for its many arrows
    # may be cut below its text
    texts = sorted((box.y, box.y + min(box.height, NODE_HEIGHT)) for box in at.boxes.values())
    cuts = sorted(
        {edge for top, end in texts for edge in (top - 1, end + 1)}
        - {y for top, end in texts for y in range(top, end + 1)}
    )
    bands = []
    start, limit = 0, first
    while at.height - start > limit:
        fitting = [cut for cut in cuts if start < cut <= start + limit]
        end = fitting[-1] if fitting else start + limit
        bands.append(Band(start, end - start))
        start, limit = end, room
    bands.append(Band(start, at.height - start))
    return tuple(bands)


def diagram_view(number: int, diagram: Diagram) -> DiagramView:
    names = {node.key: _node_name(node) for node in diagram.nodes}
    drawn = len(diagram.nodes) <= MAX_DRAWN_NODES
    nodes: tuple[NodeView, ...] = ()
    edges: tuple[EdgeView, ...] = ()
    bands: tuple[Band, ...] = ()
    width = height = 0
    if drawn:
        at = layout(diagram)
        width, height = at.width, at.height
        nodes = tuple(_node_view(node, at) for node in diagram.nodes)
        edges = _edge_views(diagram, at, names)
        bands = printed_bands(at, printed_landscape(width, height))
    return DiagramView(
        number=number,
        concern=visible(diagram.concern),
        title=visible(diagram.title),
        max_total=visible(diagram.max_total or ""),
        codes=", ".join(diagram.codes),
        summary=_summary(diagram),
        drawn=drawn,
        width=width,
        height=height,
        landscape=printed_landscape(width, height),
        bands=bands,
        nodes=nodes,
        edges=edges,
        steps=_steps(diagram, names),
    )
