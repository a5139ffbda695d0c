"""Governed writes on the real server over an on-disk store: tokens, validation, versions, audit.

One store is imported from the shipped catalog (``stackatlas import``), tokens
are added with ``stackatlas token add`` and the server runs with ``--store``.
Every refusal is checked to have changed nothing (the graph's bytes and its
ETag); every accepted write is looked for through each read interface.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import REPO, LiveServer, start_server, stop_server

VENDOR = "https://w3id.org/stackatlas/id/vendor/"
GRAPHS = "https://w3id.org/stackatlas/graph/"
PREFECT = f"{GRAPHS}vendors/prefect"
PREFIX = "PREFIX sa: <https://w3id.org/stackatlas/ontology#>\nPREFIX vendor: <https://w3id.org/stackatlas/id/vendor/>\n"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


@dataclass
class Tokens:
    write: str
    read: str
    admin: str


def make_store(directory: Path) -> Tokens:
    imported = cli("import", str(REPO / "graph_data"), "--store", str(directory))
    assert imported.returncode == 0, imported.stderr
    made = {}
    for name, scope in (("curator", "write"), ("reader", "read"), ("operator", "admin")):
        added = cli("token", "add", name, "--scope", scope, "--store", str(directory))
        assert added.returncode == 0, added.stderr
        token = added.stdout.strip()
        assert token.startswith("sa_") and len(token) > 40
        made[scope] = token
    return Tokens(made["write"], made["read"], made["admin"])


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tokens]:
    directory = tmp_path_factory.mktemp("writes") / "store"
    return directory, make_store(directory)


@pytest.fixture(scope="module")
def server(store_dir: tuple[Path, Tokens]) -> Iterator[LiveServer]:
    live = start_server("--store", str(store_dir[0]))
    yield live
    stop_server(live)


@pytest.fixture
def tokens(store_dir: tuple[Path, Tokens]) -> Tokens:
    return store_dir[1]


def graph_state(url: str, graph: str = PREFECT) -> tuple[str, str]:
    response = httpx.get(
        f"{url}/rdf-graphs", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text
    return "".join(sorted(response.text.splitlines(keepends=True))), response.headers["etag"]


def update(url: str, text: str, token: str | None, message: str | None = "test write") -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if message:
        headers["X-Stackatlas-Message"] = message
    return httpx.post(f"{url}/update", content=(PREFIX + text).encode(), headers=headers, timeout=60)


def add_role(role: str, graph: str = PREFECT, vendor: str = "prefect") -> str:
    return f'INSERT DATA {{ GRAPH <{graph}> {{ vendor:{vendor} sa:role "{role}" }} }}'


def sparql_ask(url: str, query: str) -> bool:
    response = httpx.get(
        f"{url}/sparql", params={"query": PREFIX + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


# -- refusals change nothing ------------------------------------------------------


def test_write_without_token_is_401_and_changes_nothing(server: LiveServer) -> None:
    before = graph_state(server.url)
    response = update(server.url, add_role("no token"), None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    message = response.json()["error"]
    assert "bearer token" in message and "\n" not in message
    bad = update(server.url, add_role("bad token"), "sa_not-a-token")
    assert bad.status_code == 401 and "not valid" in bad.text
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    assert graph_state(server.url) == before


def test_read_token_is_403_for_writes(server: LiveServer, tokens: Tokens) -> None:
    before = graph_state(server.url)
    response = update(server.url, add_role("read scope"), tokens.read)
    assert response.status_code == 403
    assert "needs scope write" in response.text and "'reader' has scope read" in response.text
    assert "insufficient_scope" in response.headers["www-authenticate"]
    put = httpx.put(
        f"{server.url}/rdf-graphs",
        params={"graph": PREFECT},
        content=b"<> <urn:p> <urn:o> .",
        headers={
            "Content-Type": "text/turtle",
            "Authorization": f"Bearer {tokens.read}",
            "X-Stackatlas-Message": "x",
        },
    )
    assert put.status_code == 403
    assert graph_state(server.url) == before


def test_write_token_cannot_touch_the_ontology(server: LiveServer, tokens: Tokens) -> None:
    response = update(
        server.url, f"INSERT DATA {{ GRAPH <{GRAPHS}ontology> {{ sa:Thing a sa:Other }} }}", tokens.write
    )
    assert response.status_code == 403
    assert "not a vendor graph" in response.text and "admin" in response.text
    assert not sparql_ask(server.url, "ASK { sa:Thing a sa:Other }")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <https://w3id.org/stackatlas/graph/vendors/x>", "LOAD"),
        ("DROP ALL", "DROP ALL"),
        ("CLEAR ALL", "CLEAR ALL"),
        (
            "INSERT { GRAPH <https://w3id.org/stackatlas/graph/vendors/prefect> { ?s ?p ?o } } "
            "WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SERVICE",
        ),
    ],
)
def test_unsafe_updates_are_refused_even_with_admin(
    server: LiveServer, tokens: Tokens, text: str, reason: str
) -> None:
    before = graph_state(server.url)
    response = update(server.url, text, tokens.admin)
    assert response.status_code == 403, response.text
    assert reason in response.text
    assert graph_state(server.url) == before


def test_update_without_message_is_refused(server: LiveServer, tokens: Tokens) -> None:
    response = update(server.url, add_role("no message"), tokens.write, message=None)
    assert response.status_code == 400
    assert "X-Stackatlas-Message" in response.text


def test_invalid_write_is_422_naming_the_violation(server: LiveServer, tokens: Tokens) -> None:
    before = graph_state(server.url)
    response = update(
        server.url, f'INSERT DATA {{ GRAPH <{PREFECT}> {{ vendor:prefect sa:layer "L9" }} }}', tokens.write
    )
    assert response.status_code == 422
    body = response.json()
    assert "not applied" in body["error"]
    [violation] = body["violations"]
    assert violation["path"] == "sa:layer" and violation["value"] == "L9"
    assert "must be one of the seven layers" in violation["message"]
    assert violation["vendor"] == "prefect"
    assert graph_state(server.url) == before


def test_deleting_a_vendor_others_name_is_422(server: LiveServer, tokens: Tokens) -> None:
    graph = f"{GRAPHS}vendors/airflow"
    before = graph_state(server.url, graph)
    response = httpx.delete(
        f"{server.url}/rdf-graphs",
        params={"graph": graph},
        headers={"Authorization": f"Bearer {tokens.write}", "X-Stackatlas-Message": "remove airflow"},
        timeout=60,
    )
    assert response.status_code == 422, response.text
    messages = {v["message"] for v in response.json()["violations"]}
    assert any("must be a vendor of the catalog" in m for m in messages), messages
    assert {v["vendor"] for v in response.json()["violations"]} >= {"dagster"}
    assert graph_state(server.url, graph) == before


# -- an accepted write is visible everywhere at once ---------------------------------


def test_valid_write_is_visible_in_every_interface(server: LiveServer, tokens: Tokens) -> None:
    role = "Workflow engine noted by a curator"
    _, etag_before = graph_state(server.url)
    response = update(server.url, add_role(role), tokens.write, "curator note on Prefect's role")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "committed" and body["added"] == 1 and body["removed"] == 0
    assert response.headers["etag"] != etag_before
    assert graph_state(server.url)[1] == response.headers["etag"]

    graphql = httpx.post(f"{server.url}/graphql", json={"query": '{ vendor(id: "prefect") { roles } }'})
    assert role in graphql.json()["data"]["vendor"]["roles"]
    assert sparql_ask(server.url, f'ASK {{ vendor:prefect sa:role "{role}" }}')
    turtle = httpx.get(f"{server.url}/id/vendor/prefect", headers={"Accept": "text/turtle"})
    assert role in turtle.text
    page = httpx.get(f"{server.url}/id/vendor/prefect", headers={"Accept": "text/html"})
    assert page.status_code == 200 and role in page.text
    export = httpx.get(f"{server.url}/export/graph", params={"format": "nt"}, timeout=60)
    assert role in export.text

    # the audit trail: GraphQL and SPARQL, with the author's token name and the message
    commits = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ commits(first: 50) { commits { author message interface added graphs } } }"},
    ).json()["data"]["commits"]["commits"]
    mine = [c for c in commits if c["message"] == "curator note on Prefect's role"]
    assert mine == [
        {
            "author": "curator",
            "message": "curator note on Prefect's role",
            "interface": "sparql-update",
            "added": 1,
            "graphs": [PREFECT],
        }
    ]
    assert sparql_ask(
        server.url,
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "ASK { GRAPH <https://w3id.org/stackatlas/graph/audit> { ?c a sa:Commit ; "
        'sa:commitMessage "curator note on Prefect\'s role" ; prov:wasAssociatedWith/rdfs:label "curator" ; '
        f'sa:touchedGraph <{PREFECT}> ; sa:addedQuads ?q . FILTER(CONTAINS(?q, "{role}")) }} }}',
    )


def test_token_hashes_are_never_readable(server: LiveServer) -> None:
    assert not sparql_ask(server.url, "ASK { ?t sa:tokenHash ?h }")
    assert not sparql_ask(server.url, "ASK { GRAPH ?g { ?t sa:scope ?s } }")
    tokens = httpx.get(f"{server.url}/rdf-graphs", params={"graph": f"{GRAPHS}system/tokens"})
    assert tokens.status_code == 404
    dataset = httpx.get(f"{server.url}/dataset", headers={"Accept": "application/n-quads"}).text
    assert 'ontology#tokenHash> "' not in dataset and "/graph/system/" not in dataset


def test_stale_if_match_is_412_and_changes_nothing(server: LiveServer, tokens: Tokens) -> None:
    text, etag = graph_state(server.url)
    headers = {
        "Content-Type": "application/n-triples",
        "Authorization": f"Bearer {tokens.write}",
        "X-Stackatlas-Message": "rewrite prefect",
    }
    first = httpx.put(
        f"{server.url}/rdf-graphs",
        params={"graph": PREFECT},
        content=text.replace("Python-native", "Python-first"),
        headers={**headers, "If-Match": etag},
        timeout=60,
    )
    assert first.status_code == 200, first.text
    after = graph_state(server.url)
    assert "Python-first" in after[0] and after[1] == first.headers["etag"] != etag
    stale = httpx.put(
        f"{server.url}/rdf-graphs",
        params={"graph": PREFECT},
        content=text.encode(),
        headers={**headers, "If-Match": etag},
        timeout=60,
    )
    assert stale.status_code == 412
    assert "someone changed it since you read it" in stale.text
    assert graph_state(server.url) == after


# -- GraphQL mutations and /ingest ------------------------------------------------------


def graphql(url: str, query: str, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(f"{url}/graphql", json={"query": query}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_mutations_return_new_state_or_errors(server: LiveServer, tokens: Tokens) -> None:
    add = """mutation { addAlternative(vendor: "prefect", alternative: "dagster",
        chooseFor: "asset-first pipelines", message: "curator: Dagster is Prefect's closest alternative") {
        ok version errors { code message } vendor { alternatives { vendor { id } } } } }"""
    refused = graph(server.url, add, None)["data"]["addAlternative"]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "UNAUTHENTICATED"
    result = graphql(server.url, add, tokens.write)["data"]["addAlternative"]
    assert result["ok"] is True, result
    assert "dagster" in [a["vendor"]["id"] for a in result["vendor"]["alternatives"]]

    stale = graphql(
        server.url,
        """mutation { markReviewed(vendor: "prefect", message: "reviewed", expectedVersion: "stale") {
            ok errors { code } } }""",
        tokens.write,
    )["data"]["markReviewed"]
    assert stale == {"ok": False, "errors": [{"code": "PRECONDITION_FAILED"}]}
    reviewed = graphql(
        server.url,
        f"""mutation {{ markReviewed(vendor: "prefect", message: "reviewed",
            expectedVersion: "{result["version"]}") {{ ok errors {{ code }} }} }}""",
        tokens.write,
    )["data"]["markReviewed"]
    assert reviewed == {"ok": True, "errors": []}
    assert sparql_ask(
        server.url,
        f"ASK {{ GRAPH <{GRAPHS}curation/prefect> {{ vendor:prefect sa:reviewedOn ?d ; sa:reviewedBy ?w }} }}",
    )

    invalid = graphql(
        server.url,
        """mutation { addIntegration(vendor: "prefect", target: "no-such-vendor", direction: UPSTREAM,
            message: "link") { ok errors { code message path } } }""",
        tokens.write,
    )["data"]["addIntegration"]
    assert invalid["ok"] is False and {e["code"] for e in invalid["errors"]} == {"INVALID"}
    assert not sparql_ask(server.url, "ASK { ?i sa:integrationTarget vendor:no-such-vendor }")


def graph(url: str, query: str, token: str | None) -> dict:
    return graphql(url, query, token)


def test_ingest_dry_run_and_commit(server: LiveServer, tokens: Tokens) -> None:
    page = (REPO / "graph_data" / "sources" / "dagster.txt").read_text()
    changed = page.replace("typically 30s", "typically 15s")
    assert changed != page
    headers = {"Authorization": f"Bearer {tokens.write}", "Content-Type": "text/plain"}
    graph = f"{GRAPHS}vendors/dagster"
    before = graph_state(server.url, graph)
    same = httpx.post(
        f"{server.url}/ingest",
        params={"dry_run": "true", "name": "dagster.txt"},
        content=page.encode(),
        headers=headers,
        timeout=120,
    )
    assert same.status_code == 200, same.text
    assert (same.json()["added"], same.json()["removed"]) == (0, 0)  # the store holds this page's ingest

    dry = httpx.post(
        f"{server.url}/ingest",
        params={"dry_run": "true", "name": "dagster.txt"},
        content=changed.encode(),
        headers=headers,
        timeout=120,
    )
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["status"] == "dry run" and body["vendor"] == "dagster" and body["commit"] is None
    assert body["added"] == body["removed"] == 2  # the INPACT dimension's text and the page checksum
    [(section, items)] = body["sections"].items()
    assert section == "INPACT Score" and len(items) == 2
    assert any(item.startswith("+") and "typically 15s" in item for item in items), items
    assert body["report"]["conforms"] is True and body["report"]["warnings"] >= 1
    assert graph_state(server.url, graph) == before

    committed = httpx.post(
        f"{server.url}/ingest",
        params={"name": "dagster.txt"},
        content=changed.encode(),
        headers={**headers, "X-Stackatlas-Message": "page updated", "If-Match": before[1]},
        timeout=120,
    )
    assert committed.status_code == 200, committed.text
    assert committed.json()["status"] == "committed"
    assert sparql_ask(server.url, 'ASK { ?dimension ?p ?text FILTER(CONTAINS(?text, "typically 15s")) }')
    assert committed.headers["etag"] != before[1]

    bad = httpx.post(
        f"{server.url}/ingest",
        content=b"just some notes\nnot a page\n",
        headers={**headers, "X-Stackatlas-Message": "x"},
        timeout=60,
    )
    assert bad.status_code == 400 and "not an analysis page" in bad.text


# -- concurrency and crashes ---------------------------------------------------------------


def test_twenty_concurrent_writers_lose_nothing(server: LiveServer, tokens: Tokens) -> None:
    vendors = ["prefect", "airflow", "kafka", "celery", "dbt"]

    def one(i: int) -> tuple[int, int]:
        vendor = vendors[i % len(vendors)]
        response = update(
            server.url,
            add_role(f"concurrent role {i}", f"{GRAPHS}vendors/{vendor}", vendor),
            tokens.write,
            f"concurrent writer {i}",
        )
        return i, response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(20)))
    assert all(status == 200 for _, status in results), results
    for i, _ in results:
        vendor = vendors[i % len(vendors)]
        assert sparql_ask(server.url, f'ASK {{ vendor:{vendor} sa:role "concurrent role {i}" }}'), i
    commits = httpx.post(
        f"{server.url}/graphql", json={"query": "{ commits(first: 100) { commits { message sequence } } }"}
    ).json()["data"]["commits"]["commits"]
    mine = [c for c in commits if c["message"].startswith("concurrent writer ")]
    assert len(mine) == 20
    sequences = [c["sequence"] for c in commits]
    assert len(set(sequences)) == len(sequences)


def test_kill_9_in_a_write_burst_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    tokens = make_store(directory)
    live = start_server("--store", str(directory))
    acknowledged: list[int] = []
    stop = threading.Event()

    def writer(worker: int) -> None:
        i = 0
        while not stop.is_set():
            n = worker * 1000 + i
            try:
                response = update(live.url, add_role(f"burst {n}"), tokens.write, f"burst {n}")
            except httpx.HTTPError:
                return
            if response.status_code == 200:
                acknowledged.append(n)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = threading.Event()
    while len(acknowledged) < 12 and not deadline.wait(0.05):
        pass
    live.process.kill()  # SIGKILL, in the middle of the burst
    live.process.wait()
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) >= 12

    restarted = start_server("--store", str(directory))
    try:
        for n in acknowledged:
            assert sparql_ask(restarted.url, f'ASK {{ vendor:prefect sa:role "burst {n}" }}'), n
        roles = httpx.post(
            f"{restarted.url}/graphql", json={"query": '{ vendor(id: "prefect") { roles } }'}
        ).json()["data"]["vendor"]["roles"]
        # nothing half-applied: each burst role is there with its audit record, or neither is
        burst = {r for r in roles if r.startswith("burst ")}
        messages = {
            c["message"]
            for c in httpx.post(
                f"{restarted.url}/graphql", json={"query": "{ commits(first: 100) { commits { message } } }"}
            ).json()["data"]["commits"]["commits"]
        }
        assert burst == {m for m in messages if m.startswith("burst ")}
    finally:
        stop_server(restarted)
    checked = cli("validate", "--store", str(directory))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 violations" in checked.stdout


def test_a_server_without_tokens_accepts_no_writes(live_server: LiveServer) -> None:
    response = update(live_server.url, add_role("demo"), "sa_whatever")
    assert response.status_code == 401  # a token is named, but this server knows none
    anonymous = update(live_server.url, add_role("demo"), None)
    assert anonymous.status_code == 403
    assert "read-only: it has no tokens" in anonymous.text and "stackatlas token add" in anonymous.text
    result = graphql(
        live_server.url,
        'mutation { markReviewed(vendor: "prefect", message: "x") { ok errors { code message } } }',
        None,
    )["data"]["markReviewed"]
    assert result["ok"] is False and "read-only" in result["errors"][0]["message"]


def test_closed_reads_need_a_token(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    tokens = make_store(directory)
    live = start_server("--store", str(directory), env={"STACKATLAS_READ_REQUIRES_TOKEN": "1"})
    try:
        assert httpx.get(f"{live.url}/health").status_code == 200
        closed = httpx.get(f"{live.url}/id/vendor/prefect", headers={"Accept": "text/turtle"})
        assert closed.status_code == 401 and "reading this catalog needs a bearer token" in closed.text
        query = {"query": '{ vendor(id: "prefect") { name } }'}
        assert httpx.post(f"{live.url}/graphql", json=query).status_code == 401
        opened = httpx.post(
            f"{live.url}/graphql", json=query, headers={"Authorization": f"Bearer {tokens.read}"}
        )
        assert opened.json()["data"]["vendor"]["name"] == "Prefect"
    finally:
        stop_server(live)


# -- the local check agrees with a full validation -------------------------------------------


def _full_violations(store, changes) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Violations of the whole catalog after ``changes``, by a full SHACL run on a copy."""
    import pyoxigraph as ox

    from stackatlas.persistence import store_sources
    from stackatlas.store import OxigraphStore
    from stackatlas.validation import validate_store

    copy = OxigraphStore()
    copy.ox.extend(store.ox)
    for quad in changes.removed:
        copy.ox.remove(quad)
    copy.ox.extend(changes.added)
    for graph in changes.graphs:  # a commit drops a graph it empties, as DROP GRAPH does
        if not copy.graph_quads([graph]):
            copy.ox.remove_graph(ox.NamedNode(graph))
    copy.bump_generation()
    return {(f.focus, f.message) for f in validate_store(copy, store_sources(copy)).violations}


@pytest.mark.parametrize("vendor", ["airflow", "kafka", "prefect", "s3", "dagster"])
def test_local_check_finds_what_a_full_validation_finds(vendor: str) -> None:
    import pyoxigraph as ox

    from stackatlas.store import open_catalog
    from stackatlas.store.changes import ChangeSet
    from stackatlas.writes.transaction import check

    store = open_catalog()
    graph = f"{GRAPHS}vendors/{vendor}"
    harmless = ChangeSet.of(
        [
            ox.Quad(
                ox.NamedNode(VENDOR + vendor),
                ox.NamedNode(f"{PREFIX.split('<')[1].split('>')[0]}role"),
                ox.Literal("a harmless role"),
                ox.NamedNode(graph),
            )
        ]
    )
    assert check(store, harmless).conforms  # no false alarm from the partial context
    deletion = ChangeSet.of(removed=store.graph_quads([graph]))
    local = {(f.focus, f.message) for f in check(store, deletion).violations}
    assert local == _full_violations(store, deletion)
