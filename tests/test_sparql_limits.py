"""Time and size limits: a runaway query is stopped for real and the server stays responsive."""

from __future__ import annotations

import threading
import time

import httpx
import psutil

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _busy_processes(root: psutil.Process, threshold: float) -> dict[int, float]:
    """CPU use per process of the server tree over one second, for those above ``threshold`` %."""
    processes = [root, *root.children(recursive=True)]
    for p in processes:
        p.cpu_percent(None)
    time.sleep(1.0)
    usage = {}
    for p in processes:
        try:
            usage[p.pid] = p.cpu_percent(None)
        except psutil.NoSuchProcess:
            continue
    return {pid: pct for pid, pct in usage.items() if pct > threshold}


def test_runaway_query_is_stopped_and_the_cpu_released(server_factory):
    server = server_factory(env={"STACKATLAS_SPARQL_TIMEOUT": "1"})
    root = psutil.Process(server.pid)
    workers_before = {p.pid for p in root.children(recursive=True)}
    assert len(workers_before) >= 2

    outcome: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        response = httpx.get(f"{server.url}/sparql", params={"query": CARTESIAN}, timeout=30)
        outcome["elapsed"] = time.monotonic() - started
        outcome["response"] = response

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)
    health_times = []
    while thread.is_alive():
        started = time.monotonic()
        health = httpx.get(f"{server.url}/health", timeout=5)
        health_times.append(time.monotonic() - started)
        assert health.json() == {"status": "ok"}
        time.sleep(0.1)
    thread.join()

    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert "1 s time limit" in response.text and "stopped" in response.text
    assert outcome["elapsed"] < 1 + 2
    assert health_times and max(health_times) < 0.5

    time.sleep(1.5)  # the replacement worker finishes starting
    assert _busy_processes(root, threshold=20.0) == {}
    workers_after = {p.pid for p in root.children(recursive=True)}
    assert len(workers_after) == len(workers_before)
    assert workers_after != workers_before  # the runaway worker was killed and replaced

    ok = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.json()["boolean"] is True


def test_client_timeout_is_capped_by_the_operator(server_factory):
    server = server_factory(env={"STACKATLAS_SPARQL_TIMEOUT": "5", "STACKATLAS_SPARQL_TIMEOUT_CAP": "1"})
    started = time.monotonic()
    response = httpx.get(f"{server.url}/sparql", params={"query": CARTESIAN, "timeout": "100"}, timeout=30)
    assert response.status_code == 503 and "1 s time limit" in response.text
    assert time.monotonic() - started < 3
    bad = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}", "timeout": "soon"})
    assert bad.status_code == 400 and "timeout" in bad.text


def test_queries_keep_running_on_other_workers_during_a_runaway_query(live_server):
    runaway = threading.Thread(
        target=httpx.get,
        args=(f"{live_server.url}/sparql",),
        kwargs={"params": {"query": CARTESIAN, "timeout": "2"}, "timeout": 30},
    )
    runaway.start()
    time.sleep(0.3)
    started = time.monotonic()
    # Another client (another loopback address): one client gets one worker at a time (per-client share).
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
        answer = other.get(f"{live_server.url}/sparql", params={"query": "ASK { vendor:dagster ?p ?o }"})
    assert answer.json()["boolean"] is True
    assert time.monotonic() - started < 1.0
    runaway.join()


def test_result_size_cap(server_factory):
    server = server_factory(env={"STACKATLAS_SPARQL_MAX_RESULT_BYTES": "20000"})
    big = httpx.get(f"{server.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert big.status_code == 413
    assert "20,000 byte limit" in big.text and "LIMIT" in big.text
    graph = httpx.get(f"{server.url}/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.status_code == 413
    small = httpx.get(f"{server.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 5


def _zygote(root: psutil.Process) -> psutil.Process:
    (zygote,) = [p for p in root.children() if "zygote" in " ".join(p.cmdline())]
    return zygote


def test_a_dead_zygote_is_replaced_and_queries_keep_working(server_factory):
    """Killing the zygote (as the OOM killer might) costs nothing once workers need replacing."""
    server = server_factory(env={"STACKATLAS_SPARQL_TIMEOUT": "1", "STACKATLAS_SPARQL_WORKERS": "2"})
    root = psutil.Process(server.pid)
    first = _zygote(root)
    originals = first.children()
    assert len(originals) == 2
    first.kill()
    deadline = time.monotonic() + 5
    while _alive(first):  # a zombie until the server reaps it
        assert time.monotonic() < deadline
        time.sleep(0.05)

    # Each runaway query costs a worker; once both original workers are gone,
    # answering needs workers forked from a new zygote.
    for _ in range(8):
        if not any(_alive(p) for p in originals):
            break
        runaway = httpx.get(f"{server.url}/sparql", params={"query": CARTESIAN}, timeout=30)
        assert runaway.status_code == 503 and "time limit" in runaway.text
    assert not any(_alive(p) for p in originals)

    ask = {"query": "ASK { vendor:dagster ?p ?o }", "timeout": "20"}
    answer = httpx.get(f"{server.url}/sparql", params=ask, timeout=30)
    assert answer.json()["boolean"] is True
    second = _zygote(root)
    assert second.pid != first.pid
    deadline = time.monotonic() + 10
    while len(second.children()) < 2:  # the last replacement may still be on its way
        assert time.monotonic() < deadline, "the pool did not get back to two workers"
        time.sleep(0.1)
    lines = server.output().splitlines()  # stackatlas' own lines, in uvicorn's format
    assert any(line.startswith("ERROR:") and "zygote exited with status -9" in line for line in lines)
    assert any(line.startswith("INFO:") and "a new SPARQL worker zygote is running" in line for line in lines)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
