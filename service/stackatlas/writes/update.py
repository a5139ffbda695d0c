"""SPARQL 1.1 Update as a governed write: refuse what is unsafe, run it on a scratch copy, diff.

The request is parsed (rdflib's SPARQL parser) before anything runs: ``LOAD``,
``SERVICE``, ``CLEAR``/``DROP`` of ``ALL``/``NAMED``/``DEFAULT`` and
``ADD``/``MOVE``/``COPY`` of the default graph are refused with a token or
without — they would fetch a URL or reach beyond the named vendor graphs.
The update then runs on a scratch store holding the graphs it names (and the
shared vocabularies, for its WHERE clause); the difference between scratch and
store, graph by graph, is the change set that goes through the one transaction
path (:mod:`.transaction`). An update therefore sees only the graphs it names,
and changes nothing it did not name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..auth import Principal
from ..errors import Forbidden, QueryError, RefusedQuery, excerpt
from ..store import Store
from ..store.changes import ChangeSet
from ..vocab import SYSTEM_GRAPHS, WRITABLE_GRAPH_PREFIXES
from .transaction import is_shared

_WHOLE = {"ALL", "NAMED", "DEFAULT"}


def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, list | tuple | set):
        for item in node:
            yield from _walk(item)


def analyse(text: str) -> set[str]:
    """The IRIs the update names; raises for anything refused or unparsable."""
    try:
        parts = translateUpdate(parseUpdate(text)).algebra
    except Exception as exc:  # rdflib raises pyparsing and its own errors alike
        raise QueryError(f"malformed SPARQL Update: {excerpt(str(exc), 160)}") from None
    iris: set[str] = set()
    for node in _walk(list(parts)):
        if isinstance(node, CompValue):
            name = node.name
            if name == "Load":
                raise RefusedQuery("LOAD is refused: an update may not make the server fetch a URL")
            if "Service" in name:
                raise RefusedQuery("SERVICE is refused in updates: the server calls no other endpoint")
            if name in ("Clear", "Drop", "Create") and str(node.get("graphiri")) in _WHOLE:
                raise RefusedQuery(f"{name.upper()} {node.get('graphiri')} is refused: name the vendor graph")
            if name in ("Add", "Move", "Copy"):
                raise RefusedQuery(f"{name.upper()} is refused: change a vendor graph's triples instead")
        elif isinstance(node, URIRef):
            iris.add(str(node))
    return iris


def allowed(graph: str, principal: Principal) -> str | None:
    """Why ``principal`` may not change ``graph``, or None."""
    if graph.startswith(SYSTEM_GRAPHS) or graph == "":
        return f"{graph or 'the default graph'} cannot be changed by a write"
    if principal.scope == "admin" or graph.startswith(WRITABLE_GRAPH_PREFIXES):
        return None
    return f"{graph} is not a vendor graph; changing it needs an admin token"


def check_graphs(graphs: list[str], principal: Principal) -> None:
    for graph in graphs:
        reason = allowed(graph, principal)
        if reason is not None:
            raise Forbidden(reason)


def build(text: str, principal: Principal) -> Callable[[Store], ChangeSet]:
    """The transaction's build step for this update (parsed and checked now, run later under the lock)."""
    named = analyse(text)

    def run(store: Store) -> ChangeSet:
        existing = set(store.named_graphs())
        copied = sorted({g for g in existing if g in named or is_shared(g)})
        before = store.graph_quads(copied)
        scratch = ox.Store()
        scratch.extend(before)
        try:
            scratch.update(text)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL Update: {excerpt(str(exc), 160)}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the update could not be run: {excerpt(str(exc), 160)}") from None
        after = list(scratch)
        if any(not isinstance(q.graph_name, ox.NamedNode) for q in after):
            raise Forbidden(
                "the update writes to the default graph; name the vendor graph (GRAPH <…> or WITH <…>)"
            )
        changes = ChangeSet.between(before, after)
        check_graphs(changes.graphs, principal)
        return changes

    return run
