"""Ingest generated analysis pages and validate them, against validating the same catalog's Turtle.

The input is a generated catalog written with ``generate.py --pages``: each
vendor as Turtle and as an analysis page. Three steps run in fresh processes:

- build: every page read, its graph built and serialised (``stackatlas.ingest``'s
  parse/link/write path without validation) — the part ingest adds;
- ingest: ``stackatlas.ingest.ingest([pages], data=copy)`` on a copy of the catalog
  without its vendor files: read, build, validate the new files with the rest of
  the catalog, write them — what ``stackatlas ingest pages/`` does;
- validate (baseline): ``stackatlas.validation.validate(catalog_sources([dir]))`` on
  the generated catalog's Turtle files, the check a curator runs today.

The ratio ingest / validate is what turning pages into a validated catalog
costs over validating a catalog that is already Turtle.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from common import OUT_DIR, Measurement, markdown_table, measure, reproduce_footer, write_section
from generate import write_catalog

SECTION = "Ingest"


def pages_catalog(n: int, seed: int) -> Path:
    """The generated catalog with pages for (n, seed), written on first use and reused after."""
    path = OUT_DIR / f"catalog-pages-{n}-seed{seed}"
    if not path.exists():
        write_catalog(n, seed, path, pages=True)
    return path


def build_only(directory: str) -> dict[str, object]:
    from stackatlas.ingest.build import build
    from stackatlas.ingest.catalog import load_catalog
    from stackatlas.ingest.linker import slugify
    from stackatlas.ingest.page import read_page
    from stackatlas.ingest.turtle import to_turtle
    from stackatlas.vocab import GRAPH, vendor_iri

    root = Path(directory)
    catalog = load_catalog(root, skip=sorted((root / "vendors").glob("*.ttl")))
    pages = [(path, path.read_bytes()) for path in sorted((root / "pages").glob("*.txt"))]
    read = [(path, raw, read_page(path, raw)) for path, raw in pages]
    for _path, _raw, page in read:  # as `ingest` does: the pages of one run may name each other
        catalog.add_vendor(page.title.text, str(vendor_iri(slugify(page.title.text))))
    size = 0
    for path, raw, page in read:
        size += len(to_turtle(build(page, catalog, str(GRAPH[f"vendors/{path.stem}"]), raw), path.name))
    return {"pages": len(pages), "turtle_bytes": size}


def ingest_pages(directory: str) -> dict[str, object]:
    from stackatlas.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        copy = Path(scratch) / "catalog"
        shutil.copytree(directory, copy)
        shutil.rmtree(copy / "vendors")
        outcome = ingest([copy / "pages"], data=copy)
        return {
            "written": sum(r.written for r in outcome.results),
            "violations": len(outcome.report.violations),
            "warnings": len(outcome.report.warnings),
        }


def validate_turtle(directory: str) -> dict[str, object]:
    from stackatlas.loader import catalog_sources
    from stackatlas.validation import validate

    report = validate(catalog_sources([Path(directory)]))
    return {"violations": len(report.violations), "warnings": len(report.warnings)}


def _facts(m: Measurement) -> str:
    if m.failure:
        return "—"
    return ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in m.info.items()) or "—"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Benchmark `stackatlas ingest` on generated analysis pages.")
    parser.add_argument("--pages", type=int, default=1000, help="number of generated pages (vendors)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds a single step may run")
    parser.add_argument("--no-doc", action="store_true", help="print the figures only; leave docs/ alone")
    args = parser.parse_args(argv)

    directory = str(pages_catalog(args.pages, args.seed))
    steps = {}
    for name, fn in (("build", "build_only"), ("ingest", "ingest_pages"), ("validate", "validate_turtle")):
        steps[name] = measure(f"bench_ingest:{fn}", directory, timeout=args.budget)
        print(f"{name}: {steps[name]}", flush=True)
    base = steps["validate"]
    rows = []
    for name, label in (
        ("build", "read, build and serialise every page (no validation)"),
        ("ingest", "`ingest(pages/)`: read, build, validate with the catalog, write"),
        ("validate", "baseline: `validate` the generated catalog's Turtle files"),
    ):
        m = steps[name]
        time_ratio = "—" if m.seconds is None or base.seconds is None else f"{m.seconds / base.seconds:.2f}×"
        memory_ratio = (
            "—"
            if m.peak_rss_mib is None or base.peak_rss_mib is None
            else f"{m.peak_rss_mib / base.peak_rss_mib:.2f}×"
        )
        rows.append([label, m.time_cell(), time_ratio, m.memory_cell(), memory_ratio, _facts(m)])
    table = markdown_table(
        ["step", "seconds", "time / validate", "peak RSS MiB", "memory / validate", "found"], rows
    )
    print(table)
    if not args.no_doc:
        command = (
            f"python bench/bench_ingest.py --pages {args.pages} --seed {args.seed} --budget {args.budget:g}"
        )
        write_section(SECTION, _section(args.pages, table, command))
    return 0


def _section(n: int, table: str, command: str) -> str:
    return f"""\
What it measures: `stackatlas ingest` on {n:,} generated analysis pages
(`bench/generate.py --pages`: every synthetic vendor written as Turtle and as a page
in the catalog's page format), against validating the same catalog from its Turtle
files.

- **build** — every page read, sectioned, linked against the catalog's names and
  serialised to Turtle, without validation: the work ingest adds.
- **ingest** — `stackatlas.ingest.ingest([pages/], data=catalog)` on a copy of the
  catalog without its `vendors/`: the pages are built, the {n:,} new files validated
  together with the rest of the catalog (one SHACL run for the whole batch, not one
  per page), then written atomically. Every written file is isomorphic to the
  generated one (`tests/test_ingest_roundtrip.py` checks this on 200 pages).
- **validate** — the baseline: `stackatlas.validation.validate(catalog_sources([dir]))`
  on the generated catalog's Turtle files.
- Each step runs in a fresh Python process; time is measured around the step alone,
  memory is the process's peak resident set size. Ratios are step / validate: the
  cost of ingesting relative to validating Turtle that already exists (above 1 means
  ingest costs more). Single runs on a shared 2-core machine: noisy by tens of percent.
- Where the time goes: build is linear in the pages (names are looked up in a
  dictionary index, `stackatlas.ingest.names.NameIndex`; a first version matched
  one regular expression over every vendor name and took 309 s for this step,
  quadratic in the batch). Ingest's memory is the built graphs and Turtle of all
  pages held until the batch is validated, plus the validation store: a batch is
  written all or nothing.

{table}
{reproduce_footer(command)}"""


if __name__ == "__main__":
    sys.exit(main())
