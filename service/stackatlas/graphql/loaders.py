"""Per-request batched access to the read model.

Resolvers ask a loader for the vendor records they need; the loaders collect
the keys asked for in one event-loop tick and answer them with one batched
:class:`~stackatlas.readmodel.Reader` call, so the number of store round-trips
of a request follows the shape of the query, not the number of results.
Results are cached for the request only (the reader's own caches are keyed by
the store generation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from strawberry.dataloader import DataLoader

from .. import readmodel as rm
from ..store import Row
from ..store.queries import graphql as q
from ..store.terms import Bindings, iri


class Loaders:
    def __init__(self, reader: rm.Reader) -> None:
        self.reader = reader
        self.store = reader.store
        self.cores: DataLoader[str, rm.VendorCore] = DataLoader(load_fn=self._load_cores)
        self.vendors: DataLoader[str, rm.Vendor] = DataLoader(load_fn=self._load_vendors)
        self.sources: DataLoader[str, tuple[rm.Source, ...]] = DataLoader(load_fn=self._load_sources)
        self.layer_members: DataLoader[str, list[str]] = DataLoader(load_fn=self._load_layer_members)

    async def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """One store round-trip, off the event loop."""
        return await self.store.run(self.store.select, query, bindings)

    async def core(self, vendor: str) -> rm.VendorCore:
        return await self.cores.load(vendor)

    async def many_cores(self, vendors: Iterable[str]) -> list[rm.VendorCore]:
        return list(await self.cores.load_many(list(vendors)))

    async def vendor(self, vendor: str) -> rm.Vendor:
        return await self.vendors.load(vendor)

    async def _load_cores(self, keys: Sequence[str]) -> list[rm.VendorCore]:
        found = await self.store.run(self.reader.cores, list(keys))
        return [found[k] for k in keys]

    async def _load_vendors(self, keys: Sequence[str]) -> list[rm.Vendor]:
        found = await self.store.run(self.reader.read, list(keys))
        # A full read carries the cores of the vendors asked for and of every
        # vendor their relations name, and the source pages of their graphs:
        # later fields asking for those cost nothing.
        for record in found.values():
            for core in (record.core, *record.related.values()):
                self.cores.prime(core.iri, core)
            for graph in record.core.graphs:
                self.sources.prime(graph, tuple(s for s in record.sources if s.graph == graph))
        return [found[k] for k in keys]

    async def _load_sources(self, keys: Sequence[str]) -> list[tuple[rm.Source, ...]]:
        found = await self.store.run(self.reader.sources, list(keys))
        return [found.get(k, ()) for k in keys]

    async def _load_layer_members(self, keys: Sequence[str]) -> list[list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for row in await self.select(q.layer_members(iri(k) for k in keys)):
            members[str(row["t"])].append(str(row["v"]))
        return [members[k] for k in keys]
