"""Offerings and their compliance claims."""

from __future__ import annotations

import strawberry
from strawberry import Private

from ... import readmodel as rm
from .common import ClaimStatus, Info, OfferingKind, enum_of
from .sources import Source, sources_of


@strawberry.type(description="A certification codes in claims refer to (skos:notation in the data).")
class Certification:
    code: str
    name: str | None


@strawberry.type(description="What one source says about one offering and one certification.")
class ComplianceClaim:
    certification: str = strawberry.field(description='Code, e.g. "HIPAA_BAA".')
    certification_name: str | None
    offering: str = strawberry.field(description="Name of the offering the claim is about.")
    status: ClaimStatus
    evidence: str | None
    graphs: Private[frozenset[str]]

    @classmethod
    def of(cls, claim: rm.ComplianceClaim) -> ComplianceClaim | None:
        """None for a claim whose status is not one of the schema's (the shapes reject such data)."""
        cert = claim.certification
        status = enum_of(ClaimStatus, claim.status)
        if status is None:
            return None
        return cls(
            certification=(cert.notation if cert else None) or claim.certification_iri or "",
            certification_name=cert.label if cert else None,
            offering=claim.offering_name or "",
            status=status,
            evidence=claim.evidence,
            graphs=claim.graphs,
        )

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)


def claims_of(vendor: rm.Vendor, offering: str | None = None) -> list[ComplianceClaim]:
    """The vendor's claims in page order, or those about one offering (by IRI)."""
    found = (ComplianceClaim.of(c) for c in vendor.claims if offering is None or c.offering == offering)
    return [c for c in found if c is not None]


@strawberry.type(description="One way the vendor's product is delivered (self-hosted OSS, managed cloud).")
class Offering:
    iri: str
    name: str
    kind: OfferingKind | None
    license: str | None
    pricing: str | None
    description: str | None
    claims: list[ComplianceClaim] = strawberry.field(description="The compliance claims about this offering.")

    @classmethod
    def of(cls, offering: rm.Offering, vendor: rm.Vendor) -> Offering:
        return cls(
            iri=offering.iri,
            name=offering.name,
            kind=OfferingKind(offering.kind) if offering.kind else None,
            license=rm.license_code(offering.license),
            pricing=offering.pricing,
            description=offering.description,
            claims=claims_of(vendor, offering.iri),
        )
