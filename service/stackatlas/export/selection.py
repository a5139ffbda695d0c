"""Choose the part of the graph an integration map shows.

One module for the CLI, the HTTP export and the web map, so the three always
agree on what "depth 2 downstream of Dagster" means. The store is read with
SPARQL through :class:`~stackatlas.store.Store`; callers in the web app run
:func:`select_map` through ``store.run``.

Edges point from the vendor whose page states the relation to the vendor it
names (the way the graph stores them); ``direction`` says which way data flows
for integrations. Provenance is the source page of the named graph that states
the node's name or the relation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import StackatlasError
from ..store import Row, Store
from ..vocab import slug_of, sparql_prologue, vendor_iri

MAX_DEPTH = 10
"""Bounds the work of one request (one query per hop); ten hops reach far past what a map can show."""


class SelectionError(StackatlasError):
    """An option of a map selection is invalid (unknown vendor, layer, kind …)."""


class Kind(StrEnum):
    integration = "integration"
    alternative = "alternative"
    mention = "mention"


class Direction(StrEnum):
    upstream = "upstream"
    downstream = "downstream"
    both = "both"


DEFAULT_KINDS = (Kind.integration, Kind.alternative)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class MapQuery:
    """What to select. No vendors means every relation of the chosen kinds (depth and direction unused)."""

    vendors: tuple[str, ...] = ()
    depth: int = 1
    layers: tuple[str, ...] = ()
    direction: Direction = Direction.both
    kinds: tuple[Kind, ...] = DEFAULT_KINDS

    def as_params(self) -> list[tuple[str, str]]:
        """The selection as query parameters, for links to the other formats."""
        params = [("vendor", v) for v in self.vendors]
        if self.vendors:
            params.append(("depth", str(self.depth)))
            params.append(("direction", self.direction.value))
        params += [("layer", layer) for layer in self.layers]
        params += [("kind", k.value) for k in self.kinds]
        return params


@dataclass(frozen=True)
class Layer:
    id: str
    code: str
    label: str | None
    rank: int

    @property
    def title(self) -> str:
        """``L7 · Multi-Agent Orchestration``; the bare code where no source names the layer."""
        return f"{self.code} · {self.label}" if self.label else self.code


@dataclass
class Node:
    id: str
    label: str
    layer: str | None
    catalog_entry: bool
    seed: bool
    relations: list[str] = field(default_factory=list)
    provenance: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    target: str
    kind: str
    direction: str | None
    label: str
    layer: str | None
    provenance: tuple[str, ...]

    def flow(self) -> tuple[str, str]:
        """(from, to) in the direction data flows; stated order for undirected kinds."""
        if self.direction == Direction.upstream:
            return self.target, self.source
        return self.source, self.target


@dataclass
class IntegrationMap:
    query: MapQuery
    layers: list[Layer]
    nodes: list[Node]
    edges: list[Edge]

    def layer_of(self, code: str | None) -> Layer | None:
        return next((layer for layer in self.layers if layer.code == code), None)


def build_query(
    vendors: Sequence[str] = (),
    depth: int = 1,
    layers: Sequence[str] = (),
    direction: str = "both",
    kinds: Sequence[str] = (),
) -> MapQuery:
    """Check raw options (from flags or query parameters) and build a :class:`MapQuery`."""
    if not 0 <= depth <= MAX_DEPTH:
        raise SelectionError(f"depth must be between 0 and {MAX_DEPTH}, got {depth}")
    try:
        chosen_direction = Direction(direction.lower())
    except ValueError:
        raise SelectionError(
            f"unknown direction {direction!r}; choose one of {', '.join(d.value for d in Direction)}"
        ) from None
    chosen_kinds: list[Kind] = []
    for raw in kinds:
        for part in raw.split(","):
            name = part.strip().lower().removesuffix("s")
            if name not in Kind.__members__:
                raise SelectionError(
                    f"unknown relation kind {part.strip()!r}; choose from {', '.join(k.value for k in Kind)}"
                )
            if Kind(name) not in chosen_kinds:
                chosen_kinds.append(Kind(name))
    chosen_layers: list[str] = []
    for raw in layers:
        for part in raw.split(","):
            code = part.strip().upper()
            if code not in {f"L{i}" for i in range(1, 8)}:
                raise SelectionError(f"unknown layer {part.strip()!r}; layers are L1 to L7")
            if code not in chosen_layers:
                chosen_layers.append(code)
    slugs = []
    for raw in vendors:
        for part in raw.split(","):
            text = part.strip()
            slug = (slug_of(text) or "") if text.startswith("http") else text.lower()
            if text and not _SLUG.match(slug):
                raise SelectionError(f"{text!r} is not a vendor slug (like 'dagster') or vendor IRI")
            if text:
                slugs.append(slug)
    if not slugs and chosen_direction != Direction.both:
        raise SelectionError("direction needs at least one vendor to be upstream or downstream of")
    return MapQuery(
        vendors=tuple(dict.fromkeys(slugs)),
        depth=depth,
        layers=tuple(chosen_layers),
        direction=chosen_direction,
        kinds=tuple(chosen_kinds) or DEFAULT_KINDS,
    )


# Each kind's relation pattern, written twice: starting from the stating vendor
# and starting from the named one, so that with the frontier bound in VALUES
# the engine walks out from it instead of scanning every relation.
_RELATION = {
    Kind.integration: ("sa:integration", "sa:integrationTarget"),
    Kind.alternative: ("sa:alternative", "sa:alternativeVendor"),
    Kind.mention: ("sa:mention", "sa:mentionedVendor"),
}
_DETAILS = {
    Kind.integration: """
    OPTIONAL { ?rel sa:direction/skos:notation ?direction }
    OPTIONAL { ?rel sa:mechanism ?mechanism }
    OPTIONAL { ?rel sa:layer/skos:notation ?layer }""",
    Kind.alternative: "",
    Kind.mention: """
    OPTIONAL { ?rel sa:role ?mechanism }""",
}


def _pattern(kind: Kind, from_target: bool) -> str:
    has, names = _RELATION[kind]
    steps = [f"GRAPH ?g {{ ?source {has} ?rel }}", f"?rel {names} ?target ."]
    if from_target:
        steps.reverse()
    return f'{{\n    {" ".join(steps)}{_DETAILS[kind]}\n    BIND("{kind.value}" AS ?kind)\n  }}'


_NODES = """
SELECT ?v ?label ?layer ?targetLayer ?entry ?page WHERE {
  %s
  ?v a/rdfs:subClassOf* sa:Vendor .
  OPTIONAL { GRAPH ?g { ?v skos:prefLabel ?label } OPTIONAL { ?g prov:wasDerivedFrom ?page } }
  OPTIONAL { ?v sa:layer/skos:notation ?layer }
  OPTIONAL { ?rel sa:integrationTarget ?v ; sa:layer/skos:notation ?targetLayer }
  BIND(EXISTS { ?v a sa:CatalogEntry } AS ?entry)
}
"""

_LAYERS = """
SELECT ?layer ?code ?label ?rank WHERE {
  ?layer a sa:Layer ; skos:notation ?code .
  OPTIONAL { ?layer sa:rank ?rank }
  OPTIONAL { ?layer skos:prefLabel ?label }
}
"""


def _values(variable: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(f'<{iri}>' for iri in sorted(iris))} }}"


def _edges(store: Store, kinds: Iterable[Kind], around: set[str] | None = None) -> list[Edge]:
    """Relations of the given kinds; only those touching ``around`` when it is given."""

    def branches(from_target: bool) -> str:
        return " UNION ".join(_pattern(k, from_target) for k in kinds)

    if around is None:
        where = branches(False)
    else:
        where = (
            f"{{ {_values('source', around)} {branches(False)} }} UNION "
            f"{{ {_values('target', around)} {branches(True)} }}"
        )
    query = f"""
SELECT ?rel ?kind ?source ?target ?direction ?mechanism ?layer ?page WHERE {{
  {where}
  OPTIONAL {{ ?g prov:wasDerivedFrom ?page }}
}}"""
    first: dict[str, Row] = {}
    pages: dict[str, set[str]] = {}
    mechanisms: dict[str, set[str]] = {}
    for row in store.select(sparql_prologue() + query):
        rel = str(row["rel"])
        first.setdefault(rel, row)
        pages.setdefault(rel, set()).update([str(row["page"])] if row["page"] else [])
        mechanisms.setdefault(rel, set()).update([str(row["mechanism"])] if row["mechanism"] else [])
    edges = []
    for rel, row in first.items():
        direction = str(row["direction"]).lower() if row["direction"] else None
        kind = str(row["kind"])
        # A relation the page describes in several ways keeps them all.
        label = "; ".join(sorted(mechanisms[rel])) or direction or kind
        edges.append(
            Edge(
                id=rel,
                source=str(row["source"]),
                target=str(row["target"]),
                kind=kind,
                direction=direction,
                label=label,
                layer=str(row["layer"]) if row["layer"] else None,
                provenance=tuple(sorted(pages[rel])),
            )
        )
    return sorted(edges, key=lambda e: e.id)


def _nodes(store: Store, only: set[str] | None = None) -> dict[str, Node]:
    """Vendors (all, or those in ``only``) with name, layer, catalog-entry flag and provenance.

    A vendor only mentioned by a page has no layer of its own; the layer the
    page's integration states for it stands in (the lowest code when pages differ).
    """
    nodes: dict[str, Node] = {}
    target_layers: dict[str, set[str]] = {}
    values = _values("v", only) if only is not None else ""
    for row in store.select(sparql_prologue() + _NODES % values):
        iri = str(row["v"])
        node = nodes.get(iri)
        if node is None:
            node = nodes[iri] = Node(
                id=iri,
                label=str(row["label"] or iri.rsplit("/", 1)[-1]),
                layer=str(row["layer"]) if row["layer"] else None,
                catalog_entry=bool(row["entry"]),
                seed=False,
            )
        if row["page"] and str(row["page"]) not in node.provenance:
            node.provenance.append(str(row["page"]))
        if row["targetLayer"]:
            target_layers.setdefault(iri, set()).add(str(row["targetLayer"]))
    for iri, node in nodes.items():
        node.provenance.sort()
        if node.layer is None and iri in target_layers:
            node.layer = min(target_layers[iri])
    return nodes


def layers(store: Store) -> list[Layer]:
    """The layers of the architecture, L7 first (the order maps draw them in)."""
    found = {
        str(row["code"]): Layer(
            id=str(row["layer"]),
            code=str(row["code"]),
            label=str(row["label"]) if row["label"] else None,
            rank=int(row["rank"] or 0),
        )
        for row in store.select(sparql_prologue() + _LAYERS)
    }
    return sorted(found.values(), key=lambda layer: -layer.rank)


def _step(edge: Edge, here: str, direction: Direction) -> str | None:
    """The neighbour an edge leads to from ``here`` when walking in ``direction``."""
    if here not in (edge.source, edge.target):
        return None
    other = edge.target if here == edge.source else edge.source
    if edge.kind != Kind.integration or direction == Direction.both or edge.direction is None:
        return other
    flow_from, flow_to = edge.flow()
    if direction == Direction.downstream:
        return other if here == flow_from else None
    return other if here == flow_to else None


def select_map(store: Store, query: MapQuery) -> IntegrationMap:
    """The nodes and edges ``query`` selects, with layers and provenance.

    With vendors: breadth-first from them over the chosen kinds, ``depth`` hops,
    following integrations only in ``direction``, one query per hop for the
    relations around the frontier, so the cost follows the neighbourhood and not
    the catalog; then the layer filter keeps the nodes in the chosen layers and
    the edges between kept nodes. Without vendors: every relation of the chosen
    kinds and every vendor with a page.
    """
    if query.vendors:
        seeds = [str(vendor_iri(slug)) for slug in query.vendors]
        known = _nodes(store, set(seeds))
        for slug, iri in zip(query.vendors, seeds, strict=True):
            if iri not in known:
                entries = sorted(n.id.rsplit("/", 1)[-1] for n in _nodes(store).values() if n.catalog_entry)
                raise SelectionError(f"unknown vendor {slug!r}; vendors with a page: {', '.join(entries)}")
        chosen, edges = _walk(store, seeds, query)
    else:
        seeds = []
        edges = _edges(store, query.kinds)
        # A map shows relations: the vendors with a page, and every vendor a
        # selected relation touches.
        chosen = {n.id for n in _nodes(store).values() if n.catalog_entry}
        chosen |= {end for e in edges for end in (e.source, e.target)}

    all_nodes = _nodes(store, chosen) if chosen else {}
    for iri in chosen:
        # An edge end the graph does not type as a vendor still needs a node.
        all_nodes.setdefault(iri, Node(iri, iri.rsplit("/", 1)[-1], None, False, False))
    if query.layers:
        chosen = {n for n in chosen if all_nodes[n].layer in query.layers}
        edges = [e for e in edges if e.source in chosen and e.target in chosen]

    nodes = []
    for iri in sorted(chosen, key=lambda i: (all_nodes[i].label.lower(), i)):
        node = all_nodes[iri]
        node.seed = iri in seeds
        node.relations = sorted({e.kind for e in edges if iri in (e.source, e.target)})
        nodes.append(node)
    return IntegrationMap(query=query, layers=layers(store), nodes=nodes, edges=edges)


def _walk(store: Store, seeds: list[str], query: MapQuery) -> tuple[set[str], list[Edge]]:
    distance = dict.fromkeys(seeds, 0)
    taken: dict[str, Edge] = {}
    frontier = set(seeds)
    for hop in range(query.depth):
        if not frontier:
            break
        reached: set[str] = set()
        for edge in _edges(store, query.kinds, frontier):
            for here in {edge.source, edge.target} & frontier:
                other = _step(edge, here, query.direction)
                if other is None:
                    continue
                taken[edge.id] = edge
                if other not in distance:
                    distance[other] = hop + 1
                    reached.add(other)
        frontier = reached
    return set(distance), sorted(taken.values(), key=lambda e: e.id)
