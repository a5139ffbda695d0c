"""GraphML with typed attributes (yEd, Gephi), written by networkx.

The graph is a multigraph keyed by relation IRI, since two vendors can be
both alternatives and integrated. GraphML has no null: an attribute a node or
edge lacks (a mention's direction) is left out rather than written empty.
"""

from __future__ import annotations

import io

import networkx as nx

from ..safety import xml_text
from .selection import IntegrationMap


def to_networkx(graph: IntegrationMap) -> nx.MultiDiGraph:
    """The map as networkx holds it; every string XML-safe (no control characters), as GraphML needs."""
    g = nx.MultiDiGraph(name="stackatlas integration map")
    for node in graph.nodes:
        attrs: dict[str, object] = {
            "label": xml_text(node.label),
            "catalog_entry": node.catalog_entry,
            "seed": node.seed,
            "relations": " ".join(node.relations),
            "provenance": " ".join(node.provenance),
        }
        if node.layer:
            attrs["layer"] = node.layer
        g.add_node(xml_text(node.id), **attrs)
    for edge in graph.edges:
        attrs = {
            "id": xml_text(edge.id),
            "label": xml_text(edge.label),
            "kind": edge.kind,
            "provenance": xml_text(" ".join(edge.provenance)),
        }
        if edge.direction:
            attrs["direction"] = edge.direction
        if edge.layer:
            attrs["layer"] = edge.layer
        g.add_edge(xml_text(edge.source), xml_text(edge.target), key=xml_text(edge.id), **attrs)
    return g


def render(graph: IntegrationMap) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()
