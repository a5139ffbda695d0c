"""Choose the part of the graph an integration map shows.

One module for the CLI, the HTTP export and the web map, so the three always
agree on what "depth 2 downstream of Dagster" means. The store is read with
the read model (:mod:`stackatlas.readmodel`), so a node's name and layer are
the ones the vendor page and GraphQL show; callers in the web app run
:func:`select_map` through ``store.run``.

Edges point from the vendor whose page states the relation to the vendor it
names (the way the graph stores them); ``direction`` says which way data flows
for integrations. Provenance is the source page of the named graph that states
the node's name or the relation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .. import readmodel as rm
from ..errors import StackatlasError
from ..readmodel import Reader, ends, reader_for
from ..store import Store
from ..vocab import slug_of, vendor_iri

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


def layers(store: Store) -> list[Layer]:
    """The layers of the architecture, L7 first (the order maps draw them in)."""
    found = [
        Layer(id=c.iri, code=c.notation or "", label=c.label, rank=c.rank or 0)
        for c in reader_for(store).layers()
    ]
    return sorted(found, key=lambda layer: -layer.rank)


def _edge(item: rm.Relation, pages: dict[str, tuple[rm.Source, ...]]) -> Edge:
    """A relation as a map edge: from the vendor whose page states it to the vendor it names."""
    source, target = ends(item)
    direction: str | None = None
    layer: str | None = None
    details: tuple[str, ...] = ()
    if isinstance(item, rm.Integration):
        kind = Kind.integration
        direction = (item.direction.notation or "").lower() if item.direction else None
        layer = item.layer.notation if item.layer else None
        details = item.mechanisms
    elif isinstance(item, rm.Mention):
        kind, details = Kind.mention, item.roles
    else:
        kind = Kind.alternative
    # A relation the page describes in several ways keeps them all.
    label = "; ".join(sorted(details)) or direction or kind.value
    provenance = sorted({s.page for g in item.graphs for s in pages.get(g, ()) if s.page})
    return Edge(
        id=item.iri,
        source=source,
        target=target,
        kind=kind.value,
        direction=direction or None,
        label=label,
        layer=layer,
        provenance=tuple(provenance),
    )


def _nodes(reader: Reader, chosen: set[str]) -> tuple[dict[str, Node], set[str]]:
    """Nodes for the chosen IRIs (one batched read), and the graphs whose source pages they cite.

    Name: the read model's (prefLabel, else slug). Layer: the vendor's own, else
    the one integrations naming it give (``Reader.layer_fallbacks``). An edge end
    the graph does not type as a vendor still gets a node, without layer.
    """
    cores = reader.refs(sorted(chosen))
    fallbacks = reader.layer_fallbacks(sorted(i for i, c in cores.items() if c.is_vendor and c.layer is None))
    nodes: dict[str, Node] = {}
    graphs: set[str] = set()
    for iri, core in cores.items():
        if not core.is_vendor:
            nodes[iri] = Node(iri, iri.rsplit("/", 1)[-1], None, False, False)
            continue
        layer = core.layer or fallbacks.get(iri)
        nodes[iri] = Node(
            id=iri,
            label=core.name,
            layer=layer.notation if layer else None,
            catalog_entry=core.catalog_entry,
            seed=False,
            provenance=sorted(core.name_graphs),  # graph IRIs for now; pages once read
        )
        graphs |= core.name_graphs
    return nodes, graphs


def _step(item: rm.Relation, source: str, target: str, here: str, direction: Direction) -> str | None:
    """The neighbour a relation leads to from ``here`` when walking in ``direction``."""
    if here not in (source, target):
        return None
    other = target if here == source else source
    flow = (
        (item.direction.notation or "").lower() if isinstance(item, rm.Integration) and item.direction else None
    )
    if not isinstance(item, rm.Integration) or direction == Direction.both or not flow:
        return other
    flow_from, flow_to = (target, source) if flow == Direction.upstream else (source, target)
    if direction == Direction.downstream:
        return other if here == flow_from else None
    return other if here == flow_to else None


def select_map(store: Store, query: MapQuery) -> IntegrationMap:
    """The nodes and edges ``query`` selects, with layers and provenance.

    With vendors: breadth-first from them over the chosen kinds, ``depth`` hops,
    following integrations only in ``direction``, two queries per hop for the
    relations around the frontier (the read model's ``relations``), so the cost
    follows the neighbourhood and not the catalog; then the layer filter keeps
    the nodes in the chosen layers and the edges between kept nodes. Without
    vendors: every relation of the chosen kinds and every vendor with a page,
    computed once per store generation and cached.
    """
    reader = reader_for(store)
    if not query.vendors:
        return reader.cached(("map", query), lambda: _select(reader, query))
    return _select(reader, query)


def _select(reader: Reader, query: MapQuery) -> IntegrationMap:
    kinds = [k.value for k in query.kinds]
    if query.vendors:
        seeds = [str(vendor_iri(slug)) for slug in query.vendors]
        known = reader.refs(seeds)
        for slug, iri in zip(query.vendors, seeds, strict=True):
            if not known[iri].is_vendor:
                entries = [e.slug for e in reader.index().entries if e.catalog_entry]
                raise SelectionError(
                    f"unknown vendor {slug!r}; vendors with a page: {', '.join(sorted(entries))}"
                )
        chosen, relations = _walk(reader, seeds, query, kinds)
    else:
        seeds = []
        relations = list(reader.all_relations(kinds))
        # A map shows relations: the vendors with a page, and every vendor a
        # selected relation touches.
        chosen = {e.iri for e in reader.index().entries if e.catalog_entry}
        chosen |= {end for item in relations for end in ends(item)}

    all_nodes, graphs = _nodes(reader, chosen) if chosen else ({}, set())
    pages = reader.sources(graphs | {g for item in relations for g in item.graphs})
    for node in all_nodes.values():
        node.provenance = sorted({s.page for g in node.provenance for s in pages.get(g, ()) if s.page})
    edges = sorted((_edge(item, pages) for item in relations), key=lambda e: e.id)
    if query.layers:
        chosen = {n for n in chosen if all_nodes[n].layer in query.layers}
        edges = [e for e in edges if e.source in chosen and e.target in chosen]

    nodes = []
    for iri in sorted(chosen, key=lambda i: (all_nodes[i].label.lower(), i)):
        node = all_nodes[iri]
        node.seed = iri in seeds
        node.relations = sorted({e.kind for e in edges if iri in (e.source, e.target)})
        nodes.append(node)
    return IntegrationMap(query=query, layers=layers(reader.store), nodes=nodes, edges=edges)


def _walk(
    reader: Reader, seeds: list[str], query: MapQuery, kinds: list[str]
) -> tuple[set[str], list[rm.Relation]]:
    distance = dict.fromkeys(seeds, 0)
    taken: dict[str, rm.Relation] = {}
    frontier = set(seeds)
    for hop in range(query.depth):
        if not frontier:
            break
        reached: set[str] = set()
        found = reader.relations(sorted(frontier), kinds)
        for item in {x.iri: x for rel in found.values() for x in rel.all()}.values():
            source, target = ends(item)
            for here in {source, target} & frontier:
                other = _step(item, source, target, here, query.direction)
                if other is None:
                    continue
                taken[item.iri] = item
                if other not in distance:
                    distance[other] = hop + 1
                    reached.add(other)
        frontier = reached
    return set(distance), sorted(taken.values(), key=lambda e: e.iri)
