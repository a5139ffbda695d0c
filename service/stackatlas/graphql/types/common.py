"""Enums and aliases shared by the GraphQL types."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from ..context import Context

Info = strawberry.Info[Context, None]

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
