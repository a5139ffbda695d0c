"""Graph Store Protocol GET, dataset dump, ontology and shapes; service description and YASGUI."""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH

from stackatlas.loader import catalog_sources
from stackatlas.store import Store, open_store
from stackatlas.vocab import FORMATS, GRAPH, ONTOLOGY_GRAPH, SA, SD, vendor_iri

RDF_SYNTAXES = [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def store() -> Store:
    direct = open_store()
    direct.load(catalog_sources())
    return direct


@pytest.mark.parametrize("media_type,rdflib_format", RDF_SYNTAXES)
def test_graph_store_get_one_graph_by_accept(live_server, store, media_type, rdflib_format):
    graph = str(GRAPH["vendors/dagster"])
    response = httpx.get(
        f"{live_server.url}/rdf-graphs", params={"graph": graph}, headers={"Accept": media_type}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    got = Graph().parse(data=response.content, format=rdflib_format)
    expected = Graph().parse(data=store.dump("application/n-triples", graph), format="nt")
    assert len(expected) > 50
    assert isomorphic(got, expected)


@pytest.mark.parametrize("media_type,rdflib_format", RDF_SYNTAXES)
def test_graph_store_default_graph_is_the_union(live_server, store, media_type, rdflib_format):
    response = httpx.get(
        f"{live_server.url}/rdf-graphs", params={"default": ""}, headers={"Accept": media_type}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
    got = Graph().parse(data=response.content, format=rdflib_format)
    dataset = Dataset()
    dataset.parse(data=store.dump("application/n-quads"), format="nquads")
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    assert len(union) > 1000
    assert isomorphic(got, union)
    assert (SA.Vendor, RDF.type, OWL.Class) in got  # the ontology graph is part of the union


def test_graph_store_errors(live_server):
    unknown = httpx.get(f"{live_server.url}/rdf-graphs", params={"graph": "urn:no:such:graph"})
    assert unknown.status_code == 404 and "urn:no:such:graph" in unknown.text
    neither = httpx.get(f"{live_server.url}/rdf-graphs")
    assert neither.status_code == 400 and "exactly one of ?graph=<iri> or ?default" in neither.text
    unacceptable = httpx.get(
        f"{live_server.url}/rdf-graphs", params={"graph": str(ONTOLOGY_GRAPH)}, headers={"Accept": "image/png"}
    )
    assert unacceptable.status_code == 406 and "image/png" in unacceptable.text
    assert "text/turtle" in unacceptable.text  # says what it can give instead


@pytest.mark.parametrize(
    "fmt,media_type,rdflib_format",
    [("trig", "application/trig", "trig"), ("nq", "application/n-quads", "nquads")],
)
def test_dataset_dump(live_server, store, fmt, media_type, rdflib_format):
    by_param = httpx.get(f"{live_server.url}/dataset", params={"format": fmt})
    by_accept = httpx.get(f"{live_server.url}/dataset", headers={"Accept": media_type})
    for response in (by_param, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
    dataset = Dataset()
    dataset.parse(data=by_param.content, format=rdflib_format)
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == set(store.named_graphs())
    assert sum(len(g) for g in dataset.graphs()) == len(store)


@pytest.mark.parametrize("media_type,rdflib_format", RDF_SYNTAXES)
def test_ontology_by_conneg(live_server, media_type, rdflib_format):
    response = httpx.get(f"{live_server.url}/ontology", headers={"Accept": media_type})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
    ontology = Graph().parse(data=response.content, format=rdflib_format)
    assert (SA.Vendor, RDF.type, OWL.Class) in ontology
    assert not list(ontology.triples((vendor_iri("dagster"), None, None)))  # data is not the ontology


def test_ontology_sends_browsers_to_the_term_definitions(live_server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(f"{live_server.url}/ontology", headers={"Accept": browser})
    assert response.status_code == 303 and response.headers["location"] == "/ontology.html"
    page = httpx.get(f"{live_server.url}/ontology", headers={"Accept": browser}, follow_redirects=True)
    assert 'id="CatalogEntry"' in page.text or "CatalogEntry" in page.text
    # A client that takes anything still gets RDF, not HTML.
    anything = httpx.get(f"{live_server.url}/ontology", headers={"Accept": "*/*"})
    assert anything.status_code == 200 and anything.headers["content-type"].startswith("text/turtle")


def test_shapes(live_server):
    response = httpx.get(f"{live_server.url}/shapes", params={"format": "ttl"})
    assert response.status_code == 200
    shapes = Graph().parse(data=response.content, format="turtle")
    assert len(list(shapes.subjects(RDF.type, SH.NodeShape))) > 3


def test_service_description_for_machines(live_server, store):
    response = httpx.get(f"{live_server.url}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    description = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(f"{live_server.url}/sparql")
    assert (endpoint, RDF.type, SD.Service) in description
    assert (endpoint, SD.endpoint, endpoint) in description
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in description
    assert (endpoint, SD.feature, SD.BasicFederatedQuery) not in description
    formats = set(description.objects(endpoint, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.Turtle, FORMATS["JSON-LD"]} <= formats
    names = {str(n) for n in description.objects(None, SD.name)}
    assert names == set(store.named_graphs())
    for media_type, rdflib_format in [("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")]:
        other = httpx.get(f"{live_server.url}/sparql", headers={"Accept": media_type})
        assert isomorphic(Graph().parse(data=other.content, format=rdflib_format), description)


def test_yasgui_for_browsers_is_self_contained(live_server):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(f"{live_server.url}/sparql", headers={"Accept": browser_accept})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name in (
        "Alternatives to Dagster with a HIPAA BAA",
        "L3 catalogs Dagster feeds",
        "High-severity risks",
        "Who integrates with DataHub",
        "How Dagster and Marquez",
    ):
        assert name in page.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    for source in sources:
        asset = httpx.get(f"{live_server.url}{source}")
        # the vendored YASGUI build, and our small script that opens it (no inline script: see the CSP)
        assert asset.status_code == 200 and len(asset.content) > (10_000 if "/vendor/" in source else 500)
    assert httpx.get(f"{live_server.url}/static/vendor/yasgui/LICENSE").text.count("MIT") >= 1
    assert httpx.get(f"{live_server.url}/static/vendor/yasgui/../../app.py").status_code == 404


def test_example_queries_run_and_answer_the_questions(live_server):
    from stackatlas.store.queries.examples import EXAMPLES

    answers = {}
    for example in EXAMPLES:
        response = httpx.post(f"{live_server.url}/sparql", data={"query": example.query})
        assert response.status_code == 200, (example.name, response.text)
        answers[example.name] = response.json()["results"]["bindings"]
    datahub = answers["Who integrates with DataHub"]
    assert str(vendor_iri("dagster")) in {b["vendor"]["value"] for b in datahub}
    assert answers["High-severity risks and their mitigation"]
    assert answers["How Dagster and Marquez are connected"]
