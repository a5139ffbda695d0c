"""Open, import and check an on-disk store, with the validation rules of the files.

A store is imported only once its data has passed SHACL (like a start from
files), and later opened as it is: its marker records the shapes and the
ontology it was last fully validated with, and every commit since was
validated before it landed, so a restart validates again only when the
shapes or the ontology on disk changed. See ``docs/persistence.md``.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, StackatlasError
from .loader import RDF_SUFFIXES, SourceFile, ontology_sources
from .resources import ontology_dir, shapes_dir
from .store import OxigraphStore
from .store.marker import Validation, digest_files, digest_tree, read_marker
from .store.persistent import PRIMARY, PersistentStore, WriterLock
from .validation.report import Report
from .vocab import GRAPH, ONTOLOGY_GRAPH


class InvalidData(StackatlasError):
    """The data has SHACL violations and ``allow_invalid`` is not set."""


def say(message: str) -> None:
    """Start-up lines go to stderr, where the server's log goes (tests and operators read them there)."""
    print(f"stackatlas: {message}", file=sys.stderr, flush=True)


def current_digests() -> tuple[str, str]:
    """Digests of the shapes and of the ontology on disk now."""
    return digest_tree(shapes_dir()), digest_tree(ontology_dir())


def store_sources(store: OxigraphStore) -> list[SourceFile]:
    """The named graphs of a store as the files they would be (``graph/vendors/x`` is ``vendors/x.ttl``).

    A store has no files; the validation report still names each finding's
    file, the one ``stackatlas export files`` would write it to.
    """
    prefix = str(GRAPH)
    return [
        SourceFile(Path(f"{g[len(prefix) :] if g.startswith(prefix) else g}.ttl"), g, RDF_SUFFIXES[".ttl"])
        for g in store.named_graphs()
    ]


def check(store: OxigraphStore, sources: Sequence[SourceFile], allow_invalid: bool, what: str) -> Report:
    """Validate ``store``; print the report on violations and refuse unless ``allow_invalid``."""
    from .validation import validate_store

    report = validate_store(store, sources)
    if not report.conforms:
        print(report.render("text"), file=sys.stderr)
        if not allow_invalid:
            raise InvalidData(
                f"refusing {what}: the data has {len(report.violations)} SHACL violation(s) (report above); "
                "fix them, or use --allow-invalid / STACKATLAS_ALLOW_INVALID=1"
            )
        say(f"{what} anyway on invalid data (allow_invalid is set)")
    elif report.warnings:
        say(f"data valid with {len(report.warnings)} warning(s); `stackatlas validate` lists them")
    return report


def import_store(
    directory: Path, sources: Sequence[SourceFile], *, replace: bool = False, allow_invalid: bool = False
) -> PersistentStore:
    """Validate ``sources`` and make them the store in ``directory``; returns the store open as writer.

    All or nothing: the data is parsed and validated in memory, written to a
    fresh RocksDB directory beside the primary, and swapped in; the marker,
    written last, is what makes it the store. A failure (bad file,
    violations, a crash) leaves the directory as it was.
    """
    directory.mkdir(parents=True, exist_ok=True)
    lock = WriterLock(directory)
    lock.acquire(wait=False)
    try:
        marker = read_marker(directory)
        if marker is not None and not replace:
            raise InputError(
                f"{directory}: already holds a store (generation {marker.generation}); "
                "import --replace to overwrite it"
            )
        shapes, ontology = current_digests()
        staging = OxigraphStore()
        staging.load(sources)
        report = check(staging, sources, allow_invalid, "the import")
        fresh = directory / f"{PRIMARY}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        built = ox.Store(str(fresh))
        built.bulk_extend(staging.ox.quads_for_pattern(None, None, None))
        built.optimize()  # compact now, not during the first commits (see docs/persistence.md)
        del built, staging
        primary, old = directory / PRIMARY, directory / f"{PRIMARY}.old"
        shutil.rmtree(old, ignore_errors=True)
        if primary.exists():
            primary.rename(old)
        fresh.rename(primary)
        shutil.rmtree(old, ignore_errors=True)
        store = PersistentStore(directory, writer=True, lock=lock)
        published = store.publish(sources=digest_files([s.path for s in sources]))
        store.record(validation=Validation(shapes, ontology, report.conforms, published.generation))
        return store
    except BaseException:
        lock.release()
        raise


def open_writer(directory: Path, *, allow_invalid: bool = False) -> tuple[PersistentStore, bool]:
    """Open an existing store as its writer, validating it again only when shapes or ontology changed.

    Returns the store and whether it was validated again.
    """
    store = PersistentStore(directory, writer=True)
    try:
        shapes, ontology = current_digests()
        validation = store.marker.validation
        reasons = []
        if validation is None or not validation.conforms:
            reasons.append("it was not valid when last validated")
        else:
            if validation.shapes != shapes:
                reasons.append("the shapes changed since it was last validated")
            if validation.ontology != ontology:
                reasons.append("the ontology changed since it was last validated")
        if validation is None or validation.ontology != ontology:
            _reload_ontology(store)
        store.publish()  # a fresh copy for the readers, whatever a crashed writer left
        if not reasons:
            return store, False
        say(f"store {directory}: {'; '.join(reasons)}: validating it again")
        report = check(store, store_sources(store), allow_invalid, "to start")
        store.record(validation=Validation(shapes, ontology, report.conforms, store.generation))
        return store, True
    except BaseException:
        store.close()
        raise


def _reload_ontology(store: PersistentStore) -> None:
    """Replace the store's ontology graph with the ontology files (the store holds a copy of them)."""
    staging = store.parse(ontology_sources(ontology_dir()))
    with store.exclusive() as primary:
        primary.remove_graph(ox.NamedNode(str(ONTOLOGY_GRAPH)))
        primary.extend(staging)


def open_served_store(directory: Path, data: Sequence[SourceFile], *, allow_invalid: bool) -> PersistentStore:
    """What ``serve --store`` opens: import ``data`` into an empty directory, else the store as it is."""
    started = time.monotonic()
    if read_marker(directory) is None:
        say(f"store {directory} is empty: importing {len(data)} files (validated)")
        store = import_store(directory, data, replace=False, allow_invalid=allow_invalid)
        say(f"store {directory}: imported and validated in {time.monotonic() - started:.1f} s")
        return store
    store, revalidated = open_writer(directory, allow_invalid=allow_invalid)
    say(
        f"store {directory}: opened at generation {store.generation} in {time.monotonic() - started:.1f} s"
        + (
            ""
            if revalidated
            else "; validated before with these shapes and this ontology, not validating again"
        )
    )
    return store


def default_store(directory: Path | None) -> Path:
    """The store a command works on: ``--store``, else ``STACKATLAS_STORE``; one readable line if neither."""
    if directory is not None:
        return directory
    from .config import Settings

    configured = Settings().store
    if configured is None:
        raise InputError("no store given: pass --store DIR or set STACKATLAS_STORE")
    return configured


def open_reader(directory: Path) -> PersistentStore:
    """The store's latest published state, read-only (a running server may keep writing)."""
    if read_marker(directory) is None:
        raise InputError(
            f"{directory}: no stackatlas store here (stackatlas import --store {directory} DATA...)"
        )
    return PersistentStore(directory, writer=False)


def validate_persisted(directory: Path, stale_after_days: int | None = None) -> Report:
    """``stackatlas validate --store DIR``: the store as it is, findings named by the files it would export;
    with ``stale_after_days``, stale vendors as warnings too."""
    from .validation import validate_store
    from .validation.freshness import with_freshness

    store = open_reader(directory)
    report = validate_store(store, store_sources(store))
    return report if stale_after_days is None else with_freshness(report, store, stale_after_days)
