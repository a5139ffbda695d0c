"""Pages for people: home (the seven layers), search, the SVG integration map, ontology terms, static files.

Everything is rendered on the server and readable without JavaScript. Vendor
pages are served by :mod:`stackatlas.linked_data` at the vendor's own IRI
(``/id/vendor/dagster``), so the page a person reads and the resource an RDF
client fetches have one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from ..dependencies import StoreDep
from ..export.formats import MAP_FORMATS
from ..export.selection import IntegrationMap, Kind, Layer, MapQuery, SelectionError, layers, select_map
from ..readmodel import IndexEntry, reader_for
from ..store import Store
from . import catalog, ontology, svgmap
from .errors import bad_request
from .options import map_query
from .templating import local_url, render

router = APIRouter(tags=["web"])

STATIC = Path(__file__).resolve().parents[1] / "static"

LARGE_CATALOG = 200
"""Above this many vendors, ``/map`` without a vendor draws a neighbourhood instead of the whole catalog."""


@dataclass(frozen=True)
class LayerMembers:
    """One layer of the home page with the vendors placed in it."""

    layer: Layer | None
    vendors: list[IndexEntry]


def home_layers(store: Store) -> list[LayerMembers]:
    """The home page: vendors with a page or a relation, by layer (L7 first), from the cached catalog index.

    A vendor without a layer of its own is placed where the integrations naming
    it put it (the read model's fallback); one with neither is listed apart.
    """
    index = reader_for(store).index()
    shown = [e for e in index.entries if e.catalog_entry or e.related]
    bands = [
        LayerMembers(layer, [e for e in shown if e.layer is not None and e.layer.notation == layer.code])
        for layer in layers(store)
    ]
    codes = {b.layer.code for b in bands if b.layer}
    unplaced = [e for e in shown if e.layer is None or e.layer.notation not in codes]
    return [*bands, LayerMembers(None, unplaced)]


@router.get("/", include_in_schema=False)
async def home(request: Request, store: StoreDep) -> Response:
    """The seven layers, L7 at the top, with the vendors the catalog places in each."""
    bands = await store.run(home_layers, store)
    return render(request, "home.html", bands=bands[:-1], unplaced=bands[-1].vendors)


@router.get("/search", include_in_schema=False)
async def search(request: Request, store: StoreDep, q: str = "") -> Response:
    """Vendors by name or alias."""
    hits = await store.run(catalog.search, store, q[:200])
    return render(request, "search.html", q=q, hits=hits)


def _links(graph: IntegrationMap) -> dict[str, str]:
    ids = [n.id for n in graph.nodes] + [e.id for e in graph.edges]
    return {i: local_url(i) for i in ids}


@dataclass(frozen=True)
class MapChoice:
    """What a map request draws: the query asked, or a neighbourhood standing in for a large whole catalog."""

    query: MapQuery
    vendors: int
    default_vendor: IndexEntry | None = None
    """Set when the catalog is too large to draw whole and the map shows this vendor's neighbourhood."""


def choose_map(store: Store, asked: MapQuery) -> MapChoice:
    """The query to draw: a map without vendors of a catalog above :data:`LARGE_CATALOG` vendors would be
    unreadable (and slow), so it becomes the first-by-name vendor-with-a-page's neighbourhood, depth 1."""
    index = reader_for(store).index()
    if asked.vendors or len(index) <= LARGE_CATALOG:
        return MapChoice(asked, len(index))
    seed = next((e for e in index.entries if e.catalog_entry and e.related), None) or next(
        (e for e in index.entries if e.related), None
    )
    if seed is None:
        return MapChoice(asked, len(index))
    query = MapQuery(vendors=(seed.slug,), depth=1, layers=asked.layers, kinds=asked.kinds)
    return MapChoice(query, len(index), seed)


def map_for(store: Store, asked: MapQuery) -> tuple[MapChoice, IntegrationMap]:
    choice = choose_map(store, asked)
    return choice, select_map(store, choice.query)


def map_form(store: Store) -> list[IndexEntry]:
    """The vendors the map form offers; none (a text field instead) in a large catalog."""
    index = reader_for(store).index()
    if len(index) > LARGE_CATALOG:
        return []
    return [e for e in index.entries if e.catalog_entry or e.related]


@router.get("/map", include_in_schema=False)
async def map_page(request: Request, store: StoreDep) -> Response:
    """The integration map as SVG with the selection form, a legend and the edges as a table."""
    vendors = await store.run(map_form, store)
    form: dict[str, Any] = {"vendors": vendors, "kinds": list(Kind), "formats": MAP_FORMATS}
    query = MapQuery()
    try:
        query = map_query(request.query_params)
        choice, graph = await store.run(map_for, store, query)
    except SelectionError as exc:
        return bad_request(request, str(exc), "map.html", query=query, choice=None, **form)
    svg = svgmap.render(graph, _links(graph))
    labels = {n.id: n.label for n in graph.nodes}
    return render(
        request,
        "map.html",
        error=None,
        graph=graph,
        svg=svg,
        query=choice.query,
        asked=query,
        choice=choice,
        labels=labels,
        **form,
    )


@router.get("/map.svg", include_in_schema=False)
async def map_svg(request: Request, store: StoreDep) -> Response:
    """The SVG alone, with the same options (and the same large-catalog default) as ``/map``."""
    try:
        _, graph = await store.run(map_for, store, map_query(request.query_params))
    except SelectionError as exc:
        return bad_request(request, str(exc))
    return Response(svgmap.render(graph, _links(graph)), media_type="image/svg+xml")


@router.get("/ontology.html", include_in_schema=False)
async def ontology_page(request: Request, store: StoreDep) -> Response:
    """Every ontology term with its definition; ``#Name`` anchors are the terms' local names."""
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
