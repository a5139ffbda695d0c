"""Stale vendors as warnings of ``stackatlas validate``: the shapes say what is wrong, this says what is old.

A SHACL shape cannot know today's date without making a run depend on the
clock, so freshness is checked beside the shapes, from the read model's
catalog summaries (review and retrieval dates), and reported as findings of
severity ``Warning``: they never make a catalog fail validation. A vendor
whose freshness is unknown (no date stated at all) is reported once, as
``Info``, so "never checked" is visible without being called stale.
"""

from __future__ import annotations

from datetime import date

from ..readmodel import reader_for
from ..readmodel.freshness import STALE, UNKNOWN, freshness
from ..store import Store
from .findings import Finding
from .report import Report

SHAPE = "stackatlas:freshness"
"""What the findings name as their source: not a SHACL shape but the ``stale_after_days`` rule."""


def freshness_findings(store: Store, stale_after_days: int, today: date | None = None) -> list[Finding]:
    """A warning per stale catalog vendor, an info per vendor whose freshness is unknown."""
    reader = reader_for(store)
    index = reader.index()
    found = []
    for iri, summary in sorted(reader.summaries().items()):
        state = freshness(summary.reviewed_at, summary.retrieved_on, stale_after_days, today)
        entry = index.by_iri.get(iri)
        slug = entry.slug if entry else iri.rsplit("/", 1)[-1]
        if state.state == STALE:
            reviewed = f"reviewed {summary.reviewed_at}" if summary.reviewed_at else "never reviewed"
            retrieved = (
                f"source copy taken {summary.retrieved_on}" if summary.retrieved_on else "no source date"
            )
            message = (
                f"stale: last checked {state.checked_on} ({state.age_days} days ago; {reviewed}, {retrieved}), "
                f"more than stale_after_days={stale_after_days}; review it (markReviewed) or re-ingest its page"
            )
            found.append(Finding("Warning", iri, slug, "sa:reviewedOn", message, None, SHAPE, None))
        elif state.state == UNKNOWN:
            message = "freshness unknown: no curator review (sa:reviewedOn) and no source retrieval date"
            found.append(Finding("Info", iri, slug, "sa:reviewedOn", message, None, SHAPE, None))
    return found


def with_freshness(report: Report, store: Store, stale_after_days: int, today: date | None = None) -> Report:
    """The report with the freshness findings added (they never turn a conforming report into a failing one)."""
    return Report([*report.findings, *freshness_findings(store, stale_after_days, today)], report.results_graph)
