"""The nodes/edges JSON document, described by ``map.schema.json`` in this package.

Served with the schema at ``/export/map.schema.json``; the document's
``$schema`` names the schema's stable w3id IRI.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from ..vocab import MAP_SCHEMA_IRI
from .selection import IntegrationMap


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema (shipped inside the package, so inside the wheel)."""
    text = files(__package__).joinpath("map.schema.json").read_text(encoding="utf-8")
    return {"$id": str(MAP_SCHEMA_IRI), **json.loads(text)}


def document(graph: IntegrationMap) -> dict[str, Any]:
    query = graph.query
    return {
        "$schema": str(MAP_SCHEMA_IRI),
        "selection": {
            "vendors": list(query.vendors),
            "depth": query.depth if query.vendors else None,
            "direction": query.direction.value,
            "layers": list(query.layers),
            "kinds": [k.value for k in query.kinds],
        },
        "layers": [
            {"id": layer.id, "code": layer.code, "label": layer.label, "rank": layer.rank}
            for layer in graph.layers
        ],
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "layer": n.layer,
                "catalogEntry": n.catalog_entry,
                "seed": n.seed,
                "relations": n.relations,
                "provenance": n.provenance,
            }
            for n in graph.nodes
        ],
        "edges": [
            {
                "id": e.id,
                "source": e.source,
                "target": e.target,
                "kind": e.kind,
                "direction": e.direction,
                "label": e.label,
                "layer": e.layer,
                "provenance": list(e.provenance),
            }
            for e in graph.edges
        ],
    }


def render(graph: IntegrationMap) -> str:
    return json.dumps(document(graph), ensure_ascii=False, indent=1)
