"""What ingest needs to know about the catalog a page is ingested into.

Names and aliases of the vendors (for entity linking and for splitting glued
lists), the layer scheme, the categories, the certifications and the source
pages. Read straight from the catalog's Turtle files with pyoxigraph's
parser — no store, no query — skipping the files the ingest is about to
replace, so that re-ingesting a page never links to what its previous
ingest wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, SKOS

from ..errors import InputError
from ..loader import RDF_SUFFIXES
from ..vocab import GRAPH, ID, SA, graph_for
from .names import NameIndex

_VENDOR_TYPES = {str(SA.Vendor), str(SA.CatalogEntry)}


@dataclass(frozen=True)
class SourceInfo:
    iri: str
    retrieved_on: str | None
    local_copy: str | None


@dataclass
class Catalog:
    root: Path
    vendor_names: dict[str, str] = field(default_factory=dict)
    """Every name and alias (as written) → vendor IRI."""
    vendor_labels: dict[str, str] = field(default_factory=dict)
    """Vendor IRI → its preferred name (for reports)."""
    layers: dict[str, list[str]] = field(default_factory=dict)
    """Layer code (L1 …) → its names, preferred first."""
    categories: dict[str, str] = field(default_factory=dict)
    """Category name → category IRI."""
    certifications: dict[str, str] = field(default_factory=dict)
    """Certification name or alias → certification IRI."""
    cert_notations: dict[str, str] = field(default_factory=dict)
    """Certification IRI → its code (HIPAA_BAA …)."""
    sources: dict[str, SourceInfo] = field(default_factory=dict)
    """Vendor IRI → the source page describing it (dcterms:subject)."""
    files: list[Path] = field(default_factory=list)
    _index: NameIndex | None = field(default=None, repr=False)

    def vendor_for(self, name: str) -> str | None:
        return self.vendor_names.get(name)

    def add_vendor(self, name: str, iri: str) -> None:
        """A vendor a page of this run introduces (pages of one run may name each other)."""
        self.vendor_names.setdefault(name, iri)
        self.vendor_labels.setdefault(iri, name)
        self._index = None

    def name_index(self) -> NameIndex:
        """Every name that may occur in a page and must be read as one: vendors, certifications, categories."""
        if self._index is None:
            self._index = NameIndex([*self.vendor_names, *self.certifications, *self.categories])
        return self._index


def _rdf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in RDF_SUFFIXES)


def load_catalog(root: Path, skip: Iterable[Path] = ()) -> Catalog:
    """Index the catalog under ``root``, leaving out the files in ``skip``."""
    if not root.is_dir():
        raise InputError(f"{root}: catalog directory not found (--data)")
    skipped = {p.resolve() for p in skip}
    catalog = Catalog(root)
    quads: list[ox.Triple] = []
    for path in _rdf_files(root):
        if path.resolve() in skipped:
            continue
        catalog.files.append(path)
        base = str(graph_for(path.relative_to(root).as_posix()))
        try:
            quads.extend(ox.parse(path=str(path), format=RDF_SUFFIXES[path.suffix], base_iri=base))
        except (SyntaxError, OSError) as exc:
            raise InputError(f"{path}: cannot read the catalog file ({exc})") from exc
    index_quads(catalog, quads)
    return catalog


def index_quads(catalog: Catalog, quads: list) -> None:
    """Index ``quads`` (from files or from a store, as ``POST /ingest`` does) into ``catalog``."""
    types: dict[str, set[str]] = {}
    labels: dict[str, list[tuple[str, str]]] = {}
    notation: dict[str, str] = {}
    subject_of: dict[str, str] = {}
    retrieved: dict[str, str] = {}
    local: dict[str, str] = {}
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == str(RDF.type) and isinstance(o, ox.NamedNode):
            types.setdefault(s.value, set()).add(o.value)
        elif isinstance(o, ox.Literal):
            if p in (str(SKOS.prefLabel), str(SKOS.altLabel)):
                labels.setdefault(s.value, []).append((p, o.value))
            elif p == str(SKOS.notation):
                notation[s.value] = o.value
            elif p == str(SA.retrievedOn):
                retrieved[s.value] = o.value
            elif p == str(SA.localCopy):
                local[s.value] = o.value
        elif p == str(DCTERMS.subject) and isinstance(o, ox.NamedNode):
            subject_of.setdefault(o.value, s.value)
    for iri, kinds in types.items():
        named = sorted(labels.get(iri, []), key=lambda pv: (pv[0] != str(SKOS.prefLabel), pv[1]))
        names = [value for _, value in named]
        if kinds & _VENDOR_TYPES:
            for name in names:
                catalog.vendor_names.setdefault(name, iri)
            if names:
                catalog.vendor_labels[iri] = names[0]
        if str(SA.Layer) in kinds and iri in notation:
            catalog.layers[notation[iri]] = names
        if str(SA.Category) in kinds:
            for name in names:
                catalog.categories.setdefault(name, iri)
        if str(SA.Certification) in kinds:
            for name in names:
                catalog.certifications.setdefault(name, iri)
            if iri in notation:
                catalog.cert_notations[iri] = notation[iri]
    for vendor, page in subject_of.items():
        if str(SA.SourcePage) in types.get(page, set()):
            catalog.sources[vendor] = SourceInfo(page, retrieved.get(page), local.get(page))


def graph_of(root: Path, target: Path) -> str:
    """The named graph a file written to ``target`` will be loaded as."""
    resolved, base = target.resolve(), root.resolve()
    if resolved.is_relative_to(base):
        return str(graph_for(resolved.relative_to(base).as_posix()))
    return str(GRAPH[f"vendors/{target.stem}"])


def source_fallback(slug: str) -> str:
    return str(ID[f"source/{slug}"])
