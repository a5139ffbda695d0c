"""Paging (Relay-style cursor connections) and integration paths."""

from __future__ import annotations

import base64

import strawberry
from strawberry import Private

from .relations import Integration
from .vendors import Vendor


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
