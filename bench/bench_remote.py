"""Remote store: GraphQL over the embedded store vs one and two replicas over an Oxigraph server.

One run at N vendors (a generated catalog): the embedded store served from
memory (the baseline, same run), then an `oxigraph serve` engine loaded with
the same quads and one, then two `stackatlas serve --store URL` replicas.
For each: the GraphQL vendor page and ``alternatives(…)`` p50 (sequential,
one client) and throughput (``--concurrency`` connections, spread over the
replicas); and the round-trips to the engine per request, counted in process
on a replica's store. Everything runs on loopback, on the same 2 cores.

    python bench/bench_remote.py --vendors 10000 --seed 42 --runs 200 --requests 400 --concurrency 4
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench_read_path import ALTERNATIVES, VENDOR_PAGE, free_port, sample_vendors, timed
from common import catalog, machine, markdown_table, write_section
from stackatlas.app import create_app
from stackatlas.config import Settings
from stackatlas.loader import catalog_sources
from stackatlas.store import OxigraphStore
from stackatlas.store.remote import RemoteStore

REPO = Path(__file__).resolve().parents[1]
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


def latencies(base: str, vendors: list[tuple[str, str]], runs: int) -> dict[str, list[float]]:
    with httpx.Client(base_url=base, timeout=120) as client:

        def call(query: str, variable: str):  # type: ignore[no-untyped-def]
            def one(i: int) -> None:
                body = {"query": query, "variables": {variable: vendors[i % len(vendors)][0]}}
                response = client.post("/graphql", json=body)
                assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]

            return one

        return {
            "page": timed(call(VENDOR_PAGE, "id"), runs),
            "alternatives": timed(call(ALTERNATIVES, "to"), runs),
        }


async def throughput(
    bases: list[str], query: str, variable: str, vendors: list[str], requests: int, c: int
) -> float:
    clients = [httpx.AsyncClient(base_url=b, timeout=120) for b in bases]
    counter = iter(range(requests))

    async def worker(k: int) -> None:
        client = clients[k % len(clients)]
        for i in counter:
            body = {"query": query, "variables": {variable: vendors[i % len(vendors)]}}
            response = await client.post("/graphql", json=body)
            assert response.status_code == 200, response.text[:300]

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(c)))
    rate = requests / (time.perf_counter() - started)
    for client in clients:
        await client.aclose()
    return rate


def round_trips(url: str, vendors: list[tuple[str, str]]) -> dict[str, float]:
    """Requests to the engine per GraphQL request, counted on an in-process replica's store (warm caches)."""
    from fastapi.testclient import TestClient

    store = RemoteStore(url)
    app = create_app(Settings(store_url=url), store=store)
    counts: dict[str, float] = {}
    with TestClient(app) as client:
        for name, query, variable in (("page", VENDOR_PAGE, "id"), ("alternatives", ALTERNATIVES, "to")):
            for slug, _ in vendors[:3]:  # warm the catalog-wide views
                client.post("/graphql", json={"query": query, "variables": {variable: slug}})
            before = store.round_trips
            for slug, _ in vendors[:20]:
                response = client.post("/graphql", json={"query": query, "variables": {variable: slug}})
                assert response.status_code == 200
            counts[name] = (store.round_trips - before) / 20
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    data = catalog(args.vendors, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    procs: list[subprocess.Popen[bytes]] = []
    results: dict[str, dict[str, float]] = {}
    try:
        t = time.perf_counter()
        staging = OxigraphStore()
        staging.load(catalog_sources([data]))
        vendors = sample_vendors(staging)
        nquads = staging.dump("application/n-quads")
        del staging
        print(f"parsed {args.vendors} vendors in {time.perf_counter() - t:.0f} s", flush=True)
        # the engine, loaded offline by Oxigraph's own bulk loader (the serving is measured, not the import)
        dump = work / "catalog.nq"
        dump.write_bytes(nquads)
        del nquads
        t = time.perf_counter()
        subprocess.run(
            [str(OXIGRAPH), "load", "--location", str(work / "engine"), "--file", str(dump)],
            check=True,
            timeout=900,
        )
        print(f"engine loaded in {time.perf_counter() - t:.0f} s", flush=True)
        engine_port = free_port()
        engine_url = f"http://127.0.0.1:{engine_port}/"
        engine = start(
            [str(OXIGRAPH), "serve", "--location", str(work / "engine"), "--bind", f"127.0.0.1:{engine_port}"],
            work / "engine.log",
        )
        procs.append(engine)
        wait_ready(f"{engine_url}query?query=ASK%7B%7D", engine, 120)
        # the baseline: the embedded store, served from memory (same loader as bench_read_path)
        port = free_port()
        embedded = start(
            [
                sys.executable,
                str(REPO / "bench" / "bench_read_path.py"),
                "--serve",
                str(data),
                "--port",
                str(port),
            ],
            work / "embedded.log",
        )
        procs.append(embedded)
        replica_ports = [free_port(), free_port()]
        for p in replica_ports:
            procs.append(
                start(
                    [sys.executable, "-m", "stackatlas", "serve", "--store", engine_url, "--port", str(p)],
                    work / f"replica-{p}.log",
                )
            )
        # /health, not /ready: on 2 busy cores the embedded store's SPARQL workers (not measured here) may
        # not start within their 60 s, and GraphQL does not need them
        wait_ready(f"http://127.0.0.1:{port}/health", embedded, 600)
        bases = {
            "embedded": [f"http://127.0.0.1:{port}"],
            "one replica": [f"http://127.0.0.1:{replica_ports[0]}"],
            "two replicas": [f"http://127.0.0.1:{p}" for p in replica_ports],
        }
        for p, process in zip(replica_ports, procs[-2:], strict=True):
            wait_ready(f"http://127.0.0.1:{p}/ready", process, 120)
        slugs = [s for s, _ in vendors]
        for name, urls in bases.items():
            t = time.perf_counter()
            httpx.post(
                f"{urls[0]}/graphql", json={"query": VENDOR_PAGE, "variables": {"id": slugs[0]}}, timeout=600
            )
            for extra in urls[1:]:
                httpx.post(
                    f"{extra}/graphql", json={"query": VENDOR_PAGE, "variables": {"id": slugs[0]}}, timeout=600
                )
            first = time.perf_counter() - t
            lat = latencies(urls[0], vendors, args.runs) if name != "two replicas" else {}
            row = {"first": first}
            for key, samples in lat.items():
                row[f"{key}_p50"] = statistics.median(samples)
            for key, query, variable in (("page", VENDOR_PAGE, "id"), ("alternatives", ALTERNATIVES, "to")):
                row[f"{key}_rps"] = asyncio.run(
                    throughput(urls, query, variable, slugs, args.requests, args.concurrency)
                )
            results[name] = row
            print(name, row, flush=True)
        trips = round_trips(engine_url, vendors)
        print("round trips", trips, flush=True)
    finally:
        for process in reversed(procs):
            stop(process)
    body = report(args, results, trips)
    print(body)
    if not args.no_doc:
        write_section("Remote store", body)
    return 0


def report(args: argparse.Namespace, results: dict[str, dict[str, float]], trips: dict[str, float]) -> str:
    def ms(row: dict[str, float], key: str) -> str:
        return f"{row[key]:.1f}" if key in row else "(as one replica)"

    rows = [
        [
            name,
            ms(row, "page_p50"),
            f"{row['page_rps']:.0f}",
            ms(row, "alternatives_p50"),
            f"{row['alternatives_rps']:.0f}",
            f"{row['first']:.1f}",
        ]
        for name, row in results.items()
    ]
    table = markdown_table(
        [
            "store",
            "vendor page p50 (ms)",
            "vendor page req/s",
            "alternatives p50 (ms)",
            "alternatives req/s",
            "first request (s)",
        ],
        rows,
    )
    command = (
        f"python bench/bench_remote.py --vendors {args.vendors} --seed {args.seed} --runs {args.runs} "
        f"--requests {args.requests} --concurrency {args.concurrency}"
    )
    return (
        f"GraphQL at {args.vendors:,} vendors: the embedded store (in memory, the baseline, same run) vs "
        "`stackatlas serve --store http://…` replicas over one Oxigraph server on the same machine. p50 is one "
        f"client, {args.runs} sequential requests over a spread of vendors; req/s is {args.requests} requests "
        f"over {args.concurrency} connections (spread over the replicas). The first request builds the read "
        "model's catalog-wide views (over the network for a replica).\n\n"
        f"{table}\n\n"
        f"Round-trips to the engine per request (warm caches, counted on an in-process replica): vendor page "
        f"{trips['page']:.1f}, alternatives {trips['alternatives']:.1f}; each is bounded by the query's shape "
        "(the batched reader), not by the catalog's size.\n\n"
        "Command (from the repository root, with the project's virtualenv):\n\n"
        f"```\n{command}\n```\n\nMachine: {machine()}. Engine, replicas and load generator share the same 2 "
        "cores, so two replicas cannot show the gain they would on separate machines.\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
