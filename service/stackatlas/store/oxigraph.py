"""The embedded pyoxigraph backend (in memory unless given a directory)."""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pyoxigraph  # for annotations inside classes, where `ox` names the store property
import pyoxigraph as ox
import rdflib
from rdflib.namespace import PROV, XSD

from ..errors import PreconditionFailed, QueryError, Unavailable
from ..loader import SourceFile, read_bytes, syntax_error
from ..vocab import PREFIXES, SA, SERVICE_AGENT, VERSIONS_GRAPH
from . import audit
from .base import QueryAnswer, QueryRequest, Row, Store, UserQueryLimits, Value
from .changes import Activity, ChangeSet, Committed, Quad
from .dataset import PublicDataset, is_system_graph
from .queries import writes as write_queries
from .terms import Bindings, iri, substitutions
from .workers import QueryPool

_XSD = str(XSD)
_INTEGER_TYPES = {
    f"{_XSD}{t}"
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
    )
}
_FLOAT_TYPES = {f"{_XSD}double", f"{_XSD}float"}


def to_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Value:
    """Map an Oxigraph term to the plain Python value the upper layers use."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype == f"{_XSD}boolean":
            return term.value in ("true", "1")
        if datatype == f"{_XSD}decimal":
            return Decimal(term.value)
        if datatype in _FLOAT_TYPES:
            return float(term.value)
        return term.value
    raise TypeError(f"unsupported term {term!r}")


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise QueryError(f"cannot serialise RDF as {media_type}")
    return fmt


def _written(data: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when given no output file; the stubs cannot say so."""
    assert data is not None
    return data


class OxigraphStore(Store):
    """pyoxigraph store; ``path=None`` keeps everything in memory."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._ox = ox.Store(str(path)) if path is not None else ox.Store()
        self._pool: QueryPool | None = None
        self._pool_dir: tempfile.TemporaryDirectory[str] | None = None
        self._stopped: str | None = None
        self._public = PublicDataset()
        self._writing = threading.Lock()

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store reads go to (an on-disk store refreshes it when another process committed)."""
        return self._ox

    @property
    def reads(self) -> pyoxigraph.Store:
        """The store the catalog's reads go to; an on-disk store reads a copy without the system graphs."""
        return self.ox

    @contextmanager
    def exclusive(self) -> Iterator[pyoxigraph.Store]:
        """The store to write to, with every other writer (thread or process) kept out until the block ends.

        A write path applies its change inside the block and calls
        :meth:`bump_generation` before leaving it, so the change is published
        before the next writer starts (see ``docs/persistence.md``).
        """
        with self._writing:
            yield self._ox

    @staticmethod
    def parse(sources: Sequence[SourceFile]) -> pyoxigraph.Store:
        """Parse the sources into a new in-memory store, one named graph per file; a bad file raises
        :class:`~stackatlas.errors.InputError` before anything is written anywhere."""
        staging = ox.Store()
        for source in sources:
            data = read_bytes(source)
            try:
                if source.format.supports_datasets:
                    staging.load(data, format=source.format, base_iri=source.graph)
                else:
                    staging.load(
                        data,
                        format=source.format,
                        base_iri=source.graph,
                        to_graph=ox.NamedNode(source.graph),
                    )
            except SyntaxError as exc:
                raise syntax_error(source, exc) from exc
        return staging

    def load(self, sources: Sequence[SourceFile]) -> None:
        # Parse everything into a staging store first so that a bad file leaves
        # this store untouched.
        staging = self.parse(sources)
        with self.exclusive() as target:
            if self.path is None and len(target) == 0:
                self._ox = staging
            else:
                target.extend(staging)
            self.bump_generation()

    def _dataset(self, store: pyoxigraph.Store) -> dict[str, object]:
        return self._public.options(store, self.generation)

    def _query(
        self, query: str, bindings: Bindings | None = None
    ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
        store = self.reads
        try:
            return store.query(query, substitutions=substitutions(bindings), **self._dataset(store))  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        except RuntimeError as exc:  # pyoxigraph: a substituted variable that the query does not project
            raise QueryError(f"cannot bind the parameters: {exc}") from exc

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        # By position, not by name: pyoxigraph's lookup of a solution by
        # variable name costs more than the conversion itself.
        columns = list(enumerate(v.value for v in result.variables))
        return [{n: to_value(sol[i]) for i, n in columns} for sol in result]

    def construct(
        self, query: str, media_type: str = "application/n-triples", bindings: Bindings | None = None
    ) -> bytes:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        fmt = _rdf_format(media_type)
        return _written(result.serialize(format=fmt))

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def named_graphs(self) -> list[str]:
        """The public named graphs (system graphs are the service's own)."""
        return sorted(
            g.value
            for g in self.reads.named_graphs()
            if isinstance(g, ox.NamedNode) and not is_system_graph(g.value)
        )

    def dump(self, media_type: str, graph: str | None = None) -> bytes:
        fmt = _rdf_format(media_type)
        store = self.reads
        if graph is None:
            if not fmt.supports_datasets:
                return _written(store.dump(format=fmt, from_graph=ox.DefaultGraph())) + b"".join(
                    _written(store.dump(format=fmt, from_graph=ox.NamedNode(g))) for g in self.named_graphs()
                )
            if "named_graphs" in self._dataset(store):  # system graphs present: leave them out
                return _written(ox.serialize(self._public_quads(store), format=fmt, prefixes=PREFIXES))
            return _written(store.dump(format=fmt))
        if is_system_graph(graph):
            return b""
        return _written(store.dump(format=fmt, from_graph=ox.NamedNode(graph)))

    @staticmethod
    def _public_quads(store: pyoxigraph.Store) -> Iterator[pyoxigraph.Quad]:
        return (
            q
            for q in store.quads_for_pattern(None, None, None)
            if not (isinstance(q.graph_name, ox.NamedNode) and is_system_graph(q.graph_name.value))
        )

    def dump_union(self, media_type: str) -> bytes:
        fmt = _rdf_format(media_type)
        triples = {q.triple for q in self._public_quads(self.reads)}
        if fmt.supports_datasets:  # JSON-LD, TriG, N-Quads: the union as the default graph
            default = ox.DefaultGraph()
            quads = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
            return _written(ox.serialize(quads, format=fmt, prefixes=PREFIXES))
        return _written(ox.serialize(triples, format=fmt, prefixes=PREFIXES))

    def snapshot(self, path: Path) -> Path:
        store = self.reads
        ox.serialize(self._public_quads(store), str(path), format=ox.RdfFormat.N_QUADS)
        return path

    def shacl_data_graph(self) -> rdflib.Dataset:
        # pyshacl wraps a pyoxigraph store without copying it and sends the
        # SHACL-SPARQL constraints straight to Oxigraph's engine.
        from pyshacl.graph_abstraction import OxigraphDataGraph

        class ShaclView(OxigraphDataGraph):
            def __bool__(self) -> bool:
                # pyshacl tests graphs for truth (``datagraph or sg``) once per
                # result; without this, each test counts every triple of the store.
                return True

        graph = ShaclView(self.reads)
        graph.default_union = True  # type: ignore[misc]  # settable on the Oxigraph view, read-only in the base
        return graph

    def __len__(self) -> int:
        return len(self.ox)

    # User queries run in killable worker processes over a snapshot (see .workers).

    async def start_user_queries(self, limits: UserQueryLimits) -> None:
        self._pool_dir = tempfile.TemporaryDirectory(prefix="stackatlas-sparql-")
        snapshot = await self.run(self.snapshot, Path(self._pool_dir.name) / "store.nq")
        pool = QueryPool(snapshot, limits.workers, per_client=limits.per_client, debug=limits.debug)
        await pool.start()
        self._pool = pool

    async def stop_user_queries(self, reason: str | None = None) -> None:
        pool, self._pool = self._pool, None
        self._stopped = reason or "the SPARQL endpoint is shutting down"
        if pool is not None:
            await pool.close(self._stopped)
        if self._pool_dir is not None:
            self._pool_dir.cleanup()
            self._pool_dir = None

    def user_queries_ready(self) -> str | None:
        if self._pool is None:
            return self._stopped or "the SPARQL workers are starting"
        return self._pool.unavailable()

    async def run_user_query(self, request: QueryRequest, timeout: float, client: str) -> QueryAnswer:
        pool = self._pool
        if pool is None:
            raise Unavailable(self.user_queries_ready() or "the SPARQL workers are not running")
        return await pool.execute(request, timeout, client)

    # -- governed writes ------------------------------------------------------

    def graph_quads(self, graphs: Sequence[str]) -> list[Quad]:
        return _quads_of(self.ox, graphs)

    def quads_around(self, pairs: Sequence[tuple[str, str]]) -> list[Quad]:
        store = self.ox
        found: list[Quad] = []
        for node, graph in pairs:
            n, g = ox.NamedNode(node), ox.NamedNode(graph)
            found += store.quads_for_pattern(n, None, None, g)
            found += store.quads_for_pattern(None, None, n, g)
        return found

    def quads_about(
        self, pairs: Sequence[tuple[str, str]], predicates: Sequence[str] | None = None
    ) -> list[Quad]:
        store = self.ox
        wanted: list[ox.NamedNode | None] = (
            [None] if predicates is None else [ox.NamedNode(p) for p in predicates]
        )
        return [
            q
            for node, graph in pairs
            for p in wanted
            for q in store.quads_for_pattern(ox.NamedNode(node), p, None, ox.NamedNode(graph))
        ]

    def versions(self, graphs: Sequence[str]) -> dict[str, str]:
        return _versions_in(self.ox, graphs)

    def system_select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        store = self.ox
        try:
            result = store.query(query, use_default_graph_as_union=True, substitutions=substitutions(bindings))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        assert isinstance(result, ox.QuerySolutions)
        return _rows(result)

    def _applied(self, graphs: list[str], quads: list[Quad]) -> None:
        """Told what a commit did (``graphs`` replaced, ``quads`` inserted; nothing yet when both are
        empty) before it is published.

        Nothing to do in memory; the on-disk store keeps its public copy in step with it.
        """

    def commit(
        self, changes: ChangeSet, expected_versions: dict[str, str], activity: Activity | None
    ) -> Committed:
        with self.exclusive() as target:
            self._applied([], [])  # nothing yet: a refusal below leaves the store as it was
            # read what is current in the store written to (another process may have committed)
            current = _versions_in(target, sorted(set(changes.graphs) | set(expected_versions)))
            for graph, expected in expected_versions.items():
                if current[graph] != expected:
                    raise PreconditionFailed(
                        f"{graph} is at version {current[graph]!r}, not {expected!r}: "
                        "someone changed it since you read it; read it again and redo your change"
                    )
            graphs = changes.graphs
            if not graphs:
                return Committed(None, {}, 0, 0)
            before = set(_quads_of(target, graphs))
            contents = (before - changes.removed) | changes.added
            new_versions = {g: uuid.uuid4().hex[:16] for g in graphs}
            versions_graph = ox.NamedNode(str(VERSIONS_GRAPH))
            insert: list[Quad] = list(contents)
            insert += [
                ox.Quad(ox.NamedNode(g), ox.NamedNode(str(SA.version)), ox.Literal(v), versions_graph)
                for g, v in new_versions.items()
            ]
            # like every graph, the versions graph says whose statements it holds
            insert.append(
                ox.Quad(
                    versions_graph,
                    ox.NamedNode(str(PROV.wasAttributedTo)),
                    ox.NamedNode(str(SERVICE_AGENT)),
                    versions_graph,
                )
            )
            commit_iri = None
            if activity is not None:
                last = target.query(write_queries.LAST_SEQUENCE, use_default_graph_as_union=True)
                assert isinstance(last, ox.QuerySolutions)
                rows = _rows(last)
                sequence = int(rows[0]["last"] or 0) + 1 if rows else 1
                commit_iri, record = audit.record(activity, changes, sequence, before)
                insert += record
            # one update request is one transaction, in memory and on RocksDB alike
            target.update(write_queries.commit_update([iri(g) for g in graphs], insert))
            self._applied(graphs, insert)
            self.bump_generation()
            return Committed(commit_iri, new_versions, len(changes.added), len(changes.removed))


def _rows(result: ox.QuerySolutions) -> list[Row]:
    columns = list(enumerate(v.value for v in result.variables))
    return [{n: to_value(sol[i]) for i, n in columns} for sol in result]


def _quads_of(store: ox.Store, graphs: Sequence[str]) -> list[Quad]:
    return [q for g in graphs for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))]


def _versions_in(store: ox.Store, graphs: Sequence[str]) -> dict[str, str]:
    """Each graph's version in ``store`` (system graphs included), ``"0"`` when it has none."""
    version, versions_graph = ox.NamedNode(str(SA.version)), ox.NamedNode(str(VERSIONS_GRAPH))
    found: dict[str, str] = {}
    for graph in graphs:
        for quad in store.quads_for_pattern(ox.NamedNode(graph), version, None, versions_graph):
            if isinstance(quad.object, ox.Literal):
                found[graph] = quad.object.value
    return {g: found.get(g, "0") for g in graphs}
