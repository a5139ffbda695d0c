"""The workbench at N generated vendors: faceted list page, compare page, stack query.

One run, one generated catalog, the real app under uvicorn in a child process:

(a) ``GET /vendors?cert=HIPAA_BAA:HELD&layer=L3&sort=inpact`` (facets with counts, a page of 50);
    baseline in the same run: GraphQL ``vendors(certification: "HIPAA_BAA", layer: "L3")``, the list
    filter that existed before (SPARQL per request, no counts);
(b) ``GET /compare?id=a&id=b&id=c`` (three vendors, chart, claims, findings); baseline: the three
    vendors' own pages (``GET /id/vendor/x`` × 3), what a reader opened before;
(c) GraphQL ``stacks(requirements:)`` with three required certifications over four layers;
    baseline: the ``GET /health`` floor (there was no stack query before).

Latencies are per request, one at a time, after a warm-up that builds the per-generation caches (the
first request's cost is reported apart). A run stops itself after ``--max-seconds``.

    python bench/bench_workbench.py [--vendors 10000] [--seed 42] [--requests 100] [--no-doc]
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench_read_path import free_port, load_store, percentiles, serve, start, stop, timed, wait_for
from common import catalog, machine, markdown_table, write_section
from stackatlas.readmodel import reader_for

GOALS = {"a": 100.0, "b": 100.0, "c": 1000.0}
STACK = """query { stacks(requirements: {certifications: ["HIPAA_BAA", "SOC2_TYPE2", "PCI_DSS"],
  layers: ["L1", "L3", "L5", "L7"], limit: 5}) { combinations prunedLayers { layer kept candidates }
  stacks { members { layer vendor { id } } requirements { outcome } unknowns } } }"""
LIST_BASELINE = (
    '{ vendors(certification: "HIPAA_BAA", layer: "L3", orderBy: INPACT, first: 50) '
    "{ totalCount edges { node { id name } } } }"
)
SAMPLE = 30


def sample(data: Path) -> list[str]:
    store = load_store(data)
    entries = [e.slug for e in reader_for(store).index().entries if e.catalog_entry]
    step = max(1, len(entries) // (SAMPLE + 2))
    return entries[::step][: SAMPLE + 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--max-seconds", type=int, default=900, help="stop the whole run after this long")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    signal.alarm(args.max_seconds)  # the run cannot outlive its budget (SIGALRM ends it)

    data = catalog(args.vendors, args.seed)
    slugs = sample(data)
    work = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    port = free_port()
    server = start([sys.executable, __file__, "--serve", str(data), "--port", str(port)], work / "server.log")
    results: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    info: dict[str, str] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/ready", 900)
        with httpx.Client(base_url=base, timeout=300) as client:

            def page(path: str, marker: str) -> Callable[[int], object]:
                def call(i: int) -> None:
                    response = client.get(path.format(*(slugs[(i + k) % len(slugs)] for k in range(3))))
                    assert response.status_code == 200 and marker in response.text, response.text[:300]

                return call

            def graphql(query: str) -> Callable[[int], object]:
                def call(i: int) -> None:
                    response = client.post("/graphql", json={"query": query})
                    assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]

                return call

            facets = page("/vendors?cert=HIPAA_BAA:HELD&layer=L3&sort=inpact", 'id="total"')
            compare = page("/compare?id={0}&id={1}&id={2}", "compare-col")
            stacks = graphql(STACK)
            for name, call in (("a", facets), ("c", stacks)):
                start_time = time.perf_counter()
                call(0)
                first[name] = (time.perf_counter() - start_time) * 1000
            start_time = time.perf_counter()
            for i in range(len(slugs)):  # every compared vendor's findings, once
                compare(i)
            first["b"] = (time.perf_counter() - start_time) * 1000 / len(slugs)
            results["a"] = timed(facets, args.requests)
            results["a_base"] = timed(graphql(LIST_BASELINE), args.requests)
            results["b"] = timed(compare, args.requests)
            results["b_base"] = timed(
                lambda i: [page(f"/id/vendor/{slugs[(i + k) % len(slugs)]}", "<h1>")(0) for k in range(3)],
                args.requests,
            )
            results["c"] = timed(stacks, max(10, args.requests // 4))
            results["floor"] = timed(lambda i: client.get("/health"), args.requests)
            answer = client.post("/graphql", json={"query": STACK}).json()["data"]["stacks"]
            info["combinations"] = str(answer["combinations"])
            info["pruned"] = ", ".join(
                f"{p['layer']} {p['kept']}/{p['candidates']}" for p in answer["prunedLayers"]
            )
            info["total"] = (
                client.get("/vendors?cert=HIPAA_BAA:HELD&layer=L3")
                .text.split('id="total">', 1)[1]
                .split("<", 1)[0]
            )
    finally:
        stop(server)
    body = report(args, results, first, info)
    print(body)
    if not args.no_doc:
        write_section("Workbench", body)


def report(
    args: argparse.Namespace, r: dict[str, list[float]], first: dict[str, float], info: dict[str, str]
) -> str:
    def row(label: str, key: str, goal: float | None, baseline: str | None = None) -> list[str]:
        p50, p99 = percentiles(r[key])
        verdict = "—" if goal is None else ("met" if p50 <= goal else "missed")
        base = "—" if baseline is None else f"{statistics.median(r[baseline]):.1f}"
        ratio = "—" if baseline is None else f"{statistics.median(r[baseline]) / p50:.2f}×"
        return [label, f"{p50:.1f}", f"{p99:.1f}", "—" if goal is None else f"≤ {goal:g}", verdict, base, ratio]

    rows = [
        row("floor: `GET /health`", "floor", None),
        row("(a) faceted list `/vendors?cert=HIPAA_BAA:HELD&layer=L3&sort=inpact`", "a", GOALS["a"], "a_base"),
        row("(b) compare page, three vendors", "b", GOALS["b"], "b_base"),
        row("(c) GraphQL `stacks`, 3 certifications × 4 layers", "c", GOALS["c"]),
    ]
    return (
        f"{args.vendors:,} generated vendors (seed {args.seed}); milliseconds per request, one at a time, "
        f"{args.requests} requests for (a) and (b), {max(10, args.requests // 4)} for (c). Baselines in the "
        "same run: (a) GraphQL `vendors(certification:, layer:, orderBy: INPACT)`, the filter that "
        "existed before (no counts, no other facets); (b) the three vendors' own pages one after the "
        "other; (c) none (there was no stack query; the floor is the row above). "
        "Ratio = baseline p50 / workbench p50.\n\n"
        + markdown_table(["Request", "p50 ms", "p99 ms", "goal (p50)", "", "baseline p50 ms", "ratio"], rows)
        + f"\n(a) matched {info.get('total', '?')} vendors. (c) ranked {info.get('combinations', '?')} "
        "combinations; "
        f"pruned layers (kept/candidates): {info.get('pruned') or 'none'}.\n\n"
        f"First request after start (builds the per-generation caches: every vendor's profile from one batched "
        f"read, the text index, the integration adjacency): (a) {first['a'] / 1000:.1f} s, (c) "
        f"{first['c'] / 1000:.1f} s; a compare page's first visit per vendor set (validates the three vendors' "
        f"own graphs) {first['b']:.0f} ms on average. Later requests reuse them until the store generation "
        "changes.\n\n"
        "Command (from the repository root, with the project's virtualenv and the `bench` extra):\n\n"
        f"```\npython bench/bench_workbench.py --vendors {args.vendors} --seed {args.seed} "
        f"--requests {args.requests}\n```\n\n"
        f"Machine: {machine()}.\n"
    )


if __name__ == "__main__":
    main()
