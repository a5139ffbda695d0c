"""The workbench pages: the faceted vendor list, compare, and the stack builder with its map exports.

Rendered on the server from :mod:`stackatlas.workbench` answers; every page's
state is its query string, so the address bar is the permalink. Bad input is a
400 page saying which parameter and why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import workbench as wb
from ..dependencies import StoreDep
from ..errors import InputError
from ..export.formats import MAP_FORMATS
from ..export.selection import IntegrationMap, Kind, MapQuery, SelectionError, select_map
from ..readmodel import reader_for
from ..store import Store
from ..workbench import chart
from . import svgmap
from .errors import bad_request
from .templating import local_url, render

router = APIRouter(tags=["workbench"])

FACET_PARAMS = {
    "q",
    "layer",
    "category",
    "license",
    "open_source",
    "cert",
    "score",
    "freshness",
    "sort",
    "offset",
    "limit",
    "score_key",
    "score_min",
    "score_max",
}
STACK_PARAMS = {"cert", "layer", "include", "exclude", "open_source", "min", "limit", "stack"}


def _check(request: Request, allowed: set[str]) -> list[tuple[str, str]]:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    return list(request.query_params.multi_items())


def _bad(request: Request, template: str, exc: InputError, **context: Any) -> Response:
    return bad_request(request, str(exc), template, **context)


@router.get("/vendors", include_in_schema=False)
async def vendor_list(request: Request, store: StoreDep) -> Response:
    """Every vendor with its own page, filtered by facets, with counts per facet value and a sort."""
    try:
        query = wb.facets.parse(_check(request, FACET_PARAMS))
        result = await store.run(
            wb.facet_list, reader_for(store), query, request.app.state.settings.stale_after_days
        )
    except InputError as exc:
        return _bad(request, "vendors.html", exc, result=None, query=wb.facets.FacetQuery())
    return render(request, "vendors.html", error=None, result=result, query=query)


@router.get("/compare", include_in_schema=False)
async def compare_page(request: Request, store: StoreDep) -> Response:
    """Two to four vendors side by side (``?id=dagster&id=…``); with fewer, a form to pick them."""
    ids = request.query_params.getlist("id")
    if not ids:
        return render(request, "compare.html", error=None, comparison=None, ids=[])
    try:
        _check(request, {"id"})
        comparison = await store.run(wb.compare.compare, reader_for(store), ids)
    except InputError as exc:
        return _bad(request, "compare.html", exc, comparison=None, ids=ids)
    charts = {f: chart.svg(comparison, f) for f in wb.compare.FRAMEWORKS}
    return render(request, "compare.html", error=None, comparison=comparison, ids=ids, charts=charts)


def stack_map(store: Store, slugs: tuple[str, ...]) -> IntegrationMap:
    """The integration map of a stack: its vendors and the integrations between them (through the export's
    selection, so every map format writes it)."""
    whole = select_map(store, MapQuery(vendors=slugs, depth=1, kinds=(Kind.integration,)))
    inside = {n.id for n in whole.nodes if n.seed}
    return replace(
        whole,
        nodes=[n for n in whole.nodes if n.id in inside],
        edges=[e for e in whole.edges if e.source in inside and e.target in inside],
    )


def _stack_slugs(request: Request) -> tuple[str, ...]:
    raw = request.query_params.getlist("vendor")
    slugs = tuple(dict.fromkeys(s.strip() for s in raw if s.strip()))
    if not 1 <= len(slugs) <= 7:
        raise InputError("name the stack's vendors: one to seven vendor= parameters")
    return slugs


@router.get("/stacks", include_in_schema=False)
async def stacks_page(request: Request, store: StoreDep) -> Response:
    """The stack builder: requirements in the query string, ranked candidate stacks below the form."""
    reader = reader_for(store)
    cat = await store.run(wb.catalog, reader)
    form: dict[str, Any] = {"certifications": cat.certifications, "layers": cat.layers, "formats": MAP_FORMATS}
    if not request.query_params:
        return render(request, "stacks.html", error=None, answer=None, req=wb.stacks.Requirements(), **form)
    try:
        req = wb.stacks.parse(_check(request, STACK_PARAMS))
        answer = await store.run(wb.build_stacks, reader, req)
    except InputError as exc:
        return _bad(request, "stacks.html", exc, answer=None, req=wb.stacks.Requirements(), **form)
    maps = {}
    for n, stack in enumerate(answer.stacks[:3]):
        graph = await store.run(stack_map, store, stack.slugs)
        maps[n] = svgmap.render(
            graph, {i: local_url(i) for i in [x.id for x in graph.nodes] + [e.id for e in graph.edges]}
        )
    return render(request, "stacks.html", error=None, answer=answer, req=req, maps=maps, **form)


@router.get("/stacks/export", include_in_schema=False)
async def stack_export(request: Request, store: StoreDep) -> Response:
    """A chosen stack (``vendor=…`` per member) as an integration map in any map format."""
    name = (request.query_params.get("format") or "").lower()
    fmt = MAP_FORMATS.get(name)
    try:
        _check(request, {"vendor", "format"})
        if fmt is None:
            raise InputError(
                f"format must be one of {', '.join(MAP_FORMATS)}" + (f", got {name!r}" if name else "")
            )
        slugs = _stack_slugs(request)
        graph = await store.run(stack_map, store, slugs)
    except (InputError, SelectionError) as exc:
        return bad_request(request, str(exc))
    body = await store.run(fmt.encode, graph)
    headers = {
        "Content-Disposition": f'attachment; filename="stackatlas-stack-{"-".join(slugs)}.{fmt.extension}"'
    }
    return Response(body, media_type=fmt.media_type, headers=headers)
