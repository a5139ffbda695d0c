"""The read model: one typed view of a vendor and its relations, read in batches.

GraphQL, the HTML pages and the integration maps all read vendors through
:class:`Reader` (get the store's with :func:`reader_for`), so names, layers,
orders and fallbacks are decided once (:mod:`.build`, :mod:`.ordering`) and
documented in ``docs/read-model.md``.
"""

from .concepts import CERTIFICATION_PREFIX, LAYER_PREFIX, Concepts
from .index import CatalogIndex, Hit, IndexEntry
from .reader import KINDS, Reader, ends, reader_for
from .records import (
    Alternative,
    Assessment,
    ComplianceClaim,
    Concept,
    Criterion,
    Dimension,
    Integration,
    Item,
    Mention,
    Offering,
    Relation,
    Relations,
    Source,
    StackImpact,
    TrustRisk,
    UseCase,
    Vendor,
    VendorCore,
    VendorRef,
    assessment_under,
    license_code,
)
from .summaries import EntrySummary, OfferingSummary

__all__ = [
    "CERTIFICATION_PREFIX",
    "KINDS",
    "LAYER_PREFIX",
    "Alternative",
    "Assessment",
    "CatalogIndex",
    "ComplianceClaim",
    "Concept",
    "Concepts",
    "Criterion",
    "Dimension",
    "EntrySummary",
    "Hit",
    "IndexEntry",
    "Integration",
    "Item",
    "Mention",
    "Offering",
    "OfferingSummary",
    "Reader",
    "Relation",
    "Relations",
    "Source",
    "StackImpact",
    "TrustRisk",
    "UseCase",
    "Vendor",
    "VendorCore",
    "VendorRef",
    "assessment_under",
    "ends",
    "license_code",
    "reader_for",
]
