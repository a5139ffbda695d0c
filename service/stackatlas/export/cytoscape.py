"""Cytoscape.js elements JSON, from networkx's ``cytoscape_data``.

Nodes carry ``name`` (the vendor's name, which Cytoscape.js styles use for
labels) besides the common attributes; edges keep their relation IRI as ``id``.
"""

from __future__ import annotations

import json

import networkx as nx

from .graphml import to_networkx
from .selection import IntegrationMap


def render(graph: IntegrationMap) -> str:
    g = to_networkx(graph)
    for node in graph.nodes:
        g.nodes[node.id]["name"] = node.label
    return json.dumps(nx.cytoscape_data(g), ensure_ascii=False, indent=1)
