"""One compact profile per catalog vendor: what the facets, the search and the stack builder test against.

Built from read-model records (never from the store directly) once per store
generation and cached on the reader, so a faceted page at 10,000 vendors is a
pass over in-memory tuples. Unknown stays unknown: a claim the data does not
state is absent from ``claims``, an unstated licence is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .. import readmodel as rm
from ..readmodel import build
from ..readmodel.freshness import freshness

UNKNOWN = "UNKNOWN"
"""The status of a certification for an offering no claim speaks about."""

STATUSES = ("HELD", "NOT_HELD", "NOT_ADVERTISED", "NOT_OFFERED", "NEEDS_REVIEW", UNKNOWN)
"""Certification statuses a facet offers, in display order; the data's five, then UNKNOWN (no claim)."""

STATUS_LABELS = {
    "HELD": "held",
    "NOT_HELD": "not held",
    "NOT_ADVERTISED": "not advertised",
    "NOT_OFFERED": "not offered",
    "NEEDS_REVIEW": "needs review",
    UNKNOWN: "unknown (no claim)",
}

STALE_AFTER_DAYS = 365
"""The default of the ``stale_after_days`` setting (see :mod:`stackatlas.readmodel.freshness`)."""


@dataclass(frozen=True)
class Profile:
    iri: str
    slug: str
    name: str
    aliases: tuple[str, ...]
    layer: str | None
    layer_rank: int
    category: str | None
    category_label: str | None
    license: str | None
    open_source: bool | None
    offerings: tuple[rm.OfferingSummary, ...]
    scores: Mapping[str, int]
    """"INPACT" / "GOALS" → total, and "INPACT.I" / "GOALS.G" … → dimension score, as stated."""
    reviewed_at: str | None
    retrieved_on: str | None
    texts: tuple[tuple[str, str], ...]
    """(field, text) pairs the text search indexes: name, alias, summary, analysis, lists …"""

    def statuses(self, certification: str) -> frozenset[str]:
        """Every status the vendor's offerings have for the certification; UNKNOWN for an offering without a
        claim, and for a vendor without offerings (how it is delivered is not stated)."""
        if not self.offerings:
            return frozenset({UNKNOWN})
        return frozenset(o.claims.get(certification, UNKNOWN) for o in self.offerings)

    def freshness(self, today: date | None = None, stale_after_days: int = STALE_AFTER_DAYS) -> str:
        """ "fresh", "stale", or "unknown" when the data states neither a review nor a retrieval date."""
        return freshness(self.reviewed_at, self.retrieved_on, stale_after_days, today).state


TEXT_FIELDS = {"strength": "list", "limitation": "list", "bestSuitedFor": "list", "useWithCautionFor": "list"}
"""List items are indexed as one field; other texts under their property's name."""


def profile(entry: rm.IndexEntry, summary: rm.EntrySummary) -> Profile:
    category = summary.category
    texts: list[tuple[str, str]] = [("name", entry.name), *(("alias", a) for a in entry.aliases)]
    if category and category.label:
        texts.append(("category", category.label))
    certifications = {c for o in summary.offerings for c in o.claims}
    texts += [("certification", c.replace("_", " ")) for c in sorted(certifications)]
    texts += [(TEXT_FIELDS.get(field, field), text) for field, text in summary.texts]
    layer = entry.layer if entry.layer_is_own else None
    return Profile(
        iri=entry.iri,
        slug=entry.slug,
        name=entry.name,
        aliases=entry.aliases,
        layer=layer.notation if layer else None,
        layer_rank=(layer.rank or 0) if layer else 99,
        category=(category.notation or build.last_segment(category.iri)) if category else None,
        category_label=category.label if category else None,
        license=summary.license,
        open_source=summary.open_source,
        offerings=summary.offerings,
        scores=summary.scores,
        reviewed_at=summary.reviewed_at,
        retrieved_on=summary.retrieved_on,
        texts=tuple(texts),
    )


@dataclass(frozen=True)
class Catalog:
    """Every catalog vendor's profile, by name, with the integrations between them."""

    profiles: tuple[Profile, ...]
    by_iri: Mapping[str, Profile]
    integrations: Mapping[str, tuple[tuple[str, str], ...]]
    """Per vendor: (integration IRI, target IRI) of the integrations its page states."""
    certifications: tuple[rm.Concept, ...]
    layers: tuple[rm.Concept, ...]


def catalog(reader: rm.Reader) -> Catalog:
    """The profiles of every vendor with its own page (sa:CatalogEntry), cached per store generation.

    Built from the reader's catalog summaries (a few lean queries) and the catalog index, never from
    full records: at 10,000 vendors that is seconds, not minutes.
    """

    def compute() -> Catalog:
        summaries = reader.summaries()
        entries = [e for e in reader.index().entries if e.catalog_entry and e.iri in summaries]
        found = tuple(profile(e, summaries[e.iri]) for e in entries)
        concepts = reader.concepts()
        return Catalog(
            profiles=found,
            by_iri={p.iri: p for p in found},
            integrations={p.iri: summaries[p.iri].integrations for p in found},
            certifications=tuple(concepts.in_scheme(rm.CERTIFICATION_PREFIX)),
            layers=tuple(reader.layers()),
        )

    return reader.cached("workbench-catalog", compute)
