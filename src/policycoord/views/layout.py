"""Where each box and arrow of an escalation diagram goes, for the HTML report.

A pure function of the diagram, `layout(diagram) -> Layout`, with whole-pixel
coordinates and no randomness, so the same diagram always gives the same
picture. It is a small layered ("Sugiyama") layout, left to right:

1. **Cycles are broken** by a depth-first walk from the start nodes (in the
   diagram's node order, then any node not reached, following edges in edge
   order): an edge back to a node still on the walk's stack (or to itself) is
   a *back edge*. Back edges are drawn separately, below everything else.
2. **Layers**: a node's layer is its longest distance from a start along the
   other edges (a node nothing leads to is in layer 0), so every forward edge
   goes at least one layer to the right.
3. **Long edges** (spanning more than one layer) get a waypoint in each layer
   they cross, which takes a slot in that layer like a small box, so no edge
   is drawn through a box.
4. **Order within a layer**: layer 0 keeps the diagram's order (starts in
   organisation order); each later layer is sorted by the mean position of
   what leads into it from the layer before (the barycentre), ties by the
   diagram's order, boxes before waypoints.
5. **Heights**: layer 0 is stacked from the top; in each later layer an item
   is placed level with the mean of its predecessors, pushed down as little
   as needed to keep a gap below the item above it. So no two boxes of a
   layer overlap, and columns never overlap either.
6. **Ports**: the edges leaving a box are spread down its right side, and
   those entering it down its left side, in the order of where they come
   from or go to, so arrows do not pile onto one point; a box with many
   arrows is made taller to keep them apart.
7. **Back edges** leave their source's right side (near its bottom), drop
   to a lane of their own below the diagram, run left and rise into their
   target's left side (near its bottom), clear of the forward edges' ports.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from policycoord.views.diagrams import Diagram

NODE_WIDTH = 252
NODE_HEIGHT = 78  # the least height of a box: four lines of text
PORT_SPACING = 14  # a box with many arrows is made tall enough to keep them this far apart
LAYER_GAP = 170  # horizontal room between two columns of boxes, for the arrows' labels
NODE_GAP = 18  # vertical room between two items of a layer
WAYPOINT_HEIGHT = 12  # the slot a long edge takes in a layer it crosses
MARGIN = 16
BACK_LANE_GAP = 30  # vertical distance between the lanes of back edges
BACK_STUB = 14  # how far a back edge runs sideways before it turns
LABEL_INSET = 6  # a forward edge's label starts this far right of its source
BACK_PORT_INSET = 6  # a back edge leaves and enters this far above a box's bottom

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def middle(self) -> int:
        return self.y + self.height // 2

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True, slots=True)
class Route:
    """How one edge is drawn: `points` from the source's port to the target's
    port. A forward edge's consecutive points are joined by curves where they
    change column and by straight lines through a waypoint; a back edge's by
    straight lines (down, along its lane, up). `label` is where the edge's
    label goes (its text baseline): for a forward edge, where the label
    starts, just above the line as it leaves its source (where the arrows of
    different boxes are still apart); for a back edge, the middle of the
    label, above its lane."""

    edge: int  # index in diagram.edges
    points: tuple[Point, ...]
    back: bool
    label: Point


@dataclass(frozen=True, slots=True)
class Layout:
    layers: Mapping[str, int]  # node key -> layer (column), 0 on the left
    boxes: Mapping[str, Box]  # node key -> its box
    routes: tuple[Route, ...]  # one per edge whose two ends are nodes, in edge order
    width: int
    height: int


# An item of a layer: ("node", node index, 0) or ("waypoint", edge index, step along the edge).
_Item = tuple[str, int, int]


def back_edges(diagram: Diagram) -> frozenset[int]:
    """Indexes of the edges that close a cycle (step 1 of the module's docstring)."""
    index = {node.key: i for i, node in enumerate(diagram.nodes)}
    outgoing: list[list[tuple[int, int]]] = [[] for _ in diagram.nodes]
    for number, edge in enumerate(diagram.edges):
        if edge.source in index and edge.target in index:
            outgoing[index[edge.source]].append((number, index[edge.target]))
    state = [0] * len(diagram.nodes)  # 0 not seen, 1 on the stack, 2 done
    back: set[int] = set()
    roots = [i for i, n in enumerate(diagram.nodes) if n.start]
    roots += [i for i, n in enumerate(diagram.nodes) if not n.start]
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]  # (node, position in its outgoing list)
        while stack:
            node, position = stack[-1]
            if position == len(outgoing[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, position + 1)
            number, target = outgoing[node][position]
            if state[target] == 1:
                back.add(number)
            elif state[target] == 0:
                state[target] = 1
                stack.append((target, 0))
    return frozenset(back)


def _layers(diagram: Diagram, index: dict[str, int], back: frozenset[int]) -> list[int]:
    """Longest distance from a start along forward edges, in topological order."""
    count = len(diagram.nodes)
    successors: list[list[int]] = [[] for _ in range(count)]
    incoming = [0] * count
    for number, edge in enumerate(diagram.edges):
        if number in back or edge.source not in index or edge.target not in index:
            continue
        source, target = index[edge.source], index[edge.target]
        successors[source].append(target)
        incoming[target] += 1
    layer = [0] * count
    ready = [i for i in range(count) if incoming[i] == 0]
    while ready:
        node = ready.pop()
        for target in successors[node]:
            layer[target] = max(layer[target], layer[node] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return layer


def layout(diagram: Diagram) -> Layout:
    """Boxes for the nodes and routes for the edges (see the module docstring)."""
    index = {node.key: i for i, node in enumerate(diagram.nodes)}
    back = back_edges(diagram)
    layer = _layers(diagram, index, back)
    drawn = [
        number
        for number, edge in enumerate(diagram.edges)
        if edge.source in index and edge.target in index
    ]
    chains = {
        number: _chain(number, index[edge.source], index[edge.target], layer)
        for number in drawn
        if number not in back
        for edge in [diagram.edges[number]]
    }
    boxes = _place(len(diagram.nodes), layer, chains)
    node_boxes = {node.key: boxes[("node", i, 0)] for i, node in enumerate(diagram.nodes)}
    bottom = max((box.bottom for box in boxes.values()), default=MARGIN)
    ports = _ports(chains, boxes)

    routes: list[Route] = []
    lanes = 0
    for number in drawn:
        if number in back:
            lanes += 1
            edge = diagram.edges[number]
            lane = bottom + lanes * BACK_LANE_GAP
            routes.append(
                _back_route(number, node_boxes[edge.source], node_boxes[edge.target], lane)
            )
        else:
            routes.append(_forward_route(number, chains[number], boxes, ports))

    depth = max(layer, default=0) + 1
    width = MARGIN * 2 + depth * NODE_WIDTH + (depth - 1) * LAYER_GAP
    if lanes:
        width += BACK_STUB  # a back edge from the last column turns to the right of it
    return Layout(
        layers={node.key: layer[i] for i, node in enumerate(diagram.nodes)},
        boxes=node_boxes,
        routes=tuple(routes),
        width=width,
        height=bottom + MARGIN + lanes * BACK_LANE_GAP,
    )


def _chain(number: int, source: int, target: int, layer: list[int]) -> list[_Item]:
    """A forward edge's items, from its source through a waypoint in each
    layer it crosses (step 3) to its target."""
    waypoints: list[_Item] = [
        ("waypoint", number, step) for step in range(1, layer[target] - layer[source])
    ]
    return [("node", source, 0), *waypoints, ("node", target, 0)]


def _place(count: int, layer: list[int], chains: dict[int, list[_Item]]) -> dict[_Item, Box]:
    """Order (step 4) and place (step 5) every item, layer by layer."""
    items: list[list[_Item]] = [[] for _ in range(max(layer, default=0) + 1)]
    for node in range(count):
        items[layer[node]].append(("node", node, 0))
    before: dict[_Item, list[_Item]] = {}
    arrows: Counter[tuple[int, str]] = Counter()  # (node, "in" | "out") -> edges
    for chain in chains.values():
        source, target = chain[0][1], chain[-1][1]
        arrows[(source, "out")] += 1
        arrows[(target, "in")] += 1
        for waypoint in chain[1:-1]:
            items[layer[source] + waypoint[2]].append(waypoint)
        for earlier, later in itertools.pairwise(chain):
            before.setdefault(later, []).append(earlier)

    boxes: dict[_Item, Box] = {}
    for column, layer_items in enumerate(items):
        wanted = {
            item: sum(boxes[p].y + boxes[p].height / 2 for p in before[item]) / len(before[item])
            for item in layer_items
            if item in before
        }
        if column:
            layer_items.sort(key=lambda i: (wanted.get(i, 0.0), i[0] != "node", i[1], i[2]))
        x = MARGIN + column * (NODE_WIDTH + LAYER_GAP)
        top = MARGIN
        for item in layer_items:
            height = WAYPOINT_HEIGHT
            if item[0] == "node":
                most = max(arrows[(item[1], "in")], arrows[(item[1], "out")])
                height = max(NODE_HEIGHT, PORT_SPACING * (most + 1))
            y = top
            if item in wanted:
                y = max(top, round(wanted[item] - height / 2))
            boxes[item] = Box(x, y, NODE_WIDTH, height)
            top = y + height + NODE_GAP
    return boxes


def _forward_route(
    number: int,
    chain: list[_Item],
    boxes: dict[_Item, Box],
    ports: dict[tuple[int, str], Point],
) -> Route:
    points: list[Point] = [ports[(number, "out")]]
    for waypoint in chain[1:-1]:
        box = boxes[waypoint]
        points += [(box.x, box.middle), (box.right, box.middle)]
    points.append(ports[(number, "in")])
    x, y = points[0]
    return Route(number, tuple(points), False, (x + LABEL_INSET, y - 5))


def _back_route(number: int, source: Box, target: Box, lane: int) -> Route:
    """Out of the source's right side, down to the lane, left, and up into
    the target's left side (step 7), near the boxes' bottom corners: a box is
    tall enough that its forward ports stay at least PORT_SPACING above them."""
    out_x = source.right + BACK_STUB
    in_x = target.x - BACK_STUB
    out_y = source.bottom - BACK_PORT_INSET
    in_y = target.bottom - BACK_PORT_INSET
    points = (
        (source.right, out_y),
        (out_x, out_y),
        (out_x, lane),
        (in_x, lane),
        (in_x, in_y),
        (target.x, in_y),
    )
    return Route(number, points, True, ((out_x + in_x) // 2, lane - 5))


def _ports(chains: dict[int, list[_Item]], boxes: dict[_Item, Box]) -> dict[tuple[int, str], Point]:
    """Where each forward edge leaves its source and enters its target (step 6)."""
    leaving: dict[int, list[tuple[int, int]]] = {}  # node -> (y of the next item, edge)
    entering: dict[int, list[tuple[int, int]]] = {}
    for number, chain in chains.items():
        source, target = chain[0][1], chain[-1][1]
        leaving.setdefault(source, []).append((boxes[chain[1]].middle, number))
        entering.setdefault(target, []).append((boxes[chain[-2]].middle, number))
    ports: dict[tuple[int, str], Point] = {}
    for side, by_node in (("out", leaving), ("in", entering)):
        for node, edges in by_node.items():
            box = boxes[("node", node, 0)]
            x = box.right if side == "out" else box.x
            edges.sort()
            for position, (_, number) in enumerate(edges, start=1):
                ports[(number, side)] = (x, box.y + box.height * position // (len(edges) + 1))
    return ports
