"""Is a vendor's record still true? Its freshness, from the dates the data states.

Two dates say when somebody last looked at the truth behind a record: when
stackatlas took its copy of the source page (``sa:retrievedOn`` of the page a
vendor graph ``prov:wasDerivedFrom``) and when a curator last reviewed the
entry (``sa:reviewedOn``, written by the ``markReviewed`` mutation). The
record was last *checked* on the later of the two. It is **stale** when that
day is more than ``stale_after_days`` (a catalog setting) ago, **fresh**
otherwise, and **unknown** when the data states neither date: a record nobody
dated is not called stale, nor fresh — unknown stays unknown, and the
"never reviewed" part is visible on its own (``reviewed_on`` is None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .records import Source, VendorCore

FRESH, STALE, UNKNOWN = "fresh", "stale", "unknown"
STATES = (FRESH, STALE, UNKNOWN)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Freshness:
    """A record's review and retrieval dates and what they make of it."""

    reviewed_on: date | None
    retrieved_on: date | None
    checked_on: date | None
    """The later of the two: when somebody last looked at the truth behind the record."""
    state: str
    """``fresh``, ``stale`` or ``unknown`` (no date at all)."""
    age_days: int | None

    @property
    def stale(self) -> bool | None:
        """True/False, or None when unknown."""
        return None if self.state == UNKNOWN else self.state == STALE


def freshness(
    reviewed_on: str | None, retrieved_on: str | None, stale_after_days: int, today: date | None = None
) -> Freshness:
    """The freshness of a record reviewed and retrieved on those days (ISO dates, either may be None)."""
    reviewed, retrieved = _day(reviewed_on), _day(retrieved_on)
    known = [d for d in (reviewed, retrieved) if d is not None]
    if not known:
        return Freshness(None, None, None, UNKNOWN, None)
    checked = max(known)
    age = ((today or date.today()) - checked).days
    return Freshness(reviewed, retrieved, checked, STALE if age > stale_after_days else FRESH, age)


def vendor_freshness(
    core: VendorCore, sources: Iterable[Source], stale_after_days: int, today: date | None = None
) -> Freshness:
    """A vendor's freshness from its core (review date) and the source pages of its graphs."""
    retrieved = [s.retrieved_on for s in sources if s.retrieved_on]
    return freshness(core.reviewed_at, max(retrieved) if retrieved else None, stale_after_days, today)
