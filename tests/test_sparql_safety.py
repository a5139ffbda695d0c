"""No query makes the server open a URL or a file: SERVICE, FROM, GRAPH and LOAD.

A TCP listener on another loopback port records every connection; a temporary
file with unique content must never show up in an answer.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


class Listener:
    """Accepts and records connections on a loopback port, answering nothing useful."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    data = conn.recv(4096)
                except OSError as exc:
                    data = f"<recv failed: {exc}>".encode()
                self.connections.append(data)
                conn.sendall(b"HTTP/1.1 500 Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


@pytest.fixture
def secret_file(tmp_path: Path) -> tuple[Path, str]:
    token = f"secret-{uuid.uuid4().hex}"
    path = tmp_path / "secret.ttl"
    path.write_text(f'<urn:secret:s> <urn:secret:p> "{token}" .\n', encoding="utf-8")
    return path, token


def _ask(url: str, query: str, **kwargs: object) -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": query}, timeout=30, **kwargs)  # type: ignore[arg-type]


def _settle(listener: Listener) -> None:
    time.sleep(0.5)  # give a (wrongly) started outbound connection time to arrive
    assert listener.connections == []


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x ?y ?z . SeRvIcE<{url}/sparql>{{ ?s ?p ?o }} }}",
        "PREFIX remote: <{url}/> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        "BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ ?s ?p "\\u0022" . SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}',
        "SELECT * WHERE {{ VALUES ?e {{ <{url}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # a comment\n SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "ASK {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    ],
    ids=[
        "plain",
        "silent",
        "lowercase",
        "no-spaces",
        "prefixed-name",
        "relative-iri",
        "escaped-quote-in-string",
        "variable",
        "after-comment",
        "unicode-escape-keyword",
        "ask",
        "construct",
    ],
)
def test_service_is_refused_and_nothing_connects(live_server, listener, template):
    response = _ask(live_server.url, template.format(url=listener.url))
    assert response.status_code in (400, 403), response.text
    if response.status_code == 403:
        assert "SERVICE" in response.text
    _settle(listener)


def test_service_in_strings_and_comments_is_not_a_service_call(live_server, listener):
    query = (
        f'SELECT ?x WHERE {{ BIND("SERVICE <{listener.url}/sparql> {{ }}" AS ?x) }}'
        f"  # SERVICE <{listener.url}/sparql>\n"
    )
    response = _ask(live_server.url, query)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE <")
    iri_query = f"SELECT ?x WHERE {{ BIND(<{listener.url}/SERVICE> AS ?x) }}"
    assert _ask(live_server.url, iri_query).status_code == 200
    _settle(listener)


def test_from_and_graph_with_urls_read_nothing_remote(live_server, listener):
    for query in (
        f"SELECT * FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener.url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH <{listener.url}/data.ttl> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}",
    ):
        accept = "application/sparql-results+json, text/turtle"
        response = _ask(live_server.url, query, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert listener.url not in response.text and "?s" not in response.text
        if response.headers["content-type"].startswith("application/sparql-results+json"):
            assert response.json()["results"]["bindings"] == []
        else:
            assert response.text.strip() == ""
    response = httpx.get(
        f"{live_server.url}/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{listener.url}/data.ttl"},
    )
    assert response.json()["results"]["bindings"] == []
    _settle(listener)


def test_from_file_reads_no_file(live_server, secret_file):
    path, token = secret_file
    iri = path.as_uri()
    for query in (
        f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        f"SELECT * FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
    ):
        response = _ask(live_server.url, query)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []
        assert token not in response.text and "root:" not in response.text
    everything = _ask(live_server.url, f'ASK {{ ?s ?p "{token}" }}')
    assert everything.json()["boolean"] is False


@pytest.mark.parametrize("target", ["listener", "file"])
def test_load_is_refused_and_fetches_nothing(live_server, listener, secret_file, target):
    path, token = secret_file
    source = f"{listener.url}/data.ttl" if target == "listener" else path.as_uri()
    for request in (
        {"method": "GET", "params": {"query": f"LOAD <{source}>"}},
        {"method": "GET", "params": {"update": f"LOAD <{source}> INTO GRAPH <urn:x>"}},
        {"method": "POST", "data": {"update": f"LOAD SILENT <{source}>"}},
        {
            "method": "POST",
            "content": f"LOAD <{source}>".encode(),
            "headers": {"Content-Type": "application/sparql-update"},
        },
    ):
        response = httpx.request(url=f"{live_server.url}/sparql", **request)  # type: ignore[arg-type]
        assert response.status_code == 403, response.text
        assert "read-only" in response.text
    assert _ask(live_server.url, f'ASK {{ ?s ?p "{token}" }}').json()["boolean"] is False
    _settle(listener)


def test_allowlisted_service_is_the_only_one_called(server_factory, listener):
    allowed = f"{listener.url}/allowed"
    server = server_factory(env={"STACKATLAS_SERVICE_ALLOWLIST": json.dumps([allowed])})
    refused = _ask(server.url, f"SELECT * WHERE {{ SERVICE <{listener.url}/other> {{ ?s ?p ?o }} }}")
    assert refused.status_code == 403 and f"{listener.url}/other" in refused.text
    mixed = _ask(
        server.url,
        f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} "
        f"SERVICE <{listener.url}/other> {{ ?s ?p ?o }} }}",
    )
    assert mixed.status_code == 403
    _settle(listener)
    called = _ask(server.url, f"SELECT * WHERE {{ SERVICE SILENT <{allowed}> {{ ?s ?p ?o }} }}")
    assert called.status_code == 200, called.text
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(listener.connections) == 1
    assert b"POST /allowed" in listener.connections[0]
    description = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"}).text
    assert "BasicFederatedQuery" in description
