"""Per-request batched readers of the store.

Every resolver asks a loader for the node(s) it needs; the loaders collect the
keys asked for in one event-loop tick and answer them with one SPARQL query,
so the number of store round-trips of a request follows the shape of the query,
not the number of results. Results are cached for the request only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from ..store import Row, Store, Value
from ..vocab import SA
from . import sparql

_DIGITS = re.compile(r"(\d+)")


@dataclass
class Node:
    """What the store says about one IRI: property → values, and the graphs saying it."""

    iri: str
    properties: dict[str, list[Value]] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)

    def one(self, prop: str) -> Value:
        found = self.properties.get(prop)
        return found[0] if found else None

    def text(self, *props: str) -> str | None:
        """The first of the properties that has a value, as text."""
        for prop in props:
            value = self.one(prop)
            if value is not None:
                return str(value)
        return None

    def all(self, prop: str) -> list[Value]:
        return self.properties.get(prop, [])

    def iris(self, prop: str) -> list[str]:
        return [str(v) for v in self.all(prop)]


def page_order(node: Node) -> tuple[float, list[object]]:
    """The page's order: sa:position when stated, else the IRI with numbers compared as numbers."""
    position = node.one(str(SA.position))
    key: list[object] = [int(p) if p.isdigit() else p for p in _DIGITS.split(node.iri)]
    return (float(position) if isinstance(position, int) else float("inf"), key)


@dataclass(frozen=True)
class Link:
    """A qualified relation seen from its target: the relation node and the vendor stating it."""

    relation: str
    owner: str


class Loaders:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: DataLoader[str, Node] = DataLoader(load_fn=self._load_nodes)
        self.alternative_of = self._incoming("sa:alternative", "sa:alternativeVendor")
        self.integrated_by = self._incoming("sa:integration", "sa:integrationTarget")
        self.mentioned_by = self._incoming("sa:mention", "sa:mentionedVendor")
        self.layer_members: DataLoader[str, list[str]] = DataLoader(load_fn=self._load_layer_members)

    async def select(self, query: str) -> list[Row]:
        """One store round-trip, off the event loop."""
        return await self.store.run(self.store.select, query)

    async def node(self, iri: str) -> Node:
        return await self.nodes.load(iri)

    async def many(self, iris: Iterable[str]) -> list[Node]:
        return list(await self.nodes.load_many(list(iris)))

    async def linked(self, node: Node, prop: str) -> list[Node]:
        """The nodes a property points at, in page order."""
        return sorted(await self.many(node.iris(prop)), key=page_order)

    async def _load_nodes(self, keys: Sequence[str]) -> list[Node]:
        found = {k: Node(k) for k in keys}
        for row in await self.select(sparql.nodes(keys)):
            node = found[str(row["s"])]
            values = node.properties.setdefault(str(row["p"]), [])
            if row["o"] not in values:
                values.append(row["o"])
            node.graphs.add(str(row["g"]))
        return [found[k] for k in keys]

    def _incoming(self, owner_property: str, target_property: str) -> DataLoader[str, list[Link]]:
        async def load(keys: Sequence[str]) -> list[list[Link]]:
            links: dict[str, list[Link]] = defaultdict(list)
            rows = await self.select(sparql.incoming(keys, owner_property, target_property))
            for row in rows:
                links[str(row["t"])].append(Link(str(row["rel"]), str(row["s"])))
            return [sorted(links[k], key=lambda link: link.relation) for k in keys]

        return DataLoader(load_fn=load)

    async def _load_layer_members(self, keys: Sequence[str]) -> list[list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for row in await self.select(sparql.layer_members(keys)):
            members[str(row["t"])].append(str(row["s"]))
        return [members[k] for k in keys]
