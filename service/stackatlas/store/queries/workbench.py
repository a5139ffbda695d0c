"""SPARQL of the workbench (:mod:`stackatlas.workbench`): the context a vendor's own graphs are validated in."""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import sparql_prologue
from ..terms import Term, values_clause

PROLOGUE = sparql_prologue()


def named_vendor_context(vendors: Iterable[Term]) -> str:
    """Types, names and layers of the vendors a page names: what shapes about references look at.

    Validating a vendor's own graphs alone would report every vendor it names
    as untyped; these statements stand in for the rest of the catalog.
    """
    return PROLOGUE + (
        "CONSTRUCT { ?v a ?type ; skos:prefLabel ?label ; sa:layer ?layer } WHERE { "
        f"{values_clause('v', vendors)} ?v a ?type . "
        "OPTIONAL { ?v skos:prefLabel ?label } OPTIONAL { ?v sa:layer ?layer } }"
    )


_ENTRY = "?v a sa:CatalogEntry ."
"""The workbench's catalog: vendors with their own page."""

ENTRY_FACTS = PROLOGUE + (
    f"SELECT ?v ?category ?license ?os ?reviewed WHERE {{ {_ENTRY} "
    "OPTIONAL { ?v sa:category ?category } OPTIONAL { ?v sa:license ?license } "
    "OPTIONAL { ?v sa:openSource ?os } OPTIONAL { ?v sa:reviewedOn ?reviewed } }"
)
"""Each catalog vendor's facets (names and layers come from the cached catalog index)."""

ENTRY_RETRIEVED = PROLOGUE + (
    f"SELECT ?v (MAX(?day) AS ?retrieved) WHERE {{ {_ENTRY} "
    "GRAPH ?g { ?v a ?type . ?g prov:wasDerivedFrom ?page } ?page sa:retrievedOn ?day } GROUP BY ?v"
)
"""When the newest copy of the source pages a catalog vendor's graphs derive from was taken (freshness)."""

ENTRY_OFFERINGS = PROLOGUE + (
    f"SELECT ?v ?o ?type ?label ?rdfsLabel WHERE {{ {_ENTRY} ?v sa:offering ?o . "
    "OPTIONAL { ?o a ?type FILTER(?type IN (sa:ManagedOffering, sa:OpenSourceOffering)) } "
    "OPTIONAL { ?o skos:prefLabel ?label } OPTIONAL { ?o rdfs:label ?rdfsLabel } }"
)

ENTRY_CLAIMS = PROLOGUE + (
    f"SELECT ?v ?o ?cert ?status WHERE {{ {_ENTRY} ?v sa:complianceClaim ?c . "
    "?c sa:claimOffering ?o ; sa:certification ?cert ; sa:status ?status }"
)

ENTRY_SCORES = PROLOGUE + (
    f"SELECT ?v ?framework ?total ?code ?score WHERE {{ {_ENTRY} "
    "?v sa:assessment ?a . ?a sa:framework ?framework . "
    "{ ?a sa:total ?total } UNION { ?a sa:dimension ?d . ?d sa:code ?code ; sa:score ?score } }"
)

_OWN_TEXTS = ("sa:summary", "sa:analysis", "sa:trustAnalysis", "sa:architectureRole", "sa:complianceText")
_LIST_ITEMS = ("sa:strength", "sa:limitation", "sa:bestSuitedFor", "sa:useWithCautionFor")

ENTRY_TEXTS = PROLOGUE + (
    "SELECT ?v ?field ?text WHERE { "
    + " UNION ".join(
        [f"{{ ?v {p} ?text BIND({p} AS ?field) }}" for p in _OWN_TEXTS]
        + [f"{{ ?v {p} ?item . ?item sa:text ?text BIND({p} AS ?field) }}" for p in _LIST_ITEMS]
        + ["{ ?v sa:complianceClaim ?c . ?c sa:evidence ?text BIND(sa:evidence AS ?field) }"]
    )
    + " }"
)
"""The texts the workbench's search indexes, by the property that states them."""

ENTRY_INTEGRATIONS = PROLOGUE + (
    f"SELECT ?v ?i ?t WHERE {{ {_ENTRY} ?v sa:integration ?i . ?i sa:integrationTarget ?t }}"
)
"""Every integration a catalog vendor's page states: the stack builder's adjacency."""
