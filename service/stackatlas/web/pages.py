"""Pages for people: home (the seven layers), search, the SVG integration map, ontology terms, static files.

Everything is rendered on the server and readable without JavaScript. Vendor
pages are served by :mod:`stackatlas.linked_data` at the vendor's own IRI
(``/id/vendor/dagster``), so the page a person reads and the resource an RDF
client fetches have one address.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from ..export.formats import MAP_FORMATS
from ..export.selection import IntegrationMap, Kind, MapQuery, SelectionError, select_map
from ..store import Store
from . import catalog, ontology, svgmap
from .options import map_query
from .templating import local_url, render

router = APIRouter(tags=["web"])

STATIC = Path(__file__).resolve().parents[1] / "static"


def _store(request: Request) -> Store:
    return request.app.state.store


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """The seven layers, L7 at the top, with the vendors the catalog places in each."""
    store = _store(request)
    graph = await store.run(select_map, store, MapQuery(kinds=tuple(Kind)))
    return render(request, "home.html", graph=graph)


@router.get("/search", include_in_schema=False)
async def search(request: Request, q: str = "") -> Response:
    """Vendors by name or alias."""
    store = _store(request)
    hits = await store.run(catalog.search, store, q[:200])
    return render(request, "search.html", q=q, hits=hits)


def _links(graph: IntegrationMap) -> dict[str, str]:
    return {item.id: local_url(item.id) for item in [*graph.nodes, *graph.edges]}


@router.get("/map", include_in_schema=False)
async def map_page(request: Request) -> Response:
    """The integration map as SVG with the selection form, a legend and the edges as a table."""
    store = _store(request)
    vendors = await store.run(select_map, store, MapQuery(kinds=tuple(Kind)))
    form = {"vendors": vendors.nodes, "kinds": list(Kind), "formats": MAP_FORMATS}
    query = MapQuery()
    try:
        query = map_query(request.query_params)
        graph = await store.run(select_map, store, query)
    except SelectionError as exc:
        return render(request, "map.html", status_code=400, error=str(exc), query=query, **form)
    svg = svgmap.render(graph, _links(graph))
    labels = {n.id: n.label for n in graph.nodes}
    return render(
        request,
        "map.html",
        error=None,
        graph=graph,
        svg=svg,
        query=query,
        labels=labels,
        **form,
    )


@router.get("/map.svg", include_in_schema=False)
async def map_svg(request: Request) -> Response:
    """The SVG alone, with the same options as ``/map``."""
    store = _store(request)
    try:
        graph = await store.run(select_map, store, map_query(request.query_params))
    except SelectionError as exc:
        return Response(f"bad request: {exc}\n", status_code=400, media_type="text/plain")
    return Response(svgmap.render(graph, _links(graph)), media_type="image/svg+xml")


@router.get("/ontology.html", include_in_schema=False)
async def ontology_page(request: Request) -> Response:
    """Every ontology term with its definition; ``#Name`` anchors are the terms' local names."""
    store = _store(request)
    terms = await store.run(ontology.terms, store)
    about = await store.run(ontology.about, store)
    return render(request, "ontology.html", terms=terms, about=about)


@router.get("/static/{path:path}", include_in_schema=False)
async def static(path: str) -> FileResponse:
    """Files under ``stackatlas/static`` (shipped in the wheel); nothing outside it."""
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC) or not target.is_file():
        raise HTTPException(status_code=404, detail="no such static file")
    return FileResponse(target)
