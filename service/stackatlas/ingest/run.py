"""``stackatlas ingest``: pages → validated vendor files, written atomically or not at all.

The order matters: every page is read and built first (a page that is not an
analysis page stops everything with exit 2), then the new files are validated
together with the rest of the catalog, and only a catalog without violations
is written — each file through a temporary file and ``os.replace``, so a
crash or Ctrl-C leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.progress import Progress

from ..errors import InputError
from ..history.describe import Change, describe_commit
from ..loader import SourceFile, discover, ontology_sources
from ..resources import data_dir, ontology_dir
from ..store import open_catalog
from ..store.audit import exact_difference
from ..store.changes import ChangeSet
from ..validation import Finding, Report, validate
from ..vocab import vendor_iri
from .build import Built, build
from .catalog import Catalog, graph_of, load_catalog
from .diff import Changes, diff
from .errors import PageError
from .linker import slugify
from .page import Page, read_page
from .turtle import to_turtle


@dataclass
class Result:
    page: Path
    built: Built
    target: Path
    turtle: bytes
    old: bytes | None
    changes: Changes = field(default_factory=dict)
    described: list[Change] = field(default_factory=list)
    """The change to the vendor's graph in the catalog's words (dry runs; see stackatlas.history.describe)."""
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.turtle != self.old


@dataclass
class Outcome:
    results: list[Result]
    report: Report
    dry_run: bool

    @property
    def exit_code(self) -> int:
        return 0 if self.report.conforms else 1


def page_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            pages = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".txt")
            if not pages:
                raise InputError(f"{path}: directory holds no pages (*.txt)")
            found.extend(pages)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return found


def _read_all(paths: list[Path], progress: Progress | None) -> list[tuple[Path, bytes, Page]]:
    pages = []
    task = progress.add_task("reading pages", total=len(paths)) if progress else None
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise PageError(path, None, f"cannot read ({exc.strerror})") from exc
        pages.append((path, raw, read_page(path, raw)))
        if progress and task is not None:
            progress.advance(task)
    return pages


def ingest(
    paths: Sequence[Path],
    data: Path | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Ingest the pages; raise :class:`InputError` for unreadable input."""
    root = (data or data_dir()).resolve()
    out_dir = (out or root / "vendors").resolve()
    pages = _read_all(page_files(paths), progress)
    targets: dict[Path, Path] = {}
    for path, _raw, page in pages:
        target = out_dir / f"{slugify(page.title.text)}.ttl"
        if target in targets.values():
            other = next(p for p, t in targets.items() if t == target)
            raise PageError(path, page.title.number, f"same vendor as {other} ({page.title.text!r})")
        targets[path] = target
    catalog = load_catalog(root, skip=targets.values())
    for _path, _raw, page in pages:
        catalog.add_vendor(page.title.text, str(vendor_iri(slugify(page.title.text))))
    results = _build_all(pages, targets, catalog, root, progress)
    report = _validate(results, catalog, root)
    for result in results:
        if result.old is not None:
            result.changes = diff(_parse(result.old, result.built.graph), result.built, catalog)
    if dry_run:
        _describe(results, root)
    if not dry_run and report.conforms:
        for result in results:
            if result.changed:
                write_atomically(result.target, result.turtle)
                result.written = True
    return Outcome(results, report, dry_run)


def _build_all(
    pages: list[tuple[Path, bytes, Page]],
    targets: dict[Path, Path],
    catalog: Catalog,
    root: Path,
    progress: Progress | None,
) -> list[Result]:
    results = []
    task = progress.add_task("ingesting", total=len(pages)) if progress else None
    for path, raw, page in pages:
        target = targets[path]
        built = build(page, catalog, graph_of(root, target), raw)
        old = target.read_bytes() if target.exists() else None
        results.append(Result(path, built, target, to_turtle(built, _page_name(path, root)), old))
        if progress and task is not None:
            progress.advance(task)
    return results


def _page_name(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.name


def _describe(results: list[Result], root: Path) -> None:
    """Describe each changed vendor graph against the catalog as it is on disk (the state before)."""
    changed = [r for r in results if r.old is not None and r.changed]
    if not changed:
        return
    store = open_catalog([root])
    for result in changed:
        graph = ox.NamedNode(result.built.graph)
        old, new = (
            [ox.Quad(t.subject, t.predicate, t.object, graph) for t in _parse(data, result.built.graph)]
            for data in (result.old or b"", result.turtle)
        )
        # as the commit will record it (exact difference, canonical blank nodes): the same words
        result.described = describe_commit(store, exact_difference(old, ChangeSet.between(old, new)))


def _parse(turtle: bytes, graph: str) -> list[ox.Triple]:
    try:
        return [q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE, base_iri=graph)]
    except SyntaxError:
        return []  # a broken previous file: everything is new


def _validate(results: list[Result], catalog: Catalog, root: Path) -> Report:
    """Validate the new files with the rest of the catalog; report only on the new files."""
    with tempfile.TemporaryDirectory(prefix="stackatlas-ingest-") as staging:
        staged: list[SourceFile] = []
        for result in results:
            path = Path(staging) / f"{result.built.slug}.ttl"
            path.write_bytes(result.turtle)
            staged.append(SourceFile(path, result.built.graph, ox.RdfFormat.TURTLE))
        replaced = {r.target.resolve() for r in results}
        rest = (
            [s for s in discover([root], graph_root=root) if s.path.resolve() not in replaced]
            if catalog.files
            else []
        )
        return validate(ontology_sources(ontology_dir()) + rest + staged, report_on=staged)


def write_atomically(target: Path, data: bytes) -> None:
    """Write through a temporary sibling and ``os.replace``: all of the new file or the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- reporting ----------------------------------------------------------------


def _where(finding: Finding, results: list[Result]) -> tuple[str, str | None, int | None]:
    for result in results:
        origin = result.built.origins.get(finding.focus)
        if origin:
            return str(result.page), origin.section, origin.line
    for result in results:
        if finding.focus.startswith(result.built.vendor):
            return str(result.page), None, None
    return finding.file or "", None, None


def _status(result: Result, dry_run: bool) -> str:
    if not result.changed:
        return "unchanged"
    if dry_run:
        return "would write" if result.old is None else "would change"
    return "written" if result.written else ("not written" if result.old is None else "not changed")


def render_text(outcome: Outcome) -> str:
    lines: list[str] = []
    for r in outcome.results:
        lines.append(f"{r.page} → {r.target}: {_status(r, outcome.dry_run)}")
        for iri, name in sorted(r.built.stubs.items()):
            lines.append(
                f"  stub vendor for a curator: {name!r} ({iri}) — named on the page, not in the catalog"
            )
        if outcome.dry_run:
            if r.old is None and r.changed:
                lines.append("  new file")
            for heading, items in r.changes.items():
                lines.extend(f"  {heading}: {item}" for item in items)
            if r.described:
                lines.append("  in the catalog's words:")
                lines.extend(f"    {c.kind:<20} {c.text}" for c in r.described)
    for f in outcome.report.findings:
        page, section, line = _where(f, outcome.results)
        place = f"{page}" + (f" line {line}" if line else "") + (f" ({section})" if section else "")
        lines.append(f"{f.severity.upper():<9} {place}: {f.message}")
        detail = " · ".join(
            x for x in (f"node {f.focus}", f.path and f"path {f.path}", f.value and f"value {f.value!r}") if x
        )
        lines.append(f"          {detail}")
    s = outcome.report.summary()
    verdict = "conforms" if s["conforms"] else "does not conform — nothing written"
    lines.append(f"{s['violations']} violations, {s['warnings']} warnings, {s['infos']} infos — {verdict}")
    return "\n".join(lines) + "\n"


def render_json(outcome: Outcome) -> str:
    findings = []
    for f in outcome.report.findings:
        page, section, line = _where(f, outcome.results)
        findings.append(
            {
                "severity": f.severity,
                "page": page,
                "section": section,
                "line": line,
                "message": f.message,
                "focus": f.focus,
                "path": f.path,
                "value": f.value,
                "source_shape": f.source_shape,
            }
        )
    doc = {
        "summary": outcome.report.summary(),
        "dry_run": outcome.dry_run,
        "pages": [
            {
                "page": str(r.page),
                "vendor": r.built.slug,
                "file": str(r.target),
                "status": _status(r, outcome.dry_run),
                "stubs": [{"iri": iri, "name": name} for iri, name in sorted(r.built.stubs.items())],
                "changes": r.changes,
                "described": [{"kind": c.kind, "vendor": c.vendor, "text": c.text} for c in r.described],
            }
            for r in outcome.results
        ],
        "findings": findings,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def run_cli(paths: list[Path], data: Path | None, out: Path | None, dry_run: bool, fmt: str) -> int:
    """Body of ``stackatlas ingest``: 0 written (or nothing to write), 1 violations, 2 bad input."""
    console = Console(stderr=True)
    try:
        with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
            outcome = ingest(paths, data, out, dry_run, bar)
    except InputError as exc:
        print(f"stackatlas: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_json(outcome) if fmt == "json" else render_text(outcome))
    return outcome.exit_code
