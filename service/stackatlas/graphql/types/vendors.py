"""The ``Vendor`` and ``Layer`` types, and the constructors of the relation types.

A ``Vendor`` holds its IRI only and reads through the request's loaders:
names, layer and texts from the vendor's core, everything else from one
batched full read (:class:`stackatlas.readmodel.Reader`). ``Vendor``,
``Layer``, ``ComplianceClaim``, ``Assessment``, ``Dimension``,
``Alternative``, ``Integration`` and ``TrustRisk`` with their core fields are
the contract of issue 3; the rest is documented in ``docs/graphql.md``.
"""

from __future__ import annotations

import strawberry

from ... import readmodel as rm
from ...readmodel.freshness import Freshness, vendor_freshness
from ...vocab import SA, slug_of
from ..history import HistoryConnection, vendor_history
from ..loaders import Loaders
from .assessments import Assessment
from .common import Direction, Fit, Info, PageSection, Severity, enum_of
from .compliance import ComplianceClaim, Offering, claims_of
from .relations import Alternative, Integration, Mention
from .risks import StackImpact, TrustRisk, UseCase
from .sources import Source, sources_of


@strawberry.type(description="A layer of the seven-layer architecture.")
class Layer:
    iri: str
    code: str = strawberry.field(description='"L1" … "L7".')
    name: str | None = strawberry.field(description="The name a source gives the layer; null where none does.")
    note: str | None = strawberry.field(description="Where the name comes from, or why there is none.")

    @classmethod
    def of(cls, concept: rm.Concept | None) -> Layer | None:
        if concept is None or concept.notation is None:
            return None
        return cls(iri=concept.iri, code=concept.notation, name=concept.label, note=concept.note)

    @strawberry.field(description="Vendors placed in this layer, by name.")
    async def vendors(self, info: Info) -> list[Vendor]:
        members = await info.context.loaders.layer_members.load(self.iri)
        return await vendors_by_name(info, members)


def alternative(record: rm.Alternative, *, reverse: bool = False, past: Loaders | None = None) -> Alternative:
    """GraphQL's alternative; seen from the vendor listed (``reverse``), ``vendor`` is the lister."""
    return Alternative(
        vendor=Vendor(iri=record.listed_by if reverse else record.vendor, past=past),
        rationale=record.choose_for or record.rationale,
        comparison=record.comparison,
        listed_by=Vendor(iri=record.listed_by, past=past),
        graphs=record.graphs,
    )


def integration(record: rm.Integration, past: Loaders | None = None) -> Integration:
    return Integration(
        direction_code=record.direction.notation if record.direction else None,
        target=Vendor(iri=record.target, past=past),
        subject=Vendor(iri=record.subject, past=past),
        layer=Layer.of(record.layer),
        description=record.description,
        mechanisms=list(record.mechanisms),
        graphs=record.graphs,
    )


def mention(record: rm.Mention, past: Loaders | None = None) -> Mention:
    return Mention(
        vendor=Vendor(iri=record.vendor, past=past),
        mentioned_by=Vendor(iri=record.subject, past=past),
        roles=list(record.roles),
        evidence=record.evidence or record.description,
        graphs=record.graphs,
    )


def _matches(item: rm.Integration, direction: Direction | None, layer: str | None) -> bool:
    if direction is not None and (item.direction.notation if item.direction else None) != direction.value:
        return False
    return layer is None or (item.layer.notation if item.layer else None) == layer


@strawberry.type(description="A tool or product of the AI and data stack.")
class Vendor:
    iri: str = strawberry.field(description="The vendor's IRI (https://w3id.org/stackatlas/id/vendor/…).")
    past: strawberry.Private[Loaders | None] = None
    """The loaders of a vendor read as of a point (``vendor(id:, asOf:)``); None: the current catalog."""

    def _loaders(self, info: Info) -> Loaders:
        return self.past or info.context.loaders

    async def _ref(self, info: Info) -> rm.VendorRef:
        return await self._loaders(info).ref(self.iri)

    async def _core(self, info: Info) -> rm.VendorCore:
        return await self._loaders(info).core(self.iri)

    async def _record(self, info: Info) -> rm.Vendor:
        return await self._loaders(info).vendor(self.iri)

    @strawberry.field(
        description="The commits that changed this vendor, newest first, each with its changes in the "
        "catalog's words; `after` is the `endCursor` of the previous page (docs/history.md)."
    )
    async def history(self, info: Info, first: int = 20, after: str | None = None) -> HistoryConnection:
        return await vendor_history(info, self.iri, first, after)

    @strawberry.field(description='The slug, e.g. "dagster".')
    def id(self) -> strawberry.ID:
        return strawberry.ID(slug_of(self.iri) or self.iri)

    @strawberry.field(description="skos:prefLabel; the id when the data gives none.")
    async def name(self, info: Info) -> str:
        ref = await self._ref(info)
        return ref.name if ref.named else str(self.id())

    @strawberry.field(description="Other names (skos:altLabel), e.g. 'Postgres' for PostgreSQL.")
    async def aliases(self, info: Info) -> list[str]:
        return list((await self._ref(info)).aliases)

    @strawberry.field(description="True for a vendor with its own analysis page (sa:CatalogEntry).")
    async def catalog_entry(self, info: Info) -> bool:
        return (await self._ref(info)).catalog_entry

    @strawberry.field(description="The page's summary (sa:summary).")
    async def description(self, info: Info) -> str | None:
        return (await self._core(info)).summary

    @strawberry.field(description="The page's 'AI Analysis' text.")
    async def analysis(self, info: Info) -> str | None:
        return (await self._core(info)).analysis

    @strawberry.field(description="The page's 'Trust Before Intelligence' text.")
    async def trust_analysis(self, info: Info) -> str | None:
        return (await self._core(info)).trust_analysis

    @strawberry.field(description="The 'Role' text of the page's architecture section.")
    async def architecture_role(self, info: Info) -> str | None:
        return (await self._core(info)).architecture_role

    @strawberry.field
    async def upstream_summary(self, info: Info) -> str | None:
        return (await self._core(info)).upstream_summary

    @strawberry.field
    async def downstream_summary(self, info: Info) -> str | None:
        return (await self._core(info)).downstream_summary

    @strawberry.field(description="What pages say a mentioned vendor is or does (e.g. 'L3 catalog'), sorted.")
    async def roles(self, info: Info) -> list[str]:
        return list((await self._core(info)).roles)

    @strawberry.field
    async def pricing(self, info: Info) -> str | None:
        return (await self._core(info)).pricing

    @strawberry.field(description="True when the page marks the vendor open source; null when it says nothing.")
    async def open_source(self, info: Info) -> bool | None:
        return (await self._core(info)).open_source

    @strawberry.field
    async def layer(self, info: Info) -> Layer | None:
        return Layer.of((await self._ref(info)).layer)

    @strawberry.field
    async def category(self, info: Info) -> str | None:
        category = (await self._core(info)).category
        return category.label if category else None

    @strawberry.field(description='SPDX identifier, e.g. "Apache-2.0".')
    async def license(self, info: Info) -> str | None:
        return (await self._core(info)).license_code

    @strawberry.field
    async def offerings(self, info: Info) -> list[Offering]:
        record = await self._record(info)
        return [Offering.of(o, record) for o in record.offerings]

    @strawberry.field(description="Compliance claims of all offerings. No claim for a certification = unknown.")
    async def certifications(self, info: Info) -> list[ComplianceClaim]:
        return claims_of(await self._record(info))

    @strawberry.field
    async def inpact(self, info: Info) -> Assessment | None:
        found = rm.assessment_under(await self._loaders(info).assessments.load(self.iri), "INPACT")
        return Assessment.of(found, "INPACT") if found else None

    @strawberry.field
    async def goals(self, info: Info) -> Assessment | None:
        found = rm.assessment_under(await self._loaders(info).assessments.load(self.iri), "GOALS")
        return Assessment.of(found, "GOALS") if found else None

    @strawberry.field
    async def strengths(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).strengths]

    @strawberry.field
    async def limitations(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).limitations]

    @strawberry.field
    async def best_suited_for(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).best_suited_for]

    @strawberry.field
    async def use_with_caution_for(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).use_with_caution_for]

    @strawberry.field(description="The page's 'Watch For' items, in page order (see emptySections).")
    async def watch_for(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).watch_for]

    @strawberry.field(description="The page's '2-Week POC Checklist' items, in page order (see emptySections).")
    async def poc_checklist(self, info: Info) -> list[str]:
        return [i.text for i in (await self._record(info)).poc_checklist]

    @strawberry.field(
        description="Sections the page has with nothing under them (sa:statesNone). An empty watchFor with "
        "WATCH_FOR listed here means the page states none; without it, the page does not say (unknown)."
    )
    async def empty_sections(self, info: Info) -> list[PageSection]:
        found = (enum_of(PageSection, c) for c in (await self._core(info)).states_none)
        return [s for s in found if s is not None]

    @strawberry.field(
        description="The page's 'Compliance certifications' paragraph, verbatim (sa:complianceText)."
    )
    async def compliance_text(self, info: Info) -> str | None:
        return (await self._core(info)).compliance_text

    @strawberry.field(
        description="Vendors the page's texts name, by name or alias (sa:namesVendor, linked by the ingest); "
        "it says only that the text names them, not how they relate. By name."
    )
    async def names_vendors(self, info: Info) -> list[Vendor]:
        return await vendors_by_name(info, list((await self._record(info)).names), self.past)

    @strawberry.field(description="Alternatives this vendor's page lists, in page order.")
    async def alternatives(self, info: Info) -> list[Alternative]:
        return [alternative(a, past=self.past) for a in (await self._record(info)).relations.alternatives]

    @strawberry.field(description="Reverse: vendors whose page lists this vendor as an alternative.")
    async def alternative_of(self, info: Info) -> list[Alternative]:
        return [
            alternative(a, reverse=True, past=self.past)
            for a in (await self._record(info)).relations.alternative_of
        ]

    @strawberry.field(description="Integrations this vendor's page states, optionally by direction and layer.")
    async def integrations(
        self, info: Info, direction: Direction | None = None, layer: str | None = None
    ) -> list[Integration]:
        found = (await self._record(info)).relations.integrations
        return [integration(i, self.past) for i in found if _matches(i, direction, layer)]

    @strawberry.field(
        description="Reverse: integrations other vendors' pages state with this vendor as target "
        "(direction as seen from them)."
    )
    async def integrated_by(
        self, info: Info, direction: Direction | None = None, layer: str | None = None
    ) -> list[Integration]:
        found = (await self._record(info)).relations.integrated_by
        return [integration(i, self.past) for i in found if _matches(i, direction, layer)]

    @strawberry.field(description="Tools this vendor's page relates to it without a direction.")
    async def mentions(self, info: Info) -> list[Mention]:
        return [mention(m, self.past) for m in (await self._record(info)).relations.mentions]

    @strawberry.field(description="Reverse: pages that mention this vendor.")
    async def mentioned_by(self, info: Info) -> list[Mention]:
        return [mention(m, self.past) for m in (await self._record(info)).relations.mentioned_by]

    @strawberry.field(description="Trust risks in page order; minSeverity keeps that severity and above.")
    async def risks(self, info: Info, min_severity: Severity | None = None) -> list[TrustRisk]:
        threshold = None
        if min_severity is not None:
            concepts = await info.context.catalog.concepts()
            level = concepts.find(min_severity.value, str(SA))
            threshold = level.rank if level else None
        risks = []
        for risk in (await self._record(info)).risks:
            severity = risk.severity
            if severity is None or severity.notation is None:
                continue
            if threshold is not None and (severity.rank or 0) < threshold:
                continue
            risks.append(
                TrustRisk(
                    severity=Severity(severity.notation),
                    description=risk.description or "",
                    mitigation=risk.mitigation,
                    graphs=risk.graphs,
                )
            )
        return risks

    @strawberry.field
    async def use_cases(self, info: Info) -> list[UseCase]:
        return [
            UseCase(
                fit=Fit(u.fit.notation) if u.fit and u.fit.notation else None,
                title=u.title,
                description=u.description,
            )
            for u in (await self._record(info)).use_cases
        ]

    @strawberry.field
    async def stack_impact(self, info: Info) -> list[StackImpact]:
        return [
            StackImpact(layer=Layer.of(s.layer), description=s.description)
            for s in (await self._record(info)).stack_impact
        ]

    async def _freshness(self, info: Info) -> Freshness:
        core = await self._core(info)
        found = await info.context.loaders.sources.load_many(sorted(core.graphs))
        sources = [s for per_graph in found for s in per_graph]
        return vendor_freshness(core, sources, info.context.settings.stale_after_days)

    @strawberry.field(
        description="ISO date a curator last reviewed the entry (sa:reviewedOn, markReviewed); null when never."
    )
    async def reviewed_at(self, info: Info) -> str | None:
        return (await self._core(info)).reviewed_at

    @strawberry.field(
        description="ISO date of the newest copy of the source pages this vendor's graphs derive from "
        "(sa:retrievedOn); null when none states one."
    )
    async def retrieved_on(self, info: Info) -> str | None:
        day = (await self._freshness(info)).retrieved_on
        return day.isoformat() if day else None

    @strawberry.field(
        description="True when the record was last checked (the later of reviewedAt and retrievedOn) more than "
        "the catalog's stale_after_days ago; false when checked since; null when neither date is known."
    )
    async def stale(self, info: Info) -> bool | None:
        return (await self._freshness(info)).stale

    @strawberry.field(description='"fresh", "stale" or "unknown" (neither a review nor a retrieval date).')
    async def freshness(self, info: Info) -> str:
        return (await self._freshness(info)).state

    @strawberry.field(description="The source pages of the files that state facts about this vendor.")
    async def sources(self, info: Info) -> list[Source]:
        # Through the full read, which primes the source loader with these graphs.
        return await sources_of(info, (await self._record(info)).core.graphs, self.past)


async def vendors_by_name(info: Info, iris: list[str], past: Loaders | None = None) -> list[Vendor]:
    refs = await (past or info.context.loaders).many_refs(iris)
    ordered = sorted(refs, key=lambda c: ((c.name if c.named else "").casefold(), c.iri))
    return [Vendor(iri=c.iri, past=past) for c in ordered]
