"""Raw statements grouped by subject: the step between query rows and records.

Queries of the read model return (subject, property, value, graph) rows;
:class:`Node` collects them per subject so that building a record is a matter
of picking properties, with the fallbacks of :mod:`stackatlas.readmodel.build`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..store import Row, Value


@dataclass
class Node:
    """What the store says about one IRI: property → values (first-seen order), and the graphs saying it."""

    iri: str
    properties: dict[str, list[Value]] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    property_graphs: dict[str, set[str]] = field(default_factory=dict)

    def add(self, prop: str, value: Value, graph: str) -> None:
        values = self.properties.setdefault(prop, [])
        if value not in values:
            values.append(value)
        self.graphs.add(graph)
        self.property_graphs.setdefault(prop, set()).add(graph)

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

    def integer(self, prop: str) -> int | None:
        value = self.one(prop)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def boolean(self, prop: str) -> bool | None:
        value = self.one(prop)
        return value if isinstance(value, bool) else None


def collect(rows: Iterable[Row], subject: str = "s") -> dict[str, Node]:
    """Rows of (subject, ?p, ?o, ?g) as nodes by subject IRI."""
    nodes: dict[str, Node] = {}
    for row in rows:
        iri = str(row[subject])
        node = nodes.get(iri)
        if node is None:
            node = nodes[iri] = Node(iri)
        node.add(str(row["p"]), row["o"], str(row["g"]))
    return nodes
