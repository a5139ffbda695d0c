"""Qualified relations between vendors: alternatives, integrations, mentions.

Built by :mod:`.vendors` with their vendors and layers already in place, so
this module only names those types (lazily) and never imports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from .common import Direction, Info
from .sources import Source, sources_of

if TYPE_CHECKING:
    from .vendors import Layer, Vendor

VENDORS = "stackatlas.graphql.types.vendors"


@strawberry.type(description="A qualified 'alternative to' relation stated on one vendor's page.")
class Alternative:
    vendor: Annotated[Vendor, strawberry.lazy(VENDORS)] = strawberry.field(
        description="The alternative (for a reverse match: the vendor whose page lists X)."
    )
    rationale: str | None = strawberry.field(description="The page's 'Choose … for …' text.")
    comparison: str | None = strawberry.field(description="The page's 'who wins on what' text.")
    listed_by: Annotated[Vendor, strawberry.lazy(VENDORS)] = strawberry.field(
        description="The vendor whose page states this alternative."
    )
    graphs: Private[frozenset[str]]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)


@strawberry.type(description="A directed integration stated on the page of `subject`.")
class Integration:
    direction_code: Private[str | None]

    @strawberry.field(description="UPSTREAM: target feeds the subject; DOWNSTREAM: subject feeds the target.")
    def direction(self) -> Direction:
        # A direction the data lacks (only in a catalog served invalid) is an
        # error on this field alone, not on the whole list.
        return Direction(self.direction_code)

    target: Annotated[Vendor, strawberry.lazy(VENDORS)]
    subject: Annotated[Vendor, strawberry.lazy(VENDORS)] = strawberry.field(
        description="The vendor whose page states the integration."
    )
    layer: Annotated[Layer, strawberry.lazy(VENDORS)] | None = strawberry.field(
        description="The layer the target plays in for this integration."
    )
    description: str | None
    mechanisms: list[str] = strawberry.field(
        description="How it works, in the page's words (e.g. 'OpenLineage'), sorted."
    )
    graphs: Private[frozenset[str]]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)


@strawberry.type(description="A tool a page relates to the vendor without stating a direction.")
class Mention:
    vendor: Annotated[Vendor, strawberry.lazy(VENDORS)]
    mentioned_by: Annotated[Vendor, strawberry.lazy(VENDORS)] = strawberry.field(
        description="The vendor whose page makes the mention."
    )
    roles: list[str] = strawberry.field(
        description="What the mentioned tool is or does here, in the page's words, sorted."
    )
    evidence: str | None
    graphs: Private[frozenset[str]]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)
