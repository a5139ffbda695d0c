"""The closed vocabularies of the catalog, read from the data once per store generation.

Layers, certifications, claim statuses, severities, directions, fits,
frameworks and categories are SKOS concepts; their codes (``skos:notation``)
and names come from the graph, never from Python constants, so adding a
certification to ``graph_data/vocab`` is enough for it to be known everywhere.
"""

from __future__ import annotations

from ..store import Row
from ..vocab import ID
from .records import Concept

LAYER_PREFIX = str(ID["layer/"])
CERTIFICATION_PREFIX = str(ID["certification/"])


class Concepts:
    def __init__(self, rows: list[Row], vendor_classes: frozenset[str] = frozenset()) -> None:
        self.vendor_classes = vendor_classes
        """sa:Vendor and its subclasses: typing by any of them makes a vendor."""
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

    def get(self, iri: object) -> Concept | None:
        return self.by_iri.get(str(iri)) if iri is not None else None

    def notation(self, iri: object) -> str | None:
        concept = self.get(iri)
        return concept.notation if concept else None

    def find(self, notation: str, prefix: str) -> Concept | None:
        """The concept with this code whose IRI lies under ``prefix``, if any."""
        return next((c for c in self._by_notation.get(notation, []) if c.iri.startswith(prefix)), None)

    def in_scheme(self, scheme_prefix: str) -> list[Concept]:
        """Concepts whose IRI lies under an instance prefix (``…/id/layer/``), by rank then code."""
        found = [c for c in self.by_iri.values() if c.iri.startswith(scheme_prefix) and c.notation]
        return sorted(found, key=lambda c: (c.rank if c.rank is not None else 0, c.notation or ""))


def _text(value: object) -> str | None:
    return None if value is None else str(value)
