"""The GraphQL object types.

Objects hold IRIs (and, where already read, the store's node) and resolve
their fields through the request's loaders, so nesting never costs a store
call per result. ``Vendor``, ``Layer``, ``ComplianceClaim``, ``Assessment``,
``Dimension``, ``Alternative``, ``Integration`` and ``TrustRisk`` with their
core fields are the contract of issue 3; the rest is documented in
``docs/graphql.md``.
"""

from __future__ import annotations

import base64
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import Private

from ..vocab import DCTERMS, ID, PROV, RDF, RDFS, SA, SKOS, SPDX_LICENSE, slug_of
from .concepts import Concepts
from .context import Context
from .loaders import Link, Node

Info = strawberry.Info[Context, None]


def p(term: object) -> str:
    """A property IRI as the string key nodes are indexed by."""
    return str(term)


PREF_LABEL = p(SKOS.prefLabel)
LAYER_PREFIX = str(ID["layer/"])
CERTIFICATION_PREFIX = str(ID["certification/"])


@strawberry.enum(description="Which way data or control flows, seen from the vendor whose page states it.")
class Direction(Enum):
    UPSTREAM = "UPSTREAM"
    DOWNSTREAM = "DOWNSTREAM"


@strawberry.enum(description="Severity of a trust risk; HIGH > MEDIUM > LOW (sa:rank in the data).")
class Severity(Enum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


@strawberry.enum(
    description="Status of a compliance claim as a source states it. No claim at all means unknown, "
    "which is not NOT_HELD."
)
class ClaimStatus(Enum):
    HELD = "HELD"
    NOT_HELD = "NOT_HELD"
    NOT_ADVERTISED = "NOT_ADVERTISED"


@strawberry.enum(description="How well a use-case scenario fits the vendor.")
class Fit(Enum):
    STRONG = "STRONG"
    WEAK = "WEAK"


@strawberry.enum(description="How an offering is delivered.")
class OfferingKind(Enum):
    OPEN_SOURCE = "OPEN_SOURCE"
    MANAGED = "MANAGED"


@strawberry.enum(description="Order of a vendor list. Scores sort highest first; vendors without one last.")
class VendorOrder(Enum):
    NAME = "NAME"
    INPACT = "INPACT"
    GOALS = "GOALS"


# ---------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------


@strawberry.type(description="A page facts were taken from (PROV-O prov:wasDerivedFrom of their graph).")
class Source:
    iri: str = strawberry.field(description="IRI of the source page.")
    title: str | None
    local_copy: str | None = strawberry.field(description="Path of the project's copy of the page.")
    retrieved_on: str | None = strawberry.field(description="ISO date the copy was taken.")
    disclaimer: str | None = strawberry.field(description="The source's own disclaimer, verbatim.")

    @classmethod
    def of(cls, node: Node) -> Source:
        return cls(
            iri=node.iri,
            title=node.text(p(DCTERMS.title), p(RDFS.label)),
            local_copy=node.text(p(SA.localCopy)),
            retrieved_on=node.text(p(SA.retrievedOn)),
            disclaimer=node.text(p(SA.disclaimer)),
        )


async def sources_of(info: Info, graphs: set[str]) -> list[Source]:
    """The source pages behind the named graphs (data files) that state something."""
    loaders = info.context.loaders
    graph_nodes = await loaders.many(sorted(graphs))
    pages = sorted({page for g in graph_nodes for page in g.iris(p(PROV.wasDerivedFrom))})
    return [Source.of(n) for n in await loaders.many(pages)]


# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------


@strawberry.type(description="A layer of the seven-layer architecture.")
class Layer:
    iri: str
    code: str = strawberry.field(description='"L1" … "L7".')
    name: str | None = strawberry.field(description="The name a source gives the layer; null where none does.")
    note: str | None = strawberry.field(description="Where the name comes from, or why there is none.")

    @strawberry.field(description="Vendors placed in this layer, by name.")
    async def vendors(self, info: Info) -> list[Vendor]:
        members = await info.context.loaders.layer_members.load(self.iri)
        return await vendors_by_name(info, members)


async def layer_of(info: Info, iri: str | None) -> Layer | None:
    concept = (await info.context.catalog.concepts()).get(iri)
    if concept is None or concept.notation is None:
        return None
    return Layer(iri=concept.iri, code=concept.notation, name=concept.label, note=concept.note)


@strawberry.type(description="A certification codes in claims refer to (skos:notation in the data).")
class Certification:
    code: str
    name: str | None


# ---------------------------------------------------------------------------
# Vendor parts
# ---------------------------------------------------------------------------


@strawberry.type(description="What one source says about one offering and one certification.")
class ComplianceClaim:
    certification: str = strawberry.field(description='Code, e.g. "HIPAA_BAA".')
    certification_name: str | None
    offering: str = strawberry.field(description="Name of the offering the claim is about.")
    status: ClaimStatus
    evidence: str | None
    graphs: Private[set[str]]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)


async def claims_of(info: Info, vendor: Node, offering: str | None = None) -> list[ComplianceClaim]:
    loaders = info.context.loaders
    concepts = await info.context.catalog.concepts()
    claims = await loaders.linked(vendor, p(SA.complianceClaim))
    if offering is not None:
        claims = [c for c in claims if c.text(p(SA.claimOffering)) == offering]
    offering_iris = {c.text(p(SA.claimOffering)) or "" for c in claims} - {""}
    offerings = {o.iri: o for o in await loaders.many(offering_iris)}
    result = []
    for claim in claims:
        cert = concepts.get(claim.text(p(SA.certification)))
        offering_node = offerings.get(claim.text(p(SA.claimOffering)) or "")
        result.append(
            ComplianceClaim(
                certification=(cert.notation if cert else None) or claim.text(p(SA.certification)) or "",
                certification_name=cert.label if cert else None,
                offering=offering_name(offering_node) if offering_node else "",
                status=ClaimStatus(concepts.notation(claim.text(p(SA.status)))),
                evidence=claim.text(p(SA.evidence)),
                graphs=claim.graphs,
            )
        )
    return result


def offering_name(node: Node) -> str:
    return node.text(PREF_LABEL, p(RDFS.label)) or node.iri.rsplit("/", 1)[-1]


def license_code(iri: str | None) -> str | None:
    """SPDX licence IRIs are shown by their identifier ("Apache-2.0")."""
    if iri is None:
        return None
    prefix = str(SPDX_LICENSE)
    return iri[len(prefix) :] if iri.startswith(prefix) else iri


@strawberry.type(description="One way the vendor's product is delivered (self-hosted OSS, managed cloud).")
class Offering:
    node: Private[Node]
    vendor: Private[Node]

    @strawberry.field
    def iri(self) -> str:
        return self.node.iri

    @strawberry.field
    def name(self) -> str:
        return offering_name(self.node)

    @strawberry.field
    def kind(self) -> OfferingKind | None:
        types = self.node.iris(p(RDF.type))
        if p(SA.ManagedOffering) in types:
            return OfferingKind.MANAGED
        if p(SA.OpenSourceOffering) in types:
            return OfferingKind.OPEN_SOURCE
        return None

    @strawberry.field
    def license(self) -> str | None:
        return license_code(self.node.text(p(SA.license)))

    @strawberry.field
    def pricing(self) -> str | None:
        return self.node.text(p(SA.pricing))

    @strawberry.field
    def description(self) -> str | None:
        return self.node.text(p(SA.description))

    @strawberry.field(description="The compliance claims about this offering.")
    async def claims(self, info: Info) -> list[ComplianceClaim]:
        return await claims_of(info, self.vendor, self.node.iri)


@strawberry.type(description="A GOALS criterion (G1 … S6) as the page marks it.")
class Criterion:
    code: str
    met: bool | None
    note: str | None


@strawberry.type(description="The score of one dimension of an assessment.")
class Dimension:
    node: Private[Node]

    @strawberry.field
    def code(self) -> str:
        return self.node.text(p(SA.code)) or ""

    @strawberry.field
    def name(self) -> str:
        return self.node.text(PREF_LABEL, p(RDFS.label), p(SA.code)) or ""

    @strawberry.field
    def score(self) -> int:
        return int(self.node.one(p(SA.score)) or 0)

    @strawberry.field
    def max(self) -> int:
        return int(self.node.one(p(SA.scale)) or 0)

    @strawberry.field
    def rationale(self) -> str | None:
        return self.node.text(p(SA.rationale))

    @strawberry.field(description="The page's count of met criteria (GOALS), kept as stated.")
    def stated_criteria_met(self) -> int | None:
        value = self.node.one(p(SA.statedCriteriaMet))
        return value if isinstance(value, int) else None

    @strawberry.field
    def stated_criteria_total(self) -> int | None:
        value = self.node.one(p(SA.statedCriteriaTotal))
        return value if isinstance(value, int) else None

    @strawberry.field(description="How the page turned the criteria count into the score, verbatim.")
    def adjustment_note(self) -> str | None:
        return self.node.text(p(SA.adjustmentNote))

    @strawberry.field
    async def criteria(self, info: Info) -> list[Criterion]:
        nodes = await info.context.loaders.linked(self.node, p(SA.criterion))
        return [
            Criterion(code=n.text(p(SA.code)) or "", met=_bool(n.one(p(SA.met))), note=n.text(p(SA.note)))
            for n in sorted(nodes, key=lambda n: n.text(p(SA.code)) or "")
        ]


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


@strawberry.type(description="A vendor's score under one framework (INPACT or GOALS).")
class Assessment:
    node: Private[Node]
    framework: str

    @strawberry.field
    def total(self) -> int:
        return int(self.node.one(p(SA.total)) or 0)

    @strawberry.field
    def max(self) -> int:
        return int(self.node.one(p(SA.scale)) or 0)

    @strawberry.field
    async def dimensions(self, info: Info) -> list[Dimension]:
        return [Dimension(node=n) for n in await info.context.loaders.linked(self.node, p(SA.dimension))]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.node.graphs)


@strawberry.type(description="A qualified 'alternative to' relation stated on one vendor's page.")
class Alternative:
    node: Private[Node]
    vendor_iri: Private[str]
    lister_iri: Private[str]

    @strawberry.field(description="The alternative (for a reverse match: the vendor whose page lists X).")
    def vendor(self) -> Vendor:
        return Vendor(iri=self.vendor_iri)

    @strawberry.field(description="The page's 'Choose … for …' text.")
    def rationale(self) -> str | None:
        return self.node.text(p(SA.chooseFor), p(SA.rationale))

    @strawberry.field(description="The page's 'who wins on what' text.")
    def comparison(self) -> str | None:
        return self.node.text(p(SA.comparison))

    @strawberry.field(description="The vendor whose page states this alternative.")
    def listed_by(self) -> Vendor:
        return Vendor(iri=self.lister_iri)

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.node.graphs)


@strawberry.type(description="A directed integration stated on the page of `subject`.")
class Integration:
    node: Private[Node]
    subject_iri: Private[str]

    @strawberry.field(description="UPSTREAM: target feeds the subject; DOWNSTREAM: subject feeds the target.")
    async def direction(self, info: Info) -> Direction:
        concepts = await info.context.catalog.concepts()
        return Direction(concepts.notation(self.node.text(p(SA.direction))))

    @strawberry.field
    def target(self) -> Vendor:
        return Vendor(iri=self.node.text(p(SA.integrationTarget)) or "")

    @strawberry.field(description="The vendor whose page states the integration.")
    def subject(self) -> Vendor:
        return Vendor(iri=self.subject_iri)

    @strawberry.field(description="The layer the target plays in for this integration.")
    async def layer(self, info: Info) -> Layer | None:
        return await layer_of(info, self.node.text(p(SA.layer)))

    @strawberry.field
    def description(self) -> str | None:
        return self.node.text(p(SA.description))

    @strawberry.field(description="How it works, in the page's words (e.g. 'OpenLineage'), sorted.")
    def mechanisms(self) -> list[str]:
        return sorted(str(v) for v in self.node.all(p(SA.mechanism)))

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.node.graphs)


@strawberry.type(description="A tool a page relates to the vendor without stating a direction.")
class Mention:
    node: Private[Node]
    subject_iri: Private[str]

    @strawberry.field
    def vendor(self) -> Vendor:
        return Vendor(iri=self.node.text(p(SA.mentionedVendor)) or "")

    @strawberry.field(description="The vendor whose page makes the mention.")
    def mentioned_by(self) -> Vendor:
        return Vendor(iri=self.subject_iri)

    @strawberry.field(description="What the mentioned tool is or does here, in the page's words, sorted.")
    def roles(self) -> list[str]:
        return sorted(str(v) for v in self.node.all(p(SA.role)))

    @strawberry.field
    def evidence(self) -> str | None:
        return self.node.text(p(SA.evidence), p(SA.description))

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.node.graphs)


@strawberry.type(description="A way adopting the vendor can go wrong, with its mitigation.")
class TrustRisk:
    node: Private[Node]
    severity: Severity

    @strawberry.field
    def description(self) -> str:
        return self.node.text(p(SA.description)) or ""

    @strawberry.field
    def mitigation(self) -> str | None:
        return self.node.text(p(SA.mitigation))

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.node.graphs)


@strawberry.type(description="A use-case scenario from the page, with its fit.")
class UseCase:
    node: Private[Node]
    fit: Fit | None

    @strawberry.field
    def title(self) -> str | None:
        return self.node.text(p(SA.title))

    @strawberry.field
    def description(self) -> str | None:
        return self.node.text(p(SA.description))


@strawberry.type(description="What the vendor does to one layer of the stack.")
class StackImpact:
    node: Private[Node]

    @strawberry.field
    async def layer(self, info: Info) -> Layer | None:
        return await layer_of(info, self.node.text(p(SA.layer)))

    @strawberry.field
    def description(self) -> str | None:
        return self.node.text(p(SA.description))


# ---------------------------------------------------------------------------
# Vendor
# ---------------------------------------------------------------------------


async def _texts(info: Info, vendor: Node, prop: str) -> list[str]:
    items = await info.context.loaders.linked(vendor, prop)
    return [n.text(p(SA.text), p(SA.description)) or "" for n in items]


def _matches(integration: Node, concepts: Concepts, direction: Direction | None, layer: str | None) -> bool:
    if direction is not None and concepts.notation(integration.text(p(SA.direction))) != direction.value:
        return False
    return layer is None or concepts.notation(integration.text(p(SA.layer))) == layer


@strawberry.type(description="A tool or product of the AI and data stack.")
class Vendor:
    iri: str = strawberry.field(description="The vendor's IRI (https://w3id.org/stackatlas/id/vendor/…).")

    async def _node(self, info: Info) -> Node:
        return await info.context.loaders.node(self.iri)

    @strawberry.field(description='The slug, e.g. "dagster".')
    def id(self) -> strawberry.ID:
        return strawberry.ID(slug_of(self.iri) or self.iri)

    @strawberry.field(description="skos:prefLabel; the id when the data gives none.")
    async def name(self, info: Info) -> str:
        return (await self._node(info)).text(PREF_LABEL) or str(self.id())

    @strawberry.field(description="Other names (skos:altLabel), e.g. 'Postgres' for PostgreSQL.")
    async def aliases(self, info: Info) -> list[str]:
        return sorted(str(v) for v in (await self._node(info)).all(p(SKOS.altLabel)))

    @strawberry.field(description="True for a vendor with its own analysis page (sa:CatalogEntry).")
    async def catalog_entry(self, info: Info) -> bool:
        return p(SA.CatalogEntry) in (await self._node(info)).iris(p(RDF.type))

    @strawberry.field(description="The page's summary (sa:summary).")
    async def description(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.summary))

    @strawberry.field(description="The page's 'AI Analysis' text.")
    async def analysis(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.analysis))

    @strawberry.field(description="The page's 'Trust Before Intelligence' text.")
    async def trust_analysis(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.trustAnalysis))

    @strawberry.field(description="The 'Role' text of the page's architecture section.")
    async def architecture_role(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.architectureRole))

    @strawberry.field
    async def upstream_summary(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.upstreamSummary))

    @strawberry.field
    async def downstream_summary(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.downstreamSummary))

    @strawberry.field(description="What pages say a mentioned vendor is or does (e.g. 'L3 catalog'), sorted.")
    async def roles(self, info: Info) -> list[str]:
        return sorted(str(v) for v in (await self._node(info)).all(p(SA.role)))

    @strawberry.field
    async def pricing(self, info: Info) -> str | None:
        return (await self._node(info)).text(p(SA.pricing))

    @strawberry.field(description="True when the page marks the vendor open source; null when it says nothing.")
    async def open_source(self, info: Info) -> bool | None:
        return _bool((await self._node(info)).one(p(SA.openSource)))

    @strawberry.field
    async def layer(self, info: Info) -> Layer | None:
        return await layer_of(info, (await self._node(info)).text(p(SA.layer)))

    @strawberry.field
    async def category(self, info: Info) -> str | None:
        concept = (await info.context.catalog.concepts()).get((await self._node(info)).text(p(SA.category)))
        return concept.label if concept else None

    @strawberry.field(description='SPDX identifier, e.g. "Apache-2.0".')
    async def license(self, info: Info) -> str | None:
        return license_code((await self._node(info)).text(p(SA.license)))

    @strawberry.field
    async def offerings(self, info: Info) -> list[Offering]:
        node = await self._node(info)
        return [Offering(node=o, vendor=node) for o in await info.context.loaders.linked(node, p(SA.offering))]

    @strawberry.field(description="Compliance claims of all offerings. No claim for a certification = unknown.")
    async def certifications(self, info: Info) -> list[ComplianceClaim]:
        return await claims_of(info, await self._node(info))

    async def _assessment(self, info: Info, framework: str) -> Assessment | None:
        concepts = await info.context.catalog.concepts()
        for node in await info.context.loaders.linked(await self._node(info), p(SA.assessment)):
            if concepts.notation(node.text(p(SA.framework))) == framework:
                return Assessment(node=node, framework=framework)
        return None

    @strawberry.field
    async def inpact(self, info: Info) -> Assessment | None:
        return await self._assessment(info, "INPACT")

    @strawberry.field
    async def goals(self, info: Info) -> Assessment | None:
        return await self._assessment(info, "GOALS")

    @strawberry.field
    async def strengths(self, info: Info) -> list[str]:
        return await _texts(info, await self._node(info), p(SA.strength))

    @strawberry.field
    async def limitations(self, info: Info) -> list[str]:
        return await _texts(info, await self._node(info), p(SA.limitation))

    @strawberry.field
    async def best_suited_for(self, info: Info) -> list[str]:
        return await _texts(info, await self._node(info), p(SA.bestSuitedFor))

    @strawberry.field
    async def use_with_caution_for(self, info: Info) -> list[str]:
        return await _texts(info, await self._node(info), p(SA.useWithCautionFor))

    @strawberry.field(description="Alternatives this vendor's page lists, in page order.")
    async def alternatives(self, info: Info) -> list[Alternative]:
        nodes = await info.context.loaders.linked(await self._node(info), p(SA.alternative))
        return [
            Alternative(node=n, vendor_iri=n.text(p(SA.alternativeVendor)) or "", lister_iri=self.iri)
            for n in nodes
        ]

    @strawberry.field(description="Reverse: vendors whose page lists this vendor as an alternative.")
    async def alternative_of(self, info: Info) -> list[Alternative]:
        links = await info.context.loaders.alternative_of.load(self.iri)
        nodes = await _relation_nodes(info, links)
        return [Alternative(node=n, vendor_iri=link.owner, lister_iri=link.owner) for link, n in nodes]

    @strawberry.field(description="Integrations this vendor's page states, optionally by direction and layer.")
    async def integrations(
        self, info: Info, direction: Direction | None = None, layer: str | None = None
    ) -> list[Integration]:
        concepts = await info.context.catalog.concepts()
        nodes = await info.context.loaders.linked(await self._node(info), p(SA.integration))
        return [
            Integration(node=n, subject_iri=self.iri) for n in nodes if _matches(n, concepts, direction, layer)
        ]

    @strawberry.field(
        description="Reverse: integrations other vendors' pages state with this vendor as target "
        "(direction as seen from them)."
    )
    async def integrated_by(
        self, info: Info, direction: Direction | None = None, layer: str | None = None
    ) -> list[Integration]:
        concepts = await info.context.catalog.concepts()
        links = await info.context.loaders.integrated_by.load(self.iri)
        return [
            Integration(node=n, subject_iri=link.owner)
            for link, n in await _relation_nodes(info, links)
            if _matches(n, concepts, direction, layer)
        ]

    @strawberry.field(description="Tools this vendor's page relates to it without a direction.")
    async def mentions(self, info: Info) -> list[Mention]:
        nodes = await info.context.loaders.linked(await self._node(info), p(SA.mention))
        return [Mention(node=n, subject_iri=self.iri) for n in nodes]

    @strawberry.field(description="Reverse: pages that mention this vendor.")
    async def mentioned_by(self, info: Info) -> list[Mention]:
        links = await info.context.loaders.mentioned_by.load(self.iri)
        return [Mention(node=n, subject_iri=link.owner) for link, n in await _relation_nodes(info, links)]

    @strawberry.field(description="Trust risks in page order; minSeverity keeps that severity and above.")
    async def risks(self, info: Info, min_severity: Severity | None = None) -> list[TrustRisk]:
        concepts = await info.context.catalog.concepts()
        threshold = concepts.rank_of_notation(min_severity.value, str(SA)) if min_severity else None
        risks = []
        for node in await info.context.loaders.linked(await self._node(info), p(SA.trustRisk)):
            severity = concepts.get(node.text(p(SA.severity)))
            if severity is None or severity.notation is None:
                continue
            if threshold is not None and (severity.rank or 0) < threshold:
                continue
            risks.append(TrustRisk(node=node, severity=Severity(severity.notation)))
        return risks

    @strawberry.field
    async def use_cases(self, info: Info) -> list[UseCase]:
        concepts = await info.context.catalog.concepts()
        nodes = await info.context.loaders.linked(await self._node(info), p(SA.useCase))
        return [
            UseCase(node=n, fit=Fit(f) if (f := concepts.notation(n.text(p(SA.fit)))) else None) for n in nodes
        ]

    @strawberry.field
    async def stack_impact(self, info: Info) -> list[StackImpact]:
        nodes = await info.context.loaders.linked(await self._node(info), p(SA.stackImpact))
        return [StackImpact(node=n) for n in nodes]

    @strawberry.field(description="The source pages of the files that state facts about this vendor.")
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, (await self._node(info)).graphs)


async def _relation_nodes(info: Info, links: list[Link]) -> list[tuple[Link, Node]]:
    nodes = await info.context.loaders.many(link.relation for link in links)
    return [(link, node) for link, node in zip(links, nodes, strict=True)]


async def vendors_by_name(info: Info, iris: list[str]) -> list[Vendor]:
    nodes = await info.context.loaders.many(iris)
    ordered = sorted(nodes, key=lambda n: ((n.text(PREF_LABEL) or "").casefold(), n.iri))
    return [Vendor(iri=n.iri) for n in ordered]


# ---------------------------------------------------------------------------
# Connections and paths
# ---------------------------------------------------------------------------


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class VendorEdge:
    node: Vendor
    cursor: str


@strawberry.type(description="A page of vendors (Relay-style cursor connection).")
class VendorConnection:
    edges: list[VendorEdge]
    page_info: PageInfo
    total_count: int


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        return int(number) if kind == "offset" and int(number) >= 0 else None
    except (ValueError, UnicodeDecodeError):
        return None


@strawberry.type(description="The shortest chain of stated integrations between two vendors.")
class IntegrationPath:
    length: int = strawberry.field(description="Number of integrations on the path.")
    vendor_iris: Private[list[str]]
    steps: list[Integration] = strawberry.field(
        description="The integrations in order from `from` to `to`; a step may be stated by either end."
    )

    @strawberry.field(description="The vendors on the path, `from` first and `to` last.")
    def vendors(self) -> list[Vendor]:
        return [Vendor(iri=i) for i in self.vendor_iris]


VendorId = Annotated[strawberry.ID, strawberry.argument(description='A vendor slug, e.g. "dagster".')]
