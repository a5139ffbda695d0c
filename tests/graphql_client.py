"""A real GraphQL client (gql over httpx) for the tests that talk to a live server."""

from __future__ import annotations

from typing import Any

from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport


def execute(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a query against ``{url}/graphql`` and return its data; raises TransportQueryError on errors."""
    client = Client(transport=HTTPXTransport(url=f"{url}/graphql", timeout=60))
    request = gql(query)
    request.variable_values = variables
    return client.execute(request)


def errors_of(url: str, query: str, variables: dict[str, Any] | None = None) -> list[str]:
    """The error messages of a query that must fail."""
    try:
        execute(url, query, variables)
    except TransportQueryError as exc:
        return [e["message"] for e in exc.errors or []]
    raise AssertionError("the query was expected to fail")
