"""History on the real server over an on-disk store: log, asOf, diffs and releases agree with the writes.

One store is imported from the shipped catalog; a sequence of writes changes
Dagster through GraphQL mutations and SPARQL Update (a claim, two scores, a
blank-node qualified derivation, a deleted alternative, a risk), with a release made
between them by ``stackatlas release`` while the server is stopped. After each
write the touched graphs are read back through the Graph Store Protocol: that
is the truth every history view is compared with — asOf states isomorphically
(blank nodes included, checked with rdflib's own isomorphism), history and diff
texts with each other and with what each write meant.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import LiveServer, start_server, stop_server
from stackatlas import readmodel as rm
from stackatlas.history import asof
from stackatlas.loader import catalog_sources
from stackatlas.store import OxigraphStore
from stackatlas.store.changes import Activity, ChangeSet
from stackatlas.vocab import SA
from test_writes import Tokens, cli, make_store, update

GRAPHS = "https://w3id.org/stackatlas/graph/"
DAGSTER_GRAPHS = (f"{GRAPHS}vendors/dagster", f"{GRAPHS}curation/dagster")
DAGSTER = "https://w3id.org/stackatlas/id/vendor/dagster"
D = "https://w3id.org/stackatlas/id/vendor/dagster/"


@dataclass
class Scenario:
    directory: Path
    tokens: Tokens
    server: LiveServer
    states: list[dict[str, str]] = field(default_factory=list)
    """N-Triples of Dagster's graphs after each commit (index = commit number; 0 = before any)."""
    release_dump: bytes = b""
    release_sequence: int = 0
    duplicate: tuple[int, str] = (0, "")


def graph_text(url: str, graph: str) -> str:
    response = httpx.get(
        f"{url}/rdf-graphs", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, response.text
    return response.text


def snapshot(url: str) -> dict[str, str]:
    return {g: graph_text(url, g) for g in DAGSTER_GRAPHS}


def gql(url: str, query: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(f"{url}/graphql", json={"query": query}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def mutate(scenario: Scenario, query: str) -> None:
    data = gql(scenario.server.url, query, scenario.tokens.write)
    result = next(iter(data.values()))
    assert result["ok"], result
    scenario.states.append(snapshot(scenario.server.url))


def sparql_update(scenario: Scenario, text: str, message: str) -> None:
    response = update(scenario.server.url, text, scenario.tokens.write, message)
    assert response.status_code == 200, response.text
    scenario.states.append(snapshot(scenario.server.url))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    directory = tmp_path_factory.mktemp("history") / "store"
    tokens = make_store(directory)
    server = start_server("--store", str(directory))
    s = Scenario(directory, tokens, server)
    s.states.append(snapshot(server.url))
    try:
        # 1: a curator claim (curation graph)
        mutate(
            s,
            """mutation { setComplianceClaim(vendor: "dagster", offering: "offering-cloud",
                certification: "fedramp", status: HELD, evidence: "FedRAMP Moderate authorisation announced",
                message: "Dagster Cloud is FedRAMP authorised") { ok errors { message } } }""",
        )
        # 2: two scores (the vendor graph)
        sparql_update(
            s,
            """PREFIX dagster: <https://w3id.org/stackatlas/id/vendor/dagster/>
            DELETE DATA { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
                dagster:inpact-C sa:score 5 . dagster:inpact sa:total 27 } } ;
            INSERT DATA { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
                dagster:inpact-C sa:score 4 . dagster:inpact sa:total 26 } }""",
            "INPACT C re-scored",
        )
        # 3: a blank node (a qualified derivation: the shapes want parts named by IRIs)
        sparql_update(
            s,
            """PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            INSERT DATA { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
                vendor:dagster prov:qualifiedDerivation _:d .
                _:d prov:entity <https://w3id.org/stackatlas/id/source/dagster> ;
                    rdfs:comment "Branch deployments for every pull request" } }""",
            "a derivation from the changelog",
        )
        # 4: an alternative deleted
        sparql_update(
            s,
            """PREFIX dagster: <https://w3id.org/stackatlas/id/vendor/dagster/>
            DELETE WHERE { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
                vendor:dagster sa:alternative dagster:alternative-temporal .
                dagster:alternative-temporal ?p ?o } }""",
            "Temporal is no longer listed",
        )
        stop_server(server)
        released = cli(
            "release", "r1", "--store", str(directory), "--message", "after the first curation round"
        )
        assert released.returncode == 0, released.stderr
        assert "release r1 names the catalog after commit 4" in released.stderr
        dumped = subprocess.run(
            [*cli_args("release", "r1", "--dump", "--store", str(directory))], capture_output=True, timeout=300
        )
        assert dumped.returncode == 0, dumped.stderr
        s.release_dump, s.release_sequence = dumped.stdout, 4
        duplicate = cli("release", "r1", "--store", str(directory))
        s.duplicate = (duplicate.returncode, duplicate.stderr)
        s.server = server = start_server("--store", str(directory))
        s.states.append(s.states[-1])  # commit 5 is the release: Dagster unchanged
        # 6: a risk (curation graph)
        mutate(
            s,
            """mutation { addTrustRisk(vendor: "dagster", severity: HIGH,
                description: "Branch deployments leak secrets into preview environments",
                mitigation: "Scope preview credentials to read-only roles",
                message: "risk seen in an incident report") { ok errors { message } } }""",
        )
        yield s
    finally:
        stop_server(s.server)


def cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "stackatlas", *args]


def parsed(text: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=text, format="nt")
    return graph


def as_of_graphs(scenario: Scenario, point: str) -> dict[str, rdflib.Graph]:
    done = cli("history", "dagster", "--as-of", point, "--store", str(scenario.directory))
    assert done.returncode == 0, done.stderr
    dataset = rdflib.Dataset()
    dataset.parse(data=done.stdout, format="nquads")
    found = {}
    for graph in DAGSTER_GRAPHS:
        g = rdflib.Graph()
        for triple in dataset.graph(rdflib.URIRef(graph)):
            g.add(triple)
        found[graph] = g
    return found


def history_entries(url: str) -> list[dict]:
    entries, after = [], None
    while True:
        cursor = f', after: "{after}"' if after else ""
        page = gql(
            url,
            f"""{{ vendor(id: "dagster") {{ history(first: 2{cursor}) {{
                entries {{ sequence at by message interface changes {{ kind text }} }}
                endCursor hasNextPage }} }} }}""",
        )["vendor"]["history"]
        entries += page["entries"]
        if not page["hasNextPage"]:
            return entries
        after = page["endCursor"]


def test_history_lists_every_write_newest_first_in_the_catalogs_words(scenario: Scenario) -> None:
    entries = history_entries(scenario.server.url)
    assert [e["sequence"] for e in entries] == [6, 4, 3, 2, 1]  # 5 is the release: not a Dagster change
    assert [e["message"] for e in entries] == [
        "risk seen in an incident report",
        "Temporal is no longer listed",
        "a derivation from the changelog",
        "INPACT C re-scored",
        "Dagster Cloud is FedRAMP authorised",
    ]
    assert {e["by"] for e in entries} == {"curator"}
    changes = {e["sequence"]: [(c["kind"], c["text"]) for c in e["changes"]] for e in entries}
    assert changes[1] == [
        ("claim-changed", "Dagster Cloud — FEDRAMP: not advertised → held (source: Dagster analysis page)")
    ]
    assert sorted(changes[2]) == [
        ("score-changed", "INPACT C: 5 → 4"),
        ("score-changed", "INPACT total: 27 → 26"),
    ]
    assert changes[3] == [("other", 'qualifiedDerivation added: "Branch deployments for every pull request"')]
    assert changes[4] == [("alternative-removed", "alternative removed: Temporal")]
    assert changes[6] == [
        ("risk-added", "risk added: Branch deployments leak secrets into preview environments (high)")
    ]


def test_as_of_every_commit_is_exactly_what_the_store_held(scenario: Scenario) -> None:
    """Reconstructed graphs are isomorphic to the graphs read back after each write, blank node included."""
    assert len(scenario.states) == 7
    for sequence, state in enumerate(scenario.states):
        rebuilt = as_of_graphs(scenario, str(sequence))
        for graph in DAGSTER_GRAPHS:
            assert isomorphic(rebuilt[graph], parsed(state[graph])), f"{graph} as of commit {sequence}"
    # the blank-node qualified derivation is there from commit 3 on, with its text
    strength = rdflib.URIRef("http://www.w3.org/ns/prov#qualifiedDerivation")
    text = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
    at3 = as_of_graphs(scenario, "3")[DAGSTER_GRAPHS[0]]
    blanks = [o for o in at3.objects(rdflib.URIRef(DAGSTER), strength) if isinstance(o, rdflib.BNode)]
    assert [str(at3.value(b, text)) for b in blanks] == ["Branch deployments for every pull request"]
    assert not any(
        isinstance(o, rdflib.BNode) for o in as_of_graphs(scenario, "2")[DAGSTER_GRAPHS[0]].objects()
    )


def test_graphql_and_linked_data_as_of_agree_with_what_was_written(scenario: Scenario) -> None:
    url = scenario.server.url
    query = """{ vendor(id: "dagster", asOf: "%s") { name inpact { total dimensions { code score } }
        alternatives { vendor { id } } } }"""
    at3 = gql(url, query % "3")["vendor"]
    at4 = gql(url, query % "4")["vendor"]
    at1 = gql(url, query % "1")["vendor"]
    assert at3["name"] == "Dagster"
    assert "temporal" in {a["vendor"]["id"] for a in at3["alternatives"]}
    assert "temporal" not in {a["vendor"]["id"] for a in at4["alternatives"]}
    assert at1["inpact"]["total"] == 27 and at3["inpact"]["total"] == 26
    assert {d["code"]: d["score"] for d in at1["inpact"]["dimensions"]}["C"] == 5
    assert {d["code"]: d["score"] for d in at3["inpact"]["dimensions"]}["C"] == 4
    # a date-time names the last commit made at or before it: the time of commit 2 is commit 2
    entries = {e["sequence"]: e for e in history_entries(url)}
    by_time = gql(url, query % entries[2]["at"])["vendor"]
    assert by_time == gql(url, query % "2")["vendor"]
    assert gql(url, query % "r1")["vendor"] == at4  # the release names commit 4
    assert gql(url, query % "2020-01-01")["vendor"]["inpact"]["total"] == 27  # before any commit
    # several points in one request, next to the current catalog, each reading its own state
    both = gql(
        url,
        """{ at1: vendor(id: "dagster", asOf: "1") { inpact { total } alternatives { vendor { id name } } }
        at4: vendor(id: "dagster", asOf: "4") { inpact { total } alternatives { vendor { id name } } }
        now: vendor(id: "dagster") { inpact { total } risks { description } }
        vendors(search: "Dagster") { edges { node { id } } } }""",
    )
    assert both["at1"]["inpact"]["total"] == 27 and both["at4"]["inpact"]["total"] == 26
    temporal = [a["vendor"] for a in both["at1"]["alternatives"] if a["vendor"]["id"] == "temporal"]
    assert temporal == [{"id": "temporal", "name": "Temporal"}]  # its name, as it is now
    assert "temporal" not in {a["vendor"]["id"] for a in both["at4"]["alternatives"]}
    assert "Branch deployments leak secrets into preview environments" in {
        r["description"] for r in both["now"]["risks"]
    }
    assert "dagster" in {e["node"]["id"] for e in both["vendors"]["edges"]}
    # linked data: the same states
    page3 = httpx.get(f"{url}/id/vendor/dagster", params={"asOf": "3", "format": "nt"})
    page4 = httpx.get(f"{url}/id/vendor/dagster", params={"asOf": "4", "format": "nt"})
    assert page3.status_code == page4.status_code == 200
    assert page3.headers["x-stackatlas-as-of"] == "commit 3 (commit 3)"
    assert f"<{D}alternative-temporal>" in page3.text and f"<{D}alternative-temporal>" not in page4.text
    now = httpx.get(f"{url}/id/vendor/dagster", params={"format": "nt"})
    latest = httpx.get(f"{url}/id/vendor/dagster", params={"asOf": "6", "format": "nt"})
    assert isomorphic(parsed(now.text), parsed(latest.text))
    html = httpx.get(f"{url}/id/vendor/dagster", params={"asOf": "3"}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Temporal" in html.text
    bad = httpx.get(f"{url}/id/vendor/dagster", params={"asOf": "yesterday-ish", "format": "nt"})
    assert bad.status_code == 400 and "is not a commit number, a date" in bad.text
    errors = httpx.post(
        f"{url}/graphql", json={"query": '{ vendor(id: "dagster", asOf: "99") { name } }'}
    ).json()
    assert errors["errors"][0]["message"] == "there is no commit 99: the latest is 6"


def test_diff_agrees_with_history(scenario: Scenario) -> None:
    url = scenario.server.url
    entries = history_entries(url)
    everything = {(c["kind"], c["text"]) for e in entries for c in e["changes"]}
    diff = gql(url, '{ vendorDiff(id: "dagster", from: "0", to: "6") { kind text vendor } }')["vendorDiff"]
    assert {(c["kind"], c["text"]) for c in diff} == everything
    assert {c["vendor"] for c in diff} == {DAGSTER}
    since_release = gql(url, '{ vendorDiff(id: "dagster", from: "r1", to: "6") { kind text } }')["vendorDiff"]
    assert since_release == [
        {
            "kind": "risk-added",
            "text": "risk added: Branch deployments leak secrets into preview environments (high)",
        }
    ]
    assert gql(url, '{ vendorDiff(id: "dagster", from: "4", to: "5") { text } }')["vendorDiff"] == []
    shown = cli("diff", "dagster", "--from", "0", "--to", "6", "--store", str(scenario.directory))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == "dagster: commit 0 (commit 0) → commit 6 (commit 6)"
    assert {line.split(None, 1)[1].strip() for line in shown.stdout.splitlines()[1:]} == {
        t for _, t in everything
    }


def test_releases_compare_and_dump_reproducibly(scenario: Scenario) -> None:
    url = scenario.server.url
    releases = gql(url, "{ releases { tag sequence by message } }")["releases"]
    assert releases == [
        {"tag": "r1", "sequence": 4, "by": "operator", "message": "after the first curation round"}
    ]
    catalog = gql(
        url,
        '{ catalogDiff(from: "r1", to: "6") { start end vendorsAdded vendorsRemoved changes { kind text } } }',
    )
    assert catalog["catalogDiff"] == {
        "start": 4,
        "end": 6,
        "vendorsAdded": [],
        "vendorsRemoved": [],
        "changes": [
            {
                "kind": "risk-added",
                "text": "risk added: Branch deployments leak secrets into preview environments (high)",
            }
        ],
    }
    # the same release dumps to the same bytes after later commits
    again = subprocess.run(
        cli_args("release", "r1", "--dump", "--store", str(scenario.directory)),
        capture_output=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == scenario.release_dump
    # … and it is the catalog at commit 4: Dagster's graphs as they were then
    dataset = rdflib.Dataset()
    dataset.parse(data=scenario.release_dump.decode(), format="nquads")
    for graph in DAGSTER_GRAPHS:
        dumped = rdflib.Graph()
        for triple in dataset.graph(rdflib.URIRef(graph)):
            dumped.add(triple)
        assert isomorphic(dumped, parsed(scenario.states[4][graph]))
    assert b"graph/audit>" not in scenario.release_dump
    # a tag names one state for good; a release is a write, so it waits for the server to stop
    assert scenario.duplicate == (
        2,
        "stackatlas: release 'r1' exists already: a release names one state for good\n",
    )
    busy = cli("release", "r2", "--store", str(scenario.directory))
    assert busy.returncode == 2 and "the store is in use by another writer" in busy.stderr


def test_ingest_dry_run_describes_the_changes(scenario: Scenario) -> None:
    page = (Path(__file__).resolve().parents[1] / "graph_data" / "sources" / "dagster.txt").read_bytes()
    response = httpx.post(
        f"{scenario.server.url}/ingest",
        params={"dry_run": "true", "name": "dagster.txt"},
        content=page,
        headers={"Authorization": f"Bearer {scenario.tokens.write}", "Content-Type": "text/plain"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    texts = {(c["kind"], c["text"]) for c in body["changes"]}
    # the page still says what the writes changed in the vendor graph
    assert ("alternative-added", "alternative added: Temporal") in texts
    assert ("score-changed", "INPACT C: 4 → 5") in texts
    assert ("other", 'qualifiedDerivation removed: "Branch deployments for every pull request"') in texts
    assert "sections" in body  # next to the section diff
    assert history_entries(scenario.server.url)[0]["sequence"] == 6  # a dry run commits nothing


def test_release_page_compares_two_releases(scenario: Scenario) -> None:
    url = scenario.server.url
    listing = httpx.get(f"{url}/releases", headers={"Accept": "text/html"})
    assert listing.status_code == 200
    assert "<td>r1</td><td>4</td>" in listing.text and "after the first curation round" in listing.text
    page = httpx.get(f"{url}/releases", params={"from": "0", "to": "r1"}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "What changed from commit 0 (commit 0) to release r1 (commit 4)" in page.text
    assert "Claims changed (1)" in page.text and "Scores moved (2)" in page.text
    assert "Dagster Cloud — FEDRAMP: not advertised → held (source: Dagster analysis page)" in page.text
    assert "INPACT C: 5 → 4" in page.text and "alternative removed: Temporal" in page.text
    assert "risk added" not in page.text  # commit 6 is after the release
    bad = httpx.get(f"{url}/releases", params={"from": "r9", "to": "r1"}, headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "&#39;r9&#39; is not a commit number" in bad.text


def test_a_past_vendor_is_kept_until_the_store_changes() -> None:
    """``asof.vendor_store`` keeps a past vendor per (vendor, point) and rebuilds it after a write."""
    store = OxigraphStore()
    store.load(catalog_sources(None))
    graph = ox.NamedNode(DAGSTER_GRAPHS[0])

    def add_role(text: str) -> None:
        quad = ox.Quad(ox.NamedNode(DAGSTER), ox.NamedNode(str(SA.role)), ox.Literal(text), graph)
        store.commit(ChangeSet.of([quad]), {}, Activity("test", text, "test", datetime.now(UTC)))

    def roles(past: object) -> set[str]:
        assert isinstance(past, OxigraphStore)
        return set(rm.reader_for(past).read([DAGSTER])[DAGSTER].core.roles)

    add_role("first test role")
    before, after = asof.vendor_store(store, DAGSTER, 0), asof.vendor_store(store, DAGSTER, 1)
    assert "first test role" not in roles(before) and "first test role" in roles(after)
    assert asof.vendor_store(store, DAGSTER, 0) is before  # kept: the same point is not rebuilt
    assert asof.vendor_store(store, f"{DAGSTER}-not-a-vendor", 0) is None
    add_role("second test role")  # the present changed: rebuilt, the same past
    again = asof.vendor_store(store, DAGSTER, 1)
    assert again is not after and roles(again) == roles(after)
    assert "second test role" in roles(asof.vendor_store(store, DAGSTER, 2))
