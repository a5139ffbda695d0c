"""The closed vocabularies of the catalog, read once from the data.

Layers, certifications, claim statuses, severities, directions, fits,
frameworks and categories are SKOS concepts; their codes (``skos:notation``)
and names come from the graph, never from Python constants, so adding a
certification to ``graph_data/vocab`` is enough for ``certification: "X"`` to
work. The data is read-only once served, so one read per process suffices.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..store import Row
from .errors import UserError


@dataclass(frozen=True)
class Concept:
    iri: str
    notation: str | None
    label: str | None
    rank: int | None
    note: str | None


class Concepts:
    def __init__(self, rows: list[Row]) -> None:
        self.by_iri: dict[str, Concept] = {}
        for row in rows:
            iri = str(row["c"])
            if iri in self.by_iri:
                continue
            rank = row["rank"]
            self.by_iri[iri] = Concept(
                iri=iri,
                notation=_text(row["notation"]),
                label=_text(row["label"]),
                rank=rank if isinstance(rank, int) else None,
                note=_text(row["note"]),
            )
        self._by_notation: dict[str, list[Concept]] = {}
        for concept in self.by_iri.values():
            if concept.notation:
                self._by_notation.setdefault(concept.notation, []).append(concept)

    def get(self, iri: str | None) -> Concept | None:
        return self.by_iri.get(iri) if iri else None

    def notation(self, iri: str | None) -> str | None:
        concept = self.get(iri)
        return concept.notation if concept else None

    def iri_of_notation(self, notation: str, prefix: str) -> str | None:
        for concept in self._by_notation.get(notation, []):
            if concept.iri.startswith(prefix):
                return concept.iri
        return None

    def rank_of_notation(self, notation: str, prefix: str) -> int | None:
        for concept in self._by_notation.get(notation, []):
            if concept.iri.startswith(prefix):
                return concept.rank
        return None

    def in_scheme(self, scheme_prefix: str) -> list[Concept]:
        """Concepts whose IRI lies under an instance prefix (``…/id/layer/``), by rank then code."""
        found = [c for c in self.by_iri.values() if c.iri.startswith(scheme_prefix) and c.notation]
        return sorted(found, key=lambda c: (c.rank if c.rank is not None else 0, c.notation or ""))

    def resolve(self, code: str, scheme_prefix: str, what: str) -> str:
        """The IRI of the concept with this code in the scheme, or a UserError listing the codes."""
        for concept in self._by_notation.get(code, []):
            if concept.iri.startswith(scheme_prefix):
                return concept.iri
        known = [c.notation for c in self.in_scheme(scheme_prefix) if c.notation]
        close = difflib.get_close_matches(code, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"unknown {what} {code!r}{hint} Known: {', '.join(known)}.")


def _text(value: object) -> str | None:
    return None if value is None else str(value)
