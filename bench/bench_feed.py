"""Change-feed pages at N vendors with N recorded commits, on an on-disk store, against the audit trail page.

One fresh process per catalog size:

- the generated catalog is loaded into an in-memory store and N commits are
  made with ``Store.commit`` (one ``sa:role`` added to a vendor each, spread
  over the catalog, each with its audit record: the commit log the feed reads).
  The SHACL check of the write path is skipped here: it is what
  ``bench_writes.py`` measures, and N validated writes would take the budget.
  Not timed;
- the result is bulk-loaded into a new on-disk store (``PersistentStore``, what
  ``serve --store`` runs on) and read through a reader of its published
  checkpoint, as a uvicorn worker reads it;
- timed: ``stackatlas.feed.entries.page`` (what ``GET /changes``, GraphQL
  ``changes`` and ``stackatlas changes`` run) at random cursors, 20 and 100
  commits per page, unfiltered and filtered by one vendor; p50/p99;
- baseline in the same process: the audit trail page GraphQL ``commits`` reads
  (``read_commits``: the commits' numbers, authors, messages, no quads and no
  descriptions), 100 commits.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from common import (
    Measurement,
    catalog,
    catalog_parser,
    command_line,
    markdown_table,
    measure,
    reproduce_footer,
    write_section,
)

SECTION = "Change feed"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]


def feed_pages(directory: str, count: str, samples: str, sizes: str) -> dict[str, object]:
    import time

    import pyoxigraph as ox

    from stackatlas.feed.entries import page
    from stackatlas.graphql.mutations import read_commits
    from stackatlas.loader import catalog_sources
    from stackatlas.store import OxigraphStore
    from stackatlas.store.changes import ChangeSet
    from stackatlas.store.persistent import PersistentStore
    from stackatlas.vocab import GRAPH, SA, vendor_iri
    from stackatlas.writes.transaction import activity, describe

    n, tries = int(count), int(samples)
    limits = [int(x) for x in sizes.split(",")]
    memory = OxigraphStore()
    memory.load(catalog_sources([Path(directory)]))
    base = len(memory)
    slugs = sorted(p.stem for p in (Path(directory) / "vendors").glob("*.ttl"))
    started = time.perf_counter()
    describing: list[float] = []
    for i in range(n):
        slug = slugs[(i * 7919) % len(slugs)]
        quad = ox.Quad(
            ox.NamedNode(str(vendor_iri(slug))),
            ox.NamedNode(str(SA.role)),
            ox.Literal(f"bench role {i}"),
            ox.NamedNode(str(GRAPH[f"vendors/{slug}"])),
        )
        changes = ChangeSet.of([quad])
        # what the write path adds per write: the commit described once, stored with its record
        began = time.perf_counter()
        words = tuple(describe(memory, changes, memory.graph_quads(changes.graphs)))
        describing.append(time.perf_counter() - began)
        memory.commit(changes, {}, replace(activity("bench", f"bench commit {i}", "bench"), descriptions=words))
    committing = time.perf_counter() - started
    grown = len(memory) - base
    with tempfile.TemporaryDirectory(prefix="stackatlas-bench-feed-") as scratch:
        root = Path(scratch) / "store"
        root.mkdir()
        writer = PersistentStore(root, writer=True)
        with writer.exclusive() as primary:
            primary.bulk_extend(memory.ox)
            writer.bump_generation()
        writer.close()
        del memory
        store = PersistentStore(root, writer=False)
        rng = random.Random(42)
        vendor = str(vendor_iri(slugs[0]))
        results: dict[str, object] = {}
        kinds = [(f"page{x}", x, False) for x in limits] + [("vendor100", 100, True)]
        for name, limit, filtered in kinds:
            timings = []
            for _ in range(tries):
                since = 0 if filtered else rng.randrange(0, n - limit)
                started = time.perf_counter()
                found = page(store, since, limit, vendor=vendor if filtered else None)
                timings.append(time.perf_counter() - started)
                assert found.entries, "a page of the feed is never empty here"
            results[name] = _percentiles(timings)
        timings = []
        for _ in range(tries):
            before = rng.randrange(100, n + 1)
            started = time.perf_counter()
            commits, _more = read_commits(store, 100, before)
            timings.append(time.perf_counter() - started)
            assert len(commits) == 100
        results["audit100"] = _percentiles(timings)
    return {
        "commits": n,
        "samples": tries,
        "commit_seconds": committing,
        "describe": _percentiles(describing),
        "quads_per_commit": grown / n,
        **results,
    }


def main() -> int:
    parser = catalog_parser(__doc__.splitlines()[0], [1000, 10000], "seconds per catalog size before giving up")
    parser.add_argument("--samples", type=int, default=30, help="pages timed per kind of page")
    parser.add_argument("--page-sizes", default="20,100", help="commits per page, comma-separated")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        directory = catalog(size, args.seed)
        result: Measurement = measure(
            "bench_feed:feed_pages",
            str(directory),
            str(size),
            str(args.samples),
            args.page_sizes,
            timeout=args.budget,
        )
        print(size, result, file=sys.stderr)
        if result.seconds is None:
            rows.append([f"{size:,}", result.time_cell(), *(["—"] * 7)])
            continue
        info = result.info

        def ms(key: str, info: dict[str, object] = info) -> str:
            if key not in info:
                return "not run"
            p50, p99 = info[key]  # type: ignore[misc]
            return f"{p50 * 1000:.1f} / {p99 * 1000:.1f}"

        audit = info["audit100"][0]  # type: ignore[index]
        feed = info["page100"][0] if "page100" in info else None  # type: ignore[index]
        rows.append(
            [
                f"{size:,}",
                f"{info['commits']:,}",
                ms("page20"),
                ms("page100"),
                ms("vendor100"),
                ms("audit100"),
                f"{feed / audit:.1f}×" if feed is not None else "—",
                f"{info['quads_per_commit']:.0f}",
                ms("describe"),
            ]
        )
    table = markdown_table(
        [
            "vendors",
            "commits",
            "feed page of 20, p50 / p99 ms",
            "feed page of 100, p50 / p99 ms",
            "one vendor's page, p50 / p99 ms",
            "baseline: audit page of 100, p50 / p99 ms",
            "feed page of 100 / audit page",
            "audit quads per commit",
            "describing a commit when made (added per write), p50 / p99 ms",
        ],
        rows,
    )
    body = f"""\
What it measures: `stackatlas.feed.entries.page`, what `GET /changes`, GraphQL
`changes` and `stackatlas changes` run — the commits after a cursor read back
from the audit graph (`stackatlas.history.log.commits_after`) with their
changes in the catalog's words, stored with each commit's audit record when it
was made — on an on-disk store holding a generated catalog of N vendors and N
commits (one `sa:role` added per commit, spread over the catalog; each described
as the write path does (`stackatlas.writes.transaction.describe`, timed: the
cost it adds to a write) and made with `Store.commit`, without the write path's
SHACL check, which `bench_writes.py` measures), read through a reader of the
published checkpoint. Pages start at random cursors; "one vendor's page" is the
commits of one vendor (`vendor=`). Baseline, same process and store: the audit
trail page GraphQL `commits` reads (numbers, authors, messages; no quads, no
descriptions). The issue's goal for a feed page p50 is 20 ms.

{table}

{reproduce_footer(command_line("bench_feed.py", args, "samples") + f" --page-sizes {args.page_sizes}")}"""
    print(body)
    if not args.no_doc:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
