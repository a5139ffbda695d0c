"""Release tags read back from ``graph/releases`` (written by :mod:`stackatlas.history.releases`).

Apart from the rest of the releases module so that resolving a point in the
history (:mod:`stackatlas.history.asof`) can look a tag up without importing
what builds on the rewind itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store import Store
from ..store.queries import history as queries


@dataclass(frozen=True)
class Release:
    tag: str
    sequence: int
    at: str
    by: str
    message: str | None


def releases(store: Store) -> list[Release]:
    """Every release, oldest first."""
    return [
        Release(
            tag=str(r["tag"]),
            sequence=int(str(r["sequence"])),
            at=str(r["time"]),
            by=str(r["agent"]),
            message=str(r["message"]) if r["message"] is not None else None,
        )
        for r in store.system_select(queries.RELEASES)
    ]


def release_named(store: Store, tag: str) -> Release | None:
    return next((r for r in releases(store) if r.tag == tag), None)


__all__ = ["Release", "release_named", "releases"]
