"""Releases: names for states of the catalog, kept in the store, compared and dumped exactly.

``stackatlas release 2026-Q3`` records a ``sa:Release`` in the public graph
``graph/releases`` naming the latest commit number, as a commit of its own (so
it is audited and every process or replica reading the store sees it). The
state a release names never changes: later commits are undone to get it back
(:mod:`stackatlas.history.asof`).

**A release's dump is reproducible**: :func:`dump_at` writes every catalog
graph as it was at the release as N-Quads, blank nodes labelled by RDFC-1.0,
lines sorted, without the history's own graphs (audit, releases). The same
release gives the same bytes whenever it is dumped, before or after any
number of later commits (``tests/test_history.py`` checks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..errors import InputError
from ..store import Store
from ..store.audit import agent_iri, canonical
from ..store.changes import Activity, ChangeSet, Committed, Quad
from ..vocab import AUDIT_GRAPH, ID, RELEASES_GRAPH, SA, SERVICE_AGENT
from .asof import rewind, scratch
from .describe import Change, describe
from .log import commits_numbered, last_sequence
from .tags import Release, release_named, releases

TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HISTORY_GRAPHS = {str(AUDIT_GRAPH), str(RELEASES_GRAPH)}


def create_release(store: Store, tag: str, agent: str, message: str | None = None) -> tuple[Release, Committed]:
    """Name the current state ``tag``: a commit adding the release record (refused if the tag exists)."""
    if not TAG.match(tag):
        raise InputError(
            f"release tag {tag!r}: use letters, digits, '.', '_' and '-' "
            "(at most 64, starting with a letter or digit)"
        )
    if release_named(store, tag) is not None:
        raise InputError(f"release {tag!r} exists already: a release names one state for good")
    sequence = last_sequence(store)
    now = datetime.now(UTC)
    graph = ox.NamedNode(str(RELEASES_GRAPH))
    node = ox.NamedNode(str(ID[f"release/{tag}"]))

    def n(value: object) -> ox.NamedNode:
        return ox.NamedNode(str(value))

    quads = [
        ox.Quad(graph, n(PROV.wasAttributedTo), n(SERVICE_AGENT), graph),
        ox.Quad(node, n(RDF.type), n(SA.Release), graph),
        ox.Quad(node, n(SA.tag), ox.Literal(tag), graph),
        ox.Quad(node, n(SA.atSequence), ox.Literal(str(sequence), datatype=n(XSD.integer)), graph),
        ox.Quad(node, n(PROV.generatedAtTime), ox.Literal(now.isoformat(), datatype=n(XSD.dateTime)), graph),
        ox.Quad(node, n(PROV.wasAttributedTo), agent_iri(agent), graph),
        ox.Quad(agent_iri(agent), n(RDFS.label), ox.Literal(agent), graph),
    ]
    if message:
        quads.append(ox.Quad(node, n(RDFS.comment), ox.Literal(message), graph))
    existing = set(store.graph_quads([str(RELEASES_GRAPH)]))
    change = ChangeSet.of(added=[q for q in quads if q not in existing])
    activity = Activity(agent=agent, message=message or f"release {tag}", interface="cli", started=now)
    committed = store.commit(change, {}, activity)
    return Release(tag, sequence, now.isoformat(), agent, message), committed


def catalog_at(store: Store, sequence: int) -> dict[str, set[Quad]]:
    """Every catalog graph (the history's own graphs apart) as of commit ``sequence``, canonical labels."""
    later = commits_numbered(store, range(sequence + 1, last_sequence(store) + 1))
    graphs = set(store.named_graphs()) | {g for r in later for g in r.graphs}
    graphs -= _HISTORY_GRAPHS
    return {g: quads for g, quads in rewind(store, sorted(graphs), later).items() if quads}


def dump_at(store: Store, sequence: int) -> bytes:
    """The catalog as of commit ``sequence`` as sorted N-Quads with canonical blank nodes: same release,
    same bytes."""
    lines = sorted(f"{q} .\n" for quads in catalog_at(store, sequence).values() for q in canonical(quads))
    return "".join(lines).encode()


@dataclass(frozen=True)
class CatalogDiff:
    """What changed between two points of the whole catalog, in the catalog's words."""

    vendors_added: list[str]
    vendors_removed: list[str]
    changes: list[Change]


def catalog_diff(store: Store, start: int, end: int) -> CatalogDiff:
    """The changes between the states after commits ``start`` and ``end`` (``start`` ≤ ``end``)."""
    if start > end:
        start, end = end, start
    between = commits_numbered(store, range(start + 1, end + 1))
    graphs = sorted({g for r in between for g in r.graphs} - _HISTORY_GRAPHS)
    later = commits_numbered(store, range(end + 1, last_sequence(store) + 1))
    after = rewind(store, graphs, later)
    before = rewind(store, graphs, later + between)
    old = {q for quads in before.values() for q in quads}
    new = {q for quads in after.values() for q in quads}
    change = ChangeSet.between(old, new)
    changes = describe(scratch(store, old), change) if change else []
    added = [c.vendor for c in changes if c.kind == "vendor-added"]
    removed = [c.vendor for c in changes if c.kind == "vendor-removed"]
    return CatalogDiff(added, removed, changes)


__all__ = [
    "TAG",
    "CatalogDiff",
    "Release",
    "catalog_at",
    "catalog_diff",
    "create_release",
    "dump_at",
    "release_named",
    "releases",
]
