"""The catalog as it was: graphs rewound to a past commit by reversing the later ones.

A commit records, per touched graph, the exact difference between the graph
before and after it with blank nodes in canonical (RDFC-1.0) labels (see
:mod:`stackatlas.store.audit`). So, with ``canon`` the canonical labelling:

    canon(before) = (canon(after) − added) ∪ removed

exactly, label for label — and ``canon(before)`` of one commit is
``canon(after)`` of the previous commit that touched the graph. Rewinding a
graph is therefore: put its current content in canonical form once, then
undo the later commits newest first with set arithmetic. The result is
isomorphic to what the store held, blank nodes included; the tests compare it
with what was actually there.

A *point* in the history is a commit number: the state after that commit.
Dates name the last commit made at or before them (a bare date means the end
of that day, UTC); release tags name the commit their release recorded.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from .. import readmodel as rm
from ..errors import InputError
from ..store import OxigraphStore, Store
from ..store.audit import canonical, vendor_graphs, vendor_of_node
from ..store.changes import ChangeSet, Quad
from ..store.queries import history as queries
from ..vocab import GRAPH, ONTOLOGY_GRAPH, SA
from .describe import Change, describe
from .log import CommitRecord, commits_numbered, graph_commit_numbers, last_sequence, vendor_commit_numbers
from .tags import release_named

_SEQUENCE = re.compile(r"^#?(\d{1,18})$")
_CONTEXT_GRAPHS = (
    str(ONTOLOGY_GRAPH),
    *(f"{GRAPH}vocab/{name}" for name in ("layers", "certifications", "categories")),
)
"""Graphs a past vendor is read together with, as they are now (names of layers, certifications …)."""
_SOURCES_GRAPH = f"{GRAPH}sources"
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_LABEL = ox.NamedNode(str(RDFS.label))
_NAMES = tuple(str(p) for p in (RDF.type, SKOS.prefLabel, SKOS.altLabel, RDFS.label, SA.layer))
"""What a vendor pointed at is read by (``readmodel`` references: names, types, layer)."""


@dataclass(frozen=True)
class Point:
    """A resolved point in the history: the state after commit ``sequence`` (0: before any commit)."""

    sequence: int
    label: str


def parse_instant(text: str) -> datetime | None:
    """A date (the end of that day, UTC) or a date-time (UTC when it names no zone); None if neither."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def resolve(store: Store, text: str, *, vendor: str | None = None) -> Point:
    """A commit number (``42`` or ``#42``), a date or date-time, or a release tag, as a :class:`Point`.

    Raises :class:`~stackatlas.errors.InputError` with what was expected when
    ``text`` is none of them.
    """
    last = last_sequence(store)
    number = _SEQUENCE.match(text.strip())
    if number:
        sequence = int(number.group(1))
        if sequence > last:
            raise InputError(f"there is no commit {sequence}: the latest is {last}")
        return Point(sequence, f"commit {sequence}")
    instant = parse_instant(text)
    if instant is not None:
        return Point(sequence_at(store, instant, vendor=vendor), text.strip())
    release = release_named(store, text.strip())
    if release is not None:
        return Point(release.sequence, f"release {release.tag}")
    raise InputError(
        f"{text!r} is not a commit number, a date (2026-12-01), a date-time (2026-12-01T10:00:00Z) "
        "or the tag of a release (stackatlas release --list)"
    )


def sequence_at(store: Store, instant: datetime, *, vendor: str | None = None) -> int:
    """The number of the last commit made at or before ``instant`` (among the vendor's, when given)."""
    if vendor is not None:
        numbers = vendor_commit_numbers(store, vendor)
    else:
        rows = store.system_select(queries.COMMIT_TIMES)
        numbers = [(int(str(r["sequence"])), _time(str(r["time"]))) for r in rows]
    return max((n for n, t in numbers if t <= instant), default=0)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _in_graph(quads: Iterable[Quad], graph: str) -> set[Quad]:
    return {q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph}


def rewind(store: Store, graphs: Sequence[str], records: Sequence[CommitRecord]) -> dict[str, set[Quad]]:
    """The graphs' contents before ``records`` (every later commit that touched them), canonical labels."""
    state = {g: canonical(store.graph_quads([g])) for g in graphs}
    for record in sorted(records, key=lambda r: -r.sequence):
        for graph in record.graphs:
            if graph in state:
                state[graph] = (state[graph] - _in_graph(record.added, graph)) | _in_graph(
                    record.removed, graph
                )
    return state


def graphs_at(store: Store, graphs: Sequence[str], sequence: int) -> dict[str, set[Quad]]:
    """Each graph's content after commit ``sequence`` (an empty set: the graph did not exist)."""
    later = [n for n, _ in graph_commit_numbers(store, graphs) if n > sequence]
    return rewind(store, graphs, commits_numbered(store, later))


def vendor_graphs_at(store: Store, vendor: str, point: Point | int) -> dict[str, set[Quad]]:
    """The graphs describing ``vendor`` (its own and any graph its later commits touched) as of ``point``."""
    sequence = point.sequence if isinstance(point, Point) else point
    later = [n for n, _ in vendor_commit_numbers(store, vendor) if n > sequence]
    records = commits_numbered(store, later)
    graphs = set(vendor_graphs(vendor)) | {g for r in records for g in r.graphs}
    extra = sorted(graphs - set(vendor_graphs(vendor)))
    if extra:  # a shared graph: undo every later commit to it, not only this vendor's
        seen = {r.sequence for r in records}
        more = [n for n, _ in graph_commit_numbers(store, extra) if n > sequence and n not in seen]
        records += commits_numbered(store, more)
    return rewind(store, sorted(graphs), records)


def vendor_at(store: Store, vendor: str, point: Point | int) -> set[Quad]:
    """Every quad of the vendor's graphs as of ``point`` (empty when the vendor did not exist then)."""
    return {q for quads in vendor_graphs_at(store, vendor, point).values() for q in quads}


_context_cache: weakref.WeakKeyDictionary[Store, tuple[int, list[Quad]]] = weakref.WeakKeyDictionary()
_context_lock = threading.Lock()


def _context(store: Store) -> list[Quad]:
    """The ontology and vocabularies, read once per store generation (every asOf read needs them)."""
    generation = store.generation
    with _context_lock:
        cached = _context_cache.get(store)
    if cached is not None and cached[0] == generation:
        return cached[1]
    quads = list(store.graph_quads(list(_CONTEXT_GRAPHS)))
    with _context_lock:
        _context_cache[store] = (generation, quads)
    return quads


def scratch(store: Store, quads: Iterable[Quad]) -> OxigraphStore:
    """An in-memory store holding ``quads`` and, as they are now, the ontology, the vocabularies and the
    names of the vendors the quads point at: what the read model needs to read a past vendor.

    Its read model (``readmodel.reader_for(result)``) starts with the current
    store's concepts, which are those of the same vocabularies.
    """
    past = list(quads)
    own = {q.graph_name for q in past}
    context = [q for q in _context(store) if q.graph_name not in own]
    vendors = sorted(
        {v for q in past if isinstance(q.object, ox.NamedNode) and (v := vendor_of_node(q.object.value))}
    )
    pairs = [(v, g) for v in vendors for g in vendor_graphs(v) if ox.NamedNode(g) not in own]
    context += store.quads_about(pairs, _NAMES)
    sources = sorted(
        {q.object.value for q in past if q.predicate == _DERIVED and isinstance(q.object, ox.NamedNode)}
    )
    context += store.quads_about([(s, _SOURCES_GRAPH) for s in sources], [_LABEL.value])
    result = OxigraphStore()
    result.ox.extend(past + context)
    result.bump_generation()
    # the scratch store's read model: the vocabularies are the current ones, so are their concepts
    concepts = rm.reader_for(store).concepts()
    rm.reader_for(result).cached("concepts", lambda: concepts)
    return result


PAST_STORES = 64
"""How many past vendors :func:`vendor_store` keeps ready per store (each a few thousand quads)."""

_past_cache: weakref.WeakKeyDictionary[Store, tuple[int, OrderedDict[tuple[str, int], Store | None]]] = (
    weakref.WeakKeyDictionary()
)
_past_lock = threading.Lock()


def vendor_store(store: Store, vendor: str, point: Point | int) -> Store | None:
    """A store holding ``vendor`` as of ``point`` (see :func:`scratch`), None when it did not exist then.

    What GraphQL's ``vendor(id:, asOf:)`` and ``/id/…?asOf=`` read from. A
    past state never changes, so the result is kept (the last
    :data:`PAST_STORES` per store) together with its read model's caches: the
    same vendor and point asked again is read without rebuilding anything.
    The key includes the store's generation, because the scratch store also
    holds things read as they are now (vocabularies, the names of the vendors
    pointed at) and data loaded outside the history changes the present.
    """
    sequence = point.sequence if isinstance(point, Point) else point
    generation, key = store.generation, (vendor, sequence)
    with _past_lock:
        held = _past_cache.get(store)
        if held is not None and held[0] == generation and key in held[1]:
            held[1].move_to_end(key)
            return held[1][key]
    quads = vendor_at(store, vendor, sequence)
    past = scratch(store, quads) if quads else None
    with _past_lock:
        if store.generation != generation:  # written meanwhile: correct for this read, not to keep
            return past
        held = _past_cache.get(store)
        if held is None or held[0] != generation:
            held = _past_cache[store] = (generation, OrderedDict())
        held[1][key] = past
        while len(held[1]) > PAST_STORES:
            held[1].popitem(last=False)
    return past


def vendor_diff(store: Store, vendor: str, start: Point | int, end: Point | int) -> list[Change]:
    """What changed in the vendor's graphs between two points, in the catalog's words."""
    old, new = vendor_at(store, vendor, start), vendor_at(store, vendor, end)
    change = ChangeSet.between(old, new)
    return describe(scratch(store, old), change) if change else []


__all__ = [
    "Point",
    "graphs_at",
    "parse_instant",
    "resolve",
    "rewind",
    "scratch",
    "sequence_at",
    "vendor_at",
    "vendor_diff",
    "vendor_graphs_at",
    "vendor_store",
]
