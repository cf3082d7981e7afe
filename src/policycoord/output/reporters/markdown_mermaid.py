"""A concern's escalation paths as a Mermaid `flowchart LR`, for the Markdown
check report (`markdown_document` puts each one under its heading).

Node ids are ours (`n0`, `n1`...), never user text; every label is in
double quotes and goes through `markdown_text.mermaid_label`, so it holds
no `"`, backtick, `<`, `>` or entity code, and Mermaid 11 shows it as
written (brackets, pipes and all). Colour is never the only signal: each
style has its word in the label or its own shape or line (`DIAGRAM_KEY`
says which).
"""

from __future__ import annotations

from typing import Final

from policycoord.output.reporters.markdown_text import mermaid_label
from policycoord.views.diagrams import Diagram, Edge, Node

#: Mermaid refuses a diagram longer than this (its default `maxTextSize`) or
#: with more edges than `MERMAID_MAX_EDGES`; such a diagram is described, not drawn.
MERMAID_MAX_TEXT: Final = 50_000
MERMAID_MAX_EDGES: Final = 500

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
    "marked 24/7 or office hours; double boxes are roles the concern must reach, or "
    "that stand in for one out of hours (the 24/7 team of the same organisation); "
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
    if node.stands_in_for:
        marks.append("stands in out of hours")
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
    if node.must_reach or node.stands_in_for:
        return f'{node_id}[["{label}"]]'
    return f'{node_id}["{label}"]'


def _node_classes(node: Node) -> list[str]:
    if node.start:
        return ["organisation"]
    classes = ["missing" if not node.exists else "allday" if node.around_the_clock else "office"]
    if node.must_reach or node.stands_in_for:
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
    statements += _class_statements(nodes)
    if problems:
        statements.append(f"linkStyle {','.join(problems)} {PROBLEM_LINK_STYLE}")
    return ["flowchart LR", *(f"    {statement}" for statement in statements)]


def _class_statements(nodes: list[tuple[str, Node]]) -> list[str]:
    """`class n1,n4 office`: each style, in the order of `MERMAID_CLASSES`,
    with the nodes drawn in it."""
    members: dict[str, list[str]] = {}
    for key, node in nodes:
        for name in _node_classes(node):
            members.setdefault(name, []).append(key)
    statements = []
    for style in MERMAID_CLASSES:
        name = style.split()[1]
        if name in members:
            statements.append(f"class {','.join(members[name])} {name}")
    return statements
