"""The GraphQL ``Query`` root and the schema with its protection extensions."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from ..config import Settings
from ..vocab import SA
from . import sparql
from .concepts import Concepts
from .context import Context
from .errors import UserError
from .loaders import Node, page_order
from .protection import GuardedSchema, extensions
from .types import (
    CERTIFICATION_PREFIX,
    LAYER_PREFIX,
    PREF_LABEL,
    Alternative,
    Certification,
    Info,
    Integration,
    IntegrationPath,
    Layer,
    PageInfo,
    Vendor,
    VendorConnection,
    VendorEdge,
    VendorId,
    VendorOrder,
    decode_cursor,
    encode_cursor,
)

DEFAULT_PAGE_SIZE = 20


async def _existing_vendor(info: Info, slug: str, what: str = "vendor") -> Node:
    """The vendor's node, or a UserError naming the closest known ids."""
    iri = sparql.vendor_for_slug(slug)
    node = await info.context.loaders.node(iri) if iri else None
    if node is None or node.text(PREF_LABEL) is None:
        raise await info.context.catalog.unknown_vendor(slug, what)
    return node


async def _layers(info: Info) -> list[Layer]:
    concepts = await info.context.catalog.concepts()
    schemes = concepts.in_scheme(LAYER_PREFIX)
    return [Layer(iri=c.iri, code=c.notation or "", name=c.label, note=c.note) for c in schemes]


def _codes(concepts: Concepts, layer: str | None, certification: str | None) -> tuple[str | None, str | None]:
    """IRIs of the layer and certification codes a client gave; unknown codes are a UserError."""
    return (
        concepts.resolve(layer, LAYER_PREFIX, "layer") if layer else None,
        concepts.resolve(certification, CERTIFICATION_PREFIX, "certification") if certification else None,
    )


def _page_size(first: int | None, settings: Settings) -> int:
    limit = settings.graphql_max_page_size
    if first is None:
        return min(DEFAULT_PAGE_SIZE, limit)
    if not 0 <= first <= limit:
        raise UserError(f"first must be between 0 and {limit} (the configured maximum page size); got {first}")
    return first


@strawberry.type
class Query:
    @strawberry.field(description="A vendor by id (slug); null when unknown.")
    async def vendor(self, info: Info, id: VendorId) -> Vendor | None:
        iri = sparql.vendor_for_slug(id)
        if iri is None:
            return None
        node = await info.context.loaders.node(iri)
        return Vendor(iri=iri) if node.text(PREF_LABEL) is not None else None

    @strawberry.field(
        description="Vendors, filtered and paged. `search` matches names and aliases, case-insensitively; "
        "`certification` keeps vendors with an offering whose claim for it is HELD; `minInpact`/`minGoals` "
        "keep vendors whose assessment total is at least that."
    )
    async def vendors(
        self,
        info: Info,
        layer: str | None = None,
        certification: str | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: VendorOrder = VendorOrder.NAME,
        min_inpact: int | None = None,
        min_goals: int | None = None,
    ) -> VendorConnection:
        size = _page_size(first, info.context.settings)
        offset = 0
        if after is not None:
            position = decode_cursor(after)
            if position is None:
                raise UserError(f"invalid cursor {after!r}; use a cursor from a previous page")
            offset = position + 1
        concepts = await info.context.catalog.concepts()
        layer_iri, cert_iri = _codes(concepts, layer, certification)
        frameworks = {
            var: iri
            for var, code in (("inpact", "INPACT"), ("goals", "GOALS"))
            if (iri := concepts.iri_of_notation(code, str(SA)))
        }
        loaders = info.context.loaders
        listing = loaders.select(sparql.vendor_list(layer=layer_iri, search=search, frameworks=frameworks))
        if cert_iri:
            rows, holders = await asyncio.gather(listing, loaders.select(sparql.holders(cert_iri)))
            held = {str(r["v"]) for r in holders}
            rows = [r for r in rows if str(r["v"]) in held]
        else:
            rows = await listing
        found: dict[str, tuple[str, int | None, int | None]] = {}
        for row in rows:
            inpact, goals = row.get("inpact"), row.get("goals")
            found.setdefault(
                str(row["v"]),
                (
                    str(row["name"]),
                    inpact if isinstance(inpact, int) else None,
                    goals if isinstance(goals, int) else None,
                ),
            )
        items = [
            (iri, name, inpact, goals)
            for iri, (name, inpact, goals) in found.items()
            if (min_inpact is None or (inpact is not None and inpact >= min_inpact))
            and (min_goals is None or (goals is not None and goals >= min_goals))
        ]
        by_name = sorted(items, key=lambda item: (item[1].casefold(), item[0]))
        if order_by is VendorOrder.INPACT:
            by_name.sort(key=lambda item: -item[2] if item[2] is not None else float("inf"))
        elif order_by is VendorOrder.GOALS:
            by_name.sort(key=lambda item: -item[3] if item[3] is not None else float("inf"))
        page = by_name[offset : offset + size]
        edges = [
            VendorEdge(node=Vendor(iri=iri), cursor=encode_cursor(offset + i))
            for i, (iri, *_) in enumerate(page)
        ]
        return VendorConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + size < len(by_name),
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(by_name),
        )

    @strawberry.field(
        description="Alternatives to a vendor, both ways: those its page lists, then vendors whose page lists "
        "it (`listedBy` tells which). `certification` keeps alternatives with an offering whose claim for it "
        "is HELD; `layer` keeps alternatives in that layer. An unknown `to` is an error naming close ids."
    )
    async def alternatives(
        self, info: Info, to: VendorId, certification: str | None = None, layer: str | None = None
    ) -> list[Alternative]:
        concepts = await info.context.catalog.concepts()
        layer_iri, cert_iri = _codes(concepts, layer, certification)
        subject = sparql.vendor_for_slug(to)
        if subject is None:
            raise await info.context.catalog.unknown_vendor(to)
        loaders = info.context.loaders
        _, rows = await asyncio.gather(
            _existing_vendor(info, to), loaders.select(sparql.alternatives_of(subject))
        )
        found = {(str(r["rel"]), str(r["v"]), str(r["lister"])) for r in rows}
        if found and (layer_iri or cert_iri):
            keep = sparql.keep({f[1] for f in found}, layer=layer_iri, certification=cert_iri)
            kept = {str(r["v"]) for r in await loaders.select(keep)}
            found = {f for f in found if f[1] in kept}
        nodes = {n.iri: n for n in await loaders.many({i for f in found for i in f[:2]})}
        ordered = sorted(found, key=lambda f: (f[2] != subject, page_order(nodes[f[0]])))
        return [Alternative(node=nodes[rel], vendor_iri=v, lister_iri=lister) for rel, v, lister in ordered]

    @strawberry.field(description="The seven layers, L1 to L7.")
    async def layers(self, info: Info) -> list[Layer]:
        return await _layers(info)

    @strawberry.field(description='One layer by code ("L3"); null when unknown.')
    async def layer(self, info: Info, code: str) -> Layer | None:
        return next((layer for layer in await _layers(info) if layer.code == code), None)

    @strawberry.field(description="The certification codes claims use, as the data defines them.")
    async def certifications(self, info: Info) -> list[Certification]:
        concepts = await info.context.catalog.concepts()
        schemes = concepts.in_scheme(CERTIFICATION_PREFIX)
        return [Certification(code=c.notation or "", name=c.label) for c in schemes]

    @strawberry.field(
        description="The shortest chain of stated integrations between two vendors, either direction; null "
        "when none is within the configured maximum length."
    )
    async def integration_path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from", description="A vendor slug.")],
        to: VendorId,
    ) -> IntegrationPath | None:
        start, goal = await asyncio.gather(_existing_vendor(info, from_), _existing_vendor(info, to))
        return await shortest_path(info, start.iri, goal.iri, info.context.settings.graphql_max_path_length)


async def shortest_path(info: Info, start: str, goal: str, max_length: int) -> IntegrationPath | None:
    """Breadth-first search, one store query per level, so the cost is bounded by ``max_length``."""
    loaders = info.context.loaders
    reached: dict[str, tuple[str, str, str] | None] = {start: None}
    frontier = [start]
    for _ in range(max_length):
        if goal in reached or not frontier:
            break
        rows = await loaders.select(sparql.integration_edges(frontier))
        here = set(frontier)
        frontier = []
        for row in sorted(rows, key=lambda r: (str(r["s"]), str(r["t"]), str(r["rel"]))):
            rel, s, t = str(row["rel"]), str(row["s"]), str(row["t"])
            for near, far in ((s, t), (t, s)):
                if near in here and far not in reached:
                    reached[far] = (rel, s, near)
                    frontier.append(far)
    if goal not in reached:
        return None
    vendors, steps = [goal], []
    while (step := reached[vendors[-1]]) is not None:
        steps.append(step)
        vendors.append(step[2])
    vendors.reverse()
    steps.reverse()
    nodes = await loaders.many(rel for rel, _, _ in steps)
    return IntegrationPath(
        length=len(steps),
        vendor_iris=vendors,
        steps=[Integration(node=n, subject_iri=s) for n, (_, s, _) in zip(nodes, steps, strict=True)],
    )


def build_schema(settings: Settings) -> GuardedSchema:
    return GuardedSchema(query=Query, extensions=extensions(settings))


__all__ = ["Context", "build_schema"]
