"""Shared by the HTTP endpoint and the CLI: one way to run a user query with its limits."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from ..config import Settings
from ..errors import QueryError
from ..store import Store
from ..store.workers import QueryAnswer, QueryPool, QueryRequest
from . import analysis


@asynccontextmanager
async def query_pool(store: Store, workers: int) -> AsyncIterator[QueryPool]:
    """Warm worker processes over a snapshot of ``store`` in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="stackatlas-sparql-") as tmp:
        snapshot = await store.run(store.snapshot, Path(tmp) / "store.nq")
        pool = QueryPool(snapshot, workers)
        await pool.start()
        try:
            yield pool
        finally:
            await pool.close()


def time_limit(requested: float | None, settings: Settings) -> float:
    """The client's limit if given (never above the operator's cap), else the default."""
    if requested is None:
        return min(settings.sparql_timeout, settings.sparql_timeout_cap)
    if not requested > 0:
        raise QueryError(f"timeout must be a positive number of seconds, got {requested:g}")
    return min(requested, settings.sparql_timeout_cap)


async def run_query(
    pool: QueryPool,
    settings: Settings,
    query: str,
    found: analysis.QueryShape,
    *,
    solutions_format: str | None,
    graph_format: str | None,
    timeout: float,
    default_graph: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> QueryAnswer:
    """Run a query that :func:`analysis.check` accepted (``found``) in a worker.

    An explicit dataset (protocol parameters) wins over FROM clauses, and
    either replaces the union default graph, as SPARQL 1.1 Protocol says.
    """
    explicit = bool(default_graph or named_graphs)
    request = QueryRequest(
        query=query,
        solutions_format=solutions_format,
        graph_format=graph_format,
        max_bytes=settings.sparql_max_result_bytes,
        default_graph=tuple(default_graph) if explicit else None,
        named_graphs=tuple(named_graphs) if explicit else None,
        union_default_graph=not found.has_dataset_clause,
    )
    return await pool.execute(request, timeout)
