"""Ontology terms for the HTML view at ``/ontology.html``.

Read from the ontology's named graph only, so data files cannot add terms to
the page. Terms are grouped as a reader looks for them: classes, properties,
then the individuals of the closed value sets.
"""

from __future__ import annotations

from typing import Any

from rdflib.namespace import OWL, RDFS, SKOS

from ..store import Store
from ..store.queries import ontology as queries
from ..store.terms import Bindings, literal
from ..store.terms import iri as iri_term
from ..vocab import ONTOLOGY_GRAPH, ONTOLOGY_IRI, SA

GROUPS = [
    ("Classes", {"owl:Class"}),
    ("Object properties", {"owl:ObjectProperty"}),
    ("Datatype properties", {"owl:DatatypeProperty"}),
    ("Individuals", set()),
]

_RELS = {
    str(RDFS.subClassOf): "subclass of",
    str(RDFS.subPropertyOf): "subproperty of",
    str(RDFS.domain): "domain",
    str(RDFS.range): "range",
    str(OWL.inverseOf): "inverse of",
    str(SKOS.notation): "notation",
    str(SKOS.closeMatch): "close match",
    str(SKOS.inScheme): "in scheme",
}


def _curie(iri: str) -> str:
    for prefix, base in (("sa", str(SA)), ("owl", str(OWL))):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def terms(store: Store) -> list[tuple[str, list[dict[str, Any]]]]:
    """The ``sa:`` terms grouped as :data:`GROUPS`, each group by name."""
    found: dict[str, dict[str, Any]] = {}
    bindings: Bindings = {"graph": iri_term(ONTOLOGY_GRAPH), "namespace": literal(str(SA))}
    for row in store.select(queries.TERMS, bindings=bindings):
        iri = str(row["term"])
        term = found.setdefault(
            iri,
            {
                "iri": iri,
                "name": iri[len(str(SA)) :],
                "types": set(),
                "label": None,
                "comment": None,
                "rels": {},
            },
        )
        term["types"].add(_curie(str(row["type"])))
        term["label"] = term["label"] or row["label"]
        term["comment"] = term["comment"] or row["comment"]
        if row["rel"] is not None:
            values = term["rels"].setdefault(_curie_rel(str(row["rel"])), [])
            if row["value"] not in values:
                values.append(row["value"])
    grouped: list[tuple[str, list[dict[str, Any]]]] = []
    placed: set[str] = set()
    for title, types in GROUPS:
        members = [t for t in found.values() if t["iri"] not in placed and (not types or t["types"] & types)]
        placed.update(t["iri"] for t in members)
        grouped.append((title, sorted(members, key=lambda t: t["name"].lower())))
    return grouped


def _curie_rel(iri: str) -> str:
    return _RELS.get(iri, _curie(iri).replace("sa:", ""))


def about(store: Store) -> dict[str, Any]:
    rows = store.select(queries.ABOUT, bindings={"ontology": iri_term(ONTOLOGY_IRI)})
    about: dict[str, Any] = {"iri": str(ONTOLOGY_IRI)}
    if rows:
        about.update({k: v for k, v in rows[0].items() if k != "ontology"})
    return about
