"""A store that is a SPARQL engine over HTTP: stateless replicas over one shared engine.

``stackatlas serve --store http://host:port/`` speaks SPARQL 1.1 Query
(``<url>query``), Update (``<url>update``) and the Graph Store Protocol
(``<url>store``) to the engine: Oxigraph server's layout, the reference
engine (see ``docs/deployment.md`` for Fuseki, GraphDB and Virtuoso). The
replica holds no copy of the catalog: every read is a request to the engine,
and the only thing it caches is keyed by the engine's generation, read at most
every ``generation_ttl`` seconds (see :attr:`RemoteStore.generation`).

System graphs (tokens, versions) live in the engine beside the catalog and
stay out of what users read: a user query is forwarded with an explicit
protocol dataset of the public graphs (which bounds the default graph and
``GRAPH ?g``), and one with FROM is refused, since engines let FROM override
the protocol's dataset; the service's own reads run over the engine's union of
graphs and are screened (:meth:`RemoteStore._screen`): a parameter naming a
system node answers nothing, and no system statement comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx
import pyoxigraph as ox
import rdflib

from .. import formats
from ..errors import (
    ClientShareExceeded,
    InputError,
    MalformedQuery,
    PreconditionFailed,
    QueryError,
    QueryFailed,
    QueryTimeout,
    RefusedQuery,
    ResultTooLarge,
    UnacceptableResult,
    Unavailable,
    excerpt,
)
from ..loader import SourceFile
from ..vocab import ID, PREFIXES, SA, SYSTEM_GRAPHS, VERSIONS_GRAPH, sparql_prologue
from . import audit
from .base import QueryAnswer, QueryRequest, Row, Store, UserQueryLimits
from .changes import Activity, ChangeSet, Committed, Quad
from .dataset import is_system_graph
from .oxigraph import OxigraphStore, to_value
from .queries import remote as q
from .queries import writes as write_queries
from .query_safety import check
from .terms import Bindings, iri, literal

log = logging.getLogger(__name__)

_JSON = "application/sparql-results+json"
_TSV = "text/tab-separated-values"
"""SELECT results come as TSV: the quickest of the standard formats to parse (ASK answers in JSON)."""
_NQUADS = "application/n-quads"
_NTRIPLES = "application/n-triples"
_TOKEN_NODES = str(ID["token/"])
_SYSTEM = str(SYSTEM_GRAPHS)
_HIDDEN_PREDICATES = frozenset({str(SA.tokenHash), str(SA.version), str(SA.scope)})
_HEALTH_EVERY = 1.0
_LEASE = 30
"""Seconds a commit's claim on the generation holds (engine clock) if its replica dies before releasing it."""
_NONE = f"{SYSTEM_GRAPHS}none"
"""A graph never written: the dataset of a user query that names only system graphs (or none of a kind)."""


def is_remote(location: str | Path | None) -> bool:
    """Whether ``--store`` names an engine (an ``http(s)://`` URL) rather than a directory."""
    text = str(location or "")
    return text.startswith(("http://", "https://"))


def _system_node(value: str) -> bool:
    return value.startswith((_SYSTEM, _TOKEN_NODES))


def _one_line(text: str, limit: int = 300) -> str:
    return excerpt(" ".join(text.split()), limit)


class RemoteStore(Store):
    """The :class:`Store` seam over a SPARQL 1.1 engine (Oxigraph server's endpoint layout).

    ``url`` is the engine's base URL; ``timeout`` bounds every internal
    request (connect, read); ``generation_ttl`` is how long a read generation
    is trusted before it is asked again.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        generation_ttl: float = 0.1,
        timeout_parameter: str | None = None,
    ) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.query_url, self.update_url, self.store_url = (self.url + p for p in ("query", "update", "store"))
        self.timeout = timeout
        self.generation_ttl = generation_ttl
        self.timeout_parameter = timeout_parameter
        """How the engine takes a per-query time limit: ``name`` (seconds) or ``name:ms``; None for none."""
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self._generation_read: tuple[float, int] | None = None
        self._generation_lock = threading.Lock()
        self._graphs: tuple[int, list[str]] | None = None
        self._size: tuple[int, int] | None = None
        self._size_lock = threading.Lock()
        self._counting = False
        self.round_trips = 0
        """Requests sent to the engine by this process (the benchmark reads it)."""
        # user queries
        self._client: httpx.AsyncClient | None = None
        self._health: asyncio.Task[None] | None = None
        self._down: str | None = "the SPARQL engine has not been reached yet"
        self._stopped: str | None = None
        self._running: Counter[str] = Counter()
        self._slots: asyncio.Semaphore | None = None
        self._per_client = 1

    # -- HTTP ------------------------------------------------------------------

    def _unreachable(self, exc: Exception) -> Unavailable:
        kind = "did not answer in time" if isinstance(exc, httpx.TimeoutException) else "is unreachable"
        return Unavailable(f"the SPARQL engine at {self.url} {kind} ({type(exc).__name__}); try again shortly")

    def _send(self, url: str, data: dict[str, str | list[str]], accept: str) -> bytes:
        self.round_trips += 1
        try:
            response = self._http.post(url, data=data, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc
        return self._answer(response)

    def _answer(self, response: httpx.Response) -> bytes:
        if response.status_code >= 500:
            raise Unavailable(
                f"the SPARQL engine at {self.url} failed ({response.status_code}: {_one_line(response.text)})"
            )
        if response.status_code >= 400:
            raise QueryError(
                f"the SPARQL engine refused a query ({response.status_code}: {_one_line(response.text)})"
            )
        return response.content

    def _query(self, query: str, bindings: Bindings | None, accept: str) -> bytes:
        # Oxigraph reads `union-default-graph`; other engines are set up with a union default graph.
        return self._send(self.query_url, {"query": q.bind(query, bindings), "union-default-graph": ""}, accept)

    def _solutions(self, query: str, bindings: Bindings | None = None) -> ox.QuerySolutions:
        result = ox.parse_query_results(self._query(query, bindings, _TSV), format=ox.QueryResultsFormat.TSV)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return result

    def _update(self, update: str) -> None:
        self._send(self.update_url, {"update": update}, "*/*")

    # -- reads -----------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The engine's generation, asked again once the last answer is ``generation_ttl`` seconds old.

        Every replica sees a commit made through another one within that bound
        (0.1 s by default); the replica that committed sees it at once. On the
        event loop's thread it never asks (a hung engine must not stall the
        loop): a stale value reads as -1, "unknown", which no cache holds, so
        the caller takes its worker-thread path, where the engine is asked.
        """
        with self._generation_lock:
            read = self._generation_read
            if read is not None and time.monotonic() - read[0] < self.generation_ttl:
                return read[1]
        if _on_event_loop():
            return -1
        rows = _rows(self._solutions(q.GENERATION))
        value = int(rows[0]["generation"] or 0) if rows else 0
        with self._generation_lock:
            self._generation_read = (time.monotonic(), value)
        return value

    def bump_generation(self) -> None:
        """The engine counts; this only forgets the generation read, so the next read asks again."""
        with self._generation_lock:
            self._generation_read = None

    def _screen(self, bindings: Bindings | None) -> bool:
        """Whether an internal read may run: not when a parameter names a system node (a token's page)."""
        return not any(_system_node(term.value) for term in (bindings or {}).values())

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        if not self._screen(bindings):
            return []
        rows = _rows(self._solutions(query, bindings))
        return [r for r in rows if not any(isinstance(v, str) and _system_node(v) for v in r.values())]

    def construct(
        self, query: str, media_type: str = "application/n-triples", bindings: Bindings | None = None
    ) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise QueryError(f"cannot serialise RDF as {media_type}")
        triples: list[ox.Triple] = []
        if self._screen(bindings):
            data = self._query(query, bindings, _NTRIPLES)
            triples = [t for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES) if _public_triple(t)]
        return _written(ox.serialize(triples, format=fmt, prefixes=PREFIXES))

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        if not self._screen(bindings):
            return False
        result = ox.parse_query_results(self._query(query, bindings, _JSON), format=ox.QueryResultsFormat.JSON)
        return bool(result)

    def named_graphs(self) -> list[str]:
        generation = self.generation
        if self._graphs is None or self._graphs[0] != generation:
            rows = _rows(self._solutions(q.NAMED_GRAPHS))
            graphs = sorted(str(r["graph"]) for r in rows if not is_system_graph(str(r["graph"])))
            self._graphs = (generation, graphs)
        return list(self._graphs[1])

    def public_quads(self) -> list[Quad]:
        """Every public quad, through the Graph Store Protocol (one request, N-Quads)."""
        self.round_trips += 1
        try:
            response = self._http.get(self.store_url, headers={"Accept": _NQUADS})
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc
        return [
            quad
            for quad in ox.parse(self._answer(response), format=ox.RdfFormat.N_QUADS)
            if isinstance(quad.graph_name, ox.NamedNode) and not is_system_graph(quad.graph_name.value)
        ]

    def dump(self, media_type: str, graph: str | None = None) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise QueryError(f"cannot serialise RDF as {media_type}")
        if graph is not None:
            if is_system_graph(graph):
                return b""
            quads = self.graph_quads([graph])
            if not fmt.supports_datasets:
                return _written(ox.serialize([q_.triple for q_ in quads], format=fmt, prefixes=PREFIXES))
            return _written(ox.serialize(quads, format=fmt, prefixes=PREFIXES))
        quads = self.public_quads()
        if not fmt.supports_datasets:
            return _written(ox.serialize({q_.triple for q_ in quads}, format=fmt, prefixes=PREFIXES))
        return _written(ox.serialize(quads, format=fmt, prefixes=PREFIXES))

    def dump_union(self, media_type: str) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise QueryError(f"cannot serialise RDF as {media_type}")
        triples = {quad.triple for quad in self.public_quads()}
        if fmt.supports_datasets:
            default = ox.DefaultGraph()
            quads = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
            return _written(ox.serialize(quads, format=fmt, prefixes=PREFIXES))
        return _written(ox.serialize(triples, format=fmt, prefixes=PREFIXES))

    def snapshot(self, path: Path) -> Path:
        ox.serialize(self.public_quads(), str(path), format=ox.RdfFormat.N_QUADS)
        return path

    def shacl_data_graph(self) -> rdflib.Dataset:
        """A local copy of the public graphs: a full validation (``validate --store URL``) reads everything."""
        local = OxigraphStore()
        local.ox.extend(self.public_quads())
        local.bump_generation()
        return local.shacl_data_graph()

    def __len__(self) -> int:
        """Quads in the public graphs as last counted: counting millions of quads takes seconds, so ``/ready``
        (polled every second by a balancer) gets the last count, and a new one is taken in the background
        once per generation (0 until the first is done)."""
        generation = self.generation
        with self._size_lock:
            known = self._size
            if (known is None or known[0] != generation) and not self._counting:
                self._counting = True
                threading.Thread(target=self._count_in_background, args=(generation,), daemon=True).start()
        return known[1] if known is not None else 0

    def _count_in_background(self, generation: int) -> None:
        try:
            count = self.count_quads()
            with self._size_lock:
                self._size = (generation, count)
        except (Unavailable, QueryError) as exc:
            log.warning("could not count the engine's quads: %s", exc)
        finally:
            with self._size_lock:
                self._counting = False

    def count_quads(self) -> int:
        """Count the quads of the public graphs now (no time limit but the engine's)."""
        query = q.bind(q.COUNT_QUADS, {"system": literal(_SYSTEM)})
        self.round_trips += 1
        try:
            response = self._http.post(
                self.query_url,
                data={"query": query},
                headers={"Accept": _TSV},
                timeout=httpx.Timeout(None, connect=3.0),
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc
        result = ox.parse_query_results(self._answer(response), format=ox.QueryResultsFormat.TSV)
        assert isinstance(result, ox.QuerySolutions)
        rows = _rows(result)
        return int(rows[0]["quads"] or 0) if rows else 0

    # -- loading ---------------------------------------------------------------

    def is_empty(self) -> bool:
        result = ox.parse_query_results(self._query(q.ANY_QUAD, None, _JSON), format=ox.QueryResultsFormat.JSON)
        return not bool(result)

    def load(self, sources: Sequence[SourceFile]) -> None:
        """Add the files' graphs to the engine (one Graph Store Protocol request), then start the generation.

        Meant for an empty engine (``stackatlas import --store URL``): the
        quads are posted as they are, with no versions to check.
        """
        staging = OxigraphStore.parse(sources)
        self.load_quads(_written(staging.dump(format=ox.RdfFormat.N_QUADS)))

    def load_quads(self, nquads: bytes) -> None:
        self.round_trips += 1
        try:
            response = self._http.post(
                self.store_url,
                content=nquads,
                headers={"Content-Type": _NQUADS},
                timeout=httpx.Timeout(None, connect=3.0),
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc
        self._answer(response)
        rows = _rows(self._solutions(q.GENERATION))
        if not rows:
            self._update(q.start_generation())
        self.bump_generation()

    # -- governed writes -------------------------------------------------------

    def graph_quads(self, graphs: Sequence[str]) -> list[Quad]:
        if not graphs:
            return []
        return _quads(self._solutions(q.graph_quads([iri(g) for g in graphs])))

    def quads_around(self, pairs: Sequence[tuple[str, str]]) -> list[Quad]:
        if not pairs:
            return []
        return _quads(self._solutions(q.quads_around([(iri(n), iri(g)) for n, g in pairs])))

    def versions(self, graphs: Sequence[str]) -> dict[str, str]:
        if not graphs:
            return {}
        rows = _rows(self._solutions(q.versions([iri(g) for g in graphs])))
        found = {str(r["graph"]): str(r["version"]) for r in rows}
        return {g: found.get(g, "0") for g in graphs}

    def system_select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        return _rows(self._solutions(query, bindings))

    def commit(
        self, changes: ChangeSet, expected_versions: dict[str, str], activity: Activity | None
    ) -> Committed:
        """Claim the current generation, then one conditional update, then one read of its receipt.

        See :mod:`stackatlas.store.queries.remote`: the claim serialises
        commits across replicas (Oxigraph does not detect conflicting
        transactions), the gate makes the update apply only on the versions
        and the generation read. A rival claim makes this writer back off and
        try again (a few times, within ``timeout``); a version that moved
        raises :class:`~stackatlas.errors.PreconditionFailed` and applies nothing.
        """
        deadline = time.monotonic() + self.timeout
        for attempt in itertools.count():
            outcome = self._attempt(changes, expected_versions, activity)
            if outcome is not None:
                return outcome
            if time.monotonic() > deadline:
                break
            time.sleep(random.uniform(0.005, 0.02) * min(attempt + 1, 10))  # rivals back off apart
        raise Unavailable("the engine is busy with other commits; send the write again")

    def _attempt(
        self, changes: ChangeSet, expected_versions: dict[str, str], activity: Activity | None
    ) -> Committed | None:
        """One try: the commit, or None when a rival held the generation (the caller tries again)."""
        graphs = changes.graphs
        generation = self._fresh_generation()
        current = self.versions(sorted(set(graphs) | set(expected_versions)))
        for graph, expected in expected_versions.items():
            if current[graph] != expected:
                raise _stale(graph, current[graph], expected)
        if not graphs:
            return Committed(None, {}, 0, 0)
        before = set(self.graph_quads(graphs))
        contents = (before - changes.removed) | changes.added
        new_versions = {g: uuid.uuid4().hex[:16] for g in graphs}
        insert: list[Quad] = list(contents)
        versions_graph = ox.NamedNode(str(VERSIONS_GRAPH))
        insert += [
            ox.Quad(ox.NamedNode(g), ox.NamedNode(str(SA.version)), ox.Literal(v), versions_graph)
            for g, v in new_versions.items()
        ]
        insert.append(_attribution(versions_graph))
        commit_iri, sequence = None, None
        if activity is not None:
            rows = _rows(self._solutions(write_queries.LAST_SEQUENCE))
            sequence = int(rows[0]["last"] or 0) + 1 if rows else 1
            commit_iri, record = audit.record(activity, changes, sequence, before)
            insert += record
        receipt = iri(f"urn:uuid:{uuid.uuid4()}")
        gate = {g: current[g] for g in graphs} | expected_versions
        claimed = time.monotonic()
        self._update(q.claim(receipt, generation))
        try:
            if _rows(self._solutions(q.rivals(receipt, generation, _LEASE))):
                return None
            if time.monotonic() - claimed > _LEASE / 2:
                raise Unavailable("the SPARQL engine is too slow to commit within the lease; try again shortly")
            update = q.commit(
                receipt, gate, [iri(g) for g in graphs], new_versions, insert, sequence, generation
            )
            self._update(update)
            applied = _rows(self._solutions(q.receipt_and_generation(receipt)))
        finally:
            with contextlib.suppress(Unavailable, QueryError):  # a claim left behind expires with its lease
                self._update(q.release(receipt))
        if not applied:
            now = self.versions(sorted(gate))
            moved = next((g for g, v in gate.items() if now[g] != v), None)
            if moved is not None:
                raise _stale(moved, now[moved], gate[moved])
            return None  # only the generation moved (a commit on other graphs): build on it
        with self._generation_lock:
            self._generation_read = (time.monotonic(), int(applied[0]["generation"] or 0))
        return Committed(commit_iri, new_versions, len(changes.added), len(changes.removed))

    def _fresh_generation(self) -> int:
        self.bump_generation()
        return self.generation

    # -- user queries ----------------------------------------------------------

    async def start_user_queries(self, limits: UserQueryLimits) -> None:
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=max(4, limits.workers * 2)), timeout=httpx.Timeout(None)
        )
        self._slots = asyncio.Semaphore(max(1, limits.workers))
        self._per_client = limits.per_client
        self._stopped = None
        await self._check_engine()
        self._health = asyncio.create_task(self._watch_engine())

    async def _check_engine(self) -> None:
        assert self._client is not None
        try:
            response = await self._client.post(
                self.query_url,
                data={"query": q.PING},
                headers={"Accept": _JSON},
                timeout=min(self.timeout, 2.0),
            )
            self._down = (
                None
                if response.status_code < 400
                else f"the SPARQL engine at {self.url} answers {response.status_code}"
            )
        except httpx.HTTPError as exc:
            self._down = str(self._unreachable(exc))

    async def _watch_engine(self) -> None:
        """Ask the engine every second whether it is there: ``/ready`` says so without waiting on it."""
        while True:
            await asyncio.sleep(_HEALTH_EVERY)
            was = self._down
            await self._check_engine()
            if was != self._down:
                log.warning("%s", self._down or f"the SPARQL engine at {self.url} is back")

    async def stop_user_queries(self, reason: str | None = None) -> None:
        self._stopped = reason or "the SPARQL endpoint is shutting down"
        if self._health is not None:
            self._health.cancel()
            self._health = None
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def user_queries_ready(self) -> str | None:
        if self._client is None:
            return self._stopped or "the SPARQL engine is being contacted"
        return self._down

    def public_dataset(self) -> list[str]:
        return self.named_graphs()

    async def run_user_query(self, request: QueryRequest, timeout: float, client: str) -> QueryAnswer:
        """Check the query, then forward it with the public graphs as its dataset, within ``timeout``.

        The time limit is ours: the request is cancelled when it runs out. It
        is also passed to engines that take one per query
        (``store_timeout_parameter``); Oxigraph server takes one limit for all
        queries, ``--timeout-s`` (docs/deployment.md). The answer is read up to
        the size cap and no further.
        """
        http = self._client
        if http is None or self._slots is None:
            raise Unavailable(self.user_queries_ready() or "the SPARQL endpoint is not running")
        if self._running[client] >= self._per_client:
            raise ClientShareExceeded(
                f"you already have {self._running[client]} SPARQL query(ies) running; wait for it to finish"
            )
        self._running[client] += 1
        try:
            return await asyncio.wait_for(self._forward(http, request, timeout), timeout)
        except TimeoutError:
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s and was stopped") from None
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]

    async def _forward(self, http: httpx.AsyncClient, request: QueryRequest, timeout: float) -> QueryAnswer:
        assert self._slots is not None
        found = check(request.query, request.allowlist, request.max_depth)
        if found.has_dataset_clause:
            # Engines let a query's FROM win over the protocol's dataset, so FROM could name a system graph.
            raise RefusedQuery(
                "FROM and FROM NAMED are not accepted by this endpoint (it is a replica over a shared engine); "
                "name the graphs with the default-graph-uri and named-graph-uri parameters instead"
            )
        if found.form in ("CONSTRUCT", "DESCRIBE"):
            media_type, kind, offered = request.graph_format, "CONSTRUCT/DESCRIBE", formats.GRAPH
        else:
            media_type, kind, offered = request.solutions_format, "SELECT/ASK", formats.SOLUTIONS
        if media_type is None:
            raise UnacceptableResult(
                f"the requested format cannot carry a {kind} result; available: {', '.join(offered)}"
            )
        data: dict[str, str | list[str]] = {"query": sparql_prologue() + request.query}
        if self.timeout_parameter:
            name, _, unit = self.timeout_parameter.partition(":")
            data[name] = str(int(timeout * 1000)) if unit == "ms" else f"{timeout:g}"
        if request.default_graph is None and request.named_graphs is None:
            public = await asyncio.to_thread(self.public_dataset)
            data["default-graph-uri"] = public
            data["named-graph-uri"] = public
        else:
            # an empty list sends no parameter and the engine reads every graph: name an empty one
            data["default-graph-uri"] = [g for g in request.default_graph or () if not is_system_graph(g)] or [
                _NONE
            ]
            data["named-graph-uri"] = [g for g in request.named_graphs or () if not is_system_graph(g)] or [
                _NONE
            ]
        async with self._slots:
            self.round_trips += 1
            try:
                async with http.stream(
                    "POST", self.query_url, data=data, headers={"Accept": media_type}
                ) as response:
                    if response.status_code >= 400:
                        text = _one_line((await response.aread()).decode(errors="replace"))
                        if response.status_code >= 500:
                            raise QueryFailed(f"the SPARQL engine could not answer: {text}")
                        raise MalformedQuery(f"malformed SPARQL query: {text}")
                    parts, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > request.max_bytes:
                            raise ResultTooLarge(
                                f"the result is larger than the {request.max_bytes:,} byte limit; "
                                "add a LIMIT or narrow the query"
                            )
                        parts.append(chunk)
                    answered = response.headers.get("content-type", media_type).split(";")[0].strip()
            except httpx.HTTPError as exc:
                raise self._unreachable(exc) from exc
        return QueryAnswer(b"".join(parts), answered or media_type)


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _stale(graph: str, current: str, expected: str) -> PreconditionFailed:
    return PreconditionFailed(
        f"{graph} is at version {current!r}, not {expected!r}: "
        "someone changed it since you read it; read it again and redo your change"
    )


def _attribution(graph: ox.NamedNode) -> Quad:
    from rdflib.namespace import PROV

    from ..vocab import SERVICE_AGENT

    return ox.Quad(graph, ox.NamedNode(str(PROV.wasAttributedTo)), ox.NamedNode(str(SERVICE_AGENT)), graph)


def _public_triple(triple: ox.Triple) -> bool:
    subject, predicate = triple.subject, triple.predicate
    if isinstance(subject, ox.NamedNode) and _system_node(subject.value):
        return False
    return predicate.value not in _HIDDEN_PREDICATES


def _rows(result: ox.QuerySolutions) -> list[Row]:
    columns = list(enumerate(v.value for v in result.variables))
    return [{n: to_value(sol[i]) for i, n in columns} for sol in result]


def _quads(result: ox.QuerySolutions) -> list[Quad]:
    found = []
    for sol in result:
        s, p, o, g = sol["s"], sol["p"], sol["o"], sol["graph"]
        assert isinstance(p, ox.NamedNode) and isinstance(g, ox.NamedNode)
        assert isinstance(s, ox.NamedNode | ox.BlankNode) and o is not None
        found.append(ox.Quad(s, p, o, g))
    return found


def _written(data: bytes | None) -> bytes:
    assert data is not None
    return data


def open_remote(
    url: str, *, timeout: float = 10.0, generation_ttl: float = 0.1, timeout_parameter: str | None = None
) -> RemoteStore:
    """The engine at ``url``, after one request proving it answers (one readable line if not)."""
    store = RemoteStore(
        url, timeout=timeout, generation_ttl=generation_ttl, timeout_parameter=timeout_parameter
    )
    try:
        store.ask(q.PING)
    except Unavailable as exc:
        raise InputError(str(exc)) from None
    return store
