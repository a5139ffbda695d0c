"""Mermaid flowchart, layers as subgraphs (L7 first), as GitHub renders it.

Mermaid has no writer library. Labels go in double quotes with every
character that has a meaning to Mermaid or HTML written as a numeric entity
(``#34;``), which the Mermaid parser decodes; node ids are generated (``n0``)
so no vendor name ever reaches the syntax outside a quoted string.
"""

from __future__ import annotations

from .labels import shorten
from .selection import IntegrationMap, Kind

_SPECIAL = set('"#&<>[]{}()|`;%\\')


def quote(text: str) -> str:
    body = "".join(f"#{ord(c)};" if c in _SPECIAL else c for c in shorten(text))
    return f'"{body}"'


def render(graph: IntegrationMap) -> str:
    ids = {node.id: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = ["flowchart TB"]
    groups: list[tuple[str, str, list[str]]] = []
    for layer in graph.layers:
        members = [n.id for n in graph.nodes if n.layer == layer.code]
        groups.append((layer.code, layer.title, members))
    unplaced = [n.id for n in graph.nodes if graph.layer_of(n.layer) is None]
    groups.append(("unplaced", "layer not stated", unplaced))
    labels = {n.id: n.label for n in graph.nodes}
    for key, title, members in groups:
        if not members:
            continue
        lines.append(f"  subgraph {key}[{quote(title)}]")
        lines += [f"    {ids[m]}[{quote(labels[m])}]" for m in members]
        lines.append("  end")
    for edge in graph.edges:
        start, end = edge.flow()
        arrow = "-->" if edge.kind == Kind.integration else "-.-"
        lines.append(f"  {ids[start]} {arrow}|{quote(edge.label)}| {ids[end]}")
    for node in graph.nodes:
        if node.seed:
            lines.append(f"  style {ids[node.id]} stroke-width:3px")
    return "\n".join(lines) + "\n"
