"""Triples of one vendor file, grouped by page section, each node tied to its page line."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from ..vocab import SA

_POSITIVE = ox.NamedNode(str(XSD.positiveInteger))
_INTEGER = ox.NamedNode(str(XSD.integer))


@dataclass
class Block:
    section: str
    line: int
    triples: list[ox.Triple] = field(default_factory=list)


@dataclass(frozen=True)
class Origin:
    section: str
    line: int


class Triples:
    """Collects triples in the order the page gives them; that order is the file's order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.origins: dict[str, Origin] = {}
        self._seen: set[ox.Triple] = set()
        self._line: int | None = None

    def section(self, name: str, line: int) -> None:
        self.blocks.append(Block(name, line))
        self._line = None

    def at(self, line: int) -> Triples:
        """Let the next new subjects be tied to ``line`` (within the current section)."""
        self._line = line
        return self

    def _add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triple = ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)
        if triple in self._seen:
            return  # two texts of one node naming the same tool: one link
        self._seen.add(triple)
        block = self.blocks[-1]
        if s not in self.origins:
            self.origins[s] = Origin(block.section, self._line or block.line)
        block.triples.append(triple)

    def iri(self, s: str, p: str, o: str) -> None:
        self._add(s, p, ox.NamedNode(o))

    def type(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.iri(s, str(RDF.type), cls)

    def text(self, s: str, p: str, value: str | None, language: str | None = None) -> None:
        if value is not None and value != "":
            self._add(s, p, ox.Literal(value, language=language))

    def integer(self, s: str, p: str, value: int | None) -> None:
        if value is not None:
            self._add(s, p, ox.Literal(str(value), datatype=_INTEGER))

    def boolean(self, s: str, p: str, value: bool) -> None:
        self._add(s, p, ox.Literal(value))

    def typed(self, s: str, p: str, value: str, datatype: str) -> None:
        self._add(s, p, ox.Literal(value, datatype=ox.NamedNode(datatype)))

    def position(self, s: str, value: int) -> None:
        self._add(s, str(SA.position), ox.Literal(str(value), datatype=_POSITIVE))

    def all(self) -> list[ox.Triple]:
        return [t for block in self.blocks for t in block.triples]
