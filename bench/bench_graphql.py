"""GraphQL cost of "alternatives to X with a certification" at 10k generated vendors.

Two measurements, each with a baseline in the same run:

* in-process latency (p50/p99) of ``schema.execute`` against a hand-written
  function that makes the same store calls and builds the same answer;
* HTTP throughput of ``POST /graphql`` against a plain FastAPI route returning
  the same JSON body, both served by the same uvicorn process (a child of this
  script) and driven by the same client (this process, httpx, a fixed number of
  requests over a few concurrent loopback connections), in alternating rounds.

The plain route is the baseline for what GraphQL adds (parsing, validation,
limits, resolver dispatch, serialisation), so it does the same store work: the
same read-model read and filter query, the same order.

    python bench/bench_graphql.py [--vendors 10000] [--requests 2000] [--concurrency 8] [--write-doc]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from common import catalog, machine, markdown_table, write_section
from stackatlas.config import Settings
from stackatlas.graphql import Catalog, Context, build_schema, graphql_router
from stackatlas.graphql.concepts import resolve
from stackatlas.graphql.schema import vendor_for_slug
from stackatlas.loader import catalog_sources
from stackatlas.readmodel import CERTIFICATION_PREFIX, Concepts, reader_for
from stackatlas.store import OxigraphStore, Store
from stackatlas.store.queries import graphql as queries
from stackatlas.store.queries.readmodel import PROLOGUE
from stackatlas.store.terms import iri, literal
from stackatlas.vocab import slug_of

CERTIFICATION = "HIPAA_BAA"
GRAPHQL_QUERY = (
    "query($to: ID!, $cert: String) "
    "{ alternatives(to: $to, certification: $cert) { vendor { id name } rationale } }"
)
PLAIN_PATH = "/plain/alternatives"


# ---------------------------------------------------------------------------
# The baseline: the same store work without GraphQL
# ---------------------------------------------------------------------------


async def plain_alternatives(store: Store, concepts: Concepts, to: str, certification: str) -> dict[str, Any]:
    """What the GraphQL query answers, computed directly: the same read-model read and filter query."""
    subject = vendor_for_slug(to)
    cert = resolve(concepts, certification, CERTIFICATION_PREFIX, "certification")
    if subject is None:
        raise LookupError(to)
    reader = reader_for(store)
    record = (await store.run(reader.read, [subject]))[subject]
    if not record.core.named:
        raise LookupError(to)
    found = [(a, a.vendor) for a in record.relations.alternatives]
    found += [(a, a.listed_by) for a in record.relations.alternative_of]
    if found:
        keep = queries.keep([iri(v) for _, v in found], layer=False, certification=True)
        kept = {str(r["v"]) for r in await store.run(store.select, keep, {"cert": iri(cert)})}
        found = [(a, v) for a, v in found if v in kept]
    return {
        "data": {
            "alternatives": [
                {
                    "vendor": {"id": slug_of(v), "name": record.name_of(v)},
                    "rationale": a.choose_for or a.rationale,
                }
                for a, v in found
            ]
        }
    }


def load_store(data: Path) -> OxigraphStore:
    """The generated catalog conforms to the shapes by construction; validation is not what is timed here."""
    store = OxigraphStore()
    store.load(catalog_sources([data]))
    return store


def bench_app(data: Path) -> FastAPI:
    """GraphQL and the plain route in one app, on one store."""
    settings = Settings(data=[data])
    store = load_store(data)
    app = FastAPI()
    app.state.store = store
    app.include_router(graphql_router(settings))
    catalog_ = Catalog(store, settings)

    @app.get(PLAIN_PATH)
    async def plain(to: str = Query(), certification: str = Query()) -> JSONResponse:
        return JSONResponse(await plain_alternatives(store, await catalog_.concepts(), to, certification))

    return app


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


def busiest_subject(store: Store) -> str:
    """The vendor with the most alternatives holding the certification, both directions."""
    notation = PROLOGUE + "SELECT ?c ?code WHERE { ?c skos:notation ?code }"
    cert = store.select(notation, {"code": literal(CERTIFICATION)})[0]["c"]
    holders = {str(r["v"]) for r in store.select(queries.HOLDERS, {"cert": iri(str(cert))})}
    pairs = store.select(PROLOGUE + "SELECT ?x ?v WHERE { ?x sa:alternative/sa:alternativeVendor ?v }")
    counts: Counter[str] = Counter()
    for row in pairs:
        x, v = str(row["x"]), str(row["v"])
        counts[x] += v in holders
        counts[v] += x in holders
    best = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return slug_of(best) or ""


async def latencies(call: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    for _ in range(max(runs // 10, 5)):
        await call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def in_process(data: Path, subject: str, store: OxigraphStore, runs: int) -> dict[str, list[float]]:
    settings = Settings(data=[data])
    schema = build_schema(settings)
    catalog_ = Catalog(store, settings)
    variables = {"to": subject, "cert": CERTIFICATION}
    concepts = await catalog_.concepts()

    async def graphql() -> object:
        result = await schema.execute(GRAPHQL_QUERY, variable_values=variables, context_value=Context(catalog_))
        assert result.errors is None, result.errors
        return result.data

    async def plain() -> object:
        return await plain_alternatives(store, concepts, subject, CERTIFICATION)

    same = {"data": await graphql()} == await plain()
    assert same, "the baseline must answer exactly what GraphQL answers"
    return {"graphql": await latencies(graphql, runs), "plain": await latencies(plain, runs)}


async def throughput(
    request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]], total: int, concurrency: int
) -> float:
    """Requests per second for ``total`` requests over ``concurrency`` connections."""
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            for _ in remaining:
                response = await request(client)
                response.raise_for_status()

        for _ in range(concurrency):  # open the connections before the clock starts
            await request(client)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return total / (time.perf_counter() - start)


async def over_http(base: str, subject: str, total: int, concurrency: int, rounds: int) -> dict[str, Any]:
    body = {"query": GRAPHQL_QUERY, "variables": {"to": subject, "cert": CERTIFICATION}}

    def graphql(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        return client.post(f"{base}/graphql", json=body)

    def plain(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        return client.get(f"{base}{PLAIN_PATH}", params={"to": subject, "certification": CERTIFICATION})

    async with httpx.AsyncClient(timeout=60) as client:
        graphql_body, plain_body = (await graphql(client)).json(), (await plain(client)).json()
    assert graphql_body == plain_body, "both routes must return the same JSON body"
    results: dict[str, list[float]] = {"graphql": [], "plain": []}
    for _ in range(rounds):  # alternate, so drift in machine load hits both sides alike
        results["plain"].append(await throughput(plain, total, concurrency))
        results["graphql"].append(await throughput(graphql, total, concurrency))
    return {
        "rps": results,
        "alternatives": len(plain_body["data"]["alternatives"]),
        "bytes": len(json.dumps(plain_body)),
    }


def start_server(data: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, __file__, "--serve", str(data), "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)},
    )


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"bench server exited with {process.returncode}")
        try:
            probe = httpx.post(f"{base}/graphql", json={"query": "{ layers { code } }"}, timeout=2)
            if probe.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("bench server did not start in time")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(args: argparse.Namespace, subject: str, local: dict[str, list[float]], http: dict[str, Any]) -> str:
    p = {side: (percentile(s, 50), percentile(s, 99)) for side, s in local.items()}
    rps = {side: statistics.median(values) for side, values in http["rps"].items()}
    share = rps["graphql"] / rps["plain"]
    # The doc's convention: above 1 means stackatlas (here GraphQL) is faster than the baseline.
    rows = [
        [
            "in-process p50 latency (ms)",
            f"{p['graphql'][0]:.2f}",
            f"{p['plain'][0]:.2f}",
            f"{p['plain'][0] / p['graphql'][0]:.2f}×",
        ],
        [
            "in-process p99 latency (ms)",
            f"{p['graphql'][1]:.2f}",
            f"{p['plain'][1]:.2f}",
            f"{p['plain'][1] / p['graphql'][1]:.2f}×",
        ],
        [
            "HTTP throughput (req/s, median of rounds)",
            f"{rps['graphql']:.0f}",
            f"{rps['plain']:.0f}",
            f"{share:.2f}×",
        ],
    ]
    rounds = ", ".join(
        f"{g:.0f}/{b:.0f}" for g, b in zip(http["rps"]["graphql"], http["rps"]["plain"], strict=True)
    )
    verdict = "met" if share >= 0.5 else "NOT met"
    return (
        f'Query: `alternatives(to: "{subject}", certification: "{CERTIFICATION}") '
        f"{{ vendor {{ id name }} rationale }}` on {args.vendors:,} generated vendors (seed {args.seed}); "
        f"{subject} is the vendor with the most HIPAA-BAA-holding alternatives in both directions, "
        f"{http['alternatives']} alternatives, {http['bytes']:,}-byte body.\n\n"
        + markdown_table(["measure", "GraphQL", "plain FastAPI route (baseline)", "ratio"], rows)
        + "\nRatios: plain / GraphQL for latency, GraphQL / plain for throughput; below 1 is the cost of "
        "GraphQL.\n\nThe plain route makes the same store calls and returns the same JSON body "
        f"(compared by the script before timing). In-process: {args.runs} calls each after warm-up. "
        "HTTP: one uvicorn process serves both routes; the client is a second process "
        f"(httpx, {args.concurrency} concurrent keep-alive connections on loopback), "
        f"{args.requests:,} requests per round, {args.rounds} alternating rounds "
        f"(GraphQL/plain req/s per round: {rounds}). Goal, GraphQL at least half the plain route's "
        f"throughput: **{verdict}** ({share:.2f}).\n\n"
        f"{machine()}\n\n"
        f"```\n.venv/bin/python bench/bench_graphql.py --vendors {args.vendors} --seed {args.seed} "
        f"--requests {args.requests} --concurrency {args.concurrency} --rounds {args.rounds} "
        f"--runs {args.runs} --write-doc\n```\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=2_000, help="HTTP requests per round and route")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=500, help="in-process calls per side")
    parser.add_argument(
        "--write-doc", action="store_true", help="write the GraphQL section of docs/benchmarks.md"
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        uvicorn.run(
            bench_app(args.serve), host="127.0.0.1", port=args.port, log_level="warning", access_log=False
        )
        return 0

    data = catalog(args.vendors, args.seed)
    port = free_port()
    server = start_server(data, port)
    try:
        store = load_store(data)  # while the server loads its own copy
        subject = busiest_subject(store)
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server)  # so that its loading does not compete with the in-process timings
        local = asyncio.run(in_process(data, subject, store, args.runs))
        del store
        http = asyncio.run(over_http(base, subject, args.requests, args.concurrency, args.rounds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    text = report(args, subject, local, http)
    print(text)
    if args.write_doc:
        write_section("GraphQL", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
