"""What is validated: the shapes, and the data files with the context they need.

A vendor file checked on its own still needs the ontology (for
``rdfs:subClassOf``), the shared vocabularies and the source descriptions it
points at; this module puts them around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import rdflib

from ..errors import InputError
from ..loader import SourceFile, catalog_sources, discover, ontology_sources
from ..resources import data_dir, ontology_dir, shapes_dir


def load_shapes(directory: Path | None = None) -> rdflib.Graph:
    """Parse every Turtle file of the shapes directory into one graph."""
    shapes = rdflib.Graph()
    files = sorted((directory or shapes_dir()).glob("*.ttl"))
    if not files:
        raise InputError(f"{directory or shapes_dir()}: no SHACL shapes (*.ttl) found")
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific types; all mean "unreadable"
            raise InputError(f"{path}: malformed Turtle in the shapes: {exc}") from exc
    return shapes


def validation_sources(paths: Sequence[Path] | None = None) -> list[SourceFile]:
    """What ``stackatlas validate`` checks.

    Without paths: the shipped catalog. With paths: those files together with
    the ontology and the shared vocabularies and source descriptions, so that
    a single vendor file can be checked on its own.
    """
    if not paths:
        return catalog_sources()
    return with_shared(discover(list(paths), graph_root=data_dir()))


def with_shared(given: Sequence[SourceFile], context: Sequence[Path] = ()) -> list[SourceFile]:
    """``given`` with the ontology, the shared vocabularies and source descriptions and the
    ``context`` files (the rest of a catalog ``given`` points into) loaded around it.

    A file named twice (a path inside ``graph_data/`` given explicitly, or
    inside a context directory) is loaded once, as given.
    """
    root = data_dir()
    shared = sorted((root / "vocab").glob("*.ttl")) + sorted(root.glob("*.ttl"))
    seen = {s.path.resolve() for s in given}
    around: list[SourceFile] = []
    for source in discover([*shared, *context], graph_root=root):
        if source.path.resolve() not in seen:
            seen.add(source.path.resolve())
            around.append(source)
    return ontology_sources(ontology_dir()) + around + list(given)
