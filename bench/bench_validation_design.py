"""Why `stackatlas validate` is built the way it is: each design choice against its baseline.

On the same generated catalog, in fresh processes, pyshacl validates the
loaded data three ways (only the validation is timed; loading is not):

- **stackatlas**: what ships, ``validate_store`` — pyshacl on a view of the
  pyoxigraph store (no copy, SHACL-SPARQL on Oxigraph) with the property
  shapes hoisted to carry their node shapes' targets;
- **nested shapes** (baseline for the hoisting): the same store view, the
  shapes file exactly as written, so pyshacl re-validates every nested
  ``sh:property`` once per focus node;
- **rdflib Dataset** (baseline for the store view): the same hoisted shapes
  on an in-memory ``rdflib.Dataset`` (union of the named graphs), so SPARQL
  targets and constraints run on rdflib's engine.

Every variant must report the same findings (their count is in the table):
the design choices change the cost, not the answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyshacl
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, SH

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
from stackatlas.validation import collector_paused, hoist_property_shapes, load_shapes, validate_store

SECTION = "Validation design"
OPTIONS = {"inference": "none", "advanced": True, "inplace": True, "allow_infos": True, "allow_warnings": True}


def _results(graph: object) -> int:
    return len(set(graph.subjects(RDF.type, SH.ValidationResult)))  # type: ignore[attr-defined]


def shipped(directory: str) -> dict[str, object]:
    sources = catalog_sources([Path(directory)])
    store = open_store()
    store.load(sources)
    report = validate_store(store, sources)
    return {"findings": len(report.findings)}


def nested(directory: str) -> dict[str, object]:
    store = open_store()
    store.load(catalog_sources([Path(directory)]))
    data = store.shacl_data_graph()
    with collector_paused():  # as validate_store runs it, so that only the shapes differ
        _conforms, graph, _text = pyshacl.validate(data, shacl_graph=load_shapes(), **OPTIONS)
    return {"findings": _results(graph)}


def rdflib_dataset(directory: str) -> dict[str, object]:
    dataset = Dataset(default_union=True)
    for source in catalog_sources([Path(directory)]):
        dataset.graph(URIRef(source.graph)).parse(source.path, format="turtle", publicID=source.graph)
    shapes = hoist_property_shapes(load_shapes())
    with collector_paused():  # as validate_store runs it, so that only the data graph differs
        _conforms, graph, _text = pyshacl.validate(dataset, shacl_graph=shapes, **OPTIONS)
    return {"findings": _results(graph)}


VARIANTS = (("stackatlas", "shipped"), ("nested shapes", "nested"), ("rdflib Dataset", "rdflib_dataset"))


def main(argv: list[str] | None = None) -> int:
    parser = catalog_parser(
        "Validation design choices, each beside its baseline.",
        [100, 1000],
        budget_help="seconds one variant may run",
    )
    args = parser.parse_args(argv)

    rows = []
    gave_up: dict[str, str] = {}
    for n in sorted(args.sizes):
        directory = str(catalog(n, args.seed))
        results: dict[str, Measurement] = {}
        for label, function in VARIANTS:
            if function in gave_up:
                results[label] = Measurement(failure=gave_up[function])
            else:
                results[label] = measure(f"bench_validation_design:{function}", directory, timeout=args.budget)
                if results[label].failure and results[label].failure.startswith("did not finish"):
                    gave_up[function] = f"not run ({results[label].failure} at {n:,})"
            print(f"[{n}] {label}: {results[label]}", flush=True)
        ours = results["stackatlas"]
        for label, _function in VARIANTS:
            result = results[label]
            rows.append(
                [
                    f"{n:,}",
                    label,
                    str(result.info.get("findings", "—")),
                    result.time_cell(),
                    "—" if label == "stackatlas" else ratio(result.seconds, ours.seconds),
                    result.memory_cell(),
                ]
            )
    table = markdown_table(
        ["vendors", "variant", "findings", "validate s", "ratio to stackatlas", "peak RSS MiB"], rows
    )
    print(table)
    if not args.no_doc:
        write_section(SECTION, _section(table, command_line("bench_validation_design.py", args, "budget")))
    return 0


def _section(table: str, command: str) -> str:
    return f"""\
What it measures: the two choices that make `stackatlas validate` fast enough for
10k-vendor catalogs (see `docs/validation.md`), each against the variant without
it, on the same loaded catalog. Only pyshacl's run is timed, in a fresh process
per variant; peak RSS includes loading.

- **stackatlas** — what ships: pyshacl on a view of the pyoxigraph store (no copy;
  SHACL-SPARQL runs on Oxigraph), property shapes hoisted to carry their node
  shape's targets (`hoist_property_shapes`).
- **nested shapes** — same store view, the shapes file as written: pyshacl
  re-validates each nested `sh:property` once per focus node.
- **rdflib Dataset** — same hoisted shapes on an in-memory `rdflib.Dataset`
  (union of the named graphs): SPARQL targets and constraints on rdflib's engine.
- Every variant runs pyshacl with the garbage collector paused, as stackatlas does.
- "findings" must agree across a row group: the choices change the cost, not
  the answer. Ratio = variant / stackatlas time (above 1: stackatlas is faster).
  A variant past the budget is killed and not tried on larger sizes.

{table}
{reproduce_footer(command)}"""


if __name__ == "__main__":
    sys.exit(main())
