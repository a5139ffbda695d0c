"""Queries of the history (:mod:`stackatlas.history`): commits read back from the audit graph.

Commits are looked up by their number, not scanned: sequence numbers are
gap-free, so "the page after commit 41" is ``VALUES ?sequence { 42 … 61 }``,
a handful of index lookups whatever the length of the log. A vendor's commits
are found through ``sa:touchedVendor`` (written since the history landed) or,
for older commits, through the vendor's conventional graphs.

Every IRI, number and date reaches these queries as a bound term or through
:func:`~stackatlas.store.terms.values_clause`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import AUDIT_GRAPH, RELEASES_GRAPH, sparql_prologue
from ..terms import Term, iri, sparql_term, values_clause

_AUDIT = sparql_term(iri(AUDIT_GRAPH))
_RELEASES = sparql_term(iri(RELEASES_GRAPH))

_COMMIT_FIELDS = """
        ?commit sa:sequence ?sequence ; prov:wasAssociatedWith/rdfs:label ?agent ;
            sa:commitMessage ?message ; sa:interface ?interface ; prov:endedAtTime ?time ;
            sa:addedQuads ?added ; sa:removedQuads ?removed ."""


def existing_sequences(sequences: Iterable[Term]) -> str:
    """Which of the given commit numbers (``xsd:integer`` literals) exist: one index lookup each.

    Numbers are gap-free, so probing a few of them finds the latest commit in
    a handful of lookups, where ``MAX(?sequence)`` reads every commit.
    """
    return (
        sparql_prologue()
        + f"""SELECT ?sequence WHERE {{
    {values_clause("sequence", sequences)}
    GRAPH {_AUDIT} {{ ?commit sa:sequence ?sequence }}
}}"""
    )


def commits_numbered(sequences: Iterable[Term]) -> str:
    """The commits with the given sequence numbers (``xsd:integer`` literals), in sequence order."""
    return (
        sparql_prologue()
        + f"""SELECT ?commit ?sequence ?agent ?message ?interface ?time ?added ?removed WHERE {{
    {values_clause("sequence", sequences)}
    GRAPH {_AUDIT} {{{_COMMIT_FIELDS}
    }}
}} ORDER BY ?sequence"""
    )


def touched(commits: Iterable[Term]) -> str:
    """The graphs (``sa:touchedGraph``) and vendors (``sa:touchedVendor``) each commit changed, and the
    changes in the catalog's words stored with it (``sa:ChangeDescription``), in one query.

    A commit described when it was made has ``sa:changeCount`` (0 or more) and
    that many descriptions; one recorded before has neither (no ``?count`` row).
    """
    return (
        sparql_prologue()
        + f"""SELECT ?commit ?graph ?vendor ?count ?order ?kind ?about ?text WHERE {{
    {values_clause("commit", commits)}
    GRAPH {_AUDIT} {{
        {{ ?commit sa:touchedGraph ?graph }}
        UNION {{ ?commit sa:touchedVendor ?vendor }}
        UNION {{ ?commit sa:changeCount ?count }}
        UNION {{
            ?commit sa:describedChange ?change .
            ?change sa:changeOrder ?order ; sa:changeKind ?kind ; sa:changeVendor ?about ; sa:changeText ?text .
        }}
    }}
}}"""
    )


def vendor_commits(vendors: Iterable[Term], graphs: Iterable[Term]) -> str:
    """Sequence numbers and times of the commits that touched the vendors or the graphs.

    The graphs are the vendors' conventional graphs (``graph/vendors/<slug>`` …),
    which also finds commits recorded before ``sa:touchedVendor`` existed.
    """
    return (
        sparql_prologue()
        + f"""SELECT DISTINCT ?commit ?sequence ?time WHERE {{
    GRAPH {_AUDIT} {{
        {{ {values_clause("vendor", vendors)} ?commit sa:touchedVendor ?vendor }}
        UNION
        {{ {values_clause("graph", graphs)} ?commit sa:touchedGraph ?graph }}
        ?commit sa:sequence ?sequence ; prov:endedAtTime ?time .
    }}
}}"""
    )


def graph_commits(graphs: Iterable[Term]) -> str:
    """Sequence numbers and times of the commits that touched any of the graphs."""
    return (
        sparql_prologue()
        + f"""SELECT DISTINCT ?commit ?sequence ?time WHERE {{
    GRAPH {_AUDIT} {{
        {values_clause("graph", graphs)}
        ?commit sa:touchedGraph ?graph ; sa:sequence ?sequence ; prov:endedAtTime ?time .
    }}
}}"""
    )


RELEASES = (
    sparql_prologue()
    + f"""SELECT ?release ?tag ?sequence ?time ?agent ?message WHERE {{
    GRAPH {_RELEASES} {{
        ?release a sa:Release ; sa:tag ?tag ; sa:atSequence ?sequence ; prov:generatedAtTime ?time ;
            prov:wasAttributedTo/rdfs:label ?agent .
        OPTIONAL {{ ?release rdfs:comment ?message }}
    }}
}} ORDER BY ?sequence ?tag"""
)
"""Every release: its tag, the commit number it names, when and by whom it was made."""


def labels(nodes: Iterable[Term]) -> str:
    """Names of the nodes: ``skos:notation``, ``skos:prefLabel`` and ``rdfs:label``.

    One ``UNION`` branch per property, each a lookup by subject and predicate:
    a ``VALUES ?p`` next to ``VALUES ?node`` is evaluated by pyoxigraph as a
    scan of the catalog (76 ms instead of 1.2 ms at 1,000 vendors).
    """
    return (
        sparql_prologue()
        + f"""SELECT ?node ?p ?label WHERE {{
    {values_clause("node", nodes)}
    {{ ?node skos:notation ?label BIND (skos:notation AS ?p) }}
    UNION {{ ?node skos:prefLabel ?label BIND (skos:prefLabel AS ?p) }}
    UNION {{ ?node rdfs:label ?label BIND (rdfs:label AS ?p) }}
}}"""
    )


def graph_sources(graphs: Iterable[Term]) -> str:
    """What each graph says it was derived from, with the source's name when it has one."""
    return (
        sparql_prologue()
        + f"""SELECT ?graph ?source ?label WHERE {{
    {values_clause("graph", graphs)}
    GRAPH ?graph {{ ?graph prov:wasDerivedFrom ?source }}
    OPTIONAL {{ ?source rdfs:label ?label }}
}}"""
    )


COMMIT_TIMES = (
    sparql_prologue()
    + f"""SELECT ?sequence ?time WHERE {{
    GRAPH {_AUDIT} {{ ?commit sa:sequence ?sequence ; prov:endedAtTime ?time }}
}}"""
)
"""Number and time of every commit (resolving a date for the whole catalog)."""
