"""Every write is one transaction: change set → local SHACL check → commit, or nothing.

The change set is validated on a scratch store holding only what its focus
nodes need: the touched graphs as they would be after the write, the graphs
that point at their nodes (so a deleted vendor that others name as an
alternative is caught), the graphs describing every node those mention, and
the ontology and shared vocabularies. Findings are kept for the touched and
the referring graphs only; the rest is context. A catalog of 10,000 vendors is
thus checked in the time one vendor takes.

Building the change set, validating it and committing it happen under one
lock per store, so the change validated is the change committed; the
process-level single-writer rule is the persistent store's (docs/persistence.md).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF

from ..errors import InvalidWrite, PreconditionFailed
from ..history.describe import describe_commit
from ..loader import SourceFile
from ..store import OxigraphStore, Store, terms
from ..store.audit import exact_difference
from ..store.changes import Activity, Change, ChangeSet, Committed, Quad
from ..store.dataset import is_system_graph
from ..store.queries import writes as queries
from ..store.terms import Term
from ..validation import Finding, Report, load_shapes, validate_store
from ..vocab import AUDIT_GRAPH, GRAPH, ONTOLOGY_GRAPH, RELEASES_GRAPH

_LOCKS: weakref.WeakKeyDictionary[Store, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()
_SHAPES: list[rdflib.Graph] = []
_SHARED: weakref.WeakKeyDictionary[Store, tuple[int, frozenset[str]]] = weakref.WeakKeyDictionary()


def _lock(store: Store) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(store, threading.Lock())


def shapes() -> rdflib.Graph:
    """The shapes, parsed once per process."""
    if not _SHAPES:
        _SHAPES.append(load_shapes())
    return _SHAPES[0]


def is_shared(graph: str) -> bool:
    """Graphs every vendor's validation needs: the ontology, the vocabularies, the source records."""
    return graph == str(ONTOLOGY_GRAPH) or graph.startswith(f"{GRAPH}vocab/") or graph == f"{GRAPH}sources"


def display_name(graph: str) -> str:
    """How a graph is named to curators: the catalog file it corresponds to."""
    return graph.removeprefix(str(GRAPH)) + ".ttl" if graph.startswith(str(GRAPH)) else graph


@dataclass
class Outcome:
    """A write's result: what changed, the local SHACL report, and (unless a dry run) the commit."""

    changes: ChangeSet
    report: Report
    committed: Committed | None = None
    versions: dict[str, str] = field(default_factory=dict)
    descriptions: list[Change] = field(default_factory=list)
    """The change in the catalog's words: what the dry run shows and the commit's audit record keeps."""


def _iris(terms_: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]) -> set[str]:
    return {t.value for t in terms_ if isinstance(t, ox.NamedNode)}


def _graphs(store: Store, query: Callable[[Iterable[Term]], str], nodes: set[str]) -> set[str]:
    if not nodes:
        return set()
    rows = store.system_select(query(terms.iri(n) for n in sorted(nodes)))
    return {str(r["graph"]) for r in rows if not is_system_graph(str(r["graph"]))}


def _types(store: Store, nodes: set[str]) -> list[Quad]:
    if not nodes:
        return []
    rows = store.system_select(queries.types_of(terms.iri(n) for n in sorted(nodes)))
    a = ox.NamedNode(str(RDF.type))
    return [
        ox.Quad(ox.NamedNode(str(r["node"])), a, ox.NamedNode(str(r["type"])), ox.NamedNode(str(r["graph"])))
        for r in rows
        if not is_system_graph(str(r["graph"]))
    ]


def check(store: Store, changes: ChangeSet, before: Collection[Quad] | None = None) -> Report:
    """Validate the catalog as it would be after ``changes``, around the nodes they touch.

    The nodes a change is *about* are the subjects of the touched graphs
    (before and after). The scratch store gets: the touched graphs as they
    would be; whole, the other graphs saying something about those nodes (the
    vendor's curation graph) and the ontology, vocabularies and source
    records; of the graphs pointing at those nodes (another vendor naming this
    one as an alternative), the pointing nodes and the graph's own
    provenance; and of every other node all these mention (the vendors they
    name, source pages) only its ``rdf:type`` statements — what the shapes ask
    of a referenced node (``sh:class``). Findings are kept for the nodes of the
    touched graphs and the vendor's other graphs, and for the pointing nodes;
    the rest is context, partial by design. The scratch store stays the size
    of one neighbourhood whatever the size of the catalog.
    """
    touched = set(changes.graphs)
    if before is None:
        before = store.graph_quads(sorted(touched))
    after = (set(before) - changes.removed) | changes.added
    subjects = _iris([q.subject for q in [*before, *after]])
    same = _graphs(store, queries.describing_graphs, subjects) - touched
    pointing = _pointing(store, subjects, touched | same)
    shared = _shared_graphs(store)
    whole = store.graph_quads(sorted((same | shared) - touched))
    parts = store.quads_around(sorted(pointing | {(g, g) for _, g in pointing}))
    # the pointing nodes' owners (a vendor's sa:alternative link) count as mentioned too
    mentioned = (
        _iris([q.object for q in [*after, *whole, *parts]]) | _iris([q.subject for q in parts])
    ) - subjects
    scratch = OxigraphStore()
    scratch.ox.extend(whole)
    scratch.ox.extend(parts)
    scratch.ox.extend(_types(store, mentioned))
    scratch.ox.extend(after)
    scratch.bump_generation()
    sources = [SourceFile(Path(display_name(g)), g, ox.RdfFormat.TURTLE) for g in scratch.named_graphs()]
    report = validate_store(scratch, sources, shapes())
    files = {display_name(g) for g in touched | same}
    nodes = {s for s, _ in pointing} | {g for _, g in pointing}
    return Report([f for f in report.findings if f.file in files or f.focus in nodes], report.results_graph)


def _shared_graphs(store: Store) -> frozenset[str]:
    """The shared graphs (:func:`is_shared`), listed once per generation.

    Listing every graph costs tens of milliseconds at 10,000 vendors, and
    every commit moves the generation; :func:`write` therefore carries the
    list over its own commit when that commit touched no shared graph. Any
    other change (another process' commit, a token written meanwhile) moves
    the generation by more than that commit did, and the list is made again.
    """
    generation = store.generation
    cached = _SHARED.get(store)
    if cached is None or cached[0] != generation:
        cached = (generation, frozenset(g for g in store.named_graphs() if is_shared(g)))
        _SHARED[store] = cached
    return cached[1]


def _carry_shared(store: Store, before: int, changes: ChangeSet) -> None:
    """After a commit made at generation ``before``: keep the shared-graph list if it still holds."""
    cached = _SHARED.get(store)
    if (
        cached is not None
        and cached[0] == before
        and store.generation == before + 1
        and not any(is_shared(g) for g in changes.graphs)
    ):
        _SHARED[store] = (before + 1, cached[1])


_RECORDS = frozenset({str(AUDIT_GRAPH), str(RELEASES_GRAPH)})
"""The service's records of past commits and releases: they name a vendor, but no write can make them
invalid, and checking them would make a vendor's writes slower with every commit in its history."""


def _pointing(store: Store, nodes: set[str], skip: set[str]) -> set[tuple[str, str]]:
    """(node, graph) of every catalog node in another graph that points at one of ``nodes``."""
    if not nodes:
        return set()
    rows = store.system_select(queries.referring_nodes(terms.iri(n) for n in sorted(nodes)))
    found = {(str(r["s"]), str(r["graph"])) for r in rows}
    return {(s, g) for s, g in found if g not in skip | _RECORDS and not is_system_graph(g)}


def violations(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.severity == "Violation"]


def refuse(report: Report) -> InvalidWrite:
    found = violations(report)
    first = found[0].message if found else ""
    return InvalidWrite(
        f"the write was not applied: it would leave {len(found)} SHACL violation(s); first: {first}", found
    )


def write(
    store: Store,
    build: Callable[[Store], ChangeSet],
    expected_versions: dict[str, str],
    activity: Activity | None,
    *,
    dry_run: bool = False,
) -> Outcome:
    """Build the change set from the current state, validate it, and commit it if it conforms.

    Raises :class:`~stackatlas.errors.PreconditionFailed` for a stale version
    and :class:`~stackatlas.errors.InvalidWrite` (with the violations) when the
    result would not conform; in both cases nothing is changed. A dry run
    returns the outcome without committing (and without raising on violations).

    The commit names the versions the change was built and validated on, so
    a change another process committed in between (``--workers N``: one lock
    per process, the store's writer lock across them) makes the commit fail
    rather than land unvalidated; the write is then built again on the new
    state, a few times at most.
    """
    with _lock(store):
        for attempt in range(_ATTEMPTS):
            if expected_versions:
                # fail early and cheaply; Store.commit checks again atomically
                current = store.versions(sorted(expected_versions))
                stale = {g: v for g, v in expected_versions.items() if current[g] != v}
                if stale:
                    store.commit(ChangeSet(), stale, None)  # raises PreconditionFailed with the message
            changes = build(store)
            seen = store.versions(changes.graphs)
            old = store.graph_quads(changes.graphs)  # the touched graphs, for the check and the words
            report = check(store, changes, old) if changes else Report([], rdflib.Graph())
            described = describe(store, changes, old) if changes else []
            outcome = Outcome(changes, report, versions=seen, descriptions=described)
            if dry_run:
                return outcome
            if not report.conforms:
                raise refuse(report)
            if not changes:
                return outcome
            if activity is not None:
                activity = replace(activity, descriptions=tuple(described))
            before = store.generation
            try:
                outcome.committed = store.commit(changes, {**seen, **expected_versions}, activity)
            except PreconditionFailed:
                if attempt + 1 == _ATTEMPTS or any(
                    store.versions([g])[g] != v for g, v in expected_versions.items()
                ):
                    raise
                continue
            _carry_shared(store, before, changes)
            outcome.versions = outcome.committed.versions
            return outcome
    raise AssertionError("unreachable")


_ATTEMPTS = 3


def describe(store: Store, changes: ChangeSet, before: Collection[Quad]) -> list[Change]:
    """The change in the catalog's words, worked out once, before the commit, from what the store holds
    now (``before``: the touched graphs): the commit's audit record keeps it, the dry run shows it.

    Described as the exact difference the commit will record, so the words are
    those :func:`stackatlas.history.describe.describe` gives for the commit.
    """
    return describe_commit(store, exact_difference(before, changes))


def activity(agent: str, message: str, interface: str) -> Activity:
    return Activity(agent=agent, message=message, interface=interface, started=datetime.now(UTC))


def replace_graph(graph: str, quads: list[Quad]) -> Callable[[Store], ChangeSet]:
    """A build step: the graph's content becomes ``quads`` (an empty list deletes the graph)."""

    wanted = normalised(quads)

    def build(store: Store) -> ChangeSet:
        return ChangeSet.between(store.graph_quads([graph]), wanted)

    return build


def normalised(quads: list[Quad]) -> list[Quad]:
    """The quads as the store will hold them, so an unchanged graph diffs as unchanged.

    Oxigraph keeps some literals in a canonical form (a ``1`` typed
    ``xsd:positiveInteger`` comes back as ``xsd:integer``); a round trip
    through a scratch store gives parsed input the same form.
    """
    scratch = ox.Store()
    scratch.extend(quads)
    return list(scratch)


def parse_graph(data: bytes, fmt: ox.RdfFormat, graph: str) -> list[Quad]:
    """Parse a graph's serialisation (``<>`` is the graph itself) into quads of that graph.

    Raises ``SyntaxError`` (the parser's) for malformed input.
    """
    name = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(data, format=fmt, base_iri=graph)]
