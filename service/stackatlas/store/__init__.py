"""The store seam: everything above talks to :class:`Store`, never to a backend.

Today the only backend is the embedded pyoxigraph store; a remote SPARQL
endpoint can be added as another implementation of the same interface.
"""

from .base import Row, Store, Value
from .oxigraph import OxigraphStore

__all__ = ["OxigraphStore", "Row", "Store", "Value", "open_store"]


def open_store(**kwargs: object) -> Store:
    """The configured store; one place to choose a backend."""
    return OxigraphStore(**kwargs)  # type: ignore[arg-type]
