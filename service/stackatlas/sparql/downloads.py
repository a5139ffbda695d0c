"""Graph downloads: SPARQL 1.1 Graph Store Protocol GET, the whole dataset, ontology and shapes.

All serialisation is pyoxigraph's (through :class:`~stackatlas.store.Store`).
``/ontology`` negotiates RDF syntaxes only; an HTML view for browsers belongs
to the linked-data pages and is added there.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from .. import formats
from ..dependencies import ShapesDep, StoreDep
from ..errors import InputError, excerpt
from ..loader import SourceFile, discover
from ..negotiation import negotiate
from ..resources import shapes_dir
from ..store import Store, open_store
from ..vocab import ONTOLOGY_GRAPH, SHAPES_GRAPH

router = APIRouter(tags=["downloads"])


def load_shapes() -> Store | str:
    """The SHACL shapes in one graph of their own store (they are not catalog data), or why not."""
    try:
        sources = [SourceFile(s.path, str(SHAPES_GRAPH), s.format) for s in discover([shapes_dir()])]
        store = open_store()
        store.load(sources)
    except (InputError, FileNotFoundError) as exc:
        return str(exc)
    return store


def _error(message: str, status: int) -> Response:
    return PlainTextResponse(f"{message}\n", status_code=status)


def _choose(request: Request, offered: list[str]) -> str:
    """The media type to answer with; :class:`~stackatlas.errors.NotAcceptable` (406) if none."""
    return formats.canonical(
        negotiate(
            request.headers.get("accept"),
            formats.with_synonyms(offered),
            format_param=request.query_params.get("format"),
            aliases=formats.GRAPH_ALIASES,
        )
    )


def _download(body: bytes, media_type: str, name: str) -> Response:
    disposition = f'inline; filename="{name}.{formats.EXTENSIONS[media_type]}"'
    return Response(body, media_type=media_type, headers={"Vary": "Accept", "Content-Disposition": disposition})


@router.get("/rdf-graphs")
async def graph_store(request: Request, store: StoreDep) -> Response:
    """``?graph=<iri>`` one named graph; ``?default`` the default graph (the union of all graphs)."""
    graph = request.query_params.getlist("graph")
    wants_default = "default" in request.query_params
    if wants_default == bool(graph) or len(graph) > 1:
        return _error("give exactly one of ?graph=<iri> or ?default", 400)
    media_type = _choose(request, formats.GRAPH)
    if wants_default:
        return _download(await store.run(store.dump_union, media_type), media_type, "default")
    iri = graph[0]
    if iri not in await store.run(store.named_graphs):
        return _error(f"no graph named <{excerpt(iri)}> in this dataset", 404)
    body = await store.run(store.dump, media_type, iri)
    return _download(body, media_type, iri.rstrip("/").rsplit("/", 1)[-1] or "graph")


@router.get("/dataset")
async def dataset(request: Request, store: StoreDep) -> Response:
    """Every named graph, as TriG or N-Quads."""
    media_type = _choose(request, formats.DATASET)
    return _download(await store.run(store.dump, media_type), media_type, "stackatlas")


@router.get("/ontology")
async def ontology(request: Request, store: StoreDep) -> Response:
    """The ontology graph in an RDF syntax chosen by Accept or ``format``.

    A browser (HTML preferred over every RDF syntax) is sent to the term
    definitions at ``/ontology.html``, so ontology IRIs resolve for people too.
    """
    media_type = _choose(request, [*formats.GRAPH, formats.HTML])
    if media_type == formats.HTML:
        return RedirectResponse("/ontology.html", status_code=303, headers={"Vary": "Accept"})
    body = await store.run(store.dump, media_type, str(ONTOLOGY_GRAPH))
    return _download(body, media_type, "stackatlas")


@router.get("/shapes")
async def shapes(request: Request, shapes: ShapesDep) -> Response:
    """The SHACL shapes the data is validated against."""
    media_type = _choose(request, formats.GRAPH)
    if isinstance(shapes, str):
        return _error(f"the shapes are not available: {shapes}", 404)
    body = await shapes.run(shapes.dump, media_type, str(SHAPES_GRAPH))
    return _download(body, media_type, "stackatlas-shapes")
