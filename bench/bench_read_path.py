"""The read path at N generated vendors: what one page or one answer costs.

Measured in one run, on one generated catalog:

(a) the GraphQL vendor-page query (name, layer, alternatives, risks, claims),
    in-process (``schema.execute``) and over HTTP (``POST /graphql``);
(b) ``alternatives(to:, certification:)`` over HTTP;
(c) ``GET /id/vendor/<x>`` as HTML;
(d) ``GET /`` (the home page), cold (first request after start) and warm;
(e) a ``/sparql`` point lookup (``SELECT ?p ?o WHERE { <vendor> ?p ?o }``),
    throughput next to Oxigraph's own server (``oxigraph serve-read-only``,
    PyPI package ``oxigraph``) on the same N-Quads, in alternating rounds.

Latencies are per request, one request at a time on a kept-alive connection,
over a rotating sample of vendors; the server is the real app (``create_app``)
under uvicorn in a child process, on a store loaded from the catalog (the
generated catalog conforms to the shapes by construction; validation is not
what is timed here).

    python bench/bench_read_path.py [--vendors 10000] [--seed 42] [--requests 300] [--no-doc]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import uvicorn

from common import catalog, machine, markdown_table, write_section
from stackatlas.app import create_app
from stackatlas.config import Settings
from stackatlas.graphql import Catalog, Context, build_schema
from stackatlas.loader import catalog_sources
from stackatlas.readmodel import reader_for
from stackatlas.store import OxigraphStore

VENDOR_PAGE = (
    "query($id: ID!) { vendor(id: $id) { name layer { code name } "
    "alternatives { vendor { id name } rationale } risks { severity description mitigation } "
    "certifications { certification offering status } } }"
)
ALTERNATIVES = (
    'query($to: ID!) { alternatives(to: $to, certification: "HIPAA_BAA") { vendor { id name } rationale } }'
)
POINT_LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
"""The IRI is one of the catalog's own vendor IRIs, never outside input."""
SPARQL_JSON = "application/sparql-results+json"
SAMPLE = 50
NOTES = """\
Reading the figures: nothing per vendor is cached, so each vendor request pays the read model's
batched read (`docs/read-model.md`): a GraphQL vendor page is five store queries (the vendor's
statements, its parts, relations other pages state about it, references to the vendors named, source
pages; vocabularies are cached), the HTML page the same plus its assessments. Their cost follows the
vendor, not the catalog. `/` is rendered from the catalog index, cached per store generation: the
first request after start (or after a write) builds it, which is the "first request" row. The
floors are what HTTP and GraphQL cost without touching the store. For (e) both servers answer from
the same N-Quads with the union default graph; stackatlas's `/sparql` runs the query in its worker
processes (`store/workers.py`, with `sparql_queries_per_client` raised for this one-client load);
on this shared 2-core machine the ratio moves with
the load of the moment (a 1,000-vendor run during heavier load gave 0.65).

"""

GOALS = {"a_inproc": 5.0, "a_http": 10.0, "c": 50.0, "d": 50.0}


def load_store(data: Path) -> OxigraphStore:
    store = OxigraphStore()
    store.load(catalog_sources([data]))
    return store


def serve(data: Path, port: int) -> None:
    """Child mode: the real app on a preloaded store, on a loopback port."""
    store = load_store(data)
    # The throughput run is one client on several connections, a load the per-client share of the
    # SPARQL pool (docs/security.md) exists to refuse; the bench measures the engine path, not that limit.
    app = create_app(Settings(data=[data], sparql_queries_per_client=64), store=store)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def timed(call: Callable[[int], object], runs: int) -> list[float]:
    """Milliseconds per call, after a short warm-up; ``call`` gets the run number (to rotate vendors)."""
    for i in range(min(20, runs)):
        call(i)
    out = []
    for i in range(runs):
        start = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


async def timed_async(call: Callable[[int], Awaitable[object]], runs: int) -> list[float]:
    for i in range(min(20, runs)):
        await call(i)
    out = []
    for i in range(runs):
        start = time.perf_counter()
        await call(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def sample_vendors(store: OxigraphStore) -> list[tuple[str, str]]:
    """(slug, IRI) of up to SAMPLE vendors with their own page, evenly spread over the catalog by name."""
    entries = [e for e in reader_for(store).index().entries if e.catalog_entry]
    step = max(1, len(entries) // SAMPLE)
    return [(e.slug, e.iri) for e in entries[::step][:SAMPLE]]


def in_process(store: OxigraphStore, data: Path, vendors: list[tuple[str, str]], runs: int) -> list[float]:
    settings = Settings(data=[data])
    schema = build_schema(settings)
    shared = Catalog(store, settings)

    async def call(i: int) -> None:
        result = await schema.execute(
            VENDOR_PAGE, variable_values={"id": vendors[i % len(vendors)][0]}, context_value=Context(shared)
        )
        assert result.errors is None, result.errors

    return asyncio.run(timed_async(call, runs))


def http_latencies(base: str, vendors: list[tuple[str, str]], runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=120) as client:

        def graphql(query: str, variable: str) -> Callable[[int], object]:
            def call(i: int) -> None:
                body = {"query": query, "variables": {variable: vendors[i % len(vendors)][0]}}
                response = client.post("/graphql", json=body)
                assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]

            return call

        def page(i: int) -> None:
            response = client.get(f"/id/vendor/{vendors[i % len(vendors)][0]}", headers={"accept": "text/html"})
            assert response.status_code == 200 and "<h1>" in response.text

        def home(i: int) -> None:
            response = client.get("/")
            assert response.status_code == 200 and 'class="layers"' in response.text

        def health(i: int) -> None:
            assert client.get("/health").status_code == 200

        def typename(i: int) -> None:
            response = client.post("/graphql", json={"query": "{ __typename }"})
            assert response.json() == {"data": {"__typename": "Query"}}

        start = time.perf_counter()
        home(0)
        results["d_cold"] = [(time.perf_counter() - start) * 1000]
        results["floor_http"] = timed(health, runs)
        results["floor_graphql"] = timed(typename, runs)
        results["a_http"] = timed(graphql(VENDOR_PAGE, "id"), runs)
        results["b"] = timed(graphql(ALTERNATIVES, "to"), runs)
        results["c"] = timed(page, runs)
        results["d"] = timed(home, runs)
    return results


async def throughput(
    url: str, params_of: Callable[[int], dict[str, str]], requests: int, concurrency: int
) -> float:
    """Requests per second answering ``requests`` point lookups over ``concurrency`` connections."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        counter = iter(range(requests))

        async def worker() -> None:
            for i in counter:
                response = await client.get(url, params=params_of(i), headers={"accept": SPARQL_JSON})
                assert response.status_code == 200 and response.json()["results"]["bindings"], response.text[
                    :300
                ]

        for i in range(20):  # warm-up
            await client.get(url, params=params_of(i), headers={"accept": SPARQL_JSON})
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - start)


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=300, help="requests per latency measurement")
    parser.add_argument("--sparql-requests", type=int, default=2000, help="point lookups per throughput round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return

    data = catalog(args.vendors, args.seed)
    t0 = time.perf_counter()
    store = load_store(data)
    print(f"loaded {len(store):,} quads in {time.perf_counter() - t0:.1f} s", flush=True)
    vendors = sample_vendors(store)
    inproc = in_process(store, data, vendors, args.requests)
    print(f"(a) in-process p50 {statistics.median(inproc):.2f} ms", flush=True)

    work = Path(tempfile.mkdtemp(prefix="bench-read-path-"))
    ours_port, oxi_port = free_port(), free_port()
    server = start(
        [sys.executable, __file__, "--serve", str(data), "--port", str(ours_port)], work / "stackatlas.log"
    )
    oxigraph_bin = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    quads = store.snapshot(work / "catalog.nq")
    del store
    subprocess.run(
        [oxigraph_bin, "load", "--location", str(work / "oxi"), "--file", str(quads)],
        check=True,
        capture_output=True,
    )
    oxigraph = start(
        [
            oxigraph_bin,
            "serve-read-only",
            "--location",
            str(work / "oxi"),
            "--bind",
            f"127.0.0.1:{oxi_port}",
            "--union-default-graph",
        ],
        work / "oxigraph.log",
    )
    try:
        base = f"http://127.0.0.1:{ours_port}"
        wait_for(f"{base}/ready", 900)
        wait_for(f"http://127.0.0.1:{oxi_port}/", 120)
        http = http_latencies(base, vendors, args.requests)
        print({k: round(statistics.median(v), 2) for k, v in http.items()}, flush=True)

        def params(i: int) -> dict[str, str]:
            return {"query": POINT_LOOKUP.format(iri=vendors[i % len(vendors)][1])}

        ours, theirs = [], []
        for _ in range(2):  # alternating rounds, so drift on the shared machine hits both
            ours.append(
                asyncio.run(throughput(f"{base}/sparql", params, args.sparql_requests, args.concurrency))
            )
            theirs.append(
                asyncio.run(
                    throughput(
                        f"http://127.0.0.1:{oxi_port}/query", params, args.sparql_requests, args.concurrency
                    )
                )
            )
        print(f"(e) stackatlas {max(ours):.0f}/s, oxigraph {max(theirs):.0f}/s", flush=True)
    finally:
        stop(server)
        stop(oxigraph)
        shutil.rmtree(work, ignore_errors=True)

    body = report(args, inproc, http, max(ours), max(theirs))
    print(body)
    if not args.no_doc:
        write_section("Read path: one vendor's page and answers", body)


def report(
    args: argparse.Namespace, inproc: list[float], http: dict[str, list[float]], ours: float, theirs: float
) -> str:
    def row(label: str, samples: list[float], goal: float | None) -> list[str]:
        p50, p99 = percentiles(samples)
        verdict = "—" if goal is None else ("met" if p50 <= goal else "missed")
        return [label, f"{p50:.2f}", f"{p99:.2f}", "—" if goal is None else f"≤ {goal:g}", verdict]

    rows = [
        row("floor: `GET /health` (no store, no GraphQL)", http["floor_http"], None),
        row("floor: GraphQL `{ __typename }` over HTTP (no store)", http["floor_graphql"], None),
        row("(a) GraphQL vendor page, in-process", inproc, GOALS["a_inproc"]),
        row("(a) GraphQL vendor page, HTTP", http["a_http"], GOALS["a_http"]),
        row("(b) `alternatives(to:, certification:)`, HTTP", http["b"], None),
        row("(c) `GET /id/vendor/<x>` as HTML", http["c"], GOALS["c"]),
        row("(d) `GET /`, warm", http["d"], GOALS["d"]),
        [
            "(d) `GET /`, first request after start (builds the cached index)",
            f"{http['d_cold'][0]:.0f}",
            "—",
            "—",
            "—",
        ],
    ]
    share = ours / theirs
    return (
        f"{args.vendors:,} generated vendors (seed {args.seed}); latencies in milliseconds over "
        f"{args.requests} requests each, one at a time, rotating over {SAMPLE} vendors with a page.\n\n"
        + markdown_table(["Request", "p50 ms", "p99 ms", "goal (p50)", ""], rows)
        + "\n(e) `/sparql` point lookup (`SELECT ?p ?o WHERE { <vendor> ?p ?o }`), "
        f"{args.sparql_requests} requests over {args.concurrency} connections, "
        "best of two alternating rounds:\n\n"
        + markdown_table(
            ["Server", "requests/s", "share of Oxigraph's"],
            [
                ["stackatlas `/sparql`", f"{ours:.0f}", f"{share:.2f}"],
                ["`oxigraph serve-read-only` (same N-Quads, union default graph)", f"{theirs:.0f}", "1.00"],
            ],
        )
        + f"\nGoal (e): at least 0.5 of Oxigraph's throughput — {'met' if share >= 0.5 else 'missed'}.\n\n"
        + NOTES
        + "Command (from the repository root, with the project's virtualenv and the `bench` extra):\n\n"
        + f"```\npython bench/bench_read_path.py --vendors {args.vendors} --seed {args.seed} "
        f"--requests {args.requests} --sparql-requests {args.sparql_requests} "
        f"--concurrency {args.concurrency}\n```\n\n" + f"Machine: {machine()}.\n"
    )


if __name__ == "__main__":
    main()
