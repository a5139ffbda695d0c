"""The embedded pyoxigraph backend (in memory unless given a directory)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from ..errors import QueryError, Unavailable
from ..loader import SourceFile, read_bytes, syntax_error
from ..vocab import PREFIXES
from .base import QueryAnswer, QueryRequest, Row, Store, UserQueryLimits, Value
from .terms import Bindings, substitutions
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
        self.ox = ox.Store(str(path)) if path is not None else ox.Store()
        self._pool: QueryPool | None = None
        self._pool_dir: tempfile.TemporaryDirectory[str] | None = None
        self._stopped: str | None = None

    def load(self, sources: Sequence[SourceFile]) -> None:
        # Parse everything into a staging store first so that a bad file leaves
        # this store untouched.
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
        if self.path is None and len(self.ox) == 0:
            self.ox = staging
        else:
            self.ox.extend(staging)
        self.bump_generation()

    def _query(
        self, query: str, bindings: Bindings | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.ox.query(query, use_default_graph_as_union=True, substitutions=substitutions(bindings))
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
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, media_type: str, graph: str | None = None) -> bytes:
        fmt = _rdf_format(media_type)
        if graph is None:
            if not fmt.supports_datasets:
                return _written(self.ox.dump(format=fmt, from_graph=ox.DefaultGraph())) + b"".join(
                    _written(self.ox.dump(format=fmt, from_graph=ox.NamedNode(g))) for g in self.named_graphs()
                )
            return _written(self.ox.dump(format=fmt))
        return _written(self.ox.dump(format=fmt, from_graph=ox.NamedNode(graph)))

    def dump_union(self, media_type: str) -> bytes:
        fmt = _rdf_format(media_type)
        triples = {q.triple for q in self.ox.quads_for_pattern(None, None, None)}
        if fmt.supports_datasets:  # JSON-LD, TriG, N-Quads: the union as the default graph
            default = ox.DefaultGraph()
            quads = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
            return _written(ox.serialize(quads, format=fmt, prefixes=PREFIXES))
        return _written(ox.serialize(triples, format=fmt, prefixes=PREFIXES))

    def snapshot(self, path: Path) -> Path:
        self.ox.dump(str(path), format=ox.RdfFormat.N_QUADS)
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

        graph = ShaclView(self.ox)
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
