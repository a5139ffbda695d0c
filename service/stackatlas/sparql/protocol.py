"""``/sparql``: the SPARQL 1.1 Protocol for queries, read-only.

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri``; the answer's format by Accept or a
``format`` parameter; ``timeout`` (seconds, capped by the operator). GET
without a query describes the service (or shows YASGUI to a browser).

Errors are :class:`~stackatlas.errors.StackatlasError` subclasses, answered by
the app's one handler with the status each class names; the body size limit
and CORS are the front door's (:mod:`stackatlas.http_guard`).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import formats
from ..dependencies import ClientDep, SettingsDep, StoreDep
from ..errors import NotAcceptable, QueryError, RefusedQuery, excerpt
from ..negotiation import bounded, negotiate
from .description import service_description_response
from .execution import ClientGone, query_request, run_while_connected, time_limit

router = APIRouter(tags=["sparql"])

_READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _one(values: Sequence[str], name: str) -> str | None:
    """The parameter's value; repeats are fine if they agree."""
    distinct = set(values)
    if len(distinct) > 1:
        shown = ", ".join(excerpt(v, 40) for v in sorted(distinct)[:3])
        raise QueryError(f"conflicting values for the {name} parameter: {shown}")
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
        return None, bounded(", ".join(media_types))
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


async def _answer(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    client: str,
    params: dict[str, list[str]],
    query: str,
) -> Response:
    raw_timeout = _one(params.get("timeout", []), "timeout")
    try:
        requested = float(raw_timeout) if raw_timeout is not None else None
    except ValueError:
        raise QueryError(
            f"timeout must be a number of seconds, got {excerpt(raw_timeout or '', 40)!r}"
        ) from None
    format_param, accept = _format_and_accept(params, request.headers.get("accept"))
    solutions = _acceptable(accept, formats.SOLUTIONS, format_param, formats.ALIASES)
    graph = _acceptable(accept, formats.GRAPH, format_param, formats.GRAPH_ALIASES)
    if solutions is None and graph is None:
        raise NotAcceptable(format_param or accept or "", formats.SOLUTIONS + formats.GRAPH)
    user_query = query_request(
        settings,
        query,
        solutions_format=solutions,
        graph_format=graph,
        default_graph=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
    )
    try:
        answer = await run_while_connected(
            store, user_query, time_limit(requested, settings), client, request.is_disconnected
        )
    except ClientGone:
        return Response(status_code=499)  # nobody reads it; the query was stopped
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


def _url_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


@router.get("/sparql", name="sparql")
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep, client: ClientDep) -> Response:
    """Run ``?query=``; without one, describe the service (YASGUI for browsers)."""
    params = _url_params(request)
    if "update" in params:
        raise RefusedQuery(_READ_ONLY)
    query = _one(params.get("query", []), "query")
    if query is None:
        return await service_description_response(request, store, settings)
    return await _answer(request, store, settings, client, params, query)


@router.post("/sparql", name="sparql_post")
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep, client: ClientDep) -> Response:
    """Form-encoded ``query=`` or a raw ``application/sparql-query`` body."""
    params = _url_params(request)
    content_type = _media_type(request.headers.get("content-type"))
    if content_type == "application/sparql-update":
        raise RefusedQuery(_READ_ONLY)
    if content_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        return Response(
            "POST a query as application/sparql-query or application/x-www-form-urlencoded\n",
            status_code=415,
            media_type="text/plain",
        )
    body = await request.body()  # at most sparql_max_query_bytes: the front door enforces it
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the request body is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if content_type == "application/sparql-query":
        return await _answer(request, store, settings, client, params, text)
    for key, values in parse_qs(text, keep_blank_values=True, strict_parsing=False).items():
        params.setdefault(key, []).extend(values)
    if "update" in params:
        raise RefusedQuery(_READ_ONLY)
    query = _one(params.get("query", []), "query")
    if query is None:
        raise QueryError("the form has no 'query' field")
    return await _answer(request, store, settings, client, params, query)
