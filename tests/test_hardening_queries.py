"""One query must never stall the service or outlive it (issue 10): checks, crashes, clients, shutdown.

Real servers on loopback ports, real sockets; clients on different loopback
addresses (127.0.0.x) stand for different machines.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import psutil
import pytest

from conftest import free_port

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PANIC = (  # aborts pyoxigraph 0.5.13 (docs/upstream/pyoxigraph-order-by-panic.md); no data needed
    'SELECT ?o WHERE { VALUES ?o { "16" "26" 16 27 20 "1" "9" "8" "4" "1" 21 7 '
    '"24" 8 "16" "12" 8 "10" "14" "18" "4" } } ORDER BY ?o'
)


def client(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _busy(processes: list[psutil.Process], threshold: float = 20.0) -> list[int]:
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.cpu_percent(None)
    time.sleep(1.0)
    busy = []
    for p in processes:
        try:
            if p.cpu_percent(None) > threshold:
                busy.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return busy


def test_service_checks_cost_bounded_time_off_the_event_loop(live_server):
    """A long query mentioning "service" in strings is checked by one linear scan in the worker."""
    values = " ".join(f'"service {i}"' for i in range(12_000))  # ~170 KB of tokens that say "service"
    query = f"# SERVICE <http://127.0.0.1:9/>\nSELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    health: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            started = time.monotonic()
            httpx.get(f"{live_server.url}/health", timeout=30)
            health.append(time.monotonic() - started)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            started = time.monotonic()
            response = httpx.post(
                f"{live_server.url}/sparql",
                content=query,
                headers={"Content-Type": "application/sparql-query"},
                timeout=60,
            )
            assert response.status_code == 200, response.text[:300]
            assert response.json()["results"]["bindings"][0]["n"]["value"] == "12000"
            assert time.monotonic() - started < 3
    finally:
        done.set()
        watcher.join()
    assert health and max(health) < 0.5


def test_abandoned_queries_are_stopped_within_two_seconds(server_factory):
    server = server_factory(env={"STACKATLAS_SPARQL_TIMEOUT_CAP": "60"})

    def abandon(address: str) -> None:
        with client(address) as c, pytest.raises(httpx.ReadTimeout):
            c.get(f"{server.url}/sparql", params={"query": CARTESIAN, "timeout": "60"}, timeout=1)

    threads = [threading.Thread(target=abandon, args=(a,)) for a in ("127.0.0.3", "127.0.0.4")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(2)  # the clients left 1 s in; give the server its second or two
    assert _busy(_tree(server.pid)) == []
    started = time.monotonic()
    with client("127.0.0.5") as c:
        answer = c.get(f"{server.url}/sparql", params={"query": "ASK { vendor:dagster ?p ?o }"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    assert time.monotonic() - started < 1.5


def test_one_client_gets_its_share_of_the_pool_not_all_of_it(live_server):
    runaway = threading.Thread(
        target=lambda: client("127.0.0.6").get(
            f"{live_server.url}/sparql", params={"query": CARTESIAN, "timeout": "3"}
        )
    )
    runaway.start()
    time.sleep(0.3)
    with client("127.0.0.6") as same:
        second = same.get(f"{live_server.url}/sparql", params={"query": "ASK {}"})
    assert second.status_code == 429
    assert "sparql_queries_per_client" in second.text
    with client("127.0.0.7") as other:
        started = time.monotonic()
        answer = other.get(f"{live_server.url}/sparql", params={"query": "ASK { vendor:dagster ?p ?o }"})
    assert answer.json()["boolean"] is True and time.monotonic() - started < 1
    runaway.join()


def test_forwarded_for_does_not_make_one_client_many(live_server):
    runaway = threading.Thread(
        target=lambda: client("127.0.0.8").get(
            f"{live_server.url}/sparql", params={"query": CARTESIAN, "timeout": "2"}
        )
    )
    runaway.start()
    time.sleep(0.3)
    with client("127.0.0.8") as same:
        spoofed = same.get(
            f"{live_server.url}/sparql", params={"query": "ASK {}"}, headers={"X-Forwarded-For": "10.1.2.3"}
        )
    assert spoofed.status_code == 429
    runaway.join()


def test_an_engine_panic_costs_only_its_query_and_logs_one_line(server_factory):
    server = server_factory(env={"RUST_BACKTRACE": "1"})
    with client("127.0.0.9") as c:
        crashed = c.get(f"{server.url}/sparql", params={"query": PANIC})
        assert crashed.status_code == 500
        assert len(crashed.text.strip().splitlines()) == 1 and "crash" in crashed.text
        for _ in range(4):  # every worker still answers (the crashed one was replaced)
            ok = c.get(f"{server.url}/sparql", params={"query": "ASK { vendor:dagster ?p ?o }"})
            assert ok.json()["boolean"] is True
    log = server.output()
    assert "panicked" not in log and "stack backtrace" not in log and "Traceback" not in log
    assert sum("crash" in line or "died during a query" in line for line in log.splitlines()) == 1


@pytest.mark.parametrize("opening,closing", [("{", "}"), ("(", ")"), ("{ FILTER(", ") }")])
def test_deep_nesting_is_refused_before_the_engine_sees_it(live_server, opening, closing):
    body = "ASK " + opening * 10_000 + "true" * (opening != "{") + closing * 10_000
    if opening == "(":
        body = "ASK { FILTER" + "(" * 10_000 + "true" + ")" * 10_000 + " }"
    response = httpx.post(
        f"{live_server.url}/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert "at most 64 levels" in response.text and len(response.text) < 300
    assert httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {{{ }}}"}).json()["boolean"] is True


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stackatlas", "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _runaways(url: str, count: int, outcomes: list[object]) -> list[threading.Thread]:
    def run(address: str) -> None:
        try:
            with client(address) as c:
                outcomes.append(c.get(f"{url}/sparql", params={"query": CARTESIAN, "timeout": "60"}))
        except httpx.HTTPError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(f"127.0.1.{i + 1}",)) for i in range(count)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    return threads


def test_sigterm_stops_a_busy_server_within_the_grace_period(tmp_path):
    process, url = _serve({"STACKATLAS_SPARQL_TIMEOUT_CAP": "60", "STACKATLAS_SHUTDOWN_GRACE": "3"})
    tree = _tree(process.pid)
    assert len(tree) >= 4  # server, zygote, two workers
    outcomes: list[object] = []
    threads = _runaways(url, 2, outcomes)
    assert len(_busy(tree)) >= 2
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()  # what a supervisor does after its grace period
        process.wait()
        pytest.fail("SIGTERM did not stop the server within 10 s")
    assert time.monotonic() - started < 5
    for t in threads:
        t.join(timeout=10)
    statuses = [o.status_code for o in outcomes if isinstance(o, httpx.Response)]
    assert statuses == [503, 503], outcomes
    assert all("shutting down" in o.text for o in outcomes if isinstance(o, httpx.Response))
    time.sleep(1)
    assert [p.pid for p in tree if _alive(p)] == []


def test_a_killed_server_leaves_no_worker_behind():
    """SIGKILL cannot be caught: the workers notice the server's socket close and exit themselves."""
    process, url = _serve({"STACKATLAS_SPARQL_TIMEOUT_CAP": "60"})
    tree = _tree(process.pid)
    outcomes: list[object] = []
    threads = _runaways(url, 2, outcomes)
    assert len(_busy(tree)) >= 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 3
    while any(_alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.pid for p in tree if _alive(p)] == []
    for t in threads:
        t.join(timeout=10)


def test_ready_says_why_until_the_sparql_workers_are_up():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stackatlas", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    seen: list[tuple[int, dict[str, object]]] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"{url}/ready", timeout=1)
            except httpx.HTTPError:
                time.sleep(0.01)
                continue
            seen.append((ready.status_code, ready.json()))
            if ready.status_code == 200:
                break
            time.sleep(0.01)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert seen and seen[-1][0] == 200 and seen[-1][1]["status"] == "ready"
    waiting = [body for status, body in seen if status == 503]
    assert waiting, "the server was ready at its first answer; /ready never said 'starting'"
    assert waiting[0] == {"status": "unavailable", "reason": "the SPARQL workers are starting"}
