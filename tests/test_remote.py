"""Stateless replicas over a real Oxigraph server (issue 14), all on loopback.

One `oxigraph serve` process holds the catalog (imported with `stackatlas
import --store URL`), the tokens and the audit trail; three `stackatlas serve
--store URL` replicas answer over it. The read suites' key assertions run
through a replica; writes go through one replica and are read back through
the others; two replicas race on one vendor; the engine dies and comes back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

import test_export
import test_graphql
import test_linked_data
import test_sparql_protocol
from conftest import REPO, LiveServer, start_server, stop_server
from remote_cluster import Cluster, Engine, cli, start_cluster

GRAPHS = "https://w3id.org/stackatlas/graph/"
PREFECT = f"{GRAPHS}vendors/prefect"
PREFIX = "PREFIX sa: <https://w3id.org/stackatlas/ontology#>\nPREFIX vendor: <https://w3id.org/stackatlas/id/vendor/>\n"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = start_cluster(tmp_path_factory.mktemp("remote"))
    yield started
    started.stop()


def sparql(url: str, query: str, **params: str) -> httpx.Response:
    return httpx.post(
        f"{url}/sparql",
        data={"query": PREFIX + query, **params},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )


def update(url: str, text: str, token: str, message: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/update",
        content=(PREFIX + text).encode(),
        headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {token}",
            "X-Stackatlas-Message": message,
            **headers,
        },
        timeout=60,
    )


def roles(url: str) -> set[str]:
    response = sparql(url, "SELECT ?role WHERE { vendor:prefect sa:role ?role }")
    assert response.status_code == 200, response.text
    return {b["role"]["value"] for b in response.json()["results"]["bindings"]}


def graph_state(url: str, graph: str = PREFECT) -> tuple[str, str]:
    response = httpx.get(
        f"{url}/rdf-graphs", params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return "".join(sorted(response.text.splitlines(keepends=True))), response.headers["etag"]


# -- the read suites through a replica ----------------------------------------------------

GRAPHQL_TESTS: list[Callable[[LiveServer], None]] = [
    test_graphql.test_alternatives_to_dagster_with_rationale,
    test_graphql.test_alternatives_with_certification_on_shipped_data,
    test_graphql.test_high_severity_risks_with_mitigations,
    test_graphql.test_l3_downstream_integrations,
    test_graphql.test_certifications_of_dagster,
    test_graphql.test_vendor_core_fields_and_assessments,
    test_graphql.test_reverse_relations,
    test_graphql.test_integration_path,
    test_graphql.test_search_names_and_aliases_case_insensitively,
    test_graphql.test_vendors_paging_ordering_and_score_filter,
    test_graphql.test_unknown_ids_and_codes_are_clear_errors,
]


@pytest.mark.parametrize("check", GRAPHQL_TESTS, ids=lambda t: t.__name__)
def test_graphql_suite_through_a_replica(cluster: Cluster, check: Callable[[LiveServer], None]) -> None:
    check(cluster.replicas[1])


@pytest.fixture(scope="module")
def direct_store():
    return test_sparql_protocol.store.__wrapped__()  # type: ignore[attr-defined]


def test_sparql_suite_through_a_replica(cluster: Cluster, direct_store) -> None:
    endpoint = f"{cluster.replicas[2].url}/sparql"
    test_sparql_protocol.test_select_as_json_matches_the_store(endpoint, direct_store)
    test_sparql_protocol.test_ask(endpoint, direct_store, "GET")
    test_sparql_protocol.test_post_form_and_direct_post_and_get_agree(endpoint)
    test_sparql_protocol.test_catalog_prefixes_are_predeclared(endpoint)
    test_sparql_protocol.test_ontology_graph_is_part_of_the_union(endpoint)
    test_sparql_protocol.test_unknown_graph_iri_in_graph_clause_is_empty(endpoint)
    test_sparql_protocol.test_default_graph_uri_and_named_graph_uri_select_the_dataset(endpoint, direct_store)
    for params in ({"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},):
        refused = httpx.post(endpoint, **params)
        assert refused.status_code == 403 and "read-only" in refused.text


def test_bound_parameters_answer_as_the_embedded_store(cluster: Cluster, direct_store) -> None:
    """The remote store writes parameters into the text (store/queries/remote.py, ``bind``); pyoxigraph
    substitutes them. Same rows either way, for each shape of query that takes parameters."""
    from stackatlas.store.queries import graphql as gq
    from stackatlas.store.queries import linked_data, ontology
    from stackatlas.store.remote import RemoteStore
    from stackatlas.store.terms import iri, literal
    from stackatlas.vocab import ONTOLOGY_GRAPH, SA

    remote = RemoteStore(cluster.engine.url)
    dagster, hipaa = (
        "https://w3id.org/stackatlas/id/vendor/dagster",
        "https://w3id.org/stackatlas/id/certification/",
    )
    cases = [
        # a projected parameter, and one used only in a FILTER inside a GRAPH block
        (ontology.TERMS, {"graph": iri(str(ONTOLOGY_GRAPH)), "namespace": literal(str(SA))}),
        # parameters projected by a sub-query under a CONSTRUCT (as rows, through SELECT)
        (
            linked_data.RESOURCE_WITH_PARTS.replace("CONSTRUCT { ?s ?p ?o } WHERE {", "SELECT * WHERE {"),
            {"this": iri(dagster), "parts": literal(dagster + "/")},
        ),
        (gq.HOLDERS, {"cert": iri(hipaa + "hipaa-baa")}),
    ]
    for query, bindings in cases:
        ours = {tuple(sorted(r.items())) for r in remote.select(query, bindings)}
        theirs = {tuple(sorted(r.items())) for r in direct_store.select(query, bindings)}
        assert ours == theirs and ours, query


def test_service_and_deep_nesting_are_refused_before_the_engine(cluster: Cluster) -> None:
    url = cluster.replicas[0].url
    service = sparql(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert service.status_code == 403 and "SERVICE" in service.json()["error"]
    deep = sparql(url, "SELECT * WHERE " + "{" * 100 + "?s ?p ?o" + "}" * 100)
    assert deep.status_code == 400 and "nests brackets 100 deep" in deep.json()["error"]


def test_a_user_query_cannot_read_a_token_hash(cluster: Cluster) -> None:
    url = cluster.replicas[0].url
    tokens, versions = f"{GRAPHS}system/tokens", f"{GRAPHS}system/versions"
    for query, params in [
        ("ASK { ?t sa:tokenHash ?h }", {}),
        ("ASK { GRAPH ?g { ?t sa:tokenHash ?h } }", {}),
        ("ASK { ?t sa:tokenHash ?h }", {"default-graph-uri": tokens}),
        ("ASK { GRAPH ?g { ?t ?p ?h } }", {"named-graph-uri": tokens}),
        (f"ASK {{ GRAPH <{versions}> {{ ?g sa:version ?v }} }}", {}),
    ]:
        response = sparql(url, query, **params)
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is False, query
    # engines let FROM win over the protocol's dataset: a replica refuses FROM, however it is spelled
    for query in (
        f"ASK FROM <{tokens}> {{ ?t ?p ?h }}",
        f"ASK FROM NAMED <{tokens}> {{ GRAPH ?g {{ ?t ?p ?h }} }}",
        "PREFIX g: <https://w3id.org/stackatlas/graph/system/> ASK \\u0046ROM g:tokens { ?t ?p ?h }",
    ):
        refused = sparql(url, query)
        assert refused.status_code == 403, refused.text
        assert "default-graph-uri" in refused.json()["error"]
    # the service's own pages do not show them either
    page = httpx.get(f"{url}/id/token/curator", headers={"Accept": "application/n-triples"}, timeout=30)
    assert page.status_code in (200, 404) and 'tokenHash> "' not in page.text
    dataset = httpx.get(f"{url}/dataset", headers={"Accept": "application/n-quads"}, timeout=60).text
    assert 'ontology#tokenHash> "' not in dataset and "/graph/system/" not in dataset
    assert "https://w3id.org/stackatlas/id/vendor/dagster" in dataset


# -- writes across replicas ------------------------------------------------------------------


def test_write_through_one_replica_is_read_through_the_others(cluster: Cluster) -> None:
    one, two, three = cluster.replicas
    role = f"orchestrator written through replica 1 at {time.time()}"
    response = update(
        one.url,
        f'INSERT DATA {{ GRAPH <{PREFECT}> {{ vendor:prefect sa:role "{role}" }} }}',
        cluster.write_token,
        "role via replica 1",
    )
    assert response.status_code == 200, response.text
    etag = response.headers["etag"]
    for replica in (two, three):
        assert role in roles(replica.url)
        assert graph_state(replica.url)[1] == etag
        vendor = httpx.post(
            f"{replica.url}/graphql", json={"query": '{ vendor(id: "prefect") { roles } }'}, timeout=30
        ).json()
        assert role in str(vendor["data"]), vendor
    # the audit trail lives in the engine: every replica lists the commit
    commits = sparql(
        three.url,
        "SELECT ?m WHERE { GRAPH <https://w3id.org/stackatlas/graph/audit> { ?c sa:commitMessage ?m } }",
    ).json()
    assert "role via replica 1" in {b["m"]["value"] for b in commits["results"]["bindings"]}
    # and the history read from it, through another replica and from the command line
    history = httpx.post(
        f"{two.url}/graphql",
        json={"query": '{ vendor(id: "prefect") { history(first: 5) { entries { message } } } }'},
        timeout=30,
    ).json()
    assert "role via replica 1" in str(history["data"]), history
    shown = cli("history", "prefect", "--store", cluster.engine.url)
    assert shown.returncode == 0, shown.stderr
    assert "role via replica 1" in shown.stdout and role in shown.stdout


def test_two_replicas_writing_one_vendor_one_412_nothing_lost(cluster: Cluster) -> None:
    one, two, _ = cluster.replicas
    text, etag = graph_state(one.url)
    headers = {
        "Content-Type": "application/n-triples",
        "Authorization": f"Bearer {cluster.write_token}",
        "If-Match": etag,
    }
    bodies = {
        one.url: text.replace("Python-native", "Python-first"),
        two.url: text.replace("Python-native", "Python-only"),
    }
    results: dict[str, httpx.Response] = {}
    barrier = threading.Barrier(2)

    def put(url: str) -> None:
        barrier.wait()
        results[url] = httpx.put(
            f"{url}/rdf-graphs",
            params={"graph": PREFECT},
            content=bodies[url].encode(),
            headers={**headers, "X-Stackatlas-Message": f"race from {url}"},
            timeout=60,
        )

    threads = [threading.Thread(target=put, args=(u,)) for u in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200, 412], {u: r.text for u, r in results.items()}
    winner = next(u for u, r in results.items() if r.status_code == 200)
    loser = next(r for r in results.values() if r.status_code == 412)
    assert "someone changed it since you read it" in loser.text
    final, final_etag = graph_state(two.url)
    assert final_etag == results[winner].headers["etag"]
    assert ("Python-first" in final) == (winner == one.url) and ("Python-only" in final) == (winner == two.url)
    # without If-Match, concurrent writes to one vendor both land: each is rebuilt on the other's result
    marks = [f"race mark {i} {time.time()}" for i in range(2)]
    barrier2 = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def add(url: str, mark: str) -> None:
        barrier2.wait()
        answers.append(
            update(
                url,
                f'INSERT DATA {{ GRAPH <{PREFECT}> {{ vendor:prefect sa:role "{mark}" }} }}',
                cluster.write_token,
                mark,
            )
        )

    threads = [threading.Thread(target=add, args=(r.url, m)) for r, m in zip((one, two), marks, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert set(marks) <= roles(cluster.replicas[2].url)


def test_token_added_through_the_engine_works_on_every_replica(cluster: Cluster) -> None:
    reader = cli("token", "add", "late-reader", "--scope", "read", "--store", cluster.engine.url)
    assert reader.returncode == 0, reader.stderr
    listed = cli("token", "list", "--store", cluster.engine.url)
    assert "late-reader\tread" in listed.stdout and "curator\twrite" in listed.stdout
    for replica in cluster.replicas:
        refused = update(
            replica.url,
            f'INSERT DATA {{ GRAPH <{PREFECT}> {{ vendor:prefect sa:role "x" }} }}',
            reader.stdout.strip(),
            "read token tries to write",
        )
        assert refused.status_code == 403, refused.text


def test_validate_reads_the_engine_and_names_findings_by_file(cluster: Cluster) -> None:
    checked = cli("validate", "--store", cluster.engine.url)
    assert checked.returncode == 0, checked.stderr
    assert "0 violations" in checked.stdout and "conforms" in checked.stdout
    assert "vendors/temporal.ttl" in checked.stdout  # a warning, named by the file the graph would export to


def test_import_refuses_an_engine_that_holds_data(cluster: Cluster) -> None:
    again = cli("import", str(REPO / "graph_data"), "--store", cluster.engine.url)
    assert again.returncode == 2
    assert "already holds data" in again.stderr and "Traceback" not in again.stderr


# -- faults ----------------------------------------------------------------------------


def test_engine_down_is_503_then_served_again_without_restarting_replicas(cluster: Cluster) -> None:
    engine, replica = cluster.engine, cluster.replicas[1]
    engine.kill()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ready = httpx.get(f"{replica.url}/ready", timeout=5)
            if ready.status_code == 503 and "reason" in ready.json():  # the replica checks every second
                break
            time.sleep(0.2)
        assert ready.status_code == 503
        assert "SPARQL engine" in ready.json()["reason"] and "unreachable" in ready.json()["reason"]
        started = time.monotonic()
        gql = httpx.post(
            f"{replica.url}/graphql", json={"query": '{ vendor(id: "dagster") { name } }'}, timeout=30
        )
        assert gql.status_code == 503, gql.text
        assert "unreachable" in gql.text and "Traceback" not in gql.text
        user = sparql(replica.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        assert user.status_code == 503 and "unreachable" in user.json()["error"]
        page = httpx.get(f"{replica.url}/id/vendor/dagster", headers={"Accept": "text/turtle"}, timeout=30)
        assert page.status_code == 503 and "Traceback" not in page.text
        assert time.monotonic() - started < 15
    finally:
        engine.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and httpx.get(f"{replica.url}/ready", timeout=5).status_code != 200:
        time.sleep(0.2)
    assert httpx.get(f"{replica.url}/ready", timeout=5).json()["status"] == "ready"
    for live in cluster.replicas:
        assert test_graphql.execute(live.url, '{ vendor(id: "dagster") { name } }') == {
            "vendor": {"name": "Dagster"}
        }


def test_engine_hung_is_503_within_the_time_limit_then_served_again(cluster: Cluster) -> None:
    engine, replica = cluster.engine, cluster.replicas[2]
    engine.pause()
    try:
        started = time.monotonic()
        gql = httpx.post(
            f"{replica.url}/graphql", json={"query": '{ vendor(id: "prefect") { name } }'}, timeout=30
        )
        took = time.monotonic() - started
        assert gql.status_code == 503, gql.text
        assert "did not answer in time" in gql.json()["error"]
        assert took < 3 + 2  # STACKATLAS_STORE_TIMEOUT=3 in the cluster, plus slack
        user = sparql(replica.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout="2")
        assert user.status_code == 503, user.text
        ready = httpx.get(f"{replica.url}/ready", timeout=10)
        assert ready.status_code == 503
    finally:
        engine.resume()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and httpx.get(f"{replica.url}/ready", timeout=5).status_code != 200:
        time.sleep(0.2)
    assert test_graphql.execute(replica.url, '{ vendor(id: "prefect") { name } }') == {
        "vendor": {"name": "Prefect"}
    }


def test_a_runaway_user_query_is_stopped_at_its_time_limit(cluster: Cluster) -> None:
    replica = cluster.replicas[0]
    started = time.monotonic()
    response = sparql(
        replica.url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout="1"
    )
    assert response.status_code == 503, response.text
    assert "time limit of 1 s" in response.json()["error"]
    assert time.monotonic() - started < 5
    # the engine stops it too (oxigraph serve --timeout-s); the replica answers the next query at once
    assert roles(replica.url)


LINKED_DATA_TESTS: list[Callable[[LiveServer], None]] = [
    test_linked_data.test_browsers_get_the_vendor_page,
    test_linked_data.test_format_parameter_wins_for_links,
    test_linked_data.test_jsonld_is_compacted_with_the_project_prefixes,
    test_linked_data.test_other_resources_get_a_generic_page_and_only_their_own_triples,
    test_linked_data.test_unknown_id_gets_a_helpful_404_page,
    test_linked_data.test_ontology_terms_have_an_html_definition,
    test_linked_data.test_jsonld_context_is_published,
    test_linked_data.test_search_finds_names_and_aliases,
]


@pytest.mark.parametrize("check", LINKED_DATA_TESTS, ids=lambda t: t.__name__)
def test_linked_data_suite_through_a_replica(cluster: Cluster, check: Callable[[LiveServer], None]) -> None:
    check(cluster.replicas[2])


def test_the_web_view_and_linked_data_through_a_replica(cluster: Cluster) -> None:
    replica = cluster.replicas[1].url
    home = httpx.get(f"{replica}/", headers={"Accept": "text/html"}, timeout=30)
    assert home.status_code == 200 and 'class="layers"' in home.text and "Dagster" in home.text
    page = httpx.get(f"{replica}/id/vendor/dagster", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<h1>" in page.text and "Dagster" in page.text
    turtle = httpx.get(f"{replica}/id/vendor/dagster", headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.status_code == 200 and "Dagster" in turtle.text


def test_replica_killed_mid_write_loses_no_acknowledged_write(cluster: Cluster, tmp_path: Path) -> None:
    extra = start_server("--store", cluster.engine.url)
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            mark = f"ack {n} {time.time()}"
            try:
                response = update(
                    extra.url,
                    f'INSERT DATA {{ GRAPH <{PREFECT}> {{ vendor:prefect sa:role "{mark}" }} }}',
                    cluster.write_token,
                    mark,
                )
            except httpx.HTTPError:
                return
            if response.status_code == 200:
                acknowledged.append(mark)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(3)
    extra.process.kill()
    stop.set()
    thread.join(timeout=70)
    extra.process.wait()
    assert acknowledged
    assert set(acknowledged) <= roles(cluster.replicas[0].url)
    stop_server(extra)


# -- exports through a replica, over an engine holding the export fixture too --------------


@pytest.fixture(scope="module")
def export_replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    engine = Engine(tmp_path_factory.mktemp("export-engine") / "data")
    engine.start()
    imported = cli(
        "import", str(REPO / "graph_data"), str(REPO / "tests" / "fixtures" / "export"), "--store", engine.url
    )
    assert imported.returncode == 0, imported.stderr
    replica = start_server("--store", engine.url)
    yield replica
    stop_server(replica)
    engine.kill()


@pytest.mark.parametrize(
    "check",
    [
        test_export.test_json_export_carries_layers_direction_and_provenance,
        test_export.test_depth_two_reaches_further_than_depth_one,
        test_export.test_a_vendor_iri_selects_like_its_slug,
        test_export.test_layer_filter_keeps_only_those_layers,
        test_export.test_dot_is_laid_out_by_graphviz_with_layers_ranked_top_down,
        test_export.test_graphml_is_read_back_by_networkx_with_typed_attributes,
        test_export.test_csv_edge_list_round_trips_awkward_names,
    ],
    ids=lambda t: t.__name__,
)
def test_export_suite_through_a_replica(
    export_replica: LiveServer, check: Callable[[LiveServer], None]
) -> None:
    check(export_replica)
