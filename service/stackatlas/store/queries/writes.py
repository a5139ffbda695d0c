"""Queries of governed writes: tokens, the audit trail, the write's context, and the commit itself.

The token queries name a system graph: they run through ``Store.system_select``,
the one internal read that sees system graphs.

Graph IRIs and nodes reach these queries as bound terms or through
:func:`stackatlas.store.terms.values_clause` / :func:`~stackatlas.store.terms.data_block`,
never as text.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ...vocab import AUDIT_GRAPH, TOKENS_GRAPH, VERSIONS_GRAPH, sparql_prologue
from ..terms import Term, data_block, iri, sparql_term, values_clause

_VERSIONS = sparql_term(iri(VERSIONS_GRAPH))
_TOKENS = sparql_term(iri(TOKENS_GRAPH))
_AUDIT = sparql_term(iri(AUDIT_GRAPH))


LAST_SEQUENCE = (
    sparql_prologue() + f"""SELECT (MAX(?n) AS ?last) WHERE {{ GRAPH {_AUDIT} {{ ?commit sa:sequence ?n }} }}"""
)
"""The highest commit number so far (unbound before the first commit)."""


def commit_update(graphs: Iterable[Term], insert: Iterable[ox.Quad]) -> str:
    """One SPARQL Update that replaces the graphs' contents and versions and adds the audit record.

    pyoxigraph applies an update request as one transaction (in memory and on
    RocksDB alike), so readers see the graphs before or after it, never half.
    Each touched graph is dropped and written anew: ``DELETE DATA`` cannot name
    blank nodes, and a vendor's claims and strengths are blank nodes.
    """
    parts = []
    for graph in graphs:
        name = sparql_term(graph)
        parts.append(f"DROP SILENT GRAPH {name}")
        parts.append(f"DELETE WHERE {{ GRAPH {_VERSIONS} {{ {name} sa:version ?old }} }}")
    block = data_block(insert)
    if block:
        parts.append(f"INSERT DATA {{\n{block}\n}}")
    return sparql_prologue() + " ;\n".join(parts)


TOKEN_BY_HASH = (
    sparql_prologue()
    + f"""SELECT ?token ?name ?scope ?hash WHERE {{
    GRAPH {_TOKENS} {{ ?token sa:tokenHash ?hash ; rdfs:label ?name ; sa:scope ?scope }}
}}"""
)
"""Bind ``hash`` to find the token (if any) with that hash."""

TOKENS = (
    sparql_prologue()
    + f"""SELECT ?token ?name ?scope ?created WHERE {{
    GRAPH {_TOKENS} {{
        ?token rdfs:label ?name ; sa:scope ?scope .
        OPTIONAL {{ ?token dcterms:created ?created }}
    }}
}} ORDER BY ?name"""
)

ANY_TOKEN = (
    sparql_prologue() + f"SELECT ?token WHERE {{ GRAPH {_TOKENS} {{ ?token sa:tokenHash ?hash }} }} LIMIT 1"
)


def commits_page(sequences: Iterable[Term]) -> str:
    """The commits with the given numbers (``xsd:integer`` literals), newest first.

    The audit page names the numbers it shows (they are gap-free): one index
    lookup per commit, where ``FILTER (?sequence < ?before) … LIMIT`` read every
    commit before sorting.
    """
    return (
        sparql_prologue()
        + f"""SELECT ?commit ?sequence ?agent ?message ?interface ?time ?added ?removed WHERE {{
    {values_clause("sequence", sequences)}
    GRAPH {_AUDIT} {{
        ?commit sa:sequence ?sequence ; prov:wasAssociatedWith/rdfs:label ?agent ;
            sa:commitMessage ?message ; sa:interface ?interface ; prov:endedAtTime ?time ;
            sa:quadsAdded ?added ; sa:quadsRemoved ?removed .
    }}
}} ORDER BY DESC(?sequence)"""
    )


def commit_graphs(commits: Iterable[Term]) -> str:
    return (
        sparql_prologue()
        + f"""SELECT ?commit ?graph WHERE {{
    {values_clause("commit", commits)}
    GRAPH {_AUDIT} {{ ?commit sa:touchedGraph ?graph }}
}}"""
    )


def describing_graphs(nodes: Iterable[Term]) -> str:
    """The graphs that state something about the nodes (have them as subject)."""
    return (
        sparql_prologue()
        + f"""SELECT DISTINCT ?graph WHERE {{
    {values_clause("node", nodes)}
    GRAPH ?graph {{ ?node ?p ?o }}
}}"""
    )


def referring_nodes(nodes: Iterable[Term]) -> str:
    """The nodes that point at the nodes (have them as object), with the graph saying so."""
    return (
        sparql_prologue()
        + f"""SELECT DISTINCT ?s ?graph WHERE {{
    {values_clause("node", nodes)}
    GRAPH ?graph {{ ?s ?p ?node }}
    FILTER (isIRI(?s))
}}"""
    )


def types_of(nodes: Iterable[Term]) -> str:
    """Each node's ``rdf:type`` statements, with the graph stating them."""
    return (
        sparql_prologue()
        + f"""SELECT ?node ?type ?graph WHERE {{
    {values_clause("node", nodes)}
    GRAPH ?graph {{ ?node a ?type }}
}}"""
    )


def ingest_index(predicates: Iterable[Term]) -> str:
    """The quads :mod:`stackatlas.ingest` indexes the catalog by (names, types, notations, sources)."""
    return (
        sparql_prologue()
        + f"""SELECT ?s ?p ?o ?g WHERE {{
    {values_clause("p", predicates)}
    GRAPH ?g {{ ?s ?p ?o }}
}}"""
    )
