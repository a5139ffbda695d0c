"""The change feed and freshness on the real server over an on-disk store.

Commits are made through the write interfaces (SPARQL Update, GraphQL
mutations); the feed is read over HTTP (JSON lines and Atom), GraphQL and the
CLI, and must agree with the audit trail and with what was written. A polling
client that restarts keeps only its cursor (in a file) and must see every
commit exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from conftest import REPO, LiveServer, start_server, stop_server
from test_writes import PREFIX, Tokens, add_role, make_store, update

ATOM = "{http://www.w3.org/2005/Atom}"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tokens]:
    directory = tmp_path_factory.mktemp("feed") / "store"
    return directory, make_store(directory)


@pytest.fixture(scope="module")
def server(store_dir: tuple[Path, Tokens]) -> Iterator[LiveServer]:
    live = start_server("--store", str(store_dir[0]), env={"STACKATLAS_STALE_AFTER_DAYS": "365"})
    yield live
    stop_server(live)


@pytest.fixture
def tokens(store_dir: tuple[Path, Tokens]) -> Tokens:
    return store_dir[1]


def graphql(url: str, query: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(f"{url}/graphql", json={"query": query}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def commit(url: str, role: str, token: str, vendor: str = "prefect") -> int:
    graph = f"https://w3id.org/stackatlas/graph/vendors/{vendor}"
    response = update(url, add_role(role, graph, vendor), token, message=f"add role {role}")
    assert response.status_code == 200, response.text
    return audit_sequences(url)[-1]


def audit_sequences(url: str) -> list[int]:
    """Every commit number, from the audit trail (GraphQL commits), oldest first."""
    found: list[int] = []
    after = None
    while True:
        arg = f', after: "{after}"' if after else ""
        page = graphql(
            url, f"{{ commits(first: 100{arg}) {{ commits {{ sequence }} endCursor hasNextPage }} }}"
        )
        found += [c["sequence"] for c in page["commits"]["commits"]]
        if not page["commits"]["hasNextPage"]:
            return sorted(found)
        after = page["commits"]["endCursor"]


class PollingClient:
    """A feed client that keeps nothing but its cursor, in a file, between runs."""

    def __init__(self, url: str, state: Path, **filters: str) -> None:
        self.url, self.state, self.filters = url, state, filters
        self.client = httpx.Client(timeout=60)

    def cursor(self) -> str:
        return self.state.read_text() if self.state.exists() else "0"

    def poll_once(self, limit: int = 2) -> tuple[list[dict], bool]:
        response = self.client.get(
            f"{self.url}/changes", params={"since": self.cursor(), "limit": limit, **self.filters}
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.text.splitlines()]
        self.state.write_text(response.headers["stackatlas-cursor"])
        return lines, response.headers["stackatlas-more"] == "true"

    def drain(self) -> list[dict]:
        seen: list[dict] = []
        while True:
            lines, more = self.poll_once()
            seen += lines
            if not more:
                return seen


# -- freshness ------------------------------------------------------------------------


def freshness(url: str) -> dict:
    return graphql(url, '{ vendor(id: "dagster") { reviewedAt retrievedOn stale freshness } }')["vendor"]


def stale_ids(url: str) -> list[str]:
    data = graphql(url, "{ vendors(stale: true) { edges { node { id } } } }")
    return [e["node"]["id"] for e in data["vendors"]["edges"]]


def test_freshness_follows_retrieval_and_review(server: LiveServer, tokens: Tokens, store_dir) -> None:
    # an operator corrects the page copy's date to one long past: the record becomes stale
    source = "https://w3id.org/stackatlas/graph/sources"
    old = update(
        server.url,
        f"""PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        PREFIX source: <https://w3id.org/stackatlas/id/source/>
        WITH <{source}> DELETE {{ source:dagster sa:retrievedOn ?d }}
        INSERT {{ source:dagster sa:retrievedOn "2020-01-15"^^xsd:date }}
        WHERE {{ source:dagster sa:retrievedOn ?d }}""",
        tokens.admin,
        message="the copy was taken in 2020",
    )
    assert old.status_code == 200, old.text
    assert freshness(server.url) == {
        "reviewedAt": None,
        "retrievedOn": "2020-01-15",
        "stale": True,
        "freshness": "stale",
    }
    assert stale_ids(server.url) == ["dagster"]
    page = httpx.get(f"{server.url}/id/vendor/dagster", headers={"Accept": "text/html"}).text
    assert ">Stale</span>" in page and "never reviewed by a curator" in page
    assert "source copy taken 2020-01-15" in page
    facet = httpx.get(f"{server.url}/vendors", params={"freshness": "stale"}, headers={"Accept": "text/html"})
    assert "Dagster" in facet.text
    validated = cli("validate", "--store", str(store_dir[0]))
    assert validated.returncode == 0, validated.stderr
    assert "stale: last checked 2020-01-15" in validated.stdout
    # a curator reviews it: fresh again, and the review is the curator's (sa:reviewedBy)
    done = graphql(
        server.url,
        'mutation { markReviewed(vendor: "dagster", message: "reviewed again") { ok } }',
        tokens.write,
    )
    assert done["markReviewed"]["ok"]
    today = date.today().isoformat()
    assert freshness(server.url) == {
        "reviewedAt": today,
        "retrievedOn": "2020-01-15",
        "stale": False,
        "freshness": "fresh",
    }
    assert stale_ids(server.url) == []
    page = httpx.get(f"{server.url}/id/vendor/dagster", headers={"Accept": "text/html"}).text
    assert ">Fresh</span>" in page and f"reviewed by a curator on {today}" in page
    validated = cli("validate", "--store", str(store_dir[0]))
    assert "stale:" not in validated.stdout


# -- the feed -------------------------------------------------------------------------


def test_a_polling_client_that_restarts_misses_nothing_and_sees_nothing_twice(
    server: LiveServer, tokens: Tokens, tmp_path: Path
) -> None:
    before = audit_sequences(server.url)
    first = [commit(server.url, f"feed role {i}", tokens.write) for i in range(5)]
    state = tmp_path / "cursor"
    state.write_text(str(before[-1] if before else 0))
    client = PollingClient(server.url, state)
    page, more = client.poll_once()
    assert more and [e["sequence"] for e in page] == first[:2]
    assert page[0]["changes"][0]["text"] == 'Prefect role added: "feed role 0"'
    assert page[0]["by"] == "curator" and page[0]["message"] == "add role feed role 0"
    client.client.close()  # the client stops; a new one starts from the cursor file only
    restarted = PollingClient(server.url, state)
    seen = page + restarted.drain()
    later = [commit(server.url, f"feed role {i}", tokens.write) for i in range(5, 8)]
    seen += PollingClient(server.url, state).drain()
    numbers = [e["sequence"] for e in seen]
    assert numbers == first + later == audit_sequences(server.url)[len(before) :], "every commit once, in order"
    texts = [c["text"] for e in seen for c in e["changes"]]
    assert texts == [f'Prefect role added: "feed role {i}"' for i in range(8)]
    # nothing new: an empty page that keeps the cursor where it is
    again = httpx.get(f"{server.url}/changes", params={"since": state.read_text()})
    assert again.text == "" and again.headers["stackatlas-cursor"] == state.read_text()


def test_atom_graphql_and_cli_give_the_same_feed(server: LiveServer, tokens: Tokens, store_dir) -> None:
    lines = [
        json.loads(x) for x in httpx.get(f"{server.url}/changes", params={"limit": 1000}).text.splitlines()
    ]
    atom = httpx.get(
        f"{server.url}/changes", params={"limit": 1000}, headers={"Accept": "application/atom+xml"}
    )
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(atom.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [x["commit"] for x in lines]
    assert [e.findtext(f"{ATOM}content") for e in entries] == [
        "\n".join(c["text"] for c in x["changes"]) for x in lines
    ]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == lines[0]["by"]
    nxt = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "next")
    assert nxt.get("href").endswith(f"/changes?since={lines[-1]['sequence']}&limit=1000")
    data = graphql(
        server.url,
        '{ changes(since: "0", first: 100) { endCursor hasMore entries { commit changes { text } } } }',
    )["changes"]
    assert [e["commit"] for e in data["entries"]] == [x["commit"] for x in lines[:100]]
    assert [[c["text"] for c in e["changes"]] for e in data["entries"]] == [
        [c["text"] for c in x["changes"]] for x in lines[:100]
    ]
    ran = cli("changes", "--store", str(store_dir[0]), "--since", "0", "--limit", "1000", "--format", "jsonl")
    assert ran.returncode == 0, ran.stderr
    assert [json.loads(x) for x in ran.stdout.splitlines()] == lines
    assert ran.stderr.strip() == f"cursor: {lines[-1]['sequence']}"
    text = cli("changes", "--store", str(store_dir[0]), "--since", str(lines[-2]["sequence"]))
    assert f"#{lines[-1]['sequence']}" in text.stdout and lines[-1]["changes"][0]["text"] in text.stdout


def test_feed_filters_by_vendor_and_kind_and_moves_the_cursor_past_the_rest(
    server: LiveServer, tokens: Tokens, tmp_path: Path
) -> None:
    start = audit_sequences(server.url)[-1] if audit_sequences(server.url) else 0
    commit(server.url, "not dagster", tokens.write)
    reviewed = graphql(
        server.url,
        'mutation { markReviewed(vendor: "airflow", message: "feed: checked the page") { ok commit } }',
        tokens.write,
    )["markReviewed"]
    assert reviewed["ok"], reviewed
    commit(server.url, "also not dagster", tokens.write)
    last = audit_sequences(server.url)[-1]
    state = tmp_path / "cursor"
    state.write_text(str(start))
    airflow = PollingClient(server.url, state, vendor="airflow").drain()
    assert [e["commit"] for e in airflow] == [reviewed["commit"]]
    assert "reviewed" in [c["kind"] for c in airflow[0]["changes"]]
    assert airflow[0]["vendors"] == ["airflow"]
    assert state.read_text() == str(last), "the cursor moved past the commits the filter left out"
    state.write_text(str(start))
    kinds = PollingClient(server.url, state, kind="reviewed").drain()
    assert [e["commit"] for e in kinds] == [reviewed["commit"]] and state.read_text() == str(last)
    assert [c["kind"] for c in kinds[0]["changes"]] == ["reviewed"], "only the changes of the kind asked"
    assert (
        kinds[0]["changes"][0]["text"].startswith("Airflow") or "reviewed on" in kinds[0]["changes"][0]["text"]
    )
    data = graphql(server.url, f'{{ changes(since: "{start}", vendor: "airflow") {{ entries {{ commit }} }} }}')
    assert [e["commit"] for e in data["changes"]["entries"]] == [reviewed["commit"]]


@pytest.mark.parametrize(
    ("params", "headers", "status", "says"),
    [
        ({"since": "abc"}, {}, 400, "invalid cursor 'abc'"),
        ({"kind": "bogus"}, {}, 400, "unknown change kind 'bogus'"),
        ({"limit": "0"}, {}, 400, "limit must be between 1 and 1000"),
        ({"vendor": "https://evil.example/x"}, {}, 400, "give the vendor's id"),
        ({}, {"Accept": "text/csv"}, 406, ""),
    ],
)
def test_bad_feed_requests_get_one_clear_error(server: LiveServer, params, headers, status, says) -> None:
    response = httpx.get(f"{server.url}/changes", params=params, headers=headers)
    assert response.status_code == status
    message = response.json()["error"]
    assert says in message and "\n" not in message and "Traceback" not in message


def test_webhook_secrets_and_system_graphs_stay_hidden(server: LiveServer) -> None:
    ask = httpx.get(
        f"{server.url}/sparql",
        params={
            "query": PREFIX + "ASK { { ?s sa:webhookSecret ?o } UNION { GRAPH ?g { ?s sa:webhookSecret ?o } } }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.status_code == 200 and ask.json()["boolean"] is False
