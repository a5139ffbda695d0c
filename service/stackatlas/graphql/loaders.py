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
        self.refs: DataLoader[str, rm.VendorRef] = DataLoader(load_fn=self._load_refs)
        self.cores: DataLoader[str, rm.VendorCore] = DataLoader(load_fn=self._load_cores)
        self.vendors: DataLoader[str, rm.Vendor] = DataLoader(load_fn=self._load_vendors)
        self.assessments: DataLoader[str, tuple[rm.Assessment, ...]] = DataLoader(
            load_fn=self._load_assessments
        )
        self.sources: DataLoader[str, tuple[rm.Source, ...]] = DataLoader(load_fn=self._load_sources)
        self.layer_members: DataLoader[str, list[str]] = DataLoader(load_fn=self._load_layer_members)

    async def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """One store round-trip, off the event loop."""
        return await self.store.run(self.store.select, query, bindings)

    async def ref(self, vendor: str) -> rm.VendorRef:
        return await self.refs.load(vendor)

    async def many_refs(self, vendors: Iterable[str]) -> list[rm.VendorRef]:
        return list(await self.refs.load_many(list(vendors)))

    async def core(self, vendor: str) -> rm.VendorCore:
        return await self.cores.load(vendor)

    async def vendor(self, vendor: str) -> rm.Vendor:
        return await self.vendors.load(vendor)

    async def _load_refs(self, keys: Sequence[str]) -> list[rm.VendorRef]:
        found = await self.store.run(self.reader.refs, list(keys))
        return [found[k] for k in keys]

    async def _load_cores(self, keys: Sequence[str]) -> list[rm.VendorCore]:
        found = await self.store.run(self.reader.cores, list(keys))
        for core in found.values():  # a core is a reference too
            self.refs.prime(core.iri, core)
        return [found[k] for k in keys]

    async def _load_vendors(self, keys: Sequence[str]) -> list[rm.Vendor]:
        # The cores come through their own loader, so that core fields asked in
        # the same tick (a vendor's name, licence …) share the one query.
        cores = {c.iri: c for c in await self.cores.load_many(list(keys))}
        found = await self.store.run(self.reader.read, list(keys), cores)
        # A full read carries the cores of the vendors asked for, references to
        # every vendor their relations name, and the source pages of their
        # graphs: later fields asking for those cost nothing.
        for record in found.values():
            for ref in (record.core, *record.related.values()):
                self.refs.prime(ref.iri, ref)
            for graph in record.core.graphs:
                self.sources.prime(graph, tuple(s for s in record.sources if s.graph == graph))
        return [found[k] for k in keys]

    async def _load_assessments(self, keys: Sequence[str]) -> list[tuple[rm.Assessment, ...]]:
        found = await self.store.run(self.reader.assessments, list(keys))
        return [found[k] for k in keys]

    async def _load_sources(self, keys: Sequence[str]) -> list[tuple[rm.Source, ...]]:
        found = await self.store.run(self.reader.sources, list(keys))
        return [found.get(k, ()) for k in keys]

    async def _load_layer_members(self, keys: Sequence[str]) -> list[list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for row in await self.select(q.layer_members(iri(k) for k in keys)):
            members[str(row["t"])].append(str(row["v"]))
        return [members[k] for k in keys]
