"""Write exports so that a reader never sees a half-written file; the store as ``graph_data/`` files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..store import Store
from ..vocab import GRAPH, ONTOLOGY_GRAPH, PREFIXES


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    The rename is atomic on POSIX, so an interrupted export leaves either the
    old file or the new one, and the temporary file is removed on failure.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from exc
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would
        # (or the mode of the file it replaces).
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror})") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_RDF_FILE_SUFFIXES = (".ttl", ".nt", ".trig")


def graph_file(graph: str) -> Path | None:
    """The file of the ``graph_data/`` layout a named graph is written to (``graph/vendors/x`` is
    ``vendors/x.ttl``), or None for graphs that do not live there (the ontology has its own directory)."""
    prefix = str(GRAPH)
    if not graph.startswith(prefix) or graph == str(ONTOLOGY_GRAPH):
        return None
    relative = graph[len(prefix) :]
    if not relative or relative.startswith(("/", ".")) or "/../" in f"/{relative}/" or "//" in relative:
        return None
    return Path(f"{relative}.ttl")


def graph_turtle(store: Store, graph: str) -> bytes:
    """One graph as Turtle, the same bytes for the same triples: sorted, with the vocabulary's prefixes
    that the graph uses.

    The graph's own IRI is written in full rather than ``<>``: a relative
    base would make pyoxigraph write every prefix relative to it.
    """
    lines = store.dump("application/n-triples", graph)
    triples = sorted(
        ox.parse(lines, format=ox.RdfFormat.N_TRIPLES),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    used = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object, getattr(t.object, "datatype", None))
        if isinstance(term, ox.NamedNode)
    }
    prefixes = {p: iri for p, iri in sorted(PREFIXES.items()) if any(u.startswith(iri) for u in used)}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None
    return data


def export_files(store: Store, directory: Path) -> tuple[list[Path], list[Path]]:
    """Write every data graph of ``store`` as one Turtle file under ``directory``, the ``graph_data/`` layout.

    Each file is written atomically; RDF files under ``directory`` that no
    graph maps to any more are removed, so importing the directory gives the
    store back. Returns the files written and the files removed.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for graph in store.named_graphs():
        relative = graph_file(graph)
        if relative is None:
            continue
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = graph_turtle(store, graph)
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data)
        written.append(path)
    keep = set(written)
    removed = [
        p
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.suffix in _RDF_FILE_SUFFIXES and p not in keep
    ]
    for path in removed:
        path.unlink()
    return written, removed
