"""The GraphQL ``Query`` root and the schema with its protection extensions."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated

import strawberry

from .. import readmodel as rm
from ..config import Settings
from ..store.queries import graphql as q
from ..store.terms import Term, literal
from ..store.terms import iri as iri_term
from ..vocab import SA, vendor_iri
from ..workbench import freshness_states
from . import history
from .changes import ChangeFeed, changes
from .concepts import resolve
from .context import Context
from .errors import UserError
from .mutations import CommitConnection, Mutation, commits
from .protection import GuardedSchema, extensions
from .types import (
    Alternative,
    Certification,
    Info,
    IntegrationPath,
    Layer,
    PageInfo,
    Vendor,
    VendorConnection,
    VendorEdge,
    VendorId,
    VendorOrder,
    alternative,
    decode_cursor,
    encode_cursor,
    integration,
)
from .workbench import WorkbenchQuery

DEFAULT_PAGE_SIZE = 20

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def vendor_for_slug(slug: str) -> str | None:
    """The vendor IRI for a client-given id, or None when it cannot be a slug."""
    return str(vendor_iri(slug)) if _SLUG.match(slug) else None


async def _existing_vendor(info: Info, slug: str, what: str = "vendor") -> rm.VendorRef:
    """The vendor's reference, or a UserError naming the closest known ids."""
    found = vendor_for_slug(slug)
    ref = await info.context.loaders.ref(found) if found else None
    if ref is None or not ref.named:
        raise await info.context.catalog.unknown_vendor(slug, what)
    return ref


async def _layers(info: Info) -> list[Layer]:
    concepts = await info.context.catalog.concepts()
    return [layer for c in concepts.in_scheme(rm.LAYER_PREFIX) if (layer := Layer.of(c)) is not None]


def _codes(
    concepts: rm.Concepts, layer: str | None, certification: str | None
) -> tuple[str | None, str | None]:
    """IRIs of the layer and certification codes a client gave; unknown codes are a UserError."""
    return (
        resolve(concepts, layer, rm.LAYER_PREFIX, "layer") if layer else None,
        resolve(concepts, certification, rm.CERTIFICATION_PREFIX, "certification") if certification else None,
    )


def _page_size(first: int | None, settings: Settings) -> int:
    limit = settings.graphql_max_page_size
    if first is None:
        return min(DEFAULT_PAGE_SIZE, limit)
    if not 0 <= first <= limit:
        raise UserError(f"first must be between 0 and {limit} (the configured maximum page size); got {first}")
    return first


@strawberry.type
class Query(WorkbenchQuery):
    """The catalog's questions; the workbench's fields (``WorkbenchQuery``) live in their own module."""

    releases: list[history.ReleaseInfo] = strawberry.field(
        resolver=history.release_list,
        description="Named states of the catalog, oldest first (docs/history.md).",
    )

    @strawberry.field(
        description="What changed in one vendor between two points (`from`/`to`: dates, date-times, commit "
        "numbers or release tags), in the catalog's words."
    )
    async def vendor_diff(
        self,
        info: Info,
        id: VendorId,
        from_: Annotated[str, strawberry.argument(name="from")],
        to: str,
    ) -> list[history.ChangeEntry]:
        found = vendor_for_slug(id)
        if found is None:
            raise UserError(f"not a vendor id: {id!r}")
        return await history.vendor_difference(info, found, from_, to)

    @strawberry.field(
        description="What changed in the whole catalog between two points (e.g. two releases): vendors added "
        "and removed, claims changed, scores moved."
    )
    async def catalog_diff(
        self, info: Info, from_: Annotated[str, strawberry.argument(name="from")], to: str
    ) -> history.CatalogDifference:
        return await history.catalog_difference(info, from_, to)

    commits: CommitConnection = strawberry.field(
        resolver=commits, description="The audit trail of governed writes, newest first (docs/writes.md)."
    )
    changes: ChangeFeed = strawberry.field(
        resolver=changes,
        description="The change feed: commits after the cursor `since`, oldest first, with their changes in "
        "the catalog's words; `vendor` (id) and `kind` filter it (docs/feed.md).",
    )

    @strawberry.field(
        description="A vendor by id (slug); null when unknown. With `asOf` (a date, a date-time, a commit "
        "number or a release tag) the vendor as it was then: null when it did not exist yet (docs/history.md)."
    )
    async def vendor(self, info: Info, id: VendorId, as_of: str | None = None) -> Vendor | None:
        found = vendor_for_slug(id)
        if found is None:
            return None
        loaders = info.context.loaders
        if as_of is not None:
            past = await history.past_loaders(info, found, as_of)
            if past is None:
                return None
            loaders = past
        # The core (not just the reference): a vendor asked for by id usually
        # has its page fields asked too, and the core answers both in one query.
        core = await loaders.core(found)
        return Vendor(iri=found, past=loaders if as_of is not None else None) if core.named else None

    @strawberry.field(
        description="Vendors, filtered and paged. `search` matches names and aliases, case-insensitively; "
        "`certification` keeps vendors with an offering whose claim for it is HELD; `minInpact`/`minGoals` "
        "keep vendors whose assessment total is at least that; `stale: true` keeps vendors last checked "
        "longer ago than the catalog's stale_after_days, `stale: false` those checked since (vendors whose "
        "freshness is unknown are in neither)."
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
        stale: bool | None = None,
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
            var: concept.iri
            for var, code in (("inpact", "INPACT"), ("goals", "GOALS"))
            if (concept := concepts.find(code, str(SA)))
        }
        bindings: dict[str, Term] = {f"fw_{var}": iri_term(framework) for var, framework in frameworks.items()}
        if layer_iri:
            bindings["layer"] = iri_term(layer_iri)
        if search:
            bindings["search"] = literal(search)
        loaders = info.context.loaders
        listing = loaders.select(
            q.vendor_list(layer=layer_iri is not None, search=bool(search), frameworks=frameworks), bindings
        )
        if cert_iri:
            rows, holders = await asyncio.gather(
                listing, loaders.select(q.HOLDERS, {"cert": iri_term(cert_iri)})
            )
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
        if stale is not None:
            states = await info.context.catalog.store.run(
                freshness_states, info.context.catalog.reader, info.context.settings.stale_after_days
            )
            wanted = "stale" if stale else "fresh"
            found = {iri: values for iri, values in found.items() if states.get(iri) == wanted}
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
        subject = vendor_for_slug(to)
        record = await info.context.loaders.vendor(subject) if subject else None
        if record is None or not record.core.named:
            raise await info.context.catalog.unknown_vendor(to)
        found = [(a, False) for a in record.relations.alternatives]
        found += [(a, True) for a in record.relations.alternative_of]
        if found and (layer_iri or cert_iri):
            named = sorted({a.listed_by if reverse else a.vendor for a, reverse in found})
            bindings: dict[str, Term] = {}
            if layer_iri:
                bindings["layer"] = iri_term(layer_iri)
            if cert_iri:
                bindings["cert"] = iri_term(cert_iri)
            keep_query = q.keep(
                [iri_term(v) for v in named], layer=layer_iri is not None, certification=cert_iri is not None
            )
            kept = {str(r["v"]) for r in await info.context.loaders.select(keep_query, bindings)}
            found = [(a, reverse) for a, reverse in found if (a.listed_by if reverse else a.vendor) in kept]
        return [alternative(a, reverse=reverse) for a, reverse in found]

    @strawberry.field(description="The seven layers, L1 to L7.")
    async def layers(self, info: Info) -> list[Layer]:
        return await _layers(info)

    @strawberry.field(description='One layer by code ("L3"); null when unknown.')
    async def layer(self, info: Info, code: str) -> Layer | None:
        return next((layer for layer in await _layers(info) if layer.code == code), None)

    @strawberry.field(description="The certification codes claims use, as the data defines them.")
    async def certifications(self, info: Info) -> list[Certification]:
        concepts = await info.context.catalog.concepts()
        schemes = concepts.in_scheme(rm.CERTIFICATION_PREFIX)
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
        rows = await loaders.select(q.integration_edges([iri_term(v) for v in frontier]))
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
    stated = await loaders.store.run(
        loaders.reader.relations, sorted({s for _, s, _ in steps}), ("integration",)
    )
    records = {i.iri: i for relations in stated.values() for i in relations.integrations}
    return IntegrationPath(
        length=len(steps),
        vendor_iris=vendors,
        steps=[integration(records[rel]) for rel, _, _ in steps],
    )


def build_schema(settings: Settings) -> GuardedSchema:
    return GuardedSchema(query=Query, mutation=Mutation, extensions=extensions(settings))


__all__ = ["Context", "build_schema"]
