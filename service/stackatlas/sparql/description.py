"""What ``GET /sparql`` without a query answers: a Service Description or YASGUI.

Machines get a SPARQL 1.1 Service Description (Turtle, RDF/XML, JSON-LD, N-Triples);
a browser (Accept: text/html) gets the YASGUI editor, served from our own
copy of its files so the page works without internet access.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from .. import formats
from ..config import Settings
from ..negotiation import negotiate
from ..store import Store
from ..store.queries.examples import EXAMPLES
from ..vocab import FORMATS, SD

YASGUI_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "yasgui"
_YASGUI_FILES = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css", "LICENSE": "text/plain"}
YASGUI_START = Path(__file__).resolve().parent / "static" / "yasgui-start.js"
"""Our own script that opens YASGUI on the examples; a file, so the page needs no inline script."""

_DESCRIPTION_TYPES = [formats.TURTLE, formats.RDF_XML, formats.JSON_LD, formats.N_TRIPLES, formats.HTML]
_RDFLIB_FORMAT = {
    formats.TURTLE: "turtle",
    formats.RDF_XML: "xml",
    formats.JSON_LD: "json-ld",
    formats.N_TRIPLES: "nt",
}
_RESULT_FORMATS = [
    FORMATS.SPARQL_Results_JSON,
    FORMATS.SPARQL_Results_XML,
    FORMATS.SPARQL_Results_CSV,
    FORMATS.SPARQL_Results_TSV,
    FORMATS.Turtle,
    FORMATS["N-Triples"],
    FORMATS["JSON-LD"],
    FORMATS.RDF_XML,
]

_templates = Environment(
    loader=PackageLoader("stackatlas.sparql", "templates"), autoescape=select_autoescape(["html"])
)

static_router = APIRouter(include_in_schema=False)


def service_description(endpoint: str, graphs: list[str], federated: bool) -> Graph:
    """The SD graph: endpoint, language, result formats, union default graph, named graphs."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("format", FORMATS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if federated:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, fmt))
    dataset, default = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g


def yasgui_page(request: Request, endpoint: str) -> str:
    def asset(name: str) -> str:
        return request.url_for("yasgui_file", name=name).path

    return _templates.get_template("yasgui.html").render(
        endpoint=endpoint,
        examples=[{"name": e.name, "query": e.query} for e in EXAMPLES],
        css=asset("yasgui.min.css"),
        js=asset("yasgui.min.js"),
        start=request.url_for("yasgui_start").path,
    )


async def service_description_response(request: Request, store: Store, settings: Settings) -> Response:
    media_type = negotiate(
        request.headers.get("accept"),
        formats.with_synonyms(_DESCRIPTION_TYPES),
        format_param=request.query_params.get("format"),
        aliases=formats.GRAPH_ALIASES,
    )
    media_type = formats.canonical(media_type)
    endpoint = str(request.url_for("sparql"))
    vary = {"Vary": "Accept"}
    if media_type == formats.HTML:
        return HTMLResponse(yasgui_page(request, endpoint), headers=vary)
    graphs = await store.run(store.named_graphs)
    g = service_description(endpoint, graphs, bool(settings.service_allowlist))
    body = g.serialize(format=_RDFLIB_FORMAT[media_type], encoding="utf-8")
    return Response(body, media_type=media_type, headers=vary)


@static_router.get("/static/sparql/yasgui-start.js")
async def yasgui_start() -> Response:
    return FileResponse(
        YASGUI_START, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"}
    )


@static_router.get("/static/vendor/yasgui/{name}")
async def yasgui_file(name: str) -> Response:
    """The vendored YASGUI build (MIT, see LICENSE next to it)."""
    if name not in _YASGUI_FILES:
        return Response(f"no such file: {name}\n", status_code=404, media_type="text/plain")
    return FileResponse(
        YASGUI_DIR / name, media_type=_YASGUI_FILES[name], headers={"Cache-Control": "public, max-age=86400"}
    )
