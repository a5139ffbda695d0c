"""GraphQL's history fields: a vendor's commits, a vendor as of a date, differences, releases.

Paging follows ``commits``: ``first`` and ``after`` (the ``endCursor`` of the
previous page, a commit number), newest first. ``vendor(id:, asOf:)`` reads
the vendor from a store holding its graphs as they were (see
:mod:`stackatlas.history.asof`) through loaders of its own, which the
``Vendor`` it returns carries to its fields and to the vendors it names.
"""

from __future__ import annotations

import strawberry

from .. import readmodel as rm
from ..errors import InputError
from ..history import asof, log, releases
from ..history.describe import Change, describe
from ..store import Store
from .context import Context
from .errors import UserError
from .loaders import Loaders

Info = strawberry.Info[Context, None]
"""As in ``types.common``; not imported from there, since ``types.vendors`` imports this module."""


@strawberry.type(description="One change in the catalog's words (docs/history.md lists the kinds).")
class ChangeEntry:
    kind: str = strawberry.field(description="vendor-added, claim-changed, score-changed, … (a fixed set).")
    vendor: str = strawberry.field(description="The IRI of the vendor the change is about.")
    text: str

    @classmethod
    def of(cls, change: Change) -> ChangeEntry:
        return cls(kind=change.kind, vendor=change.vendor, text=change.text)


@strawberry.type(
    description="One commit that changed a vendor: who, when, why, and what in the catalog's words."
)
class HistoryEntry:
    sequence: int = strawberry.field(description="The commit's number (the cursor).")
    commit: str = strawberry.field(description="The commit's IRI in the audit graph.")
    at: str = strawberry.field(description="When it was committed (xsd:dateTime, UTC).")
    by: str = strawberry.field(description="The name of the token that wrote it.")
    message: str
    interface: str
    changes: list[ChangeEntry]


@strawberry.type
class HistoryConnection:
    entries: list[HistoryEntry]
    end_cursor: str | None
    has_next_page: bool


@strawberry.type(description="A named state of the catalog (stackatlas release TAG).")
class ReleaseInfo:
    tag: str
    sequence: int = strawberry.field(description="The last commit the release includes.")
    at: str
    by: str
    message: str | None


@strawberry.type(description="What changed in the whole catalog between two points.")
class CatalogDifference:
    start: int = strawberry.field(description="The commit number compared from.")
    end: int = strawberry.field(description="The commit number compared to.")
    vendors_added: list[str]
    vendors_removed: list[str]
    changes: list[ChangeEntry]


def _entries(store: Store, records: list[log.CommitRecord], vendor: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            sequence=r.sequence,
            commit=r.iri,
            at=r.at.isoformat(),
            by=r.by,
            message=r.message,
            interface=r.interface,
            changes=[ChangeEntry.of(c) for c in describe(store, r) if c.vendor == vendor],
        )
        for r in records
    ]


async def vendor_history(info: Info, vendor: str, first: int, after: str | None) -> HistoryConnection:
    store: Store = info.context.catalog.store
    size = max(1, min(first, info.context.settings.graphql_max_page_size))
    before = int(after) if after and after.isdigit() else None

    def read() -> tuple[list[HistoryEntry], bool]:
        found, more = log.vendor_history(store, vendor, size, before=before)
        return _entries(store, found, vendor), more

    entries, more = await store.run(read)
    return HistoryConnection(
        entries=entries, end_cursor=str(entries[-1].sequence) if entries else None, has_next_page=more
    )


def _point(store: Store, text: str, vendor: str | None = None) -> asof.Point:
    try:
        return asof.resolve(store, text, vendor=vendor)
    except InputError as exc:
        raise UserError(str(exc)) from None


async def past_loaders(info: Info, vendor: str, when: str) -> Loaders | None:
    """Loaders reading the vendor as of ``when`` (None when it did not exist then).

    Each ``vendor(id:, asOf:)`` gets its own (shared within the request by
    vendor and point), so one request may read several vendors at several
    points next to the current catalog.
    """
    store: Store = info.context.catalog.store

    def build() -> tuple[asof.Point, Store | None]:
        point = _point(store, when, vendor)
        return point, asof.vendor_store(store, vendor, point)

    point, past = await store.run(build)
    if past is None:
        return None
    held: dict[tuple[str, int], Loaders] = info.context.__dict__.setdefault("past_loaders", {})
    key = (vendor, point.sequence)
    if key not in held:
        held[key] = Loaders(rm.reader_for(past))
    return held[key]


async def vendor_difference(info: Info, vendor: str, start: str, end: str) -> list[ChangeEntry]:
    store: Store = info.context.catalog.store

    def read() -> list[Change]:
        return asof.vendor_diff(store, vendor, _point(store, start, vendor), _point(store, end, vendor))

    return [ChangeEntry.of(c) for c in await store.run(read)]


async def release_list(info: Info) -> list[ReleaseInfo]:
    store: Store = info.context.catalog.store
    found = await store.run(releases.releases, store)
    return [ReleaseInfo(tag=r.tag, sequence=r.sequence, at=r.at, by=r.by, message=r.message) for r in found]


async def catalog_difference(info: Info, start: str, end: str) -> CatalogDifference:
    store: Store = info.context.catalog.store

    def read() -> CatalogDifference:
        a, b = _point(store, start), _point(store, end)
        diff = releases.catalog_diff(store, a.sequence, b.sequence)
        return CatalogDifference(
            start=a.sequence,
            end=b.sequence,
            vendors_added=diff.vendors_added,
            vendors_removed=diff.vendors_removed,
            changes=[ChangeEntry.of(c) for c in diff.changes],
        )

    return await store.run(read)


__all__ = [
    "CatalogDifference",
    "ChangeEntry",
    "HistoryConnection",
    "HistoryEntry",
    "ReleaseInfo",
    "catalog_difference",
    "past_loaders",
    "release_list",
    "vendor_difference",
    "vendor_history",
]
