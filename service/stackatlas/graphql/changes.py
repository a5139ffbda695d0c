"""GraphQL ``changes(since:, vendor:, kind:, first:)``: the change feed (``stackatlas.feed``) as a query.

The cursor is the commit number, as in ``/changes``: ``endCursor`` is what to
pass as ``since`` next time, and it moves past commits a ``kind`` filter left
out, so a client never misses a change and never sees one twice.
"""

from __future__ import annotations

import strawberry

from ..errors import InputError
from ..feed import entries as feed
from ..feed.http import vendor_filter
from ..store import Store
from .errors import UserError
from .types import Info, Vendor


@strawberry.type(description="One change in the catalog's words (kinds: docs/history.md).")
class FeedChange:
    kind: str = strawberry.field(description='e.g. "claim-changed", "alternative-added", "reviewed", "other".')
    vendor_iri: strawberry.Private[str]
    text: str = strawberry.field(description='e.g. "Dagster Cloud — FEDRAMP: not advertised → held".')

    @strawberry.field(description="The vendor the change is about.")
    def vendor(self) -> Vendor:
        return Vendor(iri=self.vendor_iri)


@strawberry.type(description="One commit of the change feed with its changes.")
class FeedEntry:
    cursor: str = strawberry.field(description="The commit's number, as a cursor.")
    sequence: int
    commit: str = strawberry.field(description="The commit's IRI (its audit record).")
    at: str = strawberry.field(description="When it was committed (ISO 8601).")
    by: str = strawberry.field(description="The name of the token that wrote it.")
    message: str
    interface: str
    changes: list[FeedChange]


@strawberry.type(description="A page of the change feed, oldest first.")
class ChangeFeed:
    entries: list[FeedEntry]
    end_cursor: str = strawberry.field(description="Pass as `since` for the next page (it never goes back).")
    has_more: bool = strawberry.field(description="The page was full: there may be later commits already.")


async def changes(
    info: Info,
    since: str | None = None,
    vendor: strawberry.ID | None = None,
    kind: str | None = None,
    first: int | None = None,
) -> ChangeFeed:
    """The commits after ``since`` (none: from the first), filtered by vendor id and change kind."""
    store: Store = info.context.catalog.store
    limit = info.context.settings.graphql_max_page_size
    size = limit if first is None else first
    if not 1 <= size <= limit:
        raise UserError(f"first must be between 1 and {limit} (the configured maximum page size); got {size}")
    try:
        start = feed.parse_cursor(since)
        feed.check_kind(kind)
        wanted = vendor_filter(str(vendor)) if vendor is not None else None
        page = await store.run(lambda: feed.page(store, start, size, vendor=wanted, kind=kind))
    except InputError as exc:
        raise UserError(str(exc)) from None
    return ChangeFeed(
        entries=[
            FeedEntry(
                cursor=e.cursor,
                sequence=e.record.sequence,
                commit=e.record.iri,
                at=e.record.at.isoformat(),
                by=e.record.by,
                message=e.record.message,
                interface=e.record.interface,
                changes=[FeedChange(kind=c.kind, vendor_iri=c.vendor, text=c.text) for c in e.changes],
            )
            for e in page.entries
        ],
        end_cursor=str(page.cursor),
        has_more=page.more,
    )
