"""Load and validate a generated catalog: stackatlas against plain rdflib + pyshacl.

For each size, four steps run in fresh processes on the same files:

- load, stackatlas: ``open_store().load(catalog_sources([dir]))`` (pyoxigraph);
- load, baseline: the plain rdflib way, every file parsed into its named graph
  of an in-memory ``rdflib.Dataset``;
- validate, stackatlas: ``stackatlas.validation.validate(catalog_sources([dir]))``
  (loads the store itself, so its time includes loading);
- validate, baseline: the files parsed into an in-memory ``rdflib.Dataset`` and
  checked by pyshacl against the same shapes, timed from files to report like
  the stackatlas step. A Dataset rather than a single Graph because one shape
  asks which named graph (file) states a vendor, which a plain Graph cannot
  answer; pyshacl validates a Dataset as the union of its graphs.

A step that runs past its budget is killed and reported as not finished.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyshacl
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
from stackatlas.loader import catalog_sources
from stackatlas.store import open_store
from stackatlas.validation import load_shapes, validate

SECTION = "Load and validate"


def load_stackatlas(directory: str) -> dict[str, object]:
    store = open_store()
    store.load(catalog_sources([Path(directory)]))
    return {"quads": len(store)}


def _rdflib_dataset(directory: str) -> Dataset:
    dataset = Dataset()
    for source in catalog_sources([Path(directory)]):
        dataset.graph(URIRef(source.graph)).parse(source.path, format="turtle", publicID=source.graph)
    return dataset


def load_rdflib(directory: str) -> dict[str, object]:
    return {"quads": len(_rdflib_dataset(directory))}


def validate_stackatlas(directory: str) -> dict[str, object]:
    report = validate(catalog_sources([Path(directory)]))
    return {"violations": len(report.violations), "warnings": len(report.warnings)}


def validate_pyshacl(directory: str) -> dict[str, object]:
    dataset = _rdflib_dataset(directory)
    shapes = load_shapes()  # as written: the baseline does not get stackatlas' hoisting
    start = time.perf_counter()
    # advanced=True as stackatlas uses it: without it pyshacl skips the
    # SPARQL-targeted shapes and the baseline would do less work.
    conforms, _graph, _text = pyshacl.validate(
        dataset, shacl_graph=shapes, inference="none", advanced=True, allow_infos=True, allow_warnings=True
    )
    return {"conforms": bool(conforms), "pyshacl_seconds": time.perf_counter() - start}


def run_size(
    n: int, seed: int, budget: float, gave_up: dict[str, str]
) -> tuple[list[list[str]], dict[str, Measurement]]:
    """Table rows for one catalog size: load and validate, stackatlas beside the baseline.

    Also returns stackatlas' own measurement per step, for the growth summary.

    ``gave_up`` maps a step that ran out of budget at a smaller size to why it
    is not run again: a bigger catalog cannot finish sooner, and each try would
    hold a core of the shared machine for the whole budget.
    """
    started = time.perf_counter()
    directory = str(catalog(n, seed))
    print(f"[{n}] catalog ready in {time.perf_counter() - started:.1f} s: {directory}", flush=True)
    rows = []
    ours: dict[str, Measurement] = {}
    for step, ours_fn, base_fn in (
        ("load", "load_stackatlas", "load_rdflib"),
        ("validate", "validate_stackatlas", "validate_pyshacl"),
    ):
        results = []
        for fn in (ours_fn, base_fn):
            if fn in gave_up:
                result = Measurement(failure=gave_up[fn])
            else:
                result = measure(f"bench_load_validate:{fn}", directory, timeout=budget)
                if result.failure and result.failure.startswith("did not finish"):
                    gave_up[fn] = f"not run ({result.failure} at {n:,})"
            print(f"[{n}] {fn}: {result}", flush=True)
            results.append(result)
        rows.append(_row(n, step, *results))
        ours[step] = results[0]
    return rows, ours


def growth(ours: dict[int, dict[str, Measurement]]) -> str:
    """How stackatlas' time for each step grows from the smallest size to the largest measured."""
    small, large = min(ours), max(ours)
    lines = []
    for step in ("load", "validate"):
        a, b = ours[small][step].seconds, ours[large][step].seconds
        if small == large or a is None or b is None:
            continue
        lines.append(
            f"- stackatlas {step}: {a:.2f} s at {small:,} vendors, {b:.2f} s at {large:,} "
            f"({b / a:.1f}× the time for {large / small:g}× the data)."
        )
    return "\n".join(lines)


def _facts(m: Measurement) -> str:
    """What the step found (quads loaded, violations …), so both sides are seen to agree."""
    if m.failure:
        return "—"
    facts = []
    for key, value in m.info.items():
        if key.endswith("_seconds"):
            facts.append(f"{key.removesuffix('_seconds')} alone {value:.1f} s")
        elif isinstance(value, int) and not isinstance(value, bool):
            facts.append(f"{key} {value:,}")
        else:
            facts.append(f"{key} {value}")
    return ", ".join(facts) or "—"


def _row(n: int, step: str, ours: Measurement, base: Measurement) -> list[str]:
    return [
        f"{n:,}",
        step,
        ours.time_cell(),
        base.time_cell(),
        ratio(base.seconds, ours.seconds),
        ours.memory_cell(),
        base.memory_cell(),
        ratio(base.peak_rss_mib, ours.peak_rss_mib),
        _facts(ours),
        _facts(base),
    ]


HEADERS = [
    "vendors",
    "step",
    "stackatlas s",
    "baseline s",
    "time ratio",
    "stackatlas peak RSS MiB",
    "baseline peak RSS MiB",
    "memory ratio",
    "stackatlas found",
    "baseline found",
]


def main(argv: list[str] | None = None) -> int:
    parser = catalog_parser(
        "Benchmark loading and validating generated catalogs, stackatlas beside rdflib + pyshacl.",
        [1000, 10000],
        budget_help="seconds a single step may run before it is reported as not finished",
    )
    args = parser.parse_args(argv)

    gave_up: dict[str, str] = {}
    rows: list[list[str]] = []
    ours: dict[int, dict[str, Measurement]] = {}
    for n in sorted(args.sizes):
        size_rows, ours[n] = run_size(n, args.seed, args.budget, gave_up)
        rows += size_rows
    table = markdown_table(HEADERS, rows) + "\n" + growth(ours) + "\n"
    print(table)
    if not args.no_doc:
        write_section(SECTION, _section(table, command_line("bench_load_validate.py", args, "budget")))
    return 0


def _section(table: str, command: str) -> str:
    return f"""\
What it measures: turning a generated catalog (`bench/generate.py`, one Turtle file
per vendor) into a queryable store, and checking it against the SHACL shapes.

- **load** — stackatlas: `open_store().load(catalog_sources([dir]))`, pyoxigraph in
  memory, one named graph per file. Baseline: the same files parsed with rdflib into
  the named graphs of an in-memory `rdflib.Dataset`.
- **validate** — stackatlas: `stackatlas.validation.validate(catalog_sources([dir]))`,
  which loads its own store and runs pyshacl over it (SPARQL constraints on
  Oxigraph). Baseline: the files parsed into an in-memory `rdflib.Dataset` and
  validated by pyshacl against the same shapes. Both are timed from files to
  report, so both include parsing. The baseline uses a Dataset rather than a single
  Graph because one shape asks which file (named graph) states a vendor.
- Each step runs in a fresh Python process. Its time is measured inside that
  process around the step alone (start-up and imports excluded); its memory is
  the process's peak resident set size (imports of rdflib, pyshacl and stackatlas
  included, about 55 MiB on either side).
- Ratios are baseline / stackatlas: above 1 means stackatlas is faster or smaller.
  A step still running after the budget is killed and shown as not finished; it is
  then not tried again on the larger sizes (it cannot finish sooner there).
- The baseline validation runs pyshacl with `advanced=True`, as stackatlas does:
  without it pyshacl skips the SPARQL-targeted shapes and does less work.
- stackatlas validates with the cyclic garbage collector paused
  (`stackatlas.validation.collector_paused`); the baseline runs pyshacl as it comes.
- Each cell is a single run on a 2-core machine shared with other work running at
  the same time (tests, servers, other benchmarks): treat the times as noisy by tens
  of percent and the ratios as indicative.

{table}
{reproduce_footer(command)}"""


if __name__ == "__main__":
    sys.exit(main())
