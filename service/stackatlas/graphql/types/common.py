"""Enums and aliases shared by the GraphQL types."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, TypeVar

import strawberry

from ..context import Context

Info = strawberry.Info[Context, None]
E = TypeVar("E", bound=Enum)

VendorId = Annotated[strawberry.ID, strawberry.argument(description='A vendor slug, e.g. "dagster".')]


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
    "which is not NOT_HELD. NOT_OFFERED: the source says the certification is not offered for the offering. "
    "NEEDS_REVIEW: the source names the certification in a sentence that states no clear status (kept as "
    "evidence for a curator); never read as HELD."
)
class ClaimStatus(Enum):
    HELD = "HELD"
    NOT_HELD = "NOT_HELD"
    NOT_ADVERTISED = "NOT_ADVERTISED"
    NOT_OFFERED = "NOT_OFFERED"
    NEEDS_REVIEW = "NEEDS_REVIEW"


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


@strawberry.enum(
    description="How the page says a GOALS dimension's score was moved away from its criteria count."
)
class Adjustment(Enum):
    LENIENT = "LENIENT"
    CAPPED = "CAPPED"


@strawberry.enum(description="What a dimension's rationale says of the framework's cap rule.")
class CapRule(Enum):
    CAP_RULE_NA = "CAP_RULE_NA"
    CAP_RULE_APPLIED = "CAP_RULE_APPLIED"


@strawberry.enum(description="A section of the page format that a page may state to be empty.")
class PageSection(Enum):
    WATCH_FOR = "WATCH_FOR"
    POC_CHECKLIST = "POC_CHECKLIST"


def enum_of(kind: type[E], concept: object) -> E | None:
    """The enum member for a concept's code; None when the data has none or one this schema does not know,
    so new data never breaks a response."""
    code = getattr(concept, "notation", None)
    try:
        return kind(code) if code is not None else None
    except ValueError:
        return None
