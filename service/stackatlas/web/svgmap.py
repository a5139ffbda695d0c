"""The integration map as SVG: one horizontal band per layer, L7 at the top.

Drawn on the server so the map reads without JavaScript. Vendors sit in
their layer's band in a grid; edges are curves between boxes, solid blue with
an arrowhead in the direction data flows for integrations, dashed for
alternatives, dotted for mentions. ElementTree writes the XML, so names are
escaped by the serialiser; each box and edge has a ``<title>`` with the full
text (a tooltip) and links to the resource's page.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ..export.labels import shorten
from ..export.selection import Edge, IntegrationMap, Kind
from ..safety import safe_href, xml_text

WIDTH = 1200
LABEL_WIDTH = 170
BOX_W, BOX_H = 150, 40
GAP_X, GAP_Y = 18, 30
BAND_PAD = 26
EMPTY_BAND = 48
COLUMNS = max(1, (WIDTH - LABEL_WIDTH - GAP_X) // (BOX_W + GAP_X))
COLOURS = {Kind.integration: "#1f5fa8", Kind.alternative: "#b5651d", Kind.mention: "#6b6b6b"}
DASHES = {Kind.integration: None, Kind.alternative: "7 5", Kind.mention: "2 4"}
# Where along a hub's column each kind of relation runs, so solid, dashed and
# dotted trunks do not lie on top of each other.
TRUNK_OFFSET = {
    ("integration", "downstream"): -18,
    ("integration", "upstream"): -6,
    ("integration", None): -12,
    ("alternative", None): 6,
    ("mention", None): 18,
}
LANE_OFFSET = {Kind.integration: 0, Kind.alternative: -6, Kind.mention: 6}


def _wrap(label: str, width: int = 20, lines: int = 2) -> list[str]:
    """Split a name over at most ``lines`` lines of about ``width`` characters."""
    words, out, current = shorten(label, width * lines).split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], shorten(" ".join(out[lines - 1 :]), width)]
    return [shorten(line, width) for line in out]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    """A child element; its text and attributes XML-safe and a ``href`` only when it is a safe link."""
    values = {k.rstrip("_").replace("_", "-"): xml_text(str(v)) for k, v in attrs.items()}
    if "href" in values:
        values["href"] = safe_href(values["href"])
    element = ET.SubElement(parent, tag, values)
    if text is not None:
        element.text = xml_text(text)
    return element


def _columns_by_centre() -> list[int]:
    centre = COLUMNS // 2
    return sorted(range(COLUMNS), key=lambda c: (abs(c - centre), c))


def _column_x(column: int) -> float:
    span = COLUMNS * BOX_W + (COLUMNS - 1) * GAP_X
    return LABEL_WIDTH + (WIDTH - LABEL_WIDTH - span) / 2 + column * (BOX_W + GAP_X)


@dataclass
class Layout:
    positions: dict[str, tuple[float, float]]
    hubs: dict[str, float]
    """Vendors whose relations run along their own free column (x of the column's centre)."""
    bands: list[tuple[str, float, float]]
    height: float


def layout(graph: IntegrationMap) -> Layout:
    """Place vendors on a column grid, band by band.

    The vendors whose pages state the relations (the hubs) get a column of
    their own that stays empty in every other band, so their relations run
    down that free column and branch off above each target's row instead of
    crossing the boxes in between.
    """
    degree: dict[str, int] = {}
    for edge in graph.edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
    order = _columns_by_centre()
    hub_columns: dict[str, int] = {}
    for hub in sorted(degree, key=lambda n: (-degree[n], n)):
        free = [c for c in order if c not in hub_columns.values()]
        if len(free) <= 2:
            break
        hub_columns[hub] = free[0]
    reserved = set(hub_columns.values())
    available = [c for c in order if c not in reserved] or order

    bands = [(layer.code, layer.title) for layer in graph.layers]
    if any(graph.layer_of(n.layer) is None for n in graph.nodes):
        bands.append(("", "layer not stated"))
    positions: dict[str, tuple[float, float]] = {}
    band_boxes: list[tuple[str, float, float]] = []
    y = 0.0
    for code, title in bands:
        members = [
            n
            for n in graph.nodes
            if (n.layer or "") == code or (code == "" and graph.layer_of(n.layer) is None)
        ]
        hubs = [n for n in members if n.id in hub_columns]
        others = [n for n in members if n.id not in hub_columns]
        rows = max(1, math.ceil(len(others) / len(available)))
        height = BAND_PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y if members else EMPTY_BAND
        for node in hubs:
            positions[node.id] = (_column_x(hub_columns[node.id]), y + BAND_PAD)
        for row in range(rows):
            in_row = others[row * len(available) : (row + 1) * len(available)]
            # The columns nearest the centre, used left to right in name order.
            for node, column in zip(in_row, sorted(available[: len(in_row)]), strict=True):
                positions[node.id] = (_column_x(column), y + BAND_PAD + row * (BOX_H + GAP_Y))
        band_boxes.append((title, y, height))
        y += height
    hubs_x = {hub: _column_x(c) + BOX_W / 2 for hub, c in hub_columns.items()}
    return Layout(positions, hubs_x, band_boxes, y)


def render(graph: IntegrationMap, link: dict[str, str]) -> str:
    """SVG markup of ``graph``; ``link`` maps IRIs to the URLs boxes and edges point at."""
    plan = layout(graph)
    height = f"{max(plan.height, 1):.0f}"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": height,
            "role": "img",
            "class": "integration-map",
            "font-family": "DejaVu Sans, Verdana, sans-serif",
        },
    )
    _sub(svg, "title", "stackatlas integration map")
    defs = _sub(svg, "defs")
    for kind, colour in COLOURS.items():
        marker = _sub(
            defs,
            "marker",
            id=f"arrow-{kind}",
            viewBox="0 0 10 10",
            refX="10",
            refY="5",
            markerWidth="7",
            markerHeight="7",
            orient="auto-start-reverse",
        )
        _sub(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill=colour)

    for i, (title, top, band_height) in enumerate(plan.bands):
        band = _sub(svg, "g", class_="band")
        _sub(
            band,
            "rect",
            x=0,
            y=f"{top:.0f}",
            width=WIDTH,
            height=f"{band_height:.0f}",
            fill="#eef3f9" if i % 2 == 0 else "#f8fafc",
            stroke="#c8d3e0",
        )
        for j, line in enumerate(_wrap(title, 18)):
            _sub(
                band,
                "text",
                line,
                x=12,
                y=f"{top + 30 + j * 17:.0f}",
                font_size=14,
                font_weight="bold" if j == 0 else "normal",
                fill="#223",
            )

    edges = _sub(svg, "g", class_="edges", fill="none")
    for edge in graph.edges:
        if edge.source in plan.positions and edge.target in plan.positions:
            _edge(edges, edge, plan, link)

    nodes = _sub(svg, "g", class_="nodes")
    for node in graph.nodes:
        if node.id not in plan.positions:
            continue
        x, y0 = plan.positions[node.id]
        anchor = _sub(nodes, "a", href=link.get(node.id, node.id), class_="vendor")
        _sub(anchor, "title", f"{node.label} ({node.layer or 'layer not stated'})")
        _sub(
            anchor,
            "rect",
            x=f"{x:.0f}",
            y=f"{y0:.0f}",
            width=BOX_W,
            height=BOX_H,
            rx=6,
            fill="#ffffff" if not node.catalog_entry else "#fff4d6",
            stroke="#1b2b44" if node.seed else "#7a8aa3",
            stroke_width=3 if node.seed else 1,
        )
        lines = _wrap(node.label)
        for k, line in enumerate(lines):
            dy = (k - (len(lines) - 1) / 2) * 15
            _sub(
                anchor,
                "text",
                line,
                x=f"{x + BOX_W / 2:.0f}",
                y=f"{y0 + BOX_H / 2 + dy + 5:.0f}",
                text_anchor="middle",
                font_size=13,
                fill="#111",
                font_weight="bold" if node.catalog_entry else "normal",
            )
    return ET.tostring(svg, encoding="unicode")


def _route(edge: Edge, plan: Layout) -> tuple[str, bool]:
    """SVG path data from the stating vendor to the other one, and whether data flows along it."""
    (x1, y1), (x2, y2) = plan.positions[edge.source], plan.positions[edge.target]
    cx1, cx2 = x1 + BOX_W / 2, x2 + BOX_W / 2
    forward = edge.direction != "upstream"
    if abs(y1 - y2) < 1:  # same row: arc above the boxes
        lift = -min(60.0, 20 + abs(cx2 - cx1) / 6)
        arc = f"M {cx1:.0f} {y1:.0f} C {cx1:.0f} {y1 + lift:.0f} {cx2:.0f} {y2 + lift:.0f} {cx2:.0f} {y2:.0f}"
        return arc, forward
    down = y2 > y1
    start_y, end_y = (y1 + BOX_H, y2) if down else (y1, y2 + BOX_H)
    trunk = plan.hubs.get(edge.source)
    if trunk is None:
        mid = (start_y + end_y) / 2
        return (
            f"M {cx1:.0f} {start_y:.0f} C {cx1:.0f} {mid:.0f} {cx2:.0f} {mid:.0f} {cx2:.0f} {end_y:.0f}",
            forward,
        )
    # Down the hub's free column, along the gap above (or below) the target's
    # row, then into the target: an orthogonal route with rounded corners.
    tx = trunk + TRUNK_OFFSET.get((edge.kind, edge.direction), 0)
    step = 1 if down else -1
    lane = end_y - step * (GAP_Y / 2 - LANE_OFFSET[Kind(edge.kind)] * step)
    r = min(8.0, abs(cx2 - tx) / 2)
    turn = 1 if cx2 > tx else -1
    path = (
        f"M {tx:.0f} {start_y:.0f} L {tx:.0f} {lane - step * r:.0f} "
        f"Q {tx:.0f} {lane:.0f} {tx + turn * r:.0f} {lane:.0f} L {cx2 - turn * r:.0f} {lane:.0f} "
        f"Q {cx2:.0f} {lane:.0f} {cx2:.0f} {lane + step * r:.0f} L {cx2:.0f} {end_y:.0f}"
    )
    return path, forward


def _edge(parent: ET.Element, edge: Edge, plan: Layout, link: dict[str, str]) -> None:
    kind = Kind(edge.kind)
    path, forward = _route(edge, plan)
    group = _sub(parent, "a", href=link.get(edge.id, edge.id), class_=f"edge edge-{kind}")
    direction = f", {edge.direction}" if edge.direction else ""
    _sub(group, "title", f"{kind}{direction}: {edge.label}")
    attrs: dict[str, Any] = {"d": path, "stroke": COLOURS[kind], "stroke_width": 1.8, "opacity": 0.85}
    if DASHES[kind]:
        attrs["stroke_dasharray"] = DASHES[kind]
    if kind == Kind.integration:
        attrs["marker_end" if forward else "marker_start"] = f"url(#arrow-{kind})"
    _sub(group, "path", **attrs)
