"""Find and parse the RDF source files the graph is built from.

Each file becomes one named graph (see :func:`stackatlas.vocab.graph_for`) so
that every triple can be traced back to the file, and through the file's
``<> prov:wasDerivedFrom …`` statement to the page it came from. Turtle files
are parsed with the graph IRI as base, which is what lets ``<>`` name the graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .vocab import ONTOLOGY_GRAPH, graph_for

RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    graph: str
    format: ox.RdfFormat


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in RDF_SUFFIXES)


def discover(paths: Iterable[Path], *, graph_root: Path | None = None) -> list[SourceFile]:
    """Expand files and directories into source files with their graph IRIs.

    A directory's files are named relative to that directory; a lone file is
    named by its path relative to ``graph_root`` when it lies below it, else by
    its file name. Raises :class:`InputError` for a missing path, an empty
    directory or a file that is not RDF.
    """
    found: list[SourceFile] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path.is_dir():
            files = _files_under(path)
            if not files:
                suffixes = ", ".join(sorted(RDF_SUFFIXES))
                raise InputError(f"{path}: directory holds no RDF files ({suffixes})")
            found.extend(
                SourceFile(f, str(graph_for(f.relative_to(path).as_posix())), RDF_SUFFIXES[f.suffix])
                for f in files
            )
            continue
        if path.suffix not in RDF_SUFFIXES:
            raise InputError(f"{path}: not an RDF file (expected {', '.join(sorted(RDF_SUFFIXES))})")
        root = graph_root.resolve() if graph_root else None
        resolved = path.resolve()
        rel = resolved.relative_to(root).as_posix() if root and resolved.is_relative_to(root) else path.name
        found.append(SourceFile(path, str(graph_for(rel)), RDF_SUFFIXES[path.suffix]))
    return found


def ontology_sources(ontology_dir: Path) -> list[SourceFile]:
    """The ontology files, all in the one ontology graph."""
    return [SourceFile(f, str(ONTOLOGY_GRAPH), RDF_SUFFIXES[f.suffix]) for f in _files_under(ontology_dir)]


def read_bytes(source: SourceFile) -> bytes:
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{source.path}: cannot read ({exc.strerror})") from exc


_UNDECLARED_PREFIX = re.compile(r"line (\d+).*The prefix (\S*) has not been declared")


def syntax_error(source: SourceFile, exc: SyntaxError) -> InputError:
    """Turn a parser's SyntaxError into one line naming the file and position.

    An undeclared prefix is the commonest slip when a vendor file is written
    by hand, so it gets its own wording naming the prefix.
    """
    message = str(exc).replace("Parser error ", "").strip()
    undeclared = _UNDECLARED_PREFIX.search(message)
    if undeclared:
        line, prefix = undeclared.groups()
        return InputError(
            f"{source.path}: line {line}: unknown prefix '{prefix}' (declare it with @prefix {prefix} <…> .)"
        )
    return InputError(f"{source.path}: malformed {source.format.name.title()} {message}")


def catalog_sources(paths: Iterable[Path] | None = None) -> list[SourceFile]:
    """Ontology plus data files: what every store of the catalog is built from.

    ``paths`` defaults to the shipped ``graph_data/``. Imported here rather than
    at module top so that resources are located only when needed.
    """
    from .resources import data_dir, ontology_dir

    root = data_dir()
    data = discover(list(paths) if paths else [root], graph_root=root)
    return ontology_sources(ontology_dir()) + data
