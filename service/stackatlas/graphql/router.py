"""Mount the GraphQL endpoint (with GraphiQL for browsers) on the app."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from fastapi import Request
from fastapi.responses import HTMLResponse
from graphql import GraphQLError
from strawberry.fastapi import GraphQLRouter
from strawberry.types import ExecutionResult

from ..config import Settings
from ..errors import Unavailable
from ..web.templating import render
from .context import Catalog, Context
from .examples import EXAMPLES
from .schema import build_schema


class TimedGraphQLRouter(GraphQLRouter[Context, None]):
    """Answers a request that runs past ``graphql_timeout`` with a GraphQL error instead of waiting on."""

    def __init__(self, *args: Any, timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout = timeout
        self.endpoint_path: str = kwargs.get("path", "/graphql")

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """Our GraphiQL page: the IDE from the vendored copy (``static/vendor/graphiql``), no CDN, no inline
        script, opened on the catalog's main questions (:mod:`.examples`)."""
        examples = [{"name": e.name, "query": e.query} for e in EXAMPLES]
        return cast(
            HTMLResponse, render(request, "graphiql.html", endpoint=self.endpoint_path, examples=examples)
        )

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        try:
            async with asyncio.timeout(self.timeout):
                result = await super().execute_operation(*args, **kwargs)
        except TimeoutError:
            message = f"the request ran past the {self.timeout:g}-second limit (graphql_timeout); ask for less"
            return ExecutionResult(data=None, errors=[GraphQLError(message)])
        for error in getattr(result, "errors", None) or ():
            if isinstance(error.original_error, Unavailable):
                # the store is down (a remote engine unreachable): 503 with its reason, not a partial answer
                raise error.original_error
        return result


def graphql_router(settings: Settings, path: str = "/graphql") -> GraphQLRouter[Context, None]:
    """The router reads the store the app's lifespan put on ``app.state``."""

    async def context(request: Request) -> Context:
        state = request.app.state
        catalog: Catalog | None = getattr(state, "graphql_catalog", None)
        if catalog is None or catalog.store is not state.store:
            catalog = state.graphql_catalog = Catalog(state.store, settings)
        return Context(catalog)

    return TimedGraphQLRouter(
        build_schema(settings),
        path=path,
        context_getter=context,
        graphql_ide="graphiql",
        timeout=settings.graphql_timeout,
    )
