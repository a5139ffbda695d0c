"""``/id/…`` by content negotiation, the 404 page, and the whole-graph downloads, on the shipped data."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from stackatlas.vocab import ID, PREFIXES, SA, layer_iri, vendor_iri

DAGSTER = vendor_iri("dagster")


def get(server, path: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{server.url}{path}", headers=headers, params=params, timeout=30)


def parse(response: httpx.Response, fmt: str) -> Graph:
    graph = Graph()
    graph.parse(data=response.content, format=fmt)
    return graph


def test_browsers_get_the_vendor_page(live_server):
    response = get(live_server, "/id/vendor/dagster", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "accept" in response.headers["vary"].lower()
    page = response.text
    assert "<h1>Dagster</h1>" in page
    assert "27/36" in page and "20/25" in page
    assert "Define AssetSpec with partition + freshness + quality expectations from day one." in page


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_rdf_clients_get_the_vendor_and_its_parts(live_server, accept, fmt):
    response = get(live_server, "/id/vendor/dagster", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = parse(response, fmt)
    assert (DAGSTER, SKOS.prefLabel, Literal("Dagster")) in graph
    assert (DAGSTER, RDF.type, SA.CatalogEntry) in graph
    inpact = URIRef(f"{DAGSTER}/inpact")
    assert graph.value(inpact, SA.total).toPython() == 27
    risk = URIRef(f"{DAGSTER}/risk-1")
    assert graph.value(risk, SA.severity) == SA.High
    assert str(graph.value(risk, SA.mitigation)).startswith("Define AssetSpec")
    subjects = {str(s) for s in graph.subjects()}
    assert all(s == str(DAGSTER) or s.startswith(f"{DAGSTER}/") for s in subjects)


def test_format_parameter_wins_for_links(live_server):
    response = get(live_server, "/id/vendor/dagster", "text/html", format="ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert (DAGSTER, SKOS.prefLabel, Literal("Dagster")) in parse(response, "turtle")


def test_jsonld_is_compacted_with_the_project_prefixes(live_server):
    response = get(live_server, "/id/vendor/dagster", "application/ld+json")
    document = response.json()
    assert document["@context"]["sa"] == PREFIXES["sa"]
    assert '"sa:CatalogEntry"' in response.text


def test_other_resources_get_a_generic_page_and_only_their_own_triples(live_server):
    page = get(live_server, "/id/layer/L3", "text/html")
    assert page.status_code == 200
    assert "Unified Semantic Layer" in page.text and "lineage and catalogs" in page.text
    graph = parse(get(live_server, "/id/layer/L3", "text/turtle"), "turtle")
    assert {str(s) for s in graph.subjects()} == {str(layer_iri("L3"))}
    sub_resource = get(live_server, "/id/vendor/dagster/risk-1", "text/html")
    assert sub_resource.status_code == 200 and "Mitigation" not in sub_resource.text
    assert "Define AssetSpec" in sub_resource.text and "/id/vendor/dagster" in sub_resource.text


def test_unknown_id_gets_a_helpful_404_page(live_server):
    response = get(live_server, "/id/vendor/dagstr", "text/html")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/id/vendor/dagster"' in response.text, "the closest id is offered"
    assert '<form class="search big" action="/search"' in response.text
    assert 'value="dagstr"' in response.text


def test_unknown_id_for_rdf_clients_is_a_short_404(live_server):
    response = get(live_server, "/id/vendor/nothing-like-it", "text/turtle")
    assert response.status_code == 404
    assert response.text.startswith(f"not found: no resource {ID}vendor/nothing-like-it")


def test_ids_that_cannot_be_iris_are_not_found_not_errors(live_server):
    response = get(live_server, '/id/vendor/x>%20{"', "text/html")
    assert response.status_code == 404
    assert "No such resource" in response.text


def test_unsupported_media_type_is_406(live_server):
    response = get(live_server, "/id/vendor/dagster", "image/png")
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_ontology_terms_have_an_html_definition(live_server):
    response = get(live_server, "/ontology.html")
    assert response.status_code == 200
    assert 'id="CatalogEntry"' in response.text
    assert "A vendor that has its own analysis page in the catalog" in response.text


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "dataset"),
    [
        ("turtle", "turtle", False),
        ("ntriples", "nt", False),
        ("jsonld", "json-ld", False),
        ("trig", "trig", True),
        ("nquads", "nquads", True),
    ],
)
def test_whole_graph_downloads_parse(live_server, fmt, rdflib_format, dataset):
    response = get(live_server, "/export/graph", format=fmt)
    assert response.status_code == 200
    if dataset:
        data = Dataset()
        data.parse(data=response.content, format=rdflib_format)
        graphs = {str(g.identifier) for g in data.graphs()}
        assert any(g.endswith("/graph/vendors/dagster") for g in graphs)
        triples = Graph()
        for s, p, o, _ in data.quads():
            triples.add((s, p, o))
    else:
        triples = parse(response, rdflib_format)
    assert (DAGSTER, SKOS.prefLabel, Literal("Dagster")) in triples
    union = parse(get(live_server, "/export/graph", format="ntriples"), "nt")
    assert isomorphic(triples, union), "every format holds the same statements"


def test_jsonld_context_is_published(live_server):
    response = get(live_server, "/context.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"] == PREFIXES
    assert response.headers["access-control-allow-origin"] == "*"


def test_search_finds_names_and_aliases(live_server):
    response = get(live_server, "/search", q="airflow")
    assert response.status_code == 200
    assert ">Apache Airflow</a>" in response.text
    nothing = get(live_server, "/search", q="zzzz-nothing")
    assert "No vendor name or alias contains" in nothing.text
