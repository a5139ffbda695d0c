"""The change feed: commits after a cursor, each with its changes in the catalog's words.

The cursor is the commit's sequence number (``stackatlas.history.log``):
commits are numbered 1, 2, … without gaps in the order they were applied and
a number never changes, so "the commits after 41" is the same list today and
tomorrow. A page holds whole commits, oldest first; its ``cursor`` is the
number of the last commit the page *looked at* — with a ``kind`` filter a
commit may be looked at and left out, and a page that is not full has looked
at every commit up to the latest one, read before the page — so a client that always asks for the
commits after the cursor it was last given never misses a change and never
sees one twice, whatever the filters and however often it restarts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import InputError
from ..history.describe import KINDS, Change, describe
from ..history.log import CommitRecord, commits_after, last_sequence
from ..store import Store
from ..vocab import slug_of

MAX_LIMIT = 1000
"""The most commits one page may cover (each carries its quads; older commits are described when read)."""


def parse_cursor(value: str | int | None) -> int:
    """The commit number a cursor names; ``None`` or ``""`` is the beginning (0)."""
    if value is None or value == "":
        return 0
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise InputError(f"invalid cursor {value!r}: a cursor is a commit number (0 for the beginning)")
    return int(text)


def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown change kind {kind!r}; kinds are {', '.join(KINDS)}")


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}; got {limit}")
    return limit


@dataclass(frozen=True)
class Entry:
    """One commit with its changes (only those of the asked vendor and kind when the page was filtered)."""

    record: CommitRecord
    changes: tuple[Change, ...]

    @property
    def cursor(self) -> str:
        return str(self.record.sequence)

    def as_json(self) -> dict[str, object]:
        """The JSON object of the feed's lines and the webhooks' events (docs/feed.md)."""
        r = self.record
        return {
            "cursor": self.cursor,
            "sequence": r.sequence,
            "commit": r.iri,
            "at": r.at.isoformat(),
            "by": r.by,
            "message": r.message,
            "interface": r.interface,
            "vendors": [slug_of(v) or v for v in r.vendors],
            "graphs": list(r.graphs),
            "changes": [
                {"kind": c.kind, "vendor": slug_of(c.vendor) or c.vendor, "text": c.text} for c in self.changes
            ],
        }


@dataclass(frozen=True)
class Page:
    entries: tuple[Entry, ...]
    cursor: int
    """Ask for the commits after this one next (the last commit this page looked at, or the ``since`` asked)."""
    more: bool
    """True when the page was full: there may be commits after ``cursor`` already."""


def entry(
    store: Store,
    record: CommitRecord,
    *,
    vendors: Iterable[str] = (),
    kinds: Iterable[str] = (),
    described: Sequence[Change] | None = None,
) -> Entry | None:
    """The record with its changes, kept to the vendors (IRIs) and kinds asked; None when no change of
    those kinds is left.

    The vendors' own changes are kept when the description attributes some to
    them, else all of the commit's (the log says it touched them). A commit
    whose changes no rule describes still has ``other`` changes, so an
    unfiltered entry is never empty. ``described`` is the record's description
    when the caller has it already (the dispatcher describes a commit once for
    all webhooks).
    """
    changes = list(describe(store, record) if described is None else described)
    named = frozenset(vendors)
    if named:
        changes = [c for c in changes if c.vendor in named] or changes
    wanted = frozenset(kinds)
    if wanted:
        changes = [c for c in changes if c.kind in wanted]
        if not changes:
            return None
    return Entry(record, tuple(changes))


def page(store: Store, since: int, limit: int, *, vendor: str | None = None, kind: str | None = None) -> Page:
    """The commits after ``since`` (up to ``limit`` of them looked at), filtered by vendor IRI and kind."""
    check_kind(kind)
    # read before the page: every commit up to ``top`` that the filter wants is in a page that is not full.
    # Without a vendor the page itself tells: numbers are gap-free, so a page that is not full ends at
    # the latest commit (or is empty: nothing after ``since``) — no need to look the latest up.
    top = last_sequence(store) if vendor is not None else 0
    records = commits_after(store, since, check_limit(limit), vendor=vendor)
    kinds = (kind,) if kind else ()
    vendors = (vendor,) if vendor else ()
    found = [e for r in records if (e := entry(store, r, vendors=vendors, kinds=kinds)) is not None]
    full = len(records) == limit
    seen = records[-1].sequence if records and vendor is None else 0
    cursor = records[-1].sequence if full else max(top, seen, since)
    return Page(tuple(found), cursor, full)
