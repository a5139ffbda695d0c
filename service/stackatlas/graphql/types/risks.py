"""What a page says can go wrong, where the vendor fits, and what it does to the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from .common import Fit, Info, Severity
from .sources import Source, sources_of

if TYPE_CHECKING:
    from .vendors import Layer


@strawberry.type(description="A way adopting the vendor can go wrong, with its mitigation.")
class TrustRisk:
    severity: Severity
    description: str
    mitigation: str | None
    graphs: Private[frozenset[str]]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)


@strawberry.type(description="A use-case scenario from the page, with its fit.")
class UseCase:
    fit: Fit | None
    title: str | None
    description: str | None


@strawberry.type(description="What the vendor does to one layer of the stack.")
class StackImpact:
    layer: Annotated[Layer, strawberry.lazy("stackatlas.graphql.types.vendors")] | None
    description: str | None
