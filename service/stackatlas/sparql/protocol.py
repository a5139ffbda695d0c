"""``/sparql``: the SPARQL 1.1 Protocol for queries, read-only.

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri``; the answer's format by Accept or a
``format`` parameter; ``timeout`` (seconds, capped by the operator). GET
without a query describes the service (or shows YASGUI to a browser).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import QueryError, QueryTimeout, ResultTooLarge
from ..negotiation import NotAcceptable, negotiate
from ..store.workers import MalformedQuery, QueryFailed, UnacceptableResult
from . import analysis, formats
from .description import service_description_response
from .execution import run_query, time_limit

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
"""Read-only use by browser tools on other origins; no credentials are involved."""

_STATUS: list[tuple[type[Exception], int]] = [
    (analysis.RefusedQuery, 403),
    (MalformedQuery, 400),
    (UnacceptableResult, 406),
    (NotAcceptable, 406),
    (QueryTimeout, 503),
    (ResultTooLarge, 413),
    (QueryFailed, 500),
    (QueryError, 400),
]


router = APIRouter(tags=["sparql"])


def error_response(exc: Exception) -> Response:
    status = next(code for cls, code in _STATUS if isinstance(exc, cls))
    return Response(f"{exc}\n", status_code=status, media_type="text/plain", headers=CORS)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _one(values: Sequence[str], name: str) -> str | None:
    """The parameter's value; repeats are fine if they agree."""
    distinct = set(values)
    if len(distinct) > 1:
        raise QueryError(f"conflicting values for the {name} parameter: {', '.join(sorted(distinct))}")
    return values[0] if values else None


def _format_and_accept(params: dict[str, list[str]], accept: str | None) -> tuple[str | None, str | None]:
    """Split ``format`` values into a short name and media types.

    A short name (``json``, ``ttl`` …) decides. Media types are read as an
    Accept header: SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``
    and even ``format=application/ld+json,application/x-json+ld``.
    """
    values = params.get("format", [])
    name = _one([v.lower() for v in values if "/" not in v], "format")
    media_types = [v for v in values if "/" in v]
    if name is None and media_types:
        return None, ", ".join(media_types)
    return name, accept


def _acceptable(
    accept: str | None, offered: list[str], format_param: str | None, aliases: dict[str, str]
) -> str | None:
    try:
        return formats.canonical(
            negotiate(accept, formats.with_synonyms(offered), format_param=format_param, aliases=aliases)
        )
    except NotAcceptable:
        return None


async def _answer(request: Request, params: dict[str, list[str]], query: str) -> Response:
    settings = request.app.state.settings
    raw_timeout = _one(params.get("timeout", []), "timeout")
    try:
        requested = float(raw_timeout) if raw_timeout is not None else None
    except ValueError:
        raise QueryError(f"timeout must be a number of seconds, got {raw_timeout!r}") from None
    format_param, accept = _format_and_accept(params, request.headers.get("accept"))
    solutions = _acceptable(accept, formats.SOLUTIONS, format_param, formats.ALIASES)
    graph = _acceptable(accept, formats.GRAPH, format_param, formats.GRAPH_ALIASES)
    # rdflib's parser may run here (queries mentioning "service"): keep it off the event loop.
    found = await anyio.to_thread.run_sync(analysis.check, query, settings.service_allowlist)
    form = found.form
    if form in ("SELECT", "ASK") and solutions is None:
        raise NotAcceptable(format_param or accept or "", formats.SOLUTIONS)
    if form in ("CONSTRUCT", "DESCRIBE") and graph is None:
        raise NotAcceptable(format_param or accept or "", formats.GRAPH)
    answer = await run_query(
        request.app.state.sparql_pool,
        settings,
        query,
        found,
        solutions_format=solutions,
        graph_format=graph,
        timeout=time_limit(requested, settings),
        default_graph=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
    )
    return Response(answer.body, media_type=answer.media_type, headers={**CORS, "Vary": "Accept"})


def _url_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


@router.get("/sparql", name="sparql")
async def sparql_get(request: Request) -> Response:
    """Run ``?query=``; without one, describe the service (YASGUI for browsers)."""
    params = _url_params(request)
    try:
        if "update" in params:
            raise analysis.RefusedQuery("SPARQL Update is not accepted: this endpoint is read-only")
        query = _one(params.get("query", []), "query")
        if query is None:
            return await service_description_response(request, CORS)
        return await _answer(request, params, query)
    except (QueryError, NotAcceptable) as exc:
        return error_response(exc)


@router.post("/sparql", name="sparql_post")
async def sparql_post(request: Request) -> Response:
    """Form-encoded ``query=`` or a raw ``application/sparql-query`` body."""
    params = _url_params(request)
    content_type = _media_type(request.headers.get("content-type"))
    body = await request.body()
    try:
        if content_type == "application/sparql-update":
            raise analysis.RefusedQuery("SPARQL Update is not accepted: this endpoint is read-only")
        if content_type == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError as exc:
                raise QueryError(f"the form is not UTF-8 ({exc.reason})") from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            if "update" in params:
                raise analysis.RefusedQuery("SPARQL Update is not accepted: this endpoint is read-only")
            query = _one(params.get("query", []), "query")
            if query is None:
                raise QueryError("the form has no 'query' field")
        elif content_type == "application/sparql-query":
            try:
                query = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise QueryError(f"the query is not UTF-8 ({exc.reason})") from None
        else:
            return Response(
                "POST a query as application/sparql-query or application/x-www-form-urlencoded\n",
                status_code=415,
                media_type="text/plain",
                headers=CORS,
            )
        return await _answer(request, params, query)
    except (QueryError, NotAcceptable) as exc:
        return error_response(exc)


@router.options("/sparql", include_in_schema=False)
async def sparql_preflight() -> Response:
    return Response(status_code=204, headers=CORS)
