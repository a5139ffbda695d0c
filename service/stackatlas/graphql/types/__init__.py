"""The GraphQL object types, one module per domain.

:mod:`.vendors` (``Vendor``, ``Layer`` and the constructors of relation
types), :mod:`.compliance` (offerings, claims, certifications),
:mod:`.assessments`, :mod:`.relations` (alternatives, integrations, mentions),
:mod:`.risks` (trust risks, use cases, stack impact), :mod:`.sources`
(provenance), :mod:`.connections` (paging, integration paths) and
:mod:`.common` (enums). All of them are built from read-model records.
"""

from .assessments import Assessment, Criterion, Dimension
from .common import ClaimStatus, Direction, Fit, Info, OfferingKind, Severity, VendorId, VendorOrder
from .compliance import Certification, ComplianceClaim, Offering
from .connections import IntegrationPath, PageInfo, VendorConnection, VendorEdge, decode_cursor, encode_cursor
from .relations import Alternative, Integration, Mention
from .risks import StackImpact, TrustRisk, UseCase
from .sources import Source
from .vendors import Layer, Vendor, alternative, integration, vendors_by_name

__all__ = [
    "Alternative",
    "Assessment",
    "Certification",
    "ClaimStatus",
    "ComplianceClaim",
    "Criterion",
    "Dimension",
    "Direction",
    "Fit",
    "Info",
    "Integration",
    "IntegrationPath",
    "Layer",
    "Mention",
    "Offering",
    "OfferingKind",
    "PageInfo",
    "Severity",
    "Source",
    "StackImpact",
    "TrustRisk",
    "UseCase",
    "Vendor",
    "VendorConnection",
    "VendorEdge",
    "VendorId",
    "VendorOrder",
    "alternative",
    "decode_cursor",
    "encode_cursor",
    "integration",
    "vendors_by_name",
]
