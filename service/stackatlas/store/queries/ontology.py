"""Queries of the ontology page (:mod:`stackatlas.web.ontology`).

They read the ontology's named graph only, so data files cannot add terms to
the page. ``?graph`` (the ontology graph), ``?namespace`` (the ``sa:`` namespace
as a string) and ``?ontology`` (the ontology's IRI) are bound by the caller.
"""

from __future__ import annotations

from ...vocab import sparql_prologue

TERMS = (
    sparql_prologue()
    + """
SELECT ?term ?type ?label ?comment ?rel ?value ?graph ?namespace WHERE {
  GRAPH ?graph {
    ?term a ?type .
    FILTER(STRSTARTS(STR(?term), ?namespace))
    OPTIONAL { ?term rdfs:label ?label FILTER(LANG(?label) IN ("en", "")) }
    OPTIONAL { ?term rdfs:comment ?comment FILTER(LANG(?comment) IN ("en", "")) }
    OPTIONAL {
      VALUES ?rel { rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range owl:inverseOf
                    skos:notation sa:rank skos:closeMatch skos:inScheme }
      ?term ?rel ?value FILTER(!isBLANK(?value))
    }
  }
}
"""
)
"""Every term of the ontology graph with its types, label, comment and defining relations."""

ABOUT = (
    sparql_prologue()
    + """
SELECT ?ontology ?label ?comment ?version WHERE {
  ?ontology rdfs:label ?label .
  OPTIONAL { ?ontology rdfs:comment ?comment }
  OPTIONAL { ?ontology owl:versionInfo ?version }
} LIMIT 1
"""
)
"""The ontology's label, description and version."""
