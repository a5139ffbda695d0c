"""SPARQL of the read model (:mod:`stackatlas.readmodel`): a few queries for any number of vendors.

Each builder takes the IRIs to read as terms and writes them with
:func:`~stackatlas.store.terms.values_clause`, so the number of queries a read
costs is fixed while the number of vendors grows. Rows are raw statements
(subject, property, value, graph); the read model turns them into records.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import sparql_prologue
from ..terms import Term, values_clause

PROLOGUE = sparql_prologue()

PART_PROPERTIES = (
    "sa:offering",
    "sa:complianceClaim",
    "sa:alternative",
    "sa:integration",
    "sa:mention",
    "sa:trustRisk",
    "sa:useCase",
    "sa:stackImpact",
    "sa:strength",
    "sa:limitation",
    "sa:bestSuitedFor",
    "sa:useWithCautionFor",
    "sa:watchFor",
    "sa:pocChecklistItem",
)
"""Properties from a vendor to the nodes its page states about it (its "parts"), assessments apart."""

_PART_LIST = ", ".join(PART_PROPERTIES)


IS_VENDOR = "?v a/rdfs:subClassOf* sa:Vendor ."
"""Vendor membership, so a sa:CatalogEntry counts as a vendor through the ontology."""


def statements(subjects: Iterable[Term]) -> str:
    """Every statement about the subjects, with the named graph (file) stating it."""
    return PROLOGUE + f"SELECT ?s ?p ?o ?g WHERE {{ {values_clause('s', subjects)} GRAPH ?g {{ ?s ?p ?o }} }}"


RELATION_PROPERTIES = {
    "alternative": ("sa:alternative", "sa:alternativeVendor"),
    "integration": ("sa:integration", "sa:integrationTarget"),
    "mention": ("sa:mention", "sa:mentionedVendor"),
}
"""Each relation kind: the property from the stating vendor to the relation, and from it to the vendor named."""


_REF_PROPERTIES = ("skos:prefLabel", "skos:altLabel", "rdf:type", "sa:layer")


def refs(subjects: Iterable[Term]) -> str:
    """The statements a vendor reference needs (names, types, layer), with their graphs.

    One branch per property, so each is an index lookup on (subject, property)
    rather than a scan of every statement about the subject.
    """
    branches = " UNION ".join(
        f"{{ GRAPH ?g {{ ?s {prop} ?o }} BIND({prop} AS ?p) }}" for prop in _REF_PROPERTIES
    )
    return PROLOGUE + f"SELECT ?s ?p ?o ?g WHERE {{ {values_clause('s', subjects)} {branches} }}"


RELATION_PROPERTIES = {
    "alternative": ("sa:alternative", "sa:alternativeVendor"),
    "integration": ("sa:integration", "sa:integrationTarget"),
    "mention": ("sa:mention", "sa:mentionedVendor"),
}
"""Each relation kind: the property from the stating vendor to the relation, and from it to the vendor named."""


def parts(vendors: Iterable[Term]) -> str:
    """Every statement about the vendors' parts (offerings, claims, relations, risks, lists …)."""
    return (
        PROLOGUE + "SELECT DISTINCT ?v ?rp ?s ?p ?o ?g WHERE { "
        f"{values_clause('v', vendors)} ?v ?rp ?s . FILTER(?rp IN ({_PART_LIST})) GRAPH ?g {{ ?s ?p ?o }} }}"
    )


def assessments(vendors: Iterable[Term]) -> str:
    """Every statement about the vendors' assessments, their dimensions and the dimensions' criteria.

    Apart from :func:`parts` because they are the bulk of a vendor's statements
    (dimensions × criteria) and most answers do not need them.
    """
    return (
        PROLOGUE + "SELECT DISTINCT ?v ?a ?s ?p ?o ?g WHERE { "
        f"{values_clause('v', vendors)} ?v sa:assessment ?a . ?a (sa:dimension/sa:criterion?)? ?s . "
        "GRAPH ?g { ?s ?p ?o } }"
    )


def _relation_path(kinds: Iterable[str]) -> str:
    return "|".join(RELATION_PROPERTIES[k][0] for k in kinds)


def outgoing(vendors: Iterable[Term] | None, kinds: Iterable[str]) -> str:
    """Statements about the relations (of the given kinds) the vendors' pages state; every vendor's when None.

    ``kinds`` are keys of :data:`RELATION_PROPERTIES`, never client text.
    """
    values = values_clause("v", vendors) if vendors is not None else ""
    return (
        PROLOGUE + "SELECT DISTINCT ?v ?s ?p ?o ?g WHERE { "
        f"{values} ?v {_relation_path(kinds)} ?s . GRAPH ?g {{ ?s ?p ?o }} }}"
    )


def incoming(vendors: Iterable[Term], kinds: Iterable[str] = tuple(RELATION_PROPERTIES)) -> str:
    """Relations other pages state with the vendors as target: target, stating vendor, relation statements."""
    branches = " UNION ".join(
        f"{{ ?s {RELATION_PROPERTIES[k][1]} ?t . ?owner {RELATION_PROPERTIES[k][0]} ?s }}" for k in kinds
    )
    return (
        PROLOGUE + "SELECT DISTINCT ?t ?owner ?s ?p ?o ?g WHERE { "
        f"{values_clause('t', vendors)} {branches} GRAPH ?g {{ ?s ?p ?o }} }}"
    )


def target_layers(vendors: Iterable[Term] | None) -> str:
    """Layers that integrations naming the vendors as target give them (the fallback of a vendor without one).

    ``None`` asks for every vendor that states no layer of its own (the cached catalog index).
    """
    if vendors is None:
        return PROLOGUE + (
            "SELECT DISTINCT ?v ?layer WHERE { ?rel sa:integrationTarget ?v ; sa:layer ?layer . "
            "FILTER NOT EXISTS { ?v sa:layer ?own } }"
        )
    return (
        PROLOGUE + "SELECT DISTINCT ?v ?layer WHERE { "
        f"{values_clause('v', vendors)} ?rel sa:integrationTarget ?v ; sa:layer ?layer . }}"
    )


VENDOR_CLASSES = PROLOGUE + "SELECT ?c WHERE { ?c rdfs:subClassOf* sa:Vendor }"
"""sa:Vendor and its subclasses (sa:CatalogEntry): typing by any of them makes a vendor."""


def sources(graphs: Iterable[Term]) -> str:
    """The source page each named graph was derived from, with what the catalog says of the page."""
    return (
        PROLOGUE + "SELECT ?g ?page ?title ?label ?localCopy ?retrieved ?disclaimer ?checksum WHERE { "
        f"{values_clause('g', graphs)} OPTIONAL {{ ?g sa:sourceChecksum ?checksum }} "
        "OPTIONAL { ?g prov:wasDerivedFrom ?page "
        "OPTIONAL { ?page dcterms:title ?title } OPTIONAL { ?page rdfs:label ?label } "
        "OPTIONAL { ?page sa:localCopy ?localCopy } OPTIONAL { ?page sa:retrievedOn ?retrieved } "
        "OPTIONAL { ?page sa:disclaimer ?disclaimer } } }"
    )


CONCEPTS = PROLOGUE + (
    "SELECT ?c ?notation ?label ?rank ?note WHERE { "
    "{ ?c skos:notation ?n } UNION { ?c skos:inScheme ?scheme } "
    "OPTIONAL { ?c skos:notation ?notation } OPTIONAL { ?c skos:prefLabel ?label } "
    "OPTIONAL { ?c sa:rank ?rank } "
    "OPTIONAL { { ?c skos:scopeNote ?note } UNION { ?c skos:editorialNote ?note } } }"
)
"""The closed vocabularies (layers, certifications, statuses, severities, categories …)."""

LAYERS = PROLOGUE + (
    "SELECT ?layer ?code ?label ?rank WHERE { ?layer a sa:Layer ; skos:notation ?code . "
    "OPTIONAL { ?layer sa:rank ?rank } OPTIONAL { ?layer skos:prefLabel ?label } }"
)
"""The layers of the architecture (maps draw one band per layer)."""

VENDOR_NAMES = PROLOGUE + (
    "SELECT ?v ?label ?alt ?entry ?layer ?related WHERE { "
    f"{IS_VENDOR} OPTIONAL {{ ?v skos:prefLabel ?label }} OPTIONAL {{ ?v skos:altLabel ?alt }} "
    "OPTIONAL { ?v sa:layer ?layer } BIND(EXISTS { ?v a sa:CatalogEntry } AS ?entry) "
    "BIND(EXISTS { ?v sa:alternative|sa:integration|sa:mention ?out } "
    "|| EXISTS { ?in sa:alternativeVendor|sa:integrationTarget|sa:mentionedVendor ?v } AS ?related) }"
)
"""Every vendor with its names, layer and page flag: the catalog index, read once per store generation."""
