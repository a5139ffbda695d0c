"""``stackatlas import --store URL DIR`` and ``validate --store URL``: a SPARQL engine as a catalog's store.

``import`` loads the catalog from files into an empty engine, validated first.

The engine is the replicas' only state, so it gets what an on-disk store gets:
the files parsed and checked against the shapes before anything is sent, then
one Graph Store Protocol request. An engine that already holds data is
refused: replicas may be serving it, and a second import would double it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError
from .loader import RDF_SUFFIXES, SourceFile
from .persistence import check, say
from .store import OxigraphStore
from .store.remote import RemoteStore, open_remote
from .validation.report import Report
from .vocab import GRAPH


def import_remote(url: str, sources: Sequence[SourceFile], *, allow_invalid: bool = False) -> RemoteStore:
    """Validate ``sources`` locally, then load them into the (empty) engine at ``url``."""
    started = time.monotonic()
    store = open_remote(url)
    if not store.is_empty():
        raise InputError(f"{url}: the SPARQL engine already holds data; import only into an empty engine")
    staging = OxigraphStore()
    staging.load(sources)
    check(staging, sources, allow_invalid, "the import")
    store.load_quads(staging.dump("application/n-quads"))
    say(f"engine {store.url}: imported {store.count_quads():,} quads in {time.monotonic() - started:.1f} s")
    return store


def validate_remote(url: str, stale_after_days: int | None = None) -> Report:
    """``stackatlas validate --store URL``: the engine's public graphs as they are, findings named by file.

    The whole catalog is read once (Graph Store Protocol) into a local store
    that pyshacl checks; replicas keep serving meanwhile. With
    ``stale_after_days``, stale vendors as warnings too.
    """
    from .validation import validate_store
    from .validation.freshness import with_freshness

    store = open_remote(url)
    local = OxigraphStore()
    local.ox.extend(store.public_quads())
    prefix = str(GRAPH)
    sources = [
        SourceFile(Path(f"{g.removeprefix(prefix)}.ttl"), g, RDF_SUFFIXES[".ttl"]) for g in local.named_graphs()
    ]
    report = validate_store(local, sources)
    return report if stale_after_days is None else with_freshness(report, local, stale_after_days)
