"""A validated single-vendor write against a full re-validation, on a generated catalog in an on-disk store.

Two fresh processes per catalog size, each with its own time budget (a baseline
that runs out of time no longer takes the writes' figures with it):

- the generated catalog is loaded into a new on-disk store (``PersistentStore``,
  the store ``serve --store`` runs on, held by one writer; loading is not timed);
- ``--writes`` single-vendor writes go through ``stackatlas.writes.transaction.write``,
  the path every write interface takes: the change set (one ``sa:role`` added to
  a vendor, spread over the catalog), the local SHACL check of the vendor's
  neighbourhood, and the commit (one SPARQL Update transaction, audit record,
  checkpoints published for the readers). Each write is timed end to end; p50/p99,
  with a span around the local check;
- baseline, in a second process: validating the whole store the writes left once
  (``validate_store`` over the copy readers read), which is what each write would
  cost if it were checked the way a start from files is.

The ratio is full validation / p50 write.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from common import (
    OUT_DIR,
    Measurement,
    catalog,
    catalog_parser,
    command_line,
    markdown_table,
    measure,
    ratio,
    reproduce_footer,
    write_section,
)

SECTION = "Governed writes"


def writes(directory: str, count: str, store_dir: str) -> dict[str, object]:
    """Load the catalog into a new on-disk store at ``store_dir`` (kept for :func:`baseline`), time writes."""
    import shutil
    import time

    import pyoxigraph as ox

    from stackatlas.loader import catalog_sources
    from stackatlas.store.changes import ChangeSet
    from stackatlas.store.persistent import PersistentStore
    from stackatlas.vocab import GRAPH, SA, vendor_iri
    from stackatlas.writes import transaction
    from stackatlas.writes.transaction import activity, shapes, write

    checks: list[float] = []
    local_check = transaction.check

    def timed_check(*args: Any) -> Any:
        # a timing span around the local SHACL check of each write (the rest is build + commit + publish)
        started = time.perf_counter()
        try:
            return local_check(*args)
        finally:
            checks.append(time.perf_counter() - started)

    transaction.check = timed_check  # type: ignore[assignment]

    shutil.rmtree(store_dir, ignore_errors=True)
    Path(store_dir).mkdir(parents=True)
    store = PersistentStore(Path(store_dir), writer=True)
    store.load(catalog_sources([Path(directory)]))
    shapes()  # parsed once per process, as in the server
    slugs = sorted(p.stem for p in (Path(directory) / "vendors").glob("*.ttl"))
    n = int(count)
    step = max(1, len(slugs) // n)
    latencies = []
    for i in range(n):
        slug = slugs[(i * step) % len(slugs)]
        graph = str(GRAPH[f"vendors/{slug}"])
        quad = ox.Quad(
            ox.NamedNode(str(vendor_iri(slug))),
            ox.NamedNode(str(SA.role)),
            ox.Literal(f"bench role {i}"),
            ox.NamedNode(graph),
        )
        started = time.perf_counter()
        outcome = write(
            store, lambda _s, q=quad: ChangeSet.of([q]), {}, activity("bench", f"bench {i}", "bench")
        )
        latencies.append(time.perf_counter() - started)
        assert outcome.committed is not None
    store.close()
    commits = sorted(total - check for total, check in zip(latencies, checks, strict=True))
    checks.sort()
    latencies.sort()
    return {
        "writes": n,
        "check_p50": statistics.median(checks),
        "commit_p50": statistics.median(commits),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))],
        "max": latencies[-1],
        "all_ms": [round(x * 1000) for x in latencies],
    }


def baseline(store_dir: str) -> dict[str, object]:
    """One SHACL run over the whole store the writes left (read as every reader reads it)."""
    import time

    from stackatlas.persistence import store_sources
    from stackatlas.store.persistent import PersistentStore
    from stackatlas.validation import validate_store

    store = PersistentStore(Path(store_dir), writer=False)
    started = time.perf_counter()
    report = validate_store(store, store_sources(store))
    return {
        "full_validation": time.perf_counter() - started,
        "violations": len(report.violations),
        "quads": len(store),
    }


def main() -> int:
    parser = catalog_parser(__doc__.splitlines()[0], [1000, 10000], "seconds per catalog size before giving up")
    parser.add_argument("--writes", type=int, default=50, help="writes timed per catalog size")
    parser.add_argument(
        "--baseline-budget",
        type=float,
        default=900,
        help="seconds the full validation may take per catalog size",
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        directory = catalog(size, args.seed)
        store_dir = OUT_DIR / f"bench-writes-store-{size}-seed{args.seed}"
        result: Measurement = measure(
            "bench_writes:writes", str(directory), str(args.writes), str(store_dir), timeout=args.budget
        )
        print(size, result, file=sys.stderr, flush=True)
        full: Measurement = (
            measure("bench_writes:baseline", str(store_dir), timeout=args.baseline_budget)
            if result.seconds is not None
            else Measurement(failure="not run")
        )
        print(size, full, file=sys.stderr, flush=True)
        shutil.rmtree(store_dir, ignore_errors=True)
        if result.seconds is None:
            rows.append([f"{size:,}", result.time_cell(), "—", "—", "—", "—", "—", "—", "—"])
            continue
        info = result.info
        p50, p99, check, commit = (
            float(info[k])  # type: ignore[arg-type]
            for k in ("p50", "p99", "check_p50", "commit_p50")
        )
        seconds = None if full.seconds is None else float(full.info["full_validation"])  # type: ignore[arg-type]
        rows.append(
            [
                f"{size:,}",
                f"{info['writes']}",
                f"{p50 * 1000:.0f}",
                f"{p99 * 1000:.0f}",
                f"{check * 1000:.0f}",
                f"{commit * 1000:.0f}",
                full.time_cell() if seconds is None else f"{seconds:.1f}",
                ratio(seconds, p50),
                f"{full.info.get('violations', '—')}",
            ]
        )
    table = markdown_table(
        [
            "vendors",
            "writes",
            "write p50 ms",
            "write p99 ms",
            "of which: local check p50 ms",
            "the rest (build, commit, publish) p50 ms",
            "baseline: full validation s",
            "full validation / p50 write",
            "violations after the writes",
        ],
        rows,
    )
    body = f"""\
What it measures: one single-vendor write through the path every write interface
takes (`stackatlas.writes.transaction.write`: change set, SHACL check of the
vendor's neighbourhood, one-transaction commit with its audit record, checkpoints
of the primary and of the public copy published for readers, marker) on a
generated catalog in an on-disk store held by one writer (as `serve --store`
with one worker; the store is loaded and compacted first, not timed), against the
baseline a write would cost if it were validated like a start from files: one
SHACL run over the whole catalog (`validate_store`) as the writes left it, in a
second process with its own time budget. Writes add one `sa:role` to vendors
spread over the catalog; each is timed end to end, with a span around the local
check (the rest is the build, the commit and the publish). The goal of issue 12
is a p50 of at most 200 ms at 10,000 vendors. Single runs on a shared 2-core
machine.

{table}
{reproduce_footer(command_line("bench_writes.py", args, "budget", "writes", "baseline_budget"))}"""
    print(body)
    if not args.no_doc:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
