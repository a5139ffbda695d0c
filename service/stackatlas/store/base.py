"""The store interface the rest of stackatlas is written against.

Methods are synchronous because both the CLI and the web app use them; the web
app must call them through :meth:`Store.run` (or ``anyio.to_thread``) so that a
store call never blocks the event loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import anyio.to_thread
import pyoxigraph
import rdflib

from ..loader import SourceFile
from .changes import Activity, ChangeSet, Committed, Quad
from .terms import Bindings

Value = str | int | float | bool | Decimal | None
"""A bound value: IRIs and plain literals as str, numbers and booleans as Python values."""

Row = dict[str, Value]

T = TypeVar("T")


@dataclass(frozen=True)
class QueryRequest:
    """One user query (``/sparql``, ``stackatlas query``) as the protocol layer resolved it.

    ``solutions_format`` (SELECT/ASK) and ``graph_format`` (CONSTRUCT/DESCRIBE)
    are media types, or None when the client accepts no format for that kind
    of result: the backend learns the kind only once the query is parsed.
    ``default_graph``/``named_graphs`` are the protocol's explicit dataset;
    without them and without a FROM clause the default graph is the union of
    all graphs. ``allowlist`` and ``max_depth`` are the safety check's
    settings (see :mod:`stackatlas.store.query_safety`).
    """

    query: str
    solutions_format: str | None
    graph_format: str | None
    max_bytes: int
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    allowlist: tuple[str, ...] = ()
    max_depth: int = 64


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    media_type: str


@dataclass(frozen=True)
class UserQueryLimits:
    """How a backend runs user queries: parallelism, per-client share, crash output."""

    workers: int = 2
    per_client: int = 1
    """Queries one client (IP address) may have running or waiting at once."""
    debug: bool = False
    """Let the engine's own crash output (panics, backtraces) reach stderr."""


class Store(ABC):
    """A quad store holding one named graph per source file, queried as their union.

    ``generation`` counts the changes made to the data: every write (today only
    :meth:`load`) bumps it. Read caches (the read model's catalog-wide views,
    the search index) are keyed by it, so a write invalidates them without the
    writer knowing who caches what.
    """

    _generation: int = 0

    @property
    def generation(self) -> int:
        """A number that changes whenever the data changes; equal numbers mean equal data."""
        return self._generation

    def bump_generation(self) -> None:
        """Mark the data as changed; every write path of a backend calls this once it has succeeded."""
        self._generation += 1

    @abstractmethod
    def load(self, sources: Sequence[SourceFile]) -> None:
        """Load each source file into its named graph, all or nothing.

        Raises :class:`stackatlas.errors.InputError` naming the file and line of
        the first unreadable file; the store is left unchanged in that case.
        """

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run an internal SELECT over the union of all graphs; rows of Python values.

        ``bindings`` fixes variables to terms (see :mod:`stackatlas.store.terms`):
        parameters never become query text.
        """

    @abstractmethod
    def construct(
        self, query: str, media_type: str = "application/n-triples", bindings: Bindings | None = None
    ) -> bytes:
        """Run an internal CONSTRUCT or DESCRIBE over the union of all graphs, serialised.

        SELECT rows flatten terms to plain values; pages that hand triples on
        (linked-data resources) need the terms intact.
        """

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an internal ASK over the union of all graphs."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump(self, media_type: str, graph: str | None = None) -> bytes:
        """Serialise one graph (or the whole dataset when ``graph`` is None)."""

    @abstractmethod
    def dump_union(self, media_type: str) -> bytes:
        """Serialise the union of all graphs as one graph (what SPARQL sees as the default graph)."""

    @abstractmethod
    def snapshot(self, path: Path) -> Path:
        """Write the whole dataset to the file ``path`` as N-Quads, for the SPARQL workers.

        Queries must run in processes that can be killed on timeout (see
        :mod:`stackatlas.store.workers`); they load this file rather than have
        the data copied through a pipe.
        """

    @abstractmethod
    def shacl_data_graph(self) -> rdflib.Dataset:
        """The union of all graphs as an rdflib dataset that pyshacl validates in place.

        A view, not a copy: a catalog of a million triples must not be
        duplicated into rdflib's memory store to be validated, and SHACL-SPARQL
        constraints should run on the backend's own query engine.
        """

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    @abstractmethod
    async def start_user_queries(self, limits: UserQueryLimits) -> None:
        """Get ready to answer :meth:`run_user_query` (the embedded store starts its workers).

        Called once by the app's lifespan (or the CLI) after the data is loaded.
        """

    @abstractmethod
    async def stop_user_queries(self, reason: str | None = None) -> None:
        """Stop every user query in flight (their callers get :class:`~stackatlas.errors.Unavailable`
        with ``reason``) and free what :meth:`start_user_queries` took."""

    @abstractmethod
    def user_queries_ready(self) -> str | None:
        """None when user queries can be answered, else why not (for ``/ready``)."""

    @abstractmethod
    async def run_user_query(self, request: QueryRequest, timeout: float, client: str) -> QueryAnswer:
        """Run an untrusted query within ``timeout`` seconds, on behalf of ``client``.

        The query is checked (read-only, no SERVICE unless allow-listed,
        bounded nesting) and evaluated where a runaway can be stopped; a
        cancelled call (the client went away) stops the query. Raises a
        :class:`~stackatlas.errors.QueryError` subclass.
        """

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run a store call in a worker thread so the event loop stays free."""
        return await anyio.to_thread.run_sync(fn, *args)

    # -- governed writes (stackatlas.writes): versions, commits, audit ------------
    #
    # Kept apart from the opening and loading methods above: a write is a
    # change set that was validated above the store; the store's part is to
    # check the versions the writer read and apply it atomically, with its
    # audit record, under one lock per store.

    @abstractmethod
    def graph_quads(self, graphs: Sequence[str]) -> list[Quad]:
        """Every quad of the named graphs, terms intact (blank nodes keep their store identity)."""

    @abstractmethod
    def quads_around(self, pairs: Sequence[tuple[str, str]]) -> list[Quad]:
        """For each ``(node, graph)``: the quads of that graph with the node as subject or object."""

    def quads_about(
        self, pairs: Sequence[tuple[str, str]], predicates: Sequence[str] | None = None
    ) -> list[Quad]:
        """For each ``(node, graph)``: the quads of that graph with the node as subject (and one of
        ``predicates`` as predicate, when given).

        A part of :meth:`quads_around`; a backend that can look these up directly overrides it.
        """
        nodes = {pyoxigraph.NamedNode(node) for node, _ in pairs}
        wanted = None if predicates is None else {pyoxigraph.NamedNode(p) for p in predicates}
        return [
            q
            for q in self.quads_around(pairs)
            if q.subject in nodes and (wanted is None or q.predicate in wanted)
        ]

    @abstractmethod
    def versions(self, graphs: Sequence[str]) -> dict[str, str]:
        """Each graph's current version (its ETag); ``"0"`` for a graph never written through the service."""

    @abstractmethod
    def system_select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """:meth:`select` over every graph, the system graphs included; never for user input.

        For the service's own bookkeeping (tokens) and for the write path's
        context queries, which name graphs (``GRAPH ?g``) and leave the system
        graphs out themselves: on a store with system graphs, a public read
        lists every public graph in its dataset, which costs a catalog-sized
        setup per query.
        """

    @abstractmethod
    def commit(
        self, changes: ChangeSet, expected_versions: dict[str, str], activity: Activity | None
    ) -> Committed:
        """Apply ``changes`` atomically if every graph in ``expected_versions`` is still at that version.

        Raises :class:`~stackatlas.errors.PreconditionFailed` (nothing applied)
        when one is not. Each touched graph gets a new version; with an
        ``activity`` the commit is recorded in the audit graph (who, when,
        why, which graphs, the quads added and removed) in the same
        transaction. Bumps :attr:`generation`. Commits are serialised.
        """
