"""One request must never stall the service (issue 10): the HTTP front door.

Each test attacks a real server on a loopback port with real sockets and
checks both the answer and that ``/health`` kept answering quickly meanwhile.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

import httpx
import pytest

HEALTH_LIMIT = 0.5  # seconds; /health answers in a few ms when nothing stalls the event loop


def _health_while(
    url: str, attack: Callable[[], object], attackers: int = 3
) -> tuple[list[float], list[object]]:
    """Run ``attack`` in threads; meanwhile time /health. Returns the health times and the attack results."""
    results: list[object] = []

    def run() -> None:
        try:
            results.append(attack())
        except Exception as exc:  # the caller checks what happened
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(attackers)]
    for t in threads:
        t.start()
    times = []
    deadline = time.monotonic() + 60
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        started = time.monotonic()
        assert httpx.get(f"{url}/health", timeout=30).json() == {"status": "ok"}
        times.append(time.monotonic() - started)
        time.sleep(0.05)
    for t in threads:
        t.join()
    return times, results


def test_a_megabyte_accept_header_is_refused_and_does_not_stall(live_server):
    huge = ", ".join(["text/plain;q=0.1"] * 60_000)  # ~1 MB

    def attack() -> httpx.Response:
        return httpx.get(f"{live_server.url}/ontology", headers={"Accept": huge}, timeout=60)

    times, results = _health_while(live_server.url, attack)
    for response in results:
        assert isinstance(response, httpx.Response)
        assert response.status_code == 431
        assert "max_header_bytes" in response.text and len(response.text) < 300
    assert times and max(times) < HEALTH_LIMIT


@pytest.mark.parametrize("path", ["/ontology", "/id/vendor/dagster", "/sparql?query=ASK%7B%7D"])
def test_a_long_accept_header_is_read_only_in_part_and_not_echoed(live_server, path):
    accept = ", ".join(f"application/x-made-up-{i}" for i in range(600))  # ~15 KB, under the header limit
    started = time.monotonic()
    response = httpx.get(f"{live_server.url}{path}", headers={"Accept": accept})
    assert time.monotonic() - started < 1
    assert response.status_code == 406
    assert len(response.text) < 600  # a short excerpt of the header at most
    assert "application/x-made-up-599" not in response.text


def test_too_many_headers_are_refused(live_server):
    headers = [(f"x-h{i}", "1") for i in range(200)]
    response = httpx.get(f"{live_server.url}/health", headers=headers)
    assert response.status_code == 431 and "max_headers" in response.text


def _raw_post(
    url: str, path: str, headers: dict[str, str], body_chunks: int, chunk: bytes
) -> tuple[int, bytes]:
    """POST over a raw socket, as a client that keeps sending; returns the status and what came back."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        sock.sendall(head.encode() + b"\r\n")
        try:
            for _ in range(body_chunks):
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: it did not read the rest
        data = b""
        try:
            while chunk_in := sock.recv(65536):
                data += chunk_in
                if b"\r\n\r\n" in data and len(data) > 200:
                    break
        except OSError:
            pass
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1") else 0
    return status, data


def test_a_100_megabyte_form_is_refused_early_and_does_not_stall(live_server):
    declared = {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(100_000_000)}

    def attack() -> tuple[int, bytes]:
        return _raw_post(live_server.url, "/sparql", declared, 1_600, b"query=" + b"a" * 65_530)

    times, results = _health_while(live_server.url, attack)
    for result in results:
        assert isinstance(result, tuple)
        status, data = result
        assert status == 413 and b"sparql_max_query_bytes" in data
    assert times and max(times) < HEALTH_LIMIT


def test_a_chunked_body_is_cut_at_the_limit(live_server):
    def chunks():
        for _ in range(100):
            yield b"a" * 100_000

    response = httpx.post(
        f"{live_server.url}/graphql", content=chunks(), headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 413 and "graphql_max_body_bytes" in response.text


@pytest.mark.parametrize("body", ['"a string"', "42", "null", "true"])
def test_a_graphql_body_that_is_not_an_object_is_400(live_server, body):
    response = httpx.post(
        f"{live_server.url}/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON object" in response.json()["errors"][0]["message"]


def test_an_invalid_default_graph_uri_is_400_with_one_line(live_server):
    response = httpx.get(
        f"{live_server.url}/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri <>"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "default-graph-uri is not a valid IRI: 'not an iri <>'", "status": 400}


def test_text_a_client_sent_that_is_not_unicode_is_a_400(live_server):
    response = httpx.post(
        f"{live_server.url}/sparql",
        content=b'ASK { ?s ?p "\xff\xfe" }',
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400 and "not UTF-8" in response.text
    # a lone UTF-16 surrogate (valid JSON, not encodable text) in the GraphQL operation name
    graphql = httpx.post(
        f"{live_server.url}/graphql",
        content=b'{"query": "{ __typename }", "operationName": "\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    assert graphql.status_code == 400, graphql.text
    assert "not valid Unicode" in graphql.text and len(graphql.text.splitlines()) == 1


@pytest.mark.parametrize(
    "path", ["/", "/health", "/ready", "/id/vendor/dagster", "/ontology", "/sparql?query=ASK%7B%7D", "/map.svg"]
)
def test_head_is_answered_wherever_get_is(live_server, path):
    get = httpx.get(f"{live_server.url}{path}")
    head = httpx.head(f"{live_server.url}{path}")
    assert get.status_code == 200 and head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_openapi_pages_are_off_by_default(live_server):
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert httpx.get(f"{live_server.url}{path}").status_code == 404


def test_openapi_pages_when_turned_on_carry_a_csp(server_factory):
    server = server_factory(env={"STACKATLAS_API_DOCS": "1"})
    docs = httpx.get(f"{server.url}/docs")
    assert docs.status_code == 200
    csp = docs.headers["content-security-policy"]
    assert "'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert httpx.get(f"{server.url}/openapi.json").json()["info"]["title"] == "stackatlas"


@pytest.mark.parametrize("path", ["/", "/sparql", "/graphql", "/export", "/ontology.html", "/id/vendor/nope"])
def test_every_html_page_has_the_security_headers(live_server, path):
    response = httpx.get(f"{live_server.url}{path}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    script_src = csp.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_huge_inputs_are_not_echoed_in_errors(live_server):
    junk = "x" * 5_000
    for response in (
        httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {}", "timeout": junk}),
        httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {}", "format": junk}),
        httpx.get(f"{live_server.url}/ontology", params={"format": junk}),
        httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {}", "default-graph-uri": junk + " "}),
    ):
        assert 400 <= response.status_code < 500
        assert len(response.text) < 600, response.text[:200]


def test_a_huge_request_head_is_not_even_read(live_server):
    """The server answers 431 and hangs up after ~100 KB of an 8 MB header instead of reading it all."""
    host, port = live_server.url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: {host}\r\nAccept: ".encode())
        try:
            for _ in range(128):
                sock.sendall(b"a" * 65_536)
                sent += 65_536
        except OSError:
            pass  # the server closed the connection: it stopped reading
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(4096):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
    assert sent < 8 * 1024 * 1024  # the client could not send it all


def test_an_overlong_url_is_414(server_factory):
    server = server_factory(env={"STACKATLAS_MAX_URL_BYTES": "4096"})
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        target = "/sparql?query=ASK%7B%7D%23" + "x" * 8_000
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 414") and b"max_url_bytes" in answer


def test_a_body_is_never_counted_as_head(live_server):
    """A 100 KB body (over the head bound) sent with its head or after it, twice on one connection: no 431."""
    host, port = live_server.url.removeprefix("http://").split(":")
    body = b"ASK {} #" + b"x" * 100_000  # over the head bound, under one socket read (256 KiB)
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + body)  # together
        sock.sendall(head)  # apart: the body's chunk ends the message
        time.sleep(0.2)
        sock.sendall(body)
        answer = b""
        while answer.count(b"HTTP/1.1 ") < 2 or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.count(b"HTTP/1.1 200 OK") == 2, answer[:300]


def test_graphiql_runs_without_inline_script_or_cdn(live_server):
    """GraphiQL is our vendored copy: no inline script, no CDN in the policy (tests/test_workbench_browser.py
    runs it with the network blocked)."""
    from stackatlas.http_guard import script_hashes

    page = httpx.get(f"{live_server.url}/graphql", headers={"Accept": "text/html"})
    assert script_hashes(page.text) == []
    script_src = page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert script_src.split() == ["'self'"]
    assert "unpkg" not in page.text and "/static/vendor/graphiql/graphiql.min.js" in page.text
