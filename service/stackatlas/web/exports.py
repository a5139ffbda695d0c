"""HTTP downloads: integration maps, their JSON Schema, the whole graph and the JSON-LD context.

Any origin may fetch them (browser apps such as Cytoscape.js, JSON-LD
processors): the app's one CORS policy (:mod:`stackatlas.http_guard`) says so.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..dependencies import StoreDep
from ..errors import excerpt
from ..export.formats import MAP_FORMATS
from ..export.graph import context, download
from ..export.json_doc import schema
from ..export.selection import SelectionError, select_map
from ..formats import GRAPH_FORMAT_NAMES, GRAPH_FORMATS
from .errors import bad_request
from .options import map_query
from .templating import render

router = APIRouter(tags=["export"])


@router.get("/export/map")
async def export_map(request: Request, store: StoreDep) -> Response:
    """The selected integration map in one of the map formats (``format`` is required)."""
    name = (request.query_params.get("format") or "").lower()
    fmt = MAP_FORMATS.get(name)
    if fmt is None:
        return bad_request(
            request,
            f"format must be one of {', '.join(MAP_FORMATS)}"
            + (f", got {excerpt(name, 40)!r}" if name else ""),
        )
    try:
        query = map_query(request.query_params, frozenset({"format", "download"}))
        graph = await store.run(select_map, store, query)
    except SelectionError as exc:
        return bad_request(request, str(exc))
    body = await store.run(fmt.encode, graph)
    headers = {}
    if request.query_params.get("download"):
        stem = "-".join(query.vendors) or "catalog"
        headers["Content-Disposition"] = f'attachment; filename="stackatlas-{stem}.{fmt.extension}"'
    return Response(body, media_type=fmt.media_type, headers=headers)


@router.get("/export/map.schema.json")
async def map_schema() -> JSONResponse:
    """The JSON Schema of ``/export/map?format=json``."""
    return JSONResponse(schema(), media_type="application/schema+json")


@router.get("/export/graph")
async def export_graph(request: Request, store: StoreDep) -> Response:
    """The whole catalog: Turtle, N-Triples, JSON-LD (union graph), TriG or N-Quads (one graph per file)."""
    raw = (request.query_params.get("format") or "turtle").lower()
    fmt = GRAPH_FORMATS.get(GRAPH_FORMAT_NAMES.get(raw, raw))
    if fmt is None:
        return bad_request(
            request, f"format must be one of {', '.join(GRAPH_FORMATS)}, got {excerpt(raw, 40)!r}"
        )
    body = await store.run(download, store, fmt)
    return Response(
        body,
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'inline; filename="stackatlas.{fmt.extension}"'},
    )


@router.get("/context.jsonld")
async def jsonld_context() -> JSONResponse:
    """The JSON-LD context the JSON-LD downloads are compacted with."""
    return JSONResponse(context(), media_type="application/ld+json")


@router.get("/export")
async def exports_page(request: Request) -> Response:
    """A page listing every download, for people."""
    return render(request, "exports.html", map_formats=MAP_FORMATS, graph_formats=GRAPH_FORMATS)
