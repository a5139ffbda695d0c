"""Integration-map selection on a generated catalog: stackatlas's selection on Oxigraph beside rdflib.

The same ``stackatlas.export.selection.select_map`` code runs against two stores
holding the same files: stackatlas's ``OxigraphStore`` and a baseline store whose
``select`` is rdflib's SPARQL engine over an in-memory ``rdflib.Dataset`` (the
plain-Python way to query RDF). Two selections are timed for each:

- **neighbourhood**: one vendor, depth 1, integrations and alternatives — what a
  vendor page's map and export links ask for (one query per hop, ``VALUES`` for
  the frontier, so it should not grow with the catalog);
- **whole catalog**: every integration and alternative with every vendor.

Loading is not timed (``bench_load_validate.py`` measures it); each step runs in
a fresh process and times its selections inside it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, URIRef

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
from stackatlas.export.formats import MAP_FORMATS
from stackatlas.export.selection import MapQuery, build_query, select_map
from stackatlas.loader import SourceFile, catalog_sources
from stackatlas.store import Row, Store, open_store
from stackatlas.store.oxigraph import OxigraphStore
from stackatlas.vocab import sparql_prologue

SECTION = "Integration-map selection"
REPEAT = 5


class RdflibSelectStore(OxigraphStore):
    """The baseline: ``select`` answered by rdflib's SPARQL engine over an rdflib Dataset.

    Only ``select`` is used by the selection code; it is the one method
    replaced. The files are parsed into the Dataset the way rdflib users do.
    """

    def load(self, sources: Sequence[SourceFile]) -> None:
        self.dataset = Dataset(default_union=True)
        for source in sources:
            self.dataset.graph(URIRef(source.graph)).parse(source.path, format="turtle", publicID=source.graph)

    def select(self, query: str) -> list[Row]:
        result = self.dataset.query(query)
        names = [str(v) for v in result.vars or []]
        return [{n: (row[n].toPython() if row[n] is not None else None) for n in names} for row in result]


def _queries(store: Store) -> dict[str, MapQuery]:
    entries = store.select(sparql_prologue() + "SELECT ?v WHERE { ?v a sa:CatalogEntry }")
    first = min(str(r["v"]) for r in entries)
    return {
        "neighbourhood": build_query(vendors=[first], depth=1),
        "whole catalog": build_query(),
    }


def _time(store: Store, query: MapQuery) -> tuple[float, int]:
    best = float("inf")
    edges = 0
    for _ in range(REPEAT):
        # The read model caches whole-catalog maps and vocabularies per store
        # generation; a bump (what a write does) makes each run compute them.
        store.bump_generation()
        start = time.perf_counter()
        graph = select_map(store, query)
        best = min(best, time.perf_counter() - start)
        edges = len(graph.edges)
    return best, edges


def _run(store: Store, directory: str) -> dict[str, object]:
    store.load(catalog_sources([Path(directory)]))
    info: dict[str, object] = {}
    for name, query in _queries(store).items():
        seconds, edges = _time(store, query)
        info[name] = {"seconds": seconds, "edges": edges}
    return info


def select_stackatlas(directory: str) -> dict[str, object]:
    store = open_store()
    info = _run(store, directory)
    graph = select_map(store, build_query())
    formats: dict[str, dict[str, float]] = {}
    for name, fmt in MAP_FORMATS.items():
        start = time.perf_counter()
        size = len(fmt.encode(graph))
        formats[name] = {"seconds": time.perf_counter() - start, "bytes": size}
    return {**info, "formats": formats}


def select_rdflib(directory: str) -> dict[str, object]:
    return _run(RdflibSelectStore(), directory)


HEADERS = ["vendors", "selection", "edges", "stackatlas (ms)", "rdflib baseline (ms)", "baseline / stackatlas"]


def run_size(n: int, seed: int, budget: float) -> tuple[list[list[str]], Measurement]:
    directory = str(catalog(n, seed))
    ours = measure("bench_exports:select_stackatlas", directory, timeout=budget)
    base = measure("bench_exports:select_rdflib", directory, timeout=budget)
    rows = []
    for name in ("neighbourhood", "whole catalog"):
        mine = ours.info.get(name) if ours.failure is None else None
        theirs = base.info.get(name) if base.failure is None else None
        mine_s = mine["seconds"] if isinstance(mine, dict) else None
        theirs_s = theirs["seconds"] if isinstance(theirs, dict) else None
        edges = str(mine["edges"]) if isinstance(mine, dict) else "—"
        rows.append(
            [
                f"{n:,}",
                name,
                edges,
                f"{mine_s * 1000:.1f}" if mine_s is not None else str(ours.failure),
                f"{theirs_s * 1000:.1f}" if theirs_s is not None else str(base.failure),
                ratio(theirs_s, mine_s),
            ]
        )
    return rows, ours


def main(argv: list[str] | None = None) -> int:
    parser = catalog_parser(
        "Benchmark integration-map selection, Oxigraph beside rdflib.",
        [100, 1000],
        budget_help="seconds one step may run",
    )
    args = parser.parse_args(argv)

    rows: list[list[str]] = []
    format_rows: list[list[str]] = []
    for n in sorted(args.sizes):
        size_rows, ours = run_size(n, args.seed, args.budget)
        rows += size_rows
        formats = ours.info.get("formats") if ours.failure is None else None
        if isinstance(formats, dict):
            format_rows += [
                [f"{n:,}", name, f"{f['seconds'] * 1000:.1f}", f"{f['bytes']:,}"] for name, f in formats.items()
            ]
    table = markdown_table(HEADERS, rows)
    format_table = markdown_table(["vendors", "format", "write (ms)", "size (bytes)"], format_rows)
    print(table)
    print(format_table)
    if not args.no_doc:
        write_section(SECTION, _section(table, format_table, command_line("bench_exports.py", args, "budget")))
    return 0


def _section(table: str, format_table: str, command: str) -> str:
    return f"""\
What it measures: `stackatlas.export.selection.select_map`, the selection behind
`stackatlas export map`, `/export/map` and the web map, on a generated catalog
(`bench/generate.py`). The same selection code runs on two stores holding the same
files: stackatlas's Oxigraph store, and a baseline whose `select` is rdflib's SPARQL
engine over an in-memory `rdflib.Dataset`.

- **neighbourhood** — one vendor, depth 1, integrations and alternatives (a vendor
  page's map): one SPARQL query per hop with the frontier in `VALUES`, then one for
  the nodes, so its cost follows the neighbourhood rather than the catalog.
- **whole catalog** — every integration and alternative, every vendor with a page.
- Loading is not timed (see *Load and validate*). Each side runs in a fresh process
  and reports the best of {REPEAT} runs of each selection. Ratios are baseline /
  stackatlas: above 1 means stackatlas is faster. Single runs on a shared 2-core
  machine: expect ±20 % noise.

{table}
Writing the whole-catalog map in each format (stackatlas only — each writer is the
library named in `docs/exports.md`; there is no second implementation to compare):

{format_table}
{reproduce_footer(command)}"""


if __name__ == "__main__":
    sys.exit(main())
