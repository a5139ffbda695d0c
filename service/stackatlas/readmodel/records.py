"""The records of the read model: what the catalog says about a vendor, typed and frozen.

Records hold values and IRIs, never store handles: a record can be cached,
compared and passed between threads. Lists are tuples in the one order
:mod:`stackatlas.readmodel.ordering` defines. A value the data does not state
is ``None`` (unknown), never a default that would read as a fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..vocab import SPDX_LICENSE


@dataclass(frozen=True)
class Concept:
    """A term of a closed vocabulary (layer, certification, status, severity, direction, fit, category …)."""

    iri: str
    notation: str | None
    label: str | None
    rank: int | None
    note: str | None


@dataclass(frozen=True)
class Source:
    """The page a named graph (data file) was derived from (``prov:wasDerivedFrom``)."""

    graph: str
    page: str | None
    title: str | None = None
    """dcterms:title, else rdfs:label."""
    local_copy: str | None = None
    retrieved_on: str | None = None
    disclaimer: str | None = None
    checksum: str | None = None
    """sa:sourceChecksum of the graph: the checksum of the page copy it was ingested from ("sha256:…")."""


@dataclass(frozen=True)
class VendorRef:
    """Enough to name, link and place a vendor: what lists, maps and relations need of the vendors they name."""

    iri: str
    slug: str
    name: str
    """skos:prefLabel; the slug when the data gives none (see ``named``)."""
    named: bool
    """True when the data states a skos:prefLabel (a vendor that exists, as opposed to a dangling IRI)."""
    is_vendor: bool
    """Typed sa:Vendor or a subclass of it."""
    catalog_entry: bool
    aliases: tuple[str, ...]
    layer: Concept | None
    """The layer the vendor's own statements give; see ``Reader.layer_fallbacks`` for the map's fallback."""
    name_graphs: frozenset[str]
    """The graphs stating the name: a map's provenance for the node."""


@dataclass(frozen=True)
class VendorCore(VendorRef):
    """What a vendor's own statements say: its reference plus the page's texts and facts."""

    roles: tuple[str, ...]
    category: Concept | None
    license: str | None
    website: str | None
    pricing: str | None
    open_source: bool | None
    summary: str | None
    analysis: str | None
    trust_analysis: str | None
    architecture_role: str | None
    upstream_summary: str | None
    downstream_summary: str | None
    compliance_text: str | None
    """The page's "Compliance certifications" paragraph, verbatim (sa:complianceText)."""
    names: tuple[str, ...]
    """Vendors the page's texts about the vendor name (sa:namesVendor, entity linking by the ingest), sorted."""
    states_none: tuple[Concept, ...]
    """Page sections the page has with nothing under them (sa:statesNone): empty, as opposed to unknown."""
    reviewed_at: str | None
    """The day a curator last reviewed the entry (``sa:reviewedOn``, ``markReviewed``); None when never."""
    graphs: frozenset[str]

    @property
    def license_code(self) -> str | None:
        return license_code(self.license)


def license_code(iri: str | None) -> str | None:
    """SPDX licence IRIs are shown by their identifier ("Apache-2.0")."""
    if iri is None:
        return None
    prefix = str(SPDX_LICENSE)
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


@dataclass(frozen=True)
class Offering:
    iri: str
    name: str
    """skos:prefLabel or rdfs:label; the IRI's last segment when neither is stated."""
    labelled: bool
    kind: str | None
    """"OPEN_SOURCE" or "MANAGED" (the offering's class); None when the data does not say."""
    kind_iri: str | None
    license: str | None
    pricing: str | None
    description: str | None
    graphs: frozenset[str]


@dataclass(frozen=True)
class ComplianceClaim:
    iri: str
    certification: Concept | None
    certification_iri: str | None
    offering: str | None
    """IRI of the offering the claim is about."""
    offering_name: str | None
    offering_labelled: bool
    status: Concept | None
    evidence: str | None
    graphs: frozenset[str]


@dataclass(frozen=True)
class Criterion:
    iri: str
    code: str
    met: bool | None
    note: str | None


@dataclass(frozen=True)
class Dimension:
    iri: str
    code: str | None
    label: str | None
    score: int | None
    scale: int | None
    rationale: str | None
    stated_criteria_met: int | None
    stated_criteria_total: int | None
    adjustment_note: str | None
    adjustment: Concept | None
    """What kind of adjustment the note states (LENIENT, CAPPED), as data (sa:adjustment)."""
    capped_at: int | None
    """The cap the adjustment note states (sa:cappedAt)."""
    cap_rule: Concept | None
    """What the rationale says of the framework's cap rule (CAP_RULE_NA, CAP_RULE_APPLIED)."""
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Assessment:
    iri: str
    framework: Concept | None
    total: int | None
    scale: int | None
    dimensions: tuple[Dimension, ...]
    graphs: frozenset[str]


def assessment_under(assessments: tuple[Assessment, ...], framework: str) -> Assessment | None:
    """The assessment under the framework with this code (e.g. "INPACT"), if any."""
    return next((a for a in assessments if a.framework and a.framework.notation == framework), None)


@dataclass(frozen=True)
class Alternative:
    """A qualified "alternative to" relation, stated on the page of ``listed_by``."""

    iri: str
    vendor: str
    """The alternative named."""
    listed_by: str
    choose_for: str | None
    rationale: str | None
    comparison: str | None
    graphs: frozenset[str]


@dataclass(frozen=True)
class Integration:
    """A directed integration stated on the page of ``subject``; direction is seen from the subject."""

    iri: str
    subject: str
    target: str
    direction: Concept | None
    layer: Concept | None
    """The layer the integration gives the target (not the target's own layer)."""
    mechanisms: tuple[str, ...]
    description: str | None
    graphs: frozenset[str]


@dataclass(frozen=True)
class Mention:
    """A tool a page relates to its vendor (``subject``) without a direction."""

    iri: str
    subject: str
    vendor: str
    roles: tuple[str, ...]
    evidence: str | None
    description: str | None
    graphs: frozenset[str]


Relation = Alternative | Integration | Mention


@dataclass(frozen=True)
class TrustRisk:
    iri: str
    severity: Concept | None
    description: str | None
    mitigation: str | None
    position: int | None
    names: tuple[str, ...]
    graphs: frozenset[str]


@dataclass(frozen=True)
class UseCase:
    iri: str
    title: str | None
    description: str | None
    fit: Concept | None
    names: tuple[str, ...]
    graphs: frozenset[str]


@dataclass(frozen=True)
class StackImpact:
    iri: str
    layer: Concept | None
    description: str | None
    names: tuple[str, ...]
    graphs: frozenset[str]


@dataclass(frozen=True)
class Item:
    """One entry of a strengths / limitations / best-suited-for / use-with-caution-for list."""

    iri: str
    text: str
    names: tuple[str, ...]
    """Vendors the text names (sa:namesVendor)."""
    graphs: frozenset[str]


@dataclass(frozen=True)
class Relations:
    """A vendor's relations both ways: those its page states and those other pages state about it."""

    alternatives: tuple[Alternative, ...] = ()
    alternative_of: tuple[Alternative, ...] = ()
    integrations: tuple[Integration, ...] = ()
    integrated_by: tuple[Integration, ...] = ()
    mentions: tuple[Mention, ...] = ()
    mentioned_by: tuple[Mention, ...] = ()

    def all(self) -> tuple[Relation, ...]:
        return (
            *self.alternatives,
            *self.alternative_of,
            *self.integrations,
            *self.integrated_by,
            *self.mentions,
            *self.mentioned_by,
        )


@dataclass(frozen=True)
class Vendor:
    """What the read model knows about one vendor, with the vendors its relations name.

    Assessments are read apart (``Reader.assessments``): they are most of a
    vendor's statements and most answers do not need them.
    """

    core: VendorCore
    offerings: tuple[Offering, ...]
    claims: tuple[ComplianceClaim, ...]
    relations: Relations
    risks: tuple[TrustRisk, ...]
    use_cases: tuple[UseCase, ...]
    stack_impact: tuple[StackImpact, ...]
    strengths: tuple[Item, ...]
    limitations: tuple[Item, ...]
    best_suited_for: tuple[Item, ...]
    use_with_caution_for: tuple[Item, ...]
    watch_for: tuple[Item, ...]
    """The page's "Watch For" items; empty both when none is stated and when the page states none
    (``core.states_none`` tells the two apart)."""
    poc_checklist: tuple[Item, ...]
    """The page's "2-Week POC Checklist" items (see ``watch_for``)."""
    related: Mapping[str, VendorRef]
    """References of every vendor a relation (either way) names, by IRI."""
    sources: tuple[Source, ...]
    """Source pages of the graphs stating the vendor or its parts, by graph IRI."""

    @property
    def iri(self) -> str:
        return self.core.iri

    @property
    def names(self) -> tuple[str, ...]:
        """Every vendor the page's texts name (its own texts and its parts'), sorted, itself excluded."""
        parts = (*self.strengths, *self.limitations, *self.best_suited_for, *self.use_with_caution_for)
        found = {
            *self.core.names,
            *(n for i in parts for n in i.names),
            *(n for x in self.risks for n in x.names),
            *(n for x in self.stack_impact for n in x.names),
            *(n for x in self.use_cases for n in x.names),
        }
        found.discard(self.iri)
        return tuple(sorted(found))

    def name_of(self, iri: str) -> str:
        """The name of a related vendor, with the read model's fallback (the slug)."""
        core = self.related.get(iri)
        return core.name if core else iri.rstrip("/").rsplit("/", 1)[-1]
