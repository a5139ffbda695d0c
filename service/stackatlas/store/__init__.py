"""The store seam: everything above talks to :class:`Store`, never to a backend.

Backends: the embedded pyoxigraph store (in memory, or on disk in
:mod:`.persistent`) and a SPARQL engine over HTTP (:mod:`.remote`, stateless
replicas; docs/deployment.md).
"""

from collections.abc import Iterable
from pathlib import Path

from ..loader import catalog_sources
from .base import Row, Store, Value
from .oxigraph import OxigraphStore

__all__ = ["OxigraphStore", "Row", "Store", "Value", "open_catalog", "open_store"]


def open_store(**kwargs: object) -> Store:
    """The configured store; one place to choose a backend."""
    return OxigraphStore(**kwargs)  # type: ignore[arg-type]


def open_catalog(paths: Iterable[Path] | None = None) -> Store:
    """A store holding the ontology and the data at ``paths`` (default the shipped data), unvalidated."""
    store = open_store()
    store.load(catalog_sources(paths))
    return store
