"""Queries that tie validation findings back to files and vendors (:mod:`stackatlas.validation.engine`).

The focus nodes come from pyshacl's report, that is from the data: they reach
the query only as a ``VALUES`` list written by :func:`stackatlas.store.terms.values_clause`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import sparql_prologue
from ..terms import Term, values_clause


def graphs_of(nodes: Iterable[Term]) -> str:
    """Each node with every named graph stating something about it; ``?typed`` when it types the node."""
    return (
        sparql_prologue()
        + f"""SELECT ?node ?graph ?typed WHERE {{
    {values_clause("node", nodes)}
    {{ GRAPH ?graph {{ ?node a ?type }} BIND (true AS ?typed) }}
    UNION
    {{ GRAPH ?graph {{ ?node ?p ?o }} BIND (false AS ?typed) }}
}}"""
    )


def vendors_pointing_at(nodes: Iterable[Term]) -> str:
    """Each node with the vendors that have it as an object, vendors in IRI order."""
    return (
        sparql_prologue()
        + f"""SELECT ?node ?vendor WHERE {{
    {values_clause("node", nodes)}
    ?vendor ?p ?node . ?vendor a/rdfs:subClassOf* sa:Vendor .
}} ORDER BY ?vendor"""
    )
