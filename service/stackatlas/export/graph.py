"""Whole-graph downloads: the union graph as Turtle, N-Triples or JSON-LD, the dataset as TriG or N-Quads.

The dataset formats keep one named graph per source file, which is where the
provenance lives; the triple formats are the deduplicated union. pyoxigraph
serialises all but JSON-LD, which rdflib writes compacted with the published
context.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from ..formats import GraphFormat
from ..store import Store
from ..vocab import PREFIXES


def context() -> dict[str, Any]:
    """The JSON-LD context: the project's prefixes, so IRIs compact to ``sa:Vendor``, ``vendor:dagster``."""
    return {"@context": dict(PREFIXES)}


def serialise_triples(ntriples: bytes, fmt: GraphFormat) -> bytes:
    """Turn N-Triples into the requested triple format (used for the union and for single resources)."""
    if fmt.name == "ntriples":
        return ntriples
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.parse(data=ntriples, format="nt")
    if fmt.name == "jsonld":
        data = json.loads(graph.serialize(format="json-ld", context=context()["@context"], auto_compact=True))
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return graph.serialize(format="turtle", encoding="utf-8")


def download(store: Store, fmt: GraphFormat) -> bytes:
    """The whole catalog in ``fmt``. Synchronous: call it through ``store.run``."""
    if fmt.dataset:
        return store.dump(fmt.media_type)
    if fmt.name == "jsonld":
        return serialise_triples(store.dump_union("application/n-triples"), fmt)
    return store.dump_union(fmt.media_type)
