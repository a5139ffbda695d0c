"""The catalog index: every vendor's names, layer and page flag, built once per store generation.

Search, the home page, the map's vendor list and GraphQL's "closest known ids"
hints all need every vendor's name but nothing else about it; reading that per
request would scan the catalog each time. The reader caches one index per
store generation (:meth:`stackatlas.readmodel.Reader.index`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..store import Row
from . import build
from .concepts import Concepts
from .ordering import by_name
from .records import Concept


@dataclass(frozen=True)
class IndexEntry:
    iri: str
    slug: str
    name: str
    """skos:prefLabel, else the slug (the read model's one name fallback)."""
    aliases: tuple[str, ...]
    catalog_entry: bool
    layer: Concept | None
    """The vendor's own layer, else the lowest layer integrations naming it give (see ``layer_is_own``)."""
    layer_is_own: bool
    related: bool
    """True when some relation (either way) touches the vendor."""


@dataclass(frozen=True)
class Hit:
    id: str
    label: str
    matched: str
    catalog_entry: bool


@dataclass(frozen=True)
class CatalogIndex:
    entries: tuple[IndexEntry, ...]
    """Every vendor, by name (case-insensitive), then IRI."""
    by_iri: Mapping[str, IndexEntry]
    _names: tuple[tuple[str, str, IndexEntry], ...]
    """(lower-cased name, name, entry) for each name and alias: what search scans, in memory."""

    @classmethod
    def from_rows(cls, rows: list[Row], concepts: Concepts, fallbacks: Mapping[str, Concept]) -> CatalogIndex:
        labels: dict[str, str | None] = {}
        aliases: dict[str, set[str]] = {}
        entry: dict[str, bool] = {}
        layers: dict[str, Concept | None] = {}
        related: dict[str, bool] = {}
        for row in rows:
            iri = str(row["v"])
            if labels.get(iri) is None:
                labels[iri] = str(row["label"]) if row["label"] is not None else None
            aliases.setdefault(iri, set()).update([str(row["alt"])] if row["alt"] is not None else [])
            entry[iri] = bool(row["entry"])
            related[iri] = bool(row["related"])
            layer = concepts.get(row["layer"])
            if layers.get(iri) is None:
                layers[iri] = layer if layer is not None and layer.notation is not None else None
        entries = []
        for iri, label in labels.items():
            own = layers.get(iri)
            entries.append(
                IndexEntry(
                    iri=iri,
                    slug=build.slug(iri),
                    name=label if label is not None else build.slug(iri),
                    aliases=tuple(sorted(aliases[iri])),
                    catalog_entry=entry[iri],
                    layer=own or fallbacks.get(iri),
                    layer_is_own=own is not None,
                    related=related[iri],
                )
            )
        entries.sort(key=lambda e: by_name(e.name, e.iri))
        names = tuple((name.lower(), name, e) for e in entries for name in (e.name, *e.aliases))
        return cls(entries=tuple(entries), by_iri={e.iri: e for e in entries}, _names=names)

    def __len__(self) -> int:
        return len(self.entries)

    def slugs(self) -> list[str]:
        return sorted(e.slug for e in self.entries)

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        """Vendors whose name or an alias contains ``text`` (case-insensitive); exact and prefix matches first.

        Ties: vendors with their own page first, then by name. One pass over the
        in-memory names, no store query.
        """
        needle = " ".join(text.lower().split())
        if not needle:
            return []
        best: dict[str, tuple[int, Hit]] = {}
        for lowered, name, e in self._names:
            if needle not in lowered:
                continue
            rank = 0 if lowered == needle else 1 if lowered.startswith(needle) else 2
            if e.iri not in best or rank < best[e.iri][0]:
                best[e.iri] = (rank, Hit(e.iri, e.name, name, e.catalog_entry))
        ordered = sorted(best.values(), key=lambda p: (p[0], not p[1].catalog_entry, p[1].label.lower()))
        return [hit for _, hit in ordered[:limit]]
