"""SPARQL of the HTML pages that are not vendor pages (generic resources, the 404 page).

Every query takes the resource as ``?this``, bound by the caller
(``bindings={"this": iri(...)}``); SELECTs project ``?this`` because
pyoxigraph substitutes projected variables only.
"""

from __future__ import annotations

from ...vocab import ID, sparql_prologue

PROLOGUE = sparql_prologue()

EXISTS = "ASK { ?this ?p ?o }"
"""Whether the store says anything about ``?this``."""

IS_VENDOR = PROLOGUE + "ASK { ?this a/rdfs:subClassOf* sa:Vendor }"

LABEL = PROLOGUE + (
    "SELECT ?this ?label WHERE { "
    "{ ?this skos:prefLabel ?label } UNION { ?this rdfs:label ?label } UNION { ?this dcterms:title ?label } "
    "} LIMIT 1"
)

STATEMENTS = (
    PROLOGUE
    + """
SELECT ?this ?p ?pLabel ?o ?oLabel ?isIri WHERE {
  ?this ?p ?o .
  OPTIONAL { ?p rdfs:label ?pLabel FILTER(LANG(?pLabel) IN ("en", "")) }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?oLabel }
  BIND(isIRI(?o) AS ?isIri)
} ORDER BY ?p ?o"""
)
"""The resource's own statements with labels, for the generic resource page."""

REFERRERS_LIMIT = 200

REFERRERS = (
    PROLOGUE
    + f"""
SELECT DISTINCT ?this ?s ?sLabel ?p ?pLabel WHERE {{
  ?s ?p ?this .
  OPTIONAL {{ ?s skos:prefLabel|rdfs:label ?sLabel }}
  OPTIONAL {{ ?p rdfs:label ?pLabel FILTER(LANG(?pLabel) IN ("en", "")) }}
}} ORDER BY ?s LIMIT {REFERRERS_LIMIT}"""
)

SOURCES = (
    PROLOGUE
    + """
SELECT DISTINCT ?this ?g WHERE { GRAPH ?g { ?this ?p ?o } } ORDER BY ?g"""
)
"""The named graphs stating something about ``?this`` (the read model then names their source pages)."""

INSTANCES = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}'
"""Every instance IRI (under ``id/``): the 404 page's "did you mean", read once per store generation."""
