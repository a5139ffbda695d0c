"""The batched reader: records for a set of vendors in a fixed number of store queries.

:meth:`Reader.read` costs five queries whatever the number of vendors asked
for (their statements, their parts, relations other pages state about them,
the vendors those relations name, the source pages), plus vocabularies read
once per store generation. Catalog-wide views (the index behind search and the
home page, the whole-catalog relations behind the full map) are cached, keyed
by :attr:`Store.generation`: a write bumps the generation and the next read
recomputes them.

Synchronous like the store; the web app calls it through ``store.run``.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar, cast

from ..store import Row, Store
from ..store.queries import readmodel as q
from ..store.terms import Term
from ..store.terms import iri as iri_term
from ..vocab import SA
from . import build, ordering
from . import records as r
from .build import S
from .concepts import LAYER_PREFIX, Concepts
from .index import CatalogIndex
from .nodes import Node, collect
from .ordering import page_order
from .summaries import EntrySummary
from .summaries import summaries as entry_summaries

T = TypeVar("T")

KINDS = tuple(q.RELATION_PROPERTIES)
"""Relation kinds: "alternative", "integration", "mention"."""

_OWNER_PROPERTY = {kind: str(SA[props[0].removeprefix("sa:")]) for kind, props in q.RELATION_PROPERTIES.items()}
_TARGET_PROPERTY = {
    kind: str(SA[props[1].removeprefix("sa:")]) for kind, props in q.RELATION_PROPERTIES.items()
}


class Reader:
    """Reads vendors from one store; one instance per store (see :func:`reader_for`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation = store.generation
        self._cache: dict[Hashable, object] = {}

    # -- cache ---------------------------------------------------------------

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per store generation; a write (generation bump) drops every cached value."""
        with self._lock:
            if self.store.generation != self._generation:
                self._cache.clear()
                self._generation = self.store.generation
            if key in self._cache:
                return cast(T, self._cache[key])
            generation = self._generation
        value = compute()
        with self._lock:
            if self.store.generation == generation == self._generation:
                self._cache[key] = value
        return value

    def peek(self, key: Hashable) -> object | None:
        """The cached value for ``key`` when it is current, without computing it (no store call)."""
        with self._lock:
            if self.store.generation != self._generation:
                return None
            return self._cache.get(key)

    def _select(self, query: str) -> list[Row]:
        return self.store.select(query)

    # -- vocabularies --------------------------------------------------------

    def concepts(self) -> Concepts:
        """The vocabularies, with the vendor classes (read together, once per generation)."""

        def compute() -> Concepts:
            classes = frozenset(str(row["c"]) for row in self._select(q.VENDOR_CLASSES))
            return Concepts(self._select(q.CONCEPTS), classes)

        return self.cached("concepts", compute)

    def vendor_classes(self) -> frozenset[str]:
        return self.concepts().vendor_classes

    def layers(self) -> list[r.Concept]:
        """The layers of the architecture, L1 first (by sa:rank, then code)."""
        return self.concepts().in_scheme(LAYER_PREFIX)

    # -- vendors -------------------------------------------------------------

    def cores(self, iris: Iterable[str]) -> dict[str, r.VendorCore]:
        """Each vendor's own facts (one query); an IRI the data says nothing about gets an unnamed core."""
        wanted = list(dict.fromkeys(iris))
        return self._cores(wanted) if wanted else {}

    def _cores(self, wanted: list[str]) -> dict[str, r.VendorCore]:
        nodes = collect(self._select(q.statements(iri_term(i) for i in wanted)))
        concepts, classes = self.concepts(), self.vendor_classes()
        return {i: build.core(nodes.get(i) or Node(i), concepts, classes) for i in wanted}

    def refs(self, iris: Iterable[str]) -> dict[str, r.VendorRef]:
        """Each vendor's name, types and layer (one query, a few rows per vendor)."""
        wanted = list(dict.fromkeys(iris))
        return self._refs(wanted) if wanted else {}

    def _refs(self, wanted: list[str]) -> dict[str, r.VendorRef]:
        nodes = collect(self._select(q.refs(iri_term(i) for i in wanted)))
        concepts, classes = self.concepts(), self.vendor_classes()
        return {i: build.ref(nodes.get(i) or Node(i), concepts, classes) for i in wanted}

    def read(self, iris: Iterable[str], cores: Mapping[str, r.VendorCore] | None = None) -> dict[str, r.Vendor]:
        """Records of the vendors, with both-way relations and references to every vendor they name.

        ``cores`` are the vendors' cores when the caller already has them (a
        GraphQL request batches them with other fields); else they are read here.
        """
        wanted = list(dict.fromkeys(iris))
        if not wanted:
            return {}
        terms = [iri_term(i) for i in wanted]
        concepts = self.concepts()
        if cores is None:
            cores = self._cores(wanted)
        part_rows = self._select(q.parts(terms))
        parts = collect(part_rows)
        # The vendor → part links, by linking property: what page order and
        # the sections are read from.
        vendor_nodes = {i: Node(i) for i in wanted}
        part_graphs: dict[str, set[str]] = defaultdict(set)
        for row in part_rows:
            vendor = str(row["v"])
            vendor_nodes[vendor].add(str(row["rp"]), str(row["s"]), "")
            part_graphs[vendor].add(str(row["g"]))
        incoming = self._incoming(terms, KINDS)

        relations = {
            i: self._relations_of(vendor_nodes[i], parts, incoming.get(i, []), concepts) for i in wanted
        }
        named = {
            end
            for rel in relations.values()
            for item in rel.all()
            for end in ends(item)
            if end and end not in vendor_nodes
        }
        # Always five queries, even when a list is empty (VALUES with no term
        # matches nothing): the cost of a read does not depend on the data.
        related_refs = self._refs(sorted(named))
        graphs = {i: set(cores[i].graphs) | part_graphs[i] for i in wanted}
        sources = self._sources(sorted(set().union(*graphs.values())))

        related: dict[str, r.VendorRef] = {**related_refs, **{c.iri: c for c in cores.values()}}
        result = {}
        for i in wanted:
            node = vendor_nodes[i]
            offering_nodes = {o: parts[o] for o in node.iris(S.offering) if o in parts}

            def claim(n: Node, offerings: dict[str, Node] = offering_nodes) -> r.ComplianceClaim:
                return build.claim(n, concepts, offerings)

            rel = relations[i]
            result[i] = r.Vendor(
                core=cores[i],
                offerings=build.linked(node, S.offering, parts, build.offering),
                claims=build.linked(node, S.complianceClaim, parts, claim),
                relations=rel,
                risks=build.linked(node, S.trustRisk, parts, lambda n: build.risk(n, concepts)),
                use_cases=build.linked(node, S.useCase, parts, lambda n: build.use_case(n, concepts)),
                stack_impact=build.linked(
                    node, S.stackImpact, parts, lambda n: build.stack_impact(n, concepts)
                ),
                strengths=build.linked(node, S.strength, parts, build.item),
                limitations=build.linked(node, S.limitation, parts, build.item),
                best_suited_for=build.linked(node, S.bestSuitedFor, parts, build.item),
                use_with_caution_for=build.linked(node, S.useWithCautionFor, parts, build.item),
                watch_for=build.linked(node, S.watchFor, parts, build.item),
                poc_checklist=build.linked(node, S.pocChecklistItem, parts, build.item),
                related={e: related[e] for e in _named_by(rel) if e in related},
                sources=tuple(s for g in sorted(graphs[i]) for s in sources.get(g, ())),
            )
        return result

    def assessments(self, iris: Iterable[str]) -> dict[str, tuple[r.Assessment, ...]]:
        """Each vendor's assessments (INPACT first) with dimensions and criteria, in one query."""
        wanted = list(dict.fromkeys(iris))
        if not wanted:
            return {}
        concepts = self.concepts()
        rows = self._select(q.assessments(iri_term(i) for i in wanted))
        nodes = collect(rows)
        owned: dict[str, Node] = {i: Node(i) for i in wanted}
        for row in rows:
            owned[str(row["v"])].add(S.assessment, str(row["a"]), "")
        return {
            i: tuple(
                sorted(
                    build.linked(owned[i], S.assessment, nodes, lambda n: build.assessment(n, concepts, nodes)),
                    key=lambda a: ordering.assessment_order(a.framework, a.iri),
                )
            )
            for i in wanted
        }

    def relations(self, iris: Iterable[str], kinds: Collection[str] = KINDS) -> dict[str, r.Relations]:
        """Relations of the given kinds both ways (two queries), without the vendors' other parts."""
        wanted = list(dict.fromkeys(iris))
        if not wanted:
            return {}
        terms = [iri_term(i) for i in wanted]
        concepts = self.concepts()
        rows = self._select(q.outgoing(terms, kinds))
        nodes = collect(rows)
        owned: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            owned[str(row["v"])].append(str(row["s"]))
        incoming = self._incoming(terms, kinds)
        result = {}
        for i in wanted:
            owner = Node(i)
            for rel_iri in dict.fromkeys(owned.get(i, [])):
                kind = _kind(nodes[rel_iri])
                if kind:
                    owner.add(_OWNER_PROPERTY[kind], rel_iri, "")
            result[i] = self._relations_of(owner, nodes, incoming.get(i, []), concepts)
        return result

    def all_relations(self, kinds: Collection[str] = KINDS) -> tuple[r.Relation, ...]:
        """Every relation of the kinds in the catalog (one query per store generation), by IRI."""

        def compute() -> tuple[r.Relation, ...]:
            concepts = self.concepts()
            rows = self._select(q.outgoing(None, kinds))
            nodes = collect(rows)
            owners = {str(row["s"]): str(row["v"]) for row in rows}
            found = [_relation(nodes[s], owners[s], concepts) for s in sorted(nodes)]
            return tuple(x for x in found if x is not None)

        return self.cached(("all-relations", tuple(sorted(kinds))), compute)

    def layer_fallbacks(self, iris: Iterable[str]) -> dict[str, r.Concept]:
        """For vendors without a layer of their own: the layer integrations naming them give (lowest code)."""
        wanted = list(dict.fromkeys(iris))
        if not wanted:
            return {}
        return _lowest_layers(self._select(q.target_layers(iri_term(i) for i in wanted)), self.concepts())

    def sources(self, graphs: Iterable[str]) -> dict[str, tuple[r.Source, ...]]:
        """The source pages of each named graph (one query), by page IRI; a graph without one has none."""
        wanted = sorted(set(graphs))
        return self._sources(wanted) if wanted else {}

    def _sources(self, wanted: list[str]) -> dict[str, tuple[r.Source, ...]]:
        found: dict[str, dict[str | None, r.Source]] = defaultdict(dict)
        for row in self._select(q.sources(iri_term(g) for g in wanted)):
            source = build.source(row)
            found[source.graph].setdefault(source.page, source)
        return {g: tuple(sorted(s.values(), key=lambda x: x.page or "")) for g, s in found.items()}

    def summaries(self) -> dict[str, EntrySummary]:
        """Every catalog entry's facets, claims, scores, texts and integrations (six lean queries), cached per
        store generation: what whole-catalog views (the workbench) need without reading every record."""
        return self.cached("summaries", lambda: entry_summaries(self._select, self.concepts()))

    def index(self) -> CatalogIndex:
        """Every vendor's names, layer (with the fallback) and page flag; cached per store generation."""

        def compute() -> CatalogIndex:
            concepts = self.concepts()
            fallbacks = _lowest_layers(self._select(q.target_layers(None)), concepts)
            return CatalogIndex.from_rows(self._select(q.VENDOR_NAMES), concepts, fallbacks)

        return self.cached("index", compute)

    # -- helpers -------------------------------------------------------------

    def _incoming(self, terms: Sequence[Term], kinds: Collection[str]) -> dict[str, list[tuple[str, Node]]]:
        """Per target: (stating vendor, relation node) of relations other pages state about it."""
        rows = self._select(q.incoming(terms, kinds))
        nodes = collect(rows)
        pairs: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows:
            pairs[str(row["t"])][str(row["s"])] = str(row["owner"])
        return {t: [(owner, nodes[s]) for s, owner in found.items()] for t, found in pairs.items()}

    def _relations_of(
        self, vendor: Node, parts: dict[str, Node], incoming: list[tuple[str, Node]], concepts: Concepts
    ) -> r.Relations:
        subject = vendor.iri
        reverse: dict[str, list[tuple[str, Node]]] = defaultdict(list)
        for owner, node in incoming:
            kind = _kind(node)
            if kind is not None and node.text(_TARGET_PROPERTY[kind]) == subject:
                reverse[kind].append((owner, node))
        for found in reverse.values():
            found.sort(key=lambda pair: page_order(pair[1].one(S.position), pair[1].iri))

        def forward(kind: str) -> list[Node]:
            return [parts[i] for i in vendor.iris(_OWNER_PROPERTY[kind]) if i in parts]

        return r.Relations(
            alternatives=tuple(
                build.alternative(n, subject) for n in build.in_page_order(forward("alternative"))
            ),
            alternative_of=tuple(build.alternative(n, o) for o, n in reverse["alternative"]),
            integrations=tuple(
                build.integration(n, subject, concepts) for n in build.in_page_order(forward("integration"))
            ),
            integrated_by=tuple(build.integration(n, o, concepts) for o, n in reverse["integration"]),
            mentions=tuple(build.mention(n, subject) for n in build.in_page_order(forward("mention"))),
            mentioned_by=tuple(build.mention(n, o) for o, n in reverse["mention"]),
        )


def _kind(node: Node) -> str | None:
    return next((k for k, prop in _TARGET_PROPERTY.items() if node.one(prop) is not None), None)


def _relation(node: Node, owner: str, concepts: Concepts) -> r.Relation | None:
    kind = _kind(node)
    if kind == "alternative":
        return build.alternative(node, owner)
    if kind == "integration":
        return build.integration(node, owner, concepts)
    if kind == "mention":
        return build.mention(node, owner)
    return None


def ends(item: r.Relation) -> tuple[str, str]:
    """(stating vendor, named vendor) of a relation: the direction edges are stored in."""
    if isinstance(item, r.Alternative):
        return item.listed_by, item.vendor
    if isinstance(item, r.Integration):
        return item.subject, item.target
    return item.subject, item.vendor


def _named_by(relations: r.Relations) -> list[str]:
    return sorted({end for item in relations.all() for end in ends(item) if end})


def _lowest_layers(rows: list[Row], concepts: Concepts) -> dict[str, r.Concept]:
    found: dict[str, r.Concept] = {}
    for row in rows:
        layer = concepts.get(row["layer"])
        if layer is None or layer.notation is None:
            continue
        vendor = str(row["v"])
        if vendor not in found or (layer.notation or "") < (found[vendor].notation or ""):
            found[vendor] = layer
    return found


_readers: weakref.WeakKeyDictionary[Store, Reader] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def reader_for(store: Store) -> Reader:
    """The store's reader: one per store, so its caches are shared by GraphQL, the pages and the maps."""
    with _readers_lock:
        reader = _readers.get(store)
        if reader is None:
            reader = _readers[store] = Reader(store)
        return reader
