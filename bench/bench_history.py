"""History at scale: asOf of one vendor and a feed page with N commits recorded, and the growth per commit.

One fresh process per catalog size:

- the generated catalog is loaded into a new on-disk store (RocksDB through
  ``OxigraphStore(path)``; loading is not timed);
- ``--commits`` commits are recorded, one per vendor, each adding one
  ``sa:role`` to a vendor and replacing the one the previous commit to it added.
  They go through ``Store.commit`` — the very function a governed write ends
  in, so the audit records are the ones a server writes — but without the SHACL
  check and without publishing a checkpoint per commit (the persistent store's
  readers' copy), which are the write path's costs, measured by
  ``bench_writes.py``, not the history's. The store's size on disk is taken
  before and after (flushed), and divided by the number of commits;
- ``asOf`` of one vendor: the vendor's graphs as of the instant before its
  commit (``stackatlas.history.asof.vendor_at``: one commit undone), for
  ``--reads`` vendors spread over the catalog; p50/p99. The same with the
  read model on top (what ``vendor(id:, asOf:)`` and ``/id/…?asOf=`` do:
  the scratch store and one vendor record read from it);
- a feed page: ``commits_after(store, n, 50)`` at random cursors (50 commits
  with their quads);
- baseline, in the same process: the current state of the same vendor's graphs
  (``Store.graph_quads``), what asOf costs without history.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from common import (
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

SECTION = "History"


def _du(path: Path, suffix: str = "") -> int:
    return sum(p.stat().st_size for p in path.rglob(f"*{suffix}") if p.is_file())


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def history_at_scale(directory: str, commits: str, reads: str) -> dict[str, object]:
    import random
    import tempfile
    import time
    from datetime import UTC, datetime, timedelta

    import pyoxigraph as ox

    from stackatlas import readmodel as rm
    from stackatlas.history import asof
    from stackatlas.history.log import commits_after, last_sequence
    from stackatlas.loader import catalog_sources
    from stackatlas.store import OxigraphStore
    from stackatlas.store.audit import vendor_graphs
    from stackatlas.store.changes import Activity, ChangeSet
    from stackatlas.vocab import AUDIT_GRAPH, GRAPH, SA, vendor_iri

    n, r = int(commits), int(reads)
    with tempfile.TemporaryDirectory(prefix="stackatlas-bench-history-", dir=Path(directory).parent) as scratch:
        path = Path(scratch) / "store"
        store = OxigraphStore(path)
        staging = store.parse(catalog_sources([Path(directory)]))
        store.ox.bulk_extend(staging)
        del staging
        store.ox.flush()
        store.ox.optimize()
        size_before, sst_before = _du(path), _du(path, ".sst")
        slugs = sorted(p.stem for p in (Path(directory) / "vendors").glob("*.ttl"))
        role = ox.NamedNode(str(SA.role))
        start = datetime(2026, 1, 1, tzinfo=UTC)
        times: dict[str, datetime] = {}
        started = time.perf_counter()
        previous: dict[str, ox.Quad] = {}
        for i in range(n):
            slug = slugs[i % len(slugs)]
            graph = ox.NamedNode(str(GRAPH[f"vendors/{slug}"]))
            quad = ox.Quad(ox.NamedNode(str(vendor_iri(slug))), role, ox.Literal(f"bench role {i}"), graph)
            old = [previous[slug]] if slug in previous else []
            at = start + timedelta(seconds=i)
            times.setdefault(slug, at)
            store.commit(ChangeSet.of([quad], old), {}, Activity("bench", f"bench {i}", "bench", at))
            previous[slug] = quad
        recording = time.perf_counter() - started
        store.ox.flush()
        size_after = _du(path)
        store.ox.optimize()
        sst_optimized = _du(path, ".sst")
        audit = len(store.dump("application/n-quads", str(AUDIT_GRAPH)))
        assert last_sequence(store) == n

        rng = random.Random(7)
        touched = list(times)
        sample = [touched[(k * len(touched)) // r] for k in range(r)]
        asof_s, read_s, current_s, page_s = [], [], [], []
        for slug in sample:
            vendor = str(vendor_iri(slug))
            point = asof.sequence_at(store, times[slug] - timedelta(microseconds=1), vendor=vendor)
            t = time.perf_counter()
            past = asof.vendor_at(store, vendor, point)
            asof_s.append(time.perf_counter() - t)
            assert past and not any(q.predicate == role for q in past if "bench role" in str(q.object))
            t = time.perf_counter()
            quads = asof.vendor_at(store, vendor, point)
            record = rm.Reader(asof.scratch(store, quads)).read([vendor])[vendor]
            read_s.append(time.perf_counter() - t)
            assert record is not None
            t = time.perf_counter()
            store.graph_quads(vendor_graphs(vendor))
            current_s.append(time.perf_counter() - t)
            cursor = rng.randrange(0, max(1, n - 50))
            t = time.perf_counter()
            page = commits_after(store, cursor, 50)
            page_s.append(time.perf_counter() - t)
            assert [c.sequence for c in page] == list(range(cursor + 1, cursor + 1 + len(page)))
        quads_total = len(store)
    return {
        "commits": n,
        "recording_s": recording,
        "bytes_per_commit": (size_after - size_before) / n,
        "sst_bytes_per_commit": (sst_optimized - sst_before) / n,
        "audit_bytes_per_commit": audit / n,
        "asof_p50": statistics.median(asof_s),
        "asof_p99": _p(asof_s, 0.99),
        "asof_read_p50": statistics.median(read_s),
        "current_p50": statistics.median(current_s),
        "page_p50": statistics.median(page_s),
        "page_p99": _p(page_s, 0.99),
        "quads": quads_total,
    }


def main() -> int:
    parser = catalog_parser(__doc__.splitlines()[0], [10000], "seconds per catalog size before giving up")
    parser.add_argument("--commits", type=int, default=10000, help="commits recorded per catalog size")
    parser.add_argument("--reads", type=int, default=200, help="asOf reads and feed pages timed")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        directory = catalog(size, args.seed)
        result: Measurement = measure(
            "bench_history:history_at_scale",
            str(directory),
            str(args.commits),
            str(args.reads),
            timeout=args.budget,
        )
        print(size, result, file=sys.stderr)
        if result.seconds is None:
            rows.append([f"{size:,}", result.time_cell(), *["—"] * 10])
            continue
        info = result.info

        def ms(key: str, info: dict[str, object] = info) -> str:
            return f"{float(info[key]) * 1000:.1f}"  # type: ignore[arg-type]

        rows.append(
            [
                f"{size:,}",
                f"{info['commits']:,}",
                ms("asof_p50"),
                ms("asof_p99"),
                ms("asof_read_p50"),
                ms("current_p50"),
                ratio(float(info["current_p50"]), float(info["asof_p50"])),  # type: ignore[arg-type]
                ms("page_p50"),
                f"{float(info['bytes_per_commit']):,.0f}",  # type: ignore[arg-type]
                f"{float(info['sst_bytes_per_commit']):,.0f}",  # type: ignore[arg-type]
                f"{float(info['audit_bytes_per_commit']):,.0f}",  # type: ignore[arg-type]
                f"{float(info['recording_s']):.0f}",  # type: ignore[arg-type]
            ]
        )
    table = markdown_table(
        [
            "vendors",
            "commits",
            "asOf p50 ms",
            "asOf p99 ms",
            "asOf + read model p50 ms",
            "baseline: current graphs p50 ms",
            "baseline / asOf",
            "feed page (50) p50 ms",
            "disk growth per commit, bytes",
            "after compaction (SST), bytes",
            "audit record, N-Quads bytes",
            "recording s",
        ],
        rows,
    )
    body = f"""\
What it measures: a generated catalog in an on-disk store with one recorded
commit per vendor (each adds one `sa:role`; recorded through `Store.commit`,
the function every governed write ends in, so the audit records are the
server's — without the per-write SHACL check and checkpoint, which
`bench_writes.py` measures). Then, for vendors spread over the catalog: the
vendor's graphs as of the instant before its commit (`history.asof.vendor_at`:
the commit found through `sa:touchedVendor`, undone), the same with the read
model on top (what `vendor(id:, asOf:)` and `/id/…?asOf=` add: a scratch
store and one vendor read), and a feed page (`commits_after`, 50 commits with
their quads, at random cursors). Baseline: reading the same vendor's current
graphs. Growth per commit: the RocksDB directory after the commits minus
before (flushed: write-ahead log and new SST files), the SST files after a
compaction (`optimize`), and the audit record itself (its quads as N-Quads).
Most of the directory's growth is the commit rewriting the whole vendor graph
(`DROP GRAPH` + `INSERT DATA`, see docs/writes.md), not the history. Goal of issue 13: asOf and a
feed page p50 ≤ 20 ms at 10,000 vendors with 10,000 commits. Single run on a
shared 2-core machine.

{table}
{reproduce_footer(command_line("bench_history.py", args, "budget", "commits", "reads"))}"""
    print(body)
    if not args.no_doc:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
