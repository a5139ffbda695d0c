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
- ``asOf`` of one vendor: the vendor's graphs as of the instant before its
  commit (``stackatlas.history.asof.vendor_at``: one commit found and undone),
  for ``--reads`` vendors spread over the catalog; p50/p99. The same with the
  read model on top (what ``vendor(id:, asOf:)`` and ``/id/…?asOf=`` do: the
  scratch store and one vendor record read from it);
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
        direct = n - committed
        batch: list[ox.Quad] = []
        for i in range(direct):
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
        sst_direct = _du(path, ".sst")  # the bulk load's files are not comparable: growth is taken below
        # the server's path for the rest: Store.commit, one SPARQL Update transaction each
        size_before_commits, commit_s = _du(path), []
        for i in range(direct, n):
            slug, changes, activity = change(i)
            t = time.perf_counter()
            store.commit(changes, {}, activity)
            commit_s.append(time.perf_counter() - t)
        store.ox.flush()
        size_after = _du(path)
        store.ox.optimize()
        sst_after = _du(path, ".sst")
        audit_bytes = len(store.dump("application/n-quads", str(AUDIT_GRAPH)))
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
            record = rm.reader_for(asof.scratch(store, quads)).read([vendor])[vendor]
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
        "committed": committed,
        "commit_p50": statistics.median(commit_s) if commit_s else 0.0,
        "bytes_per_commit": (size_after - size_before_commits) / max(1, committed),
        "sst_bytes_per_commit": (sst_after - sst_direct) / max(1, committed),
        "audit_bytes_per_commit": audit_bytes / n,
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
    parser.add_argument(
        "--through-commit", type=int, default=200, help="of those, recorded through Store.commit"
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
            reads.append([f"{size:,}", result.time_cell(), *["—"] * 6])
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
                ms("asof_p50"),
                ms("asof_p99"),
                ms("asof_read_p50"),
                ms("current_p50"),
                ratio(float(info["current_p50"]), float(info["asof_p50"])),  # type: ignore[arg-type]
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
            "asOf p50 ms",
            "asOf p99 ms",
            "asOf + read model p50 ms",
            "baseline: current graphs p50 ms",
            "baseline / asOf",
            "feed page (50) p50 ms",
        ],
        reads,
    )
    growth_table = markdown_table(
        [
            "vendors",
            "audit record, N-Quads bytes/commit",
            "commits through Store.commit",
            "Store.commit p50 ms",
            "directory growth bytes/commit (flushed)",
            "SST bytes/commit after compaction",
        ],
        growth,
    )
    body = f"""\
What it measures: a generated catalog in an on-disk store with one recorded
commit per vendor (each adds one `sa:role`). Most are recorded by a direct
path — the audit record `Store.commit` would write (`store.audit.record`,
same inputs), bulk-loaded — and the last ones through `Store.commit` itself
(no SHACL check, no checkpoint per commit: `bench_writes.py` measures those).
Then, for vendors spread over the catalog: the vendor's graphs as of the instant
before its commit (`history.asof.vendor_at`: the commit found through
`sa:touchedVendor`, undone), the same with the read model on top (what
`vendor(id:, asOf:)` and `/id/…?asOf=` add: a scratch store and one vendor
read), and a feed page (`commits_after`, 50 commits with their quads, at random
cursors). Baseline: reading the same vendor's current graphs. Goal of issue 13:
asOf and a feed page p50 ≤ 20 ms at 10,000 vendors with 10,000 commits. Single
run on a shared 2-core machine (other benchmarks and test suites ran at the
same time).

{read_table}
Growth per commit: the audit record itself (N-Quads); through `Store.commit`,
the directory's growth before compaction, which is mostly the commit rewriting
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
