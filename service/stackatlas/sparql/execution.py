"""Shared by the HTTP endpoint and the CLI: one way to turn a user query and its limits into a store call."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from ..config import Settings
from ..errors import QueryError
from ..store import Store
from ..store.base import QueryAnswer, QueryRequest

DISCONNECT_POLL = 0.25
"""Seconds between checks that the client of a running query is still there."""


def time_limit(requested: float | None, settings: Settings) -> float:
    """The client's limit if given (never above the operator's cap), else the default."""
    if requested is None:
        return min(settings.sparql_timeout, settings.sparql_timeout_cap)
    if not requested > 0:
        raise QueryError(f"timeout must be a positive number of seconds, got {requested:g}")
    return min(requested, settings.sparql_timeout_cap)


def query_request(
    settings: Settings,
    query: str,
    *,
    solutions_format: str | None,
    graph_format: str | None,
    default_graph: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> QueryRequest:
    """The store's view of a user query with the operator's limits.

    An explicit dataset (protocol parameters) wins over FROM clauses, and
    either replaces the union default graph, as SPARQL 1.1 Protocol says.
    """
    explicit = bool(default_graph or named_graphs)
    return QueryRequest(
        query=query,
        solutions_format=solutions_format,
        graph_format=graph_format,
        max_bytes=settings.sparql_max_result_bytes,
        default_graph=tuple(default_graph) if explicit else None,
        named_graphs=tuple(named_graphs) if explicit else None,
        allowlist=tuple(settings.service_allowlist),
        max_depth=settings.sparql_max_depth,
    )


class ClientGone(Exception):
    """The client closed the connection before its answer was ready."""


async def run_while_connected(
    store: Store,
    request: QueryRequest,
    timeout: float,
    client: str,
    is_disconnected: Callable[[], Awaitable[bool]],
) -> QueryAnswer:
    """Run the query, and stop it (its worker is killed) as soon as the client goes away."""
    query = asyncio.ensure_future(store.run_user_query(request, timeout, client))
    try:
        while True:
            done, _ = await asyncio.wait({query}, timeout=DISCONNECT_POLL)
            if done:
                return query.result()
            if await is_disconnected():
                raise ClientGone
    finally:
        if not query.done():
            query.cancel()
            await asyncio.gather(query, return_exceptions=True)
