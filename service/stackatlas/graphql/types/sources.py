"""Provenance: the source pages facts were taken from."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from ... import readmodel as rm
from ..loaders import Loaders
from .common import Info


@strawberry.type(description="A page facts were taken from (PROV-O prov:wasDerivedFrom of their graph).")
class Source:
    iri: str = strawberry.field(description="IRI of the source page.")
    title: str | None
    local_copy: str | None = strawberry.field(description="Path of the project's copy of the page.")
    retrieved_on: str | None = strawberry.field(description="ISO date the copy was taken.")
    disclaimer: str | None = strawberry.field(description="The source's own disclaimer, verbatim.")
    checksum: str | None = strawberry.field(
        description='Checksum of the page copy the data was ingested from ("sha256:<hex>", sa:sourceChecksum); '
        "null when no ingested graph states one."
    )


async def sources_of(info: Info, graphs: Iterable[str], past: Loaders | None = None) -> list[Source]:
    """The source pages behind the named graphs (data files) that state something, by page IRI
    (through ``past``, a past vendor's loaders, when given)."""
    found = await (past or info.context.loaders).sources.load_many(sorted(set(graphs)))
    pages: dict[str, rm.Source] = {}
    checksums: dict[str, str] = {}
    for per_graph in found:
        for source in per_graph:
            if source.page is not None:
                pages.setdefault(source.page, source)
                if source.checksum:
                    checksums.setdefault(source.page, source.checksum)
    return [
        Source(
            iri=page,
            title=s.title,
            local_copy=s.local_copy,
            retrieved_on=s.retrieved_on,
            disclaimer=s.disclaimer,
            checksum=checksums.get(page),
        )
        for page, s in sorted(pages.items())
    ]
