"""SPARQL text for the GraphQL layer: every query reads many nodes at once.

Terms are rendered through rdflib so that a literal from a client (a search
string) is always escaped, and only IRIs that came from the store or from
:mod:`stackatlas.vocab` are ever written between angle brackets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Literal, URIRef

from ..vocab import sparql_prologue, vendor_iri

PROLOGUE = sparql_prologue()

IS_VENDOR = "?{var} a/rdfs:subClassOf* sa:Vendor ."
"""Vendor membership, so a sa:CatalogEntry counts as a vendor through the ontology."""

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def iri(value: str) -> str:
    return URIRef(value).n3()


def literal(value: str) -> str:
    return Literal(value).n3()


def values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(iri(i) for i in iris)} }}"


def vendor_for_slug(slug: str) -> str | None:
    """The vendor IRI for a client-given id, or None when it cannot be a slug."""
    return str(vendor_iri(slug)) if _SLUG.match(slug) else None


def query(body: str) -> str:
    return PROLOGUE + body


def nodes(subjects: Iterable[str]) -> str:
    """Every statement about the subjects, with the named graph (file) stating it."""
    return query(f"SELECT ?s ?p ?o ?g WHERE {{ {values('s', subjects)} GRAPH ?g {{ ?s ?p ?o }} }}")


def incoming(targets: Iterable[str], owner_property: str, target_property: str) -> str:
    """Qualified relations pointing at the targets: (target, relation node, owner)."""
    return query(
        "SELECT DISTINCT ?t ?rel ?s WHERE { "
        f"{values('t', targets)} ?rel {target_property} ?t . ?s {owner_property} ?rel . }}"
    )


def layer_members(layers: Iterable[str]) -> str:
    return query(
        f"SELECT DISTINCT ?t ?s WHERE {{ {values('t', layers)} ?s sa:layer ?t . {IS_VENDOR.format(var='s')} }}"
    )


def concepts() -> str:
    """The closed vocabularies (layers, certifications, statuses, severities, categories …)."""
    return query(
        "SELECT ?c ?notation ?label ?rank ?note WHERE { "
        "{ ?c skos:notation ?n } UNION { ?c skos:inScheme ?scheme } "
        "OPTIONAL { ?c skos:notation ?notation } OPTIONAL { ?c skos:prefLabel ?label } "
        "OPTIONAL { ?c sa:rank ?rank } "
        "OPTIONAL { { ?c skos:scopeNote ?note } UNION { ?c skos:editorialNote ?note } } }"
    )


def vendor_slugs() -> str:
    return query(f"SELECT DISTINCT ?v WHERE {{ {IS_VENDOR.format(var='v')} }}")


def _held(certification: str) -> str:
    """``?v`` has an offering whose claim for the certification is HELD."""
    return (
        f"?v sa:complianceClaim ?claim . ?claim sa:certification {iri(certification)} ; "
        'sa:claimOffering ?offering ; sa:status ?status . ?status skos:notation "HELD" .'
    )


def holders(certification: str) -> str:
    """Every vendor with a HELD claim for the certification."""
    return query(f"SELECT DISTINCT ?v WHERE {{ {_held(certification)} }}")


def keep(vendors: Iterable[str], *, layer: str | None, certification: str | None) -> str:
    """The given vendors that are in the layer and hold the certification.

    Asked of a known set of vendors (VALUES first) rather than as a FILTER EXISTS
    inside a larger query: the store then starts from the few vendors instead of
    from every claim, which is what keeps a filtered query fast at 10k vendors.
    """
    lines = [values("v", vendors)]
    if layer:
        lines.append(f"?v sa:layer {iri(layer)} .")
    if certification:
        lines.append(_held(certification))
    return query(f"SELECT DISTINCT ?v WHERE {{ {' '.join(lines)} }}")


def vendor_list(*, layer: str | None, search: str | None, frameworks: dict[str, str]) -> str:
    """Vendors with the sort keys (name and assessment totals) the caller orders by."""
    lines = [IS_VENDOR.format(var="v"), "?v skos:prefLabel ?name ."]
    if layer:
        lines.append(f"?v sa:layer {iri(layer)} .")
    if search:
        lines.append(
            "FILTER EXISTS { ?v skos:prefLabel|skos:altLabel ?label . "
            f"FILTER(CONTAINS(LCASE(STR(?label)), LCASE({literal(search)}))) }}"
        )
    select = ["?v", "?name"]
    for var, framework in frameworks.items():
        select.append(f"?{var}")
        lines.append(
            f"OPTIONAL {{ ?v sa:assessment ?a_{var} . ?a_{var} sa:framework {iri(framework)} ; "
            f"sa:total ?{var} }}"
        )
    return query(f"SELECT DISTINCT {' '.join(select)} WHERE {{ {' '.join(lines)} }}")


def alternatives_of(subject: str) -> str:
    """Both directions: what the subject's page lists, and whose pages list the subject."""
    s = iri(subject)
    return query(
        "SELECT DISTINCT ?rel ?v ?lister WHERE { "
        f"{{ {s} sa:alternative ?rel . ?rel sa:alternativeVendor ?v . BIND({s} AS ?lister) }} UNION "
        f"{{ ?v sa:alternative ?rel . ?rel sa:alternativeVendor {s} . BIND(?v AS ?lister) }} }}"
    )


def integration_edges(frontier: Iterable[str]) -> str:
    """Integrations touching the frontier in either direction (one BFS level)."""
    frontier = list(frontier)
    return query(
        "SELECT DISTINCT ?rel ?s ?t WHERE { "
        f"{{ {values('s', frontier)} ?s sa:integration ?rel . ?rel sa:integrationTarget ?t }} UNION "
        f"{{ {values('t', frontier)} ?s sa:integration ?rel . ?rel sa:integrationTarget ?t }} }}"
    )
