"""``/update`` (SPARQL 1.1 Update) and ``/rdf-graphs`` writes (Graph Store Protocol PUT/POST/DELETE).

``GET /rdf-graphs`` is the downloads' (:mod:`stackatlas.sparql.downloads`); it
sends the graph's version as ``ETag`` for a later ``If-Match``.

Both turn the request into a change set and hand it to :func:`.transaction.write`,
so they validate, version, serialise and audit exactly as GraphQL and ``/ingest`` do.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import formats
from ..dependencies import StoreDep
from ..errors import InputError, QueryError, excerpt
from ..store import Store
from ..store.changes import ChangeSet
from . import update
from .http import if_match, message_of, outcome_response, writer
from .ingest_page import router as ingest_router
from .transaction import activity, parse_graph, replace_graph, write

router = APIRouter(tags=["writes"])
router.include_router(ingest_router)

_UPDATE_TYPES = ("application/sparql-update", "application/x-www-form-urlencoded")


def _media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


async def _text(request: Request) -> str:
    body = await request.body()  # bounded by the front door (write_max_body_bytes)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the request body is not UTF-8 ({exc.reason} at byte {exc.start})") from None


async def run_update(request: Request, store: Store, text: str, form_message: str | None = None) -> Response:
    """Run one SPARQL Update as a governed write (``/update`` and the update branch of ``/sparql``)."""
    principal = await writer(request, store, "SPARQL Update")
    message = message_of(request, form_message)
    build = update.build(text, principal)
    outcome = await store.run(
        lambda: write(store, build, {}, activity(principal.name, message, "sparql-update"))
    )
    return outcome_response(outcome)


async def update_from_form(request: Request, store: Store, body: str) -> Response:
    fields = parse_qs(body, keep_blank_values=True)
    updates = fields.get("update", [])
    if len(updates) != 1:
        raise QueryError("the form needs exactly one 'update' field")
    messages = fields.get("message", [])
    return await run_update(request, store, updates[0], messages[0] if messages else None)


@router.post("/update", name="update")
async def update_post(request: Request, store: StoreDep) -> Response:
    """SPARQL 1.1 Update: ``application/sparql-update`` or a form with ``update=``."""
    content_type = _media_type(request)
    if content_type not in _UPDATE_TYPES:
        return Response(
            "POST an update as application/sparql-update or application/x-www-form-urlencoded (update=)\n",
            status_code=415,
            media_type="text/plain",
        )
    text = await _text(request)
    if content_type == "application/sparql-update":
        return await run_update(request, store, text)
    return await update_from_form(request, store, text)


# -- Graph Store Protocol ------------------------------------------------------


def _graph_param(request: Request) -> str:
    graphs = request.query_params.getlist("graph")
    if "default" in request.query_params:
        raise QueryError("the default graph is empty and not writable; name a vendor graph with ?graph=")
    if len(graphs) != 1:
        raise QueryError(
            "name exactly one graph: /rdf-graphs?graph=https://w3id.org/stackatlas/graph/vendors/…"
        )
    try:
        return ox.NamedNode(graphs[0]).value
    except ValueError:
        raise QueryError(f"not an IRI: {excerpt(graphs[0])!r}") from None


def _parse(body: bytes, media_type: str, graph: str) -> list[ox.Quad]:
    fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if fmt is None or fmt.supports_datasets:
        offered = ", ".join(sorted(formats.RDF_BY_MEDIA_TYPE))
        raise InputError(f"send the graph as one of {offered}, not {media_type or 'no Content-Type'}")
    try:
        return parse_graph(body, fmt, graph)
    except SyntaxError as exc:
        raise InputError(f"malformed {fmt.name}: {excerpt(str(exc), 160)}") from None


@router.put("/rdf-graphs", name="graph_store_put")
async def graph_put(request: Request, store: StoreDep) -> Response:
    """Replace one vendor graph with the body."""
    return await _graph_write(request, store, "replace")


@router.post("/rdf-graphs", name="graph_store_post")
async def graph_post(request: Request, store: StoreDep) -> Response:
    """Add the body's triples to one vendor graph."""
    return await _graph_write(request, store, "merge")


@router.delete("/rdf-graphs", name="graph_store_delete")
async def graph_delete(request: Request, store: StoreDep) -> Response:
    """Delete one vendor graph."""
    return await _graph_write(request, store, "delete")


async def _graph_write(request: Request, store: Store, mode: str) -> Response:
    graph = _graph_param(request)
    principal = await writer(request, store, f"{request.method} /rdf-graphs")
    update.check_graphs([graph], principal)
    message = message_of(request)
    expected = if_match(request)
    quads = [] if mode == "delete" else _parse(await request.body(), _media_type(request), graph)

    def build(current: Store) -> ChangeSet:
        before = current.graph_quads([graph])
        if mode == "delete" and not before:
            raise _NoGraph(f"no graph {graph}")
        return replace_graph(graph, [*before, *quads] if mode == "merge" else quads)(current)

    outcome = await store.run(
        lambda: write(
            store,
            build,
            {graph: expected} if expected is not None else {},
            activity(principal.name, message, "graph-store"),
        )
    )
    return outcome_response(outcome)


class _NoGraph(QueryError):
    status = 404


__all__ = ["router", "run_update", "update_from_form"]
