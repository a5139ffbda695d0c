"""Queries of the linked-data pages (:mod:`stackatlas.web.linked_data`).

Parameters are bound, never written into the text: ``?this`` is the resource's
IRI and ``?parts`` the string its sub-resources' IRIs start with. pyoxigraph
substitutes only projected variables, so the CONSTRUCTs select from a
sub-query that projects them.
"""

from __future__ import annotations

RESOURCE = """
CONSTRUCT { ?this ?p ?o } WHERE { SELECT ?this ?p ?o WHERE { ?this ?p ?o } }
"""
"""The resource's own triples. Binds ``this``."""

RESOURCE_WITH_PARTS = """
CONSTRUCT { ?s ?p ?o } WHERE {
  SELECT ?s ?p ?o ?this ?parts WHERE { ?s ?p ?o FILTER(?s = ?this || STRSTARTS(STR(?s), ?parts)) }
}
"""
"""The resource's triples and those of every IRI under it (a vendor's analysis). Binds ``this``, ``parts``."""
