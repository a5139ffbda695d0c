"""The map formats by name: media type, file extension and writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import csv_edges, cytoscape, dot, graphml, json_doc, mermaid
from .selection import IntegrationMap


@dataclass(frozen=True)
class MapFormat:
    name: str
    media_type: str
    extension: str
    title: str
    write: Callable[[IntegrationMap], str | bytes]

    def encode(self, graph: IntegrationMap) -> bytes:
        out = self.write(graph)
        return out.encode("utf-8") if isinstance(out, str) else out


MAP_FORMATS: dict[str, MapFormat] = {
    f.name: f
    for f in (
        MapFormat("mermaid", "text/vnd.mermaid; charset=utf-8", "mmd", "Mermaid", mermaid.render),
        MapFormat("dot", "text/vnd.graphviz; charset=utf-8", "dot", "Graphviz DOT", dot.render),
        MapFormat("graphml", "application/graphml+xml", "graphml", "GraphML", graphml.render),
        MapFormat("cytoscape", "application/json", "cyjs.json", "Cytoscape.js JSON", cytoscape.render),
        MapFormat("json", "application/json", "json", "JSON", json_doc.render),
        MapFormat("csv", "text/csv; charset=utf-8", "csv", "CSV edge list", csv_edges.render),
    )
}
