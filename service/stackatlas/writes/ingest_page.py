"""``POST /ingest``: an analysis page in, its vendor graph validated and committed (or previewed).

The page is read and built by :mod:`stackatlas.ingest` exactly as ``stackatlas
ingest`` does for files, resolved against the catalog in the store (minus the
vendor's own graph, so a re-ingest never links to what the previous one
wrote). ``?dry_run=true`` answers the section diff, the changes in the catalog's words
(:mod:`stackatlas.history.describe`) and the SHACL report and
changes nothing; without it the vendor graph is replaced through the one
transaction path.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib.namespace import DCTERMS, RDF, SKOS

from ..dependencies import StoreDep
from ..errors import InputError
from ..ingest.build import Built, build
from ..ingest.catalog import Catalog, index_quads
from ..ingest.diff import diff
from ..ingest.linker import slugify
from ..ingest.page import read_page
from ..ingest.turtle import to_turtle
from ..store import Store, terms
from ..store.dataset import is_system_graph
from ..store.queries import writes as queries
from ..vocab import GRAPH, SA, vendor_iri
from .http import if_match, message_of, outcome_json, writer
from .transaction import activity, parse_graph, replace_graph, write

router = APIRouter(tags=["writes"])

_IRI_VALUED = {str(RDF.type), str(DCTERMS.subject)}
_INDEXED = (
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.notation,
    SA.retrievedOn,
    SA.localCopy,
    DCTERMS.subject,
)


def catalog_from_store(store: Store, skip_graph: str) -> Catalog:
    """What ingest resolves names against, read from the store instead of the files."""
    # names the graphs itself (GRAPH ?g): the raw dataset, system graphs left out below
    rows = store.system_select(queries.ingest_index(terms.from_rdflib(p) for p in _INDEXED))
    quads = [
        ox.Quad(
            ox.NamedNode(str(r["s"])),
            ox.NamedNode(str(r["p"])),
            ox.NamedNode(str(r["o"])) if r["p"] in _IRI_VALUED else ox.Literal(str(r["o"])),
        )
        for r in rows
        if r["g"] != skip_graph and not is_system_graph(str(r["g"])) and not str(r["s"]).startswith("_:")
    ]
    catalog = Catalog(Path("."))
    index_quads(catalog, quads)
    return catalog


_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _as_built(old: list[ox.Triple], built: Built) -> list[ox.Triple]:
    """The stored triples with integers typed as the page's build types them.

    Oxigraph stores ``"1"^^xsd:positiveInteger`` as an ``xsd:integer``; without
    this, every position would show as changed in the section diff.
    """
    typed = {
        (t.subject, t.predicate, t.object.value): t.object
        for block in built.triples.blocks
        for t in block.triples
        if isinstance(t.object, ox.Literal)
    }
    return [
        ox.Triple(t.subject, t.predicate, typed.get((t.subject, t.predicate, t.object.value), t.object))
        if isinstance(t.object, ox.Literal) and t.object.datatype.value == _INTEGER
        else t
        for t in old
    ]


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@router.post("/ingest", name="ingest")
async def ingest_page(request: Request, store: StoreDep) -> Response:
    """Ingest one analysis page (the body, UTF-8 text); ``?dry_run=true`` previews."""
    dry_run = _truthy(request.query_params.get("dry_run"))
    principal = await writer(request, store, "POST /ingest")
    message = "" if dry_run else message_of(request)
    name = request.query_params.get("name") or "page.txt"
    raw = await request.body()
    if not raw.strip():
        raise InputError("the request body is empty; POST the analysis page as text/plain")
    page = read_page(Path(Path(name).name), raw)
    slug = slugify(page.title.text)
    graph = str(GRAPH[f"vendors/{slug}"])
    expected = if_match(request)

    def prepare() -> tuple[list[ox.Quad], dict[str, list[str]], dict[str, str]]:
        catalog = catalog_from_store(store, graph)
        catalog.add_vendor(page.title.text, str(vendor_iri(slug)))
        built = build(page, catalog, graph, raw)
        turtle = to_turtle(built, page.path.name)
        quads = parse_graph(turtle, ox.RdfFormat.TURTLE, graph)
        old = _as_built([q.triple for q in store.graph_quads([graph])], built)
        return quads, (diff(old, built, catalog) if old else {}), built.stubs

    quads, sections, stubs = await store.run(prepare)
    outcome = await store.run(
        lambda: write(
            store,
            replace_graph(graph, quads),
            {graph: expected} if expected is not None else {},
            activity(principal.name, message, "ingest"),
            dry_run=dry_run,
        )
    )
    body = outcome_json(outcome, dry_run)
    # what the page changes, in the catalog's words: the words the commit's audit record keeps
    described = outcome.descriptions
    body.update(
        vendor=slug,
        graph=graph,
        sections=sections,
        changes=[{"kind": c.kind, "vendor": c.vendor, "text": c.text} for c in described],
        stubs=[{"iri": i, "name": n} for i, n in sorted(stubs.items())],
    )
    headers = {"ETag": f'"{outcome.versions[graph]}"'} if graph in outcome.versions else {}
    return JSONResponse(body, headers=headers)
