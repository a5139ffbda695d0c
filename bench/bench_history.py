"""History at scale: asOf of one vendor and a feed page with N commits recorded, and the growth per commit.

One fresh process per catalog size:

- the generated catalog is loaded into a new on-disk store (RocksDB through
  ``OxigraphStore(path)``; loading is not timed);
- ``--commits`` commits are recorded, one per vendor, each adding one
  ``sa:role``. All but the last ``--through-commit`` take a **direct path**:
  the audit record comes from ``stackatlas.store.audit.record`` with the same
  inputs ``Store.commit`` gives it (so the records are the server's, up to the
  commit's random IRI), and the records with the added quads are bulk-loaded
  at once instead of one SPARQL Update transaction each. The last
  ``--through-commit`` go through ``Store.commit`` itself (timed). Neither runs
  the SHACL check nor publishes a checkpoint per commit: those are the write
  path's costs, measured by ``bench_writes.py``;
- growth per commit: the audit record itself (its quads as N-Quads) and, for
  the commits through ``Store.commit``, the directory after them (flushed:
  write-ahead log and new SST files) and the SST files after compaction;
- the ``asOf`` read of one vendor, for ``--reads`` vendors spread over the
  catalog, as of the instant before its commit: what ``vendor(id:, asOf:)`` and
  ``/id/…?asOf=`` do (``stackatlas.history.asof.vendor_store`` and one vendor
  record read from it), first (nothing of that vendor read before) and again
  (the kept past store); p50/p99. Baseline in the same loop: the vendor's
  record read from the current store (``Reader.read``);
- the reconstruction alone (``stackatlas.history.asof.vendor_at``: one commit
  found and undone) and, as its baseline, the vendor's current graphs
  (``Store.graph_quads``);
- a feed page: ``commits_after(store, n, 50)`` at random cursors (50 commits
  with their quads);
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


def history_at_scale(directory: str, commits: str, reads: str, through_commit: str) -> dict[str, object]:
    import random
    import tempfile
    import time
    from datetime import UTC, datetime, timedelta

    import pyoxigraph as ox

    from stackatlas import readmodel as rm
    from stackatlas.history import asof
    from stackatlas.history.log import commits_after, last_sequence
    from stackatlas.loader import catalog_sources
    from stackatlas.store import OxigraphStore, audit
    from stackatlas.store.audit import vendor_graphs
    from stackatlas.store.changes import Activity, ChangeSet
    from stackatlas.vocab import AUDIT_GRAPH, GRAPH, SA, vendor_iri

    n, r, committed = int(commits), int(reads), int(through_commit)
    with tempfile.TemporaryDirectory(prefix="stackatlas-bench-history-", dir=Path(directory).parent) as scratch:
        path = Path(scratch) / "store"
        store = OxigraphStore(path)
        staging = store.parse(catalog_sources([Path(directory)]))
        store.ox.bulk_extend(staging)
        del staging
        store.ox.flush()
        store.ox.optimize()
        slugs = sorted(p.stem for p in (Path(directory) / "vendors").glob("*.ttl"))
        role = ox.NamedNode(str(SA.role))
        start = datetime(2026, 1, 1, tzinfo=UTC)
        times: dict[str, datetime] = {}

        def change(i: int) -> tuple[str, ChangeSet, Activity]:
            slug = slugs[i % len(slugs)]
            graph = ox.NamedNode(str(GRAPH[f"vendors/{slug}"]))
            quad = ox.Quad(ox.NamedNode(str(vendor_iri(slug))), role, ox.Literal(f"bench role {i}"), graph)
            at = start + timedelta(seconds=i)
            times.setdefault(slug, at)
            return slug, ChangeSet.of([quad]), Activity("bench", f"bench {i}", "bench", at)

        # the direct path: the audit record Store.commit writes (same function, same inputs), and the
        # added quad, loaded in one bulk load instead of one update transaction per commit
        started = time.perf_counter()
        batch: list[ox.Quad] = []
        for i in range(n):
            slug, changes, activity = change(i)
            before = store.graph_quads([str(GRAPH[f"vendors/{slug}"])])
            batch += changes.added
            batch += audit.record(activity, changes, i + 1, before)[1]
        store.ox.bulk_extend(batch)
        store.bump_generation()
        del batch
        store.ox.flush()
        store.ox.optimize()
        recording = time.perf_counter() - started
        assert last_sequence(store) == n

        rng = random.Random(7)
        touched = list(times)
        sample = [touched[(k * len(touched)) // r] for k in range(r)]
        asof_s, read_s, again_s, current_s, current_read_s, page_s = [], [], [], [], [], []
        for slug in sample:
            vendor = str(vendor_iri(slug))
            point = asof.sequence_at(store, times[slug] - timedelta(microseconds=1), vendor=vendor)
            # first the user-facing read (nothing of this vendor read before in this process)
            t = time.perf_counter()
            held = asof.vendor_store(store, vendor, point)
            assert held is not None
            record = rm.reader_for(held).read([vendor])[vendor]
            read_s.append(time.perf_counter() - t)
            assert record is not None and not any(r.startswith("bench role") for r in record.core.roles)
            t = time.perf_counter()
            held = asof.vendor_store(store, vendor, point)
            assert held is not None
            rm.reader_for(held).read([vendor])
            again_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            past = asof.vendor_at(store, vendor, point)
            asof_s.append(time.perf_counter() - t)
            assert past and not any(q.predicate == role for q in past if "bench role" in str(q.object))
            t = time.perf_counter()
            store.graph_quads(vendor_graphs(vendor))
            current_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            rm.reader_for(store).read([vendor])
            current_read_s.append(time.perf_counter() - t)
            cursor = rng.randrange(0, max(1, n - 50))
            t = time.perf_counter()
            page = commits_after(store, cursor, 50)
            page_s.append(time.perf_counter() - t)
            assert [c.sequence for c in page] == list(range(cursor + 1, cursor + 1 + len(page)))
        # then the server's path, for the growth per commit: Store.commit, one SPARQL Update
        # transaction each. After the reads: its versions graph is a system graph, and a store
        # holding one answers public reads through a listed dataset, which the server never
        # does (it reads the published copy without system graphs, docs/persistence.md)
        sst_direct = _du(path, ".sst")
        size_before_commits, commit_s = _du(path), []
        for i in range(n, n + committed):
            slug, changes, activity = change(i)
            t = time.perf_counter()
            store.commit(changes, {}, activity)
            commit_s.append(time.perf_counter() - t)
        store.ox.flush()
        size_after = _du(path)
        store.ox.optimize()
        sst_after = _du(path, ".sst")
        audit_bytes = len(store.dump("application/n-quads", str(AUDIT_GRAPH)))
        assert last_sequence(store) == n + committed
        quads_total = len(store)
    return {
        "commits": n,
        "recording_s": recording,
        "committed": committed,
        "commit_p50": statistics.median(commit_s) if commit_s else 0.0,
        "bytes_per_commit": (size_after - size_before_commits) / max(1, committed),
        "sst_bytes_per_commit": (sst_after - sst_direct) / max(1, committed),
        "audit_bytes_per_commit": audit_bytes / (n + committed),
        "asof_p50": statistics.median(asof_s),
        "asof_p99": _p(asof_s, 0.99),
        "asof_read_p50": statistics.median(read_s),
        "asof_read_p99": _p(read_s, 0.99),
        "asof_again_p50": statistics.median(again_s),
        "current_read_p50": statistics.median(current_read_s),
        "current_p50": statistics.median(current_s),
        "page_p50": statistics.median(page_s),
        "page_p99": _p(page_s, 0.99),
        "quads": quads_total,
    }


def main() -> int:
    parser = catalog_parser(__doc__.splitlines()[0], [10000], "seconds per catalog size before giving up")
    parser.add_argument("--commits", type=int, default=10000, help="commits recorded per catalog size")
    parser.add_argument(
        "--through-commit",
        type=int,
        default=200,
        help="commits then made through Store.commit, after the reads, for the growth per commit",
    )
    parser.add_argument("--reads", type=int, default=200, help="asOf reads and feed pages timed")
    args = parser.parse_args()
    reads, growth = [], []
    for size in args.sizes:
        directory = catalog(size, args.seed)
        result: Measurement = measure(
            "bench_history:history_at_scale",
            str(directory),
            str(args.commits),
            str(args.reads),
            str(args.through_commit),
            timeout=args.budget,
        )
        print(size, result, file=sys.stderr)
        if result.seconds is None:
            reads.append([f"{size:,}", result.time_cell(), *["—"] * 8])
            growth.append([f"{size:,}", result.time_cell(), *["—"] * 4])
            continue
        info = result.info

        def ms(key: str, info: dict[str, object] = info) -> str:
            return f"{float(info[key]) * 1000:.1f}"  # type: ignore[arg-type]

        def size_of(key: str, info: dict[str, object] = info) -> str:
            return f"{float(info[key]):,.0f}"  # type: ignore[arg-type]

        reads.append(
            [
                f"{size:,}",
                f"{info['commits']:,}",
                ms("asof_read_p50"),
                ms("asof_read_p99"),
                ms("asof_again_p50"),
                ms("current_read_p50"),
                ratio(float(info["current_read_p50"]), float(info["asof_read_p50"])),  # type: ignore[arg-type]
                ms("asof_p50"),
                ms("asof_p99"),
                ms("current_p50"),
                ms("page_p50"),
            ]
        )
        growth.append(
            [
                f"{size:,}",
                size_of("audit_bytes_per_commit"),
                f"{info['committed']:,}",
                ms("commit_p50"),
                size_of("bytes_per_commit"),
                size_of("sst_bytes_per_commit"),
            ]
        )
    read_table = markdown_table(
        [
            "vendors",
            "commits",
            "asOf read p50 ms",
            "asOf read p99 ms",
            "same asOf again p50 ms",
            "baseline: current read p50 ms",
            "baseline / asOf read",
            "graphs as of p50 ms",
            "graphs as of p99 ms",
            "current graphs p50 ms",
            "feed page (50) p50 ms",
        ],
        reads,
    )
    growth_table = markdown_table(
        [
            "vendors",
            "audit record, N-Quads bytes/commit",
            "further commits through Store.commit",
            "Store.commit p50 ms",
            "directory growth bytes/commit (flushed)",
            "SST bytes/commit after compaction",
        ],
        growth,
    )
    body = f"""\
What it measures: a generated catalog in an on-disk store with one recorded
commit per vendor (each adds one `sa:role`), recorded by a direct path — the
audit record `Store.commit` would write (`store.audit.record`, same inputs),
bulk-loaded. Then, for vendors spread over the catalog, at the instant before the vendor's
commit: the **asOf read** — what `vendor(id:, asOf:)` and `/id/…?asOf=` do,
`history.asof.vendor_store` (the vendor's graphs rewound, in a small scratch
store with the vocabularies and the names it points at) and one vendor record
read from it, the first read of that vendor in the process — and the same read
again (kept: a past state never changes); baseline, in the same loop: the same
vendor's record read now (`readmodel.Reader.read` on the store). Then the
reconstruction alone (`history.asof.vendor_at`: the commit found through
`sa:touchedVendor`, undone; its blocks are cached by then) against the
vendor's current graphs, and a feed page (`commits_after`, 50 commits with
their quads, at random cursors). Goal of issue 13:
asOf and a feed page p50 ≤ 20 ms at 10,000 vendors with 10,000 commits. Single
run on a shared 2-core machine (other benchmarks and test suites ran at the
same time).

{read_table}
Growth per commit: the audit record itself (N-Quads); then, for further
commits made after the reads through `Store.commit` itself (no SHACL check,
no checkpoint per commit, no stored words: `bench_writes.py` and
`bench_feed.py` measure those; after the reads because their versions graph
is a system graph, and a store holding one answers public reads through a
listed dataset, which the server never does: it reads the published copy,
docs/persistence.md), the directory's growth before compaction, which is mostly the commit rewriting
the whole vendor graph (`DROP GRAPH` + `INSERT DATA`, docs/writes.md) and
RocksDB's write-ahead log, and the SST files' growth after compaction (what the
store keeps per commit: the audit record in every quad index, compressed).

{growth_table}
{reproduce_footer(command_line("bench_history.py", args, "budget", "commits", "through_commit", "reads"))}"""
    print(body)
    if not args.no_doc:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
