"""SPARQL 1.1 Protocol at /sparql, driven by independent clients (SPARQLWrapper, rdflib, httpx).

Every answer is parsed back and compared with the same query run directly on a
store loaded from the same files.
"""

from __future__ import annotations

import io
import json
import re

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import ASK, CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from stackatlas.loader import catalog_sources
from stackatlas.store import Store, open_store
from stackatlas.vocab import GRAPH, SKOS, sparql_prologue, vendor_iri

VENDORS = (
    sparql_prologue()
    + """
SELECT ?vendor ?name WHERE { ?vendor a sa:Vendor ; skos:prefLabel ?name }
"""
)
DAGSTER_GRAPH = (
    sparql_prologue()
    + """
CONSTRUCT { vendor:dagster ?p ?o } WHERE { vendor:dagster ?p ?o }
"""
)
DAGSTER_DESCRIBE = sparql_prologue() + "DESCRIBE vendor:dagster"


@pytest.fixture(scope="module")
def store() -> Store:
    direct = open_store()
    direct.load(catalog_sources())
    return direct


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return f"{live_server.url}/sparql"


def _rows(result: Result) -> set[tuple[str, ...]]:
    names = [str(v) for v in result.vars]
    return {tuple(str(row[n]) for n in names) for row in result}


def _expected_rows(store: Store, query: str) -> set[tuple[str, ...]]:
    return {(str(r["vendor"]), str(r["name"])) for r in store.select(query)}


def _wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def test_select_as_json_matches_the_store(endpoint, store):
    body = _wrapper(endpoint, VENDORS, JSON).queryAndConvert()
    got = {(b["vendor"]["value"], b["name"]["value"]) for b in body["results"]["bindings"]}
    expected = _expected_rows(store, VENDORS)
    assert len(expected) > 20
    assert got == expected


@pytest.mark.parametrize("fmt,parse_as", [(XML, "xml"), (CSV, "csv"), (TSV, "tsv")])
def test_select_in_other_result_formats_matches_the_store(endpoint, store, fmt, parse_as):
    converted = _wrapper(endpoint, VENDORS, fmt).queryAndConvert()
    raw = converted.toxml().encode() if fmt == XML else converted
    result = Result.parse(io.BytesIO(raw), format=parse_as)
    rows = _rows(result)
    if parse_as == "tsv":  # TSV carries terms in N-Triples syntax
        rows = {(v.strip("<>"), n) for v, n in rows}
    assert rows == _expected_rows(store, VENDORS)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_ask(endpoint, store, method):
    for query in (
        sparql_prologue() + "ASK { vendor:dagster a sa:CatalogEntry }",
        sparql_prologue() + "ASK { vendor:dagster a sa:Layer }",
    ):
        client = _wrapper(endpoint, query, JSON, method)
        assert client.queryType == ASK
        assert client.queryAndConvert()["boolean"] is store.ask(query)
    client = _wrapper(endpoint, sparql_prologue() + "ASK { vendor:dagster a sa:CatalogEntry }", XML)
    assert client.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize(
    "fmt,accept,rdflib_format",
    [
        (TURTLE, None, "turtle"),
        (N3, None, "n3"),
        (N3, "application/n-triples", "nt"),
        (JSONLD, None, "json-ld"),
        (RDFXML, None, "xml"),
    ],
    ids=["turtle", "n3", "n-triples", "json-ld", "rdf-xml"],
)
@pytest.mark.parametrize("query", [DAGSTER_GRAPH, DAGSTER_DESCRIBE], ids=["construct", "describe"])
def test_graph_results_in_every_rdf_format_match_the_store(endpoint, store, fmt, accept, rdflib_format, query):
    client = _wrapper(endpoint, query, fmt)
    if accept:  # SPARQLWrapper has no N-Triples format name: ask by content negotiation alone
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
    response = client.query()
    if accept:
        assert response.response.headers["Content-Type"].startswith(accept)
    body = response.response.read()
    got = Graph().parse(data=body, format=rdflib_format)
    expected = Graph().parse(data=store.construct(query), format="nt")
    assert len(expected) > 10
    assert isomorphic(got, expected)


def test_rdflib_sparqlstore_uses_the_endpoint_as_a_remote_graph(endpoint, store):
    remote = Graph(store=SPARQLStore(endpoint, returnFormat="xml"))
    dagster = vendor_iri("dagster")
    names = set(remote.objects(dagster, SKOS.prefLabel))
    assert {str(n) for n in names} == {"Dagster"}
    got = set(remote.triples((dagster, None, None)))
    expected = Graph().parse(data=store.construct(DAGSTER_GRAPH), format="nt")
    assert got == set(expected)
    rows = {(str(r.vendor), str(r.name)) for r in remote.query(VENDORS)}
    assert rows == _expected_rows(store, VENDORS)


def test_post_form_and_direct_post_and_get_agree(endpoint):
    headers = {"Accept": "application/sparql-results+json"}
    via_get = httpx.get(endpoint, params={"query": VENDORS}, headers=headers)
    via_form = httpx.post(endpoint, data={"query": VENDORS}, headers=headers)
    via_body = httpx.post(
        endpoint,
        content=VENDORS.encode(),
        headers={**headers, "Content-Type": "application/sparql-query; charset=utf-8"},
    )
    bodies = [json.loads(r.content) for r in (via_get, via_form, via_body)]
    assert all(r.status_code == 200 for r in (via_get, via_form, via_body))
    keys = [sorted(json.dumps(b, sort_keys=True) for b in body["results"]["bindings"]) for body in bodies]
    assert keys[0] == keys[1] == keys[2] and len(keys[0]) > 20


def _subjects(body: bytes) -> set[str]:
    return {b["s"]["value"] for b in json.loads(body)["results"]["bindings"]}


def _graph_subjects(store: Store, graph: str) -> set[str]:
    return {str(r["s"]) for r in store.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}


def test_default_graph_uri_and_named_graph_uri_select_the_dataset(endpoint, store):
    dagster_graph = str(GRAPH["vendors/dagster"])
    airflow_graph = str(GRAPH["vendors/airflow"])
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
    response = httpx.get(endpoint, params={"query": query, "default-graph-uri": dagster_graph})
    expected = _graph_subjects(store, dagster_graph)
    assert _subjects(response.content) == expected
    everything = {str(r["s"]) for r in store.select(query)}
    assert expected < everything

    named = httpx.post(
        endpoint,
        data={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": [dagster_graph, airflow_graph],
        },
    )
    graphs = {b["g"]["value"] for b in named.json()["results"]["bindings"]}
    assert graphs == {dagster_graph, airflow_graph}


def test_from_selects_only_a_stored_graph(endpoint, store):
    dagster_graph = str(GRAPH["vendors/dagster"])
    query = f"SELECT DISTINCT ?s FROM <{dagster_graph}> WHERE {{ ?s ?p ?o }}"
    with_from = httpx.get(endpoint, params={"query": query})
    assert _subjects(with_from.content) == _graph_subjects(store, dagster_graph)
    unknown = httpx.get(endpoint, params={"query": "SELECT ?s FROM <urn:nothing:here> WHERE { ?s ?p ?o }"})
    assert unknown.status_code == 200 and _subjects(unknown.content) == set()


def test_catalog_prefixes_are_predeclared(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT ?n WHERE { vendor:dagster skos:prefLabel ?n }"})
    assert [b["n"]["value"] for b in response.json()["results"]["bindings"]] == ["Dagster"]


def test_malformed_query_is_400_with_position(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert re.search(r"error at 1:\d+", response.text), response.text
    assert "\n" not in response.text.strip()
    client = _wrapper(endpoint, "SELECT * WHERE { ?s ?p ", JSON)
    with pytest.raises(QueryBadFormed, match=r"1:\d+"):
        client.query()


def test_unsupported_accept_is_406(endpoint):
    response = httpx.get(endpoint, params={"query": VENDORS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    wrong_kind = httpx.get(endpoint, params={"query": DAGSTER_GRAPH, "format": "csv"})
    assert wrong_kind.status_code == 406 and "text/turtle" in wrong_kind.text


def test_format_parameter_picks_the_syntax(endpoint, store):
    csv = httpx.get(endpoint, params={"query": VENDORS, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert _rows(Result.parse(io.BytesIO(csv.content), format="csv")) == _expected_rows(store, VENDORS)
    ttl = httpx.get(endpoint, params={"query": DAGSTER_GRAPH, "format": "ttl"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert (vendor_iri("dagster"), SKOS.prefLabel, None) in Graph().parse(data=ttl.text, format="turtle")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "POST", "content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-query"}},
    ],
    ids=["get-update", "get-query-insert", "form-update", "sparql-update-body", "query-body-drop"],
)
def test_updates_are_refused_with_403(endpoint, store, request_kwargs):
    before = len(store)
    response = httpx.request(url=endpoint, **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    count = httpx.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == before


def test_cors_for_browser_tools(endpoint):
    preflight = httpx.options(
        endpoint,
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    answer = httpx.get(endpoint, params={"query": VENDORS}, headers={"Origin": "http://example.org"})
    assert answer.headers["access-control-allow-origin"] == "*"
    error = httpx.get(endpoint, params={"query": "SELECT"}, headers={"Origin": "http://example.org"})
    assert error.status_code == 400 and error.headers["access-control-allow-origin"] == "*"


def test_ontology_graph_is_part_of_the_union(endpoint):
    query = sparql_prologue() + "ASK { sa:Vendor a owl:Class }"
    assert httpx.get(endpoint, params={"query": query}).json()["boolean"] is True


def test_unknown_graph_iri_in_graph_clause_is_empty(endpoint):
    query = "SELECT * WHERE { GRAPH <urn:unknown> { ?s ?p ?o } }"
    body = httpx.get(endpoint, params={"query": query}).json()
    assert body["results"]["bindings"] == []


def test_remote_iri_objects_are_uris(endpoint):
    body = httpx.get(endpoint, params={"query": VENDORS}).json()
    assert all(b["vendor"]["type"] == "uri" for b in body["results"]["bindings"])
    vendors = {URIRef(b["vendor"]["value"]) for b in body["results"]["bindings"]}
    assert vendor_iri("dagster") in vendors
