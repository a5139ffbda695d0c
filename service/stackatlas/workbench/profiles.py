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
"""A vendor reviewed longer ago than this is stale (needs ``sa:reviewedAt``, which no data states yet)."""


@dataclass(frozen=True)
class OfferingProfile:
    iri: str
    name: str
    kind: str | None
    """"MANAGED", "OPEN_SOURCE", or None when the data does not say."""
    claims: Mapping[str, str]
    """Certification code → status code, for the claims the data states about this offering."""


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
    offerings: tuple[OfferingProfile, ...]
    scores: Mapping[str, int]
    """"INPACT" / "GOALS" → total, and "INPACT.I" / "GOALS.G" … → dimension score, as stated."""
    reviewed_at: str | None
    texts: tuple[tuple[str, str], ...]
    """(field, text) pairs the text search indexes: name, alias, summary, analysis, lists …"""

    def statuses(self, certification: str) -> frozenset[str]:
        """Every status the vendor's offerings have for the certification; UNKNOWN for an offering without a
        claim, and for a vendor without offerings (how it is delivered is not stated)."""
        if not self.offerings:
            return frozenset({UNKNOWN})
        return frozenset(o.claims.get(certification, UNKNOWN) for o in self.offerings)

    def freshness(self, today: date | None = None) -> str:
        """ "fresh", "stale", or "unknown" when the data states no review date (every vendor today)."""
        if not self.reviewed_at:
            return "unknown"
        try:
            reviewed = date.fromisoformat(self.reviewed_at[:10])
        except ValueError:
            return "unknown"
        age = ((today or date.today()) - reviewed).days
        return "stale" if age > STALE_AFTER_DAYS else "fresh"


def profile(record: rm.Vendor, assessments: tuple[rm.Assessment, ...]) -> Profile:
    core = record.core
    claims: dict[str, dict[str, str]] = {}
    for claim in record.claims:
        cert = claim.certification.notation if claim.certification else None
        status = claim.status.notation if claim.status else None
        if claim.offering and cert and status:
            claims.setdefault(claim.offering, {})[cert] = status
    scores: dict[str, int] = {}
    for assessment in assessments:
        framework = assessment.framework.notation if assessment.framework else None
        if framework is None:
            continue
        if assessment.total is not None:
            scores[framework] = assessment.total
        for d in assessment.dimensions:
            if d.code and d.score is not None:
                scores.setdefault(f"{framework}.{d.code}", d.score)
    texts: list[tuple[str, str]] = [("name", core.name), *(("alias", a) for a in core.aliases)]
    for field, value in (
        ("summary", core.summary),
        ("analysis", core.analysis),
        ("trust", core.trust_analysis),
        ("role", core.architecture_role),
        ("compliance", core.compliance_text),
        ("category", core.category.label if core.category else None),
    ):
        if value:
            texts.append((field, value))
    for items in (record.strengths, record.limitations, record.best_suited_for, record.use_with_caution_for):
        texts += [("list", i.text) for i in items if i.text]
    for claim in record.claims:
        if claim.certification and claim.certification.label:
            texts.append(("certification", claim.certification.label))
        if claim.evidence:
            texts.append(("compliance", claim.evidence))
    return Profile(
        iri=core.iri,
        slug=core.slug,
        name=core.name,
        aliases=core.aliases,
        layer=core.layer.notation if core.layer else None,
        layer_rank=(core.layer.rank or 0) if core.layer else 99,
        category=(core.category.notation or build.last_segment(core.category.iri)) if core.category else None,
        category_label=core.category.label if core.category else None,
        license=core.license_code,
        open_source=core.open_source,
        offerings=tuple(
            OfferingProfile(o.iri, o.name, o.kind, claims.get(o.iri, {})) for o in record.offerings
        ),
        scores=scores,
        reviewed_at=core.reviewed_at,
        texts=tuple(texts),
    )


@dataclass(frozen=True)
class Catalog:
    """Every catalog vendor's profile, by name; with the records the stack builder reports from."""

    profiles: tuple[Profile, ...]
    by_iri: Mapping[str, Profile]
    records: Mapping[str, rm.Vendor]
    certifications: tuple[rm.Concept, ...]
    layers: tuple[rm.Concept, ...]


def catalog(reader: rm.Reader) -> Catalog:
    """The profiles of every vendor with its own page (sa:CatalogEntry), cached per store generation."""

    def compute() -> Catalog:
        iris = [e.iri for e in reader.index().entries if e.catalog_entry]
        records = reader.read(iris)
        scores = reader.assessments(iris)
        found = tuple(profile(records[i], scores[i]) for i in iris)
        concepts = reader.concepts()
        return Catalog(
            profiles=found,
            by_iri={p.iri: p for p in found},
            records=records,
            certifications=tuple(concepts.in_scheme(rm.CERTIFICATION_PREFIX)),
            layers=tuple(reader.layers()),
        )

    return reader.cached("workbench-catalog", compute)
