"""Catalog analysis pages → validated vendor files (``stackatlas ingest``).

``page`` cuts a page into sections with line numbers, ``header`` resolves the
run-together header line, ``lists`` splits glued items, ``compliance`` reads
claims per offering, ``linker`` links named tools to the catalog's vendors,
``build`` makes the triples, ``turtle`` writes them deterministically,
``diff`` shows what would change, ``run`` validates and writes atomically.
"""

from __future__ import annotations

from .errors import PageError
from .run import Outcome, ingest, run_cli

__all__ = ["Outcome", "PageError", "ingest", "run_cli"]
