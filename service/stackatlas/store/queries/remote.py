"""Queries and updates of the remote store (:mod:`stackatlas.store.remote`): a SPARQL engine over HTTP.

The engine holds everything: the catalog's graphs, the system graphs (tokens,
versions) and the store's generation, kept as the version of the versions
graph itself (``<graph/system/versions> sa:version N``): every commit changes
the versions graph, so its version counts the commits.

A commit is one update request, applied by the engine as one transaction and
made conditional by a *gate*: its first operation inserts a receipt only if
every version the writer read, and the generation, are still current; every
later operation acts only where that receipt is. The writer looks for its
receipt afterwards to know whether it applied.

A transaction is not enough on its own: Oxigraph evaluates an update's
``WHERE`` on a snapshot and does not detect that a concurrent transaction
changed what it read, so two replicas whose gates pass at the same moment
would both apply. Commits are therefore also serialised by a *claim* on the
current generation: a writer inserts ``<receipt> sa:sequence N`` (with the
engine's clock), then looks for rival claims on ``N`` made within the lease;
with none, it alone may commit on top of ``N`` (a rival that claims after it
sees its claim and backs off). A claim left by a replica that died expires
after the lease.
Terms reach the text through :mod:`stackatlas.store.terms`, never as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ...vocab import AUDIT_GRAPH, VERSIONS_GRAPH, sparql_prologue
from ..query_safety import _TOKEN
from ..terms import Bindings, Term, data_block, iri, literal, sparql_term, values_clause, variable

_VERSIONS = sparql_term(iri(VERSIONS_GRAPH))
_XSD = "http://www.w3.org/2001/XMLSchema#"


def bind(query: str, bindings: Bindings | None) -> str:
    """The query with its parameters fixed, as pyoxigraph's ``substitutions`` fix them in the embedded store.

    Each occurrence of a bound variable becomes its term (written by
    :func:`~stackatlas.store.terms.sparql_term`), and a projected one
    ``(term AS ?name)``, so the engine plans the query with the constant in
    place (a separate VALUES block lets Oxigraph start from the constant's
    every use: a certification filter at 10,000 vendors went from 150 ms to a
    few). Where a variable cannot simply be replaced (``SELECT *``, a
    DESCRIBE, ``AS ?name``, a VALUES header, GROUP BY or ORDER BY), the query
    gets :func:`_values_in_groups` instead. Keywords and variables are found
    with the safety check's tokenizer, which skips strings, comments and IRIs.
    """
    if not bindings:
        return query
    terms = {variable(name).value: sparql_term(term) for name, term in bindings.items()}
    edits: list[tuple[int, int, str]] = []
    projecting = modifiers = values_header = False
    depth = 0  # brackets inside the projection (an expression, not a projected variable)
    previous = ""
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        word = text.upper() if kind == "word" else ""
        if word == "DESCRIBE" or (projecting and text == "*" and depth == 0):
            return _values_in_groups(query, bindings)
        if word == "SELECT":
            projecting, depth = True, 0
        elif word in ("WHERE", "FROM") or text == "{":
            projecting = modifiers = values_header = False
        elif word in ("GROUP", "ORDER"):
            modifiers = True
        elif word == "VALUES":
            values_header = True
        elif projecting and text == "(":
            depth += 1
        elif projecting and text == ")":
            depth -= 1
        if kind == "var" and text[1:] in terms:
            if previous == "AS" or modifiers or values_header:
                return _values_in_groups(query, bindings)
            term = terms[text[1:]]
            replacement = f"({term} AS {text})" if projecting and depth == 0 else term
            edits.append((match.start(), match.end(), replacement))
        previous = word
    for start, end, replacement in reversed(edits):
        query = query[:start] + replacement + query[end:]
    return query


def _values_in_groups(query: str, bindings: Bindings) -> str:
    """The parameters as a one-row ``VALUES`` block at the start of every group pattern.

    SPARQL evaluates groups bottom-up, so a FILTER deep inside a GRAPH block
    sees the parameter only if that block binds it, and a sub-query is
    restricted before it is evaluated rather than joined afterwards. Braces
    that are not group patterns are left alone: a CONSTRUCT template, a
    VALUES data block, and a group that is only a sub-query (``{ SELECT … }``,
    whose own WHERE gets the block).
    """
    names = " ".join(f"?{variable(name).value}" for name in bindings)
    row = " ".join(sparql_term(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({row}) }} "
    positions: list[int] = []
    skip_brace = after_brace = False
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        word = text.upper() if kind == "word" else ""
        if after_brace and word == "SELECT":
            positions.pop()
        after_brace = False
        if word in ("VALUES", "CONSTRUCT"):
            skip_brace = True  # the next brace opens a data block or a template
        elif kind == "other" and text == "{":
            if skip_brace:
                skip_brace = False
            else:
                positions.append(match.end())
                after_brace = True
    for position in reversed(positions):
        query = query[:position] + block + query[position:]
    return query


PING = "ASK { }"
"""The cheapest question an engine answers: is it there."""

GENERATION = (
    sparql_prologue()
    + f"SELECT ?generation WHERE {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?generation }} }}"
)
"""The store's generation (unbound before the first commit)."""

NAMED_GRAPHS = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }"
"""Every named graph that holds a quad (the caller leaves out the system graphs)."""

COUNT_QUADS = """SELECT (COUNT(*) AS ?quads) ?system WHERE {
    GRAPH ?graph { ?s ?p ?o } FILTER(!STRSTARTS(STR(?graph), ?system))
} GROUP BY ?system"""
"""Quads outside the system graphs; binds ``system`` (the system graphs' IRI prefix)."""

ANY_QUAD = "ASK { { ?s ?p ?o } UNION { GRAPH ?graph { ?s ?p ?o } } }"
"""Whether the engine holds anything at all (an import goes only into an empty engine)."""


def versions(graphs: Iterable[Term]) -> str:
    """Each graph's version, for the graphs that have one."""
    return (
        sparql_prologue()
        + f"""SELECT ?graph ?version WHERE {{
    {values_clause("graph", graphs)}
    GRAPH {_VERSIONS} {{ ?graph sa:version ?version }}
}}"""
    )


def graph_quads(graphs: Iterable[Term]) -> str:
    """Every quad of the graphs."""
    return f"""SELECT ?s ?p ?o ?graph WHERE {{
    {values_clause("graph", graphs)}
    GRAPH ?graph {{ ?s ?p ?o }}
}}"""


def quads_around(pairs: Iterable[tuple[Term, Term]]) -> str:
    """For each (node, graph): the quads of the graph with the node as subject or object."""
    rows = " ".join(f"({sparql_term(n)} {sparql_term(g)})" for n, g in pairs)
    return f"""SELECT ?s ?p ?o ?graph WHERE {{
    VALUES (?node ?graph) {{ {rows} }}
    {{ GRAPH ?graph {{ ?node ?p ?o }} BIND(?node AS ?s) }}
    UNION
    {{ GRAPH ?graph {{ ?s ?p ?node }} BIND(?node AS ?o) }}
}}"""


def _gate(receipt: Term) -> str:
    return f"GRAPH {_VERSIONS} {{ {sparql_term(receipt)} sa:version {sparql_term(literal('pending'))} }}"


def claim(receipt: Term, generation: int) -> str:
    """The writer's claim to commit on top of ``generation``, stamped with the engine's clock."""
    r, n = sparql_term(receipt), sparql_term(literal(generation))
    return (
        sparql_prologue()
        + f"""INSERT {{ GRAPH {_VERSIONS} {{ {r} sa:sequence {n} ; prov:startedAtTime ?now }} }}
WHERE {{ BIND(NOW() AS ?now) }}"""
    )


def rivals(receipt: Term, generation: int, lease_seconds: int) -> str:
    """Other live claims on the same generation (younger than the lease, by the engine's clock)."""
    r, n = sparql_term(receipt), sparql_term(literal(generation))
    lease = sparql_term(ox.Literal(f"PT{int(lease_seconds)}S", datatype=ox.NamedNode(f"{_XSD}dayTimeDuration")))
    return (
        sparql_prologue()
        + f"""SELECT ?rival WHERE {{
    GRAPH {_VERSIONS} {{ ?rival sa:sequence {n} ; prov:startedAtTime ?at }}
    FILTER(?rival != {r} && ?at > NOW() - {lease})
}}"""
    )


def release(receipt: Term) -> str:
    """Remove the claim and the receipt of a commit attempt (applied or not)."""
    return sparql_prologue() + f"DELETE WHERE {{ GRAPH {_VERSIONS} {{ {sparql_term(receipt)} ?p ?o }} }}"


def _checks(expected: dict[str, str], sequence: int | None, generation: int) -> str:
    """The WHERE part that holds only while every graph is at the version the writer read.

    With a ``sequence`` (an audited commit), also only while no commit holds
    that number yet: two replicas committing different graphs at once must not
    both take the next number of the audit trail.
    """
    parts = [
        f"GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version {sparql_term(literal(generation))} }}"
        if generation
        else f"FILTER NOT EXISTS {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?generation }} }}"
    ]
    if sequence is not None:
        audit, n = sparql_term(iri(AUDIT_GRAPH)), sparql_term(literal(sequence))
        parts.append(f"FILTER NOT EXISTS {{ GRAPH {audit} {{ ?commit sa:sequence ?n FILTER(?n >= {n}) }} }}")
    for graph, version in sorted(expected.items()):
        g = sparql_term(iri(graph))
        if version == "0":
            parts.append(f"FILTER NOT EXISTS {{ GRAPH {_VERSIONS} {{ {g} sa:version ?any }} }}")
        else:
            parts.append(f"GRAPH {_VERSIONS} {{ {g} sa:version {sparql_term(literal(version))} }}")
    return "\n    ".join(parts)


def commit(
    receipt: Term,
    expected: dict[str, str],
    graphs: Sequence[Term],
    new_versions: dict[str, str],
    insert: Iterable[ox.Quad],
    sequence: int | None,
    generation: int,
) -> str:
    """The conditional commit: one update request, every operation gated on the versions read.

    1. the receipt, inserted only if every expected version holds;
    2. where the receipt is: the touched graphs emptied, their versions and the
       generation replaced (the generation incremented in the engine), and the
       new contents, the new versions and the audit record inserted (one
       solution, so the blank nodes of the template are made once).
    The receipt stays, so the writer can tell afterwards whether this commit
    applied; :func:`release` removes it then.
    """
    gate = _gate(receipt)
    ops = [f"INSERT {{ {gate} }} WHERE {{\n    {_checks(expected, sequence, generation)}\n}}"]
    for graph in graphs:
        g = sparql_term(graph)
        ops.append(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ {gate} GRAPH {g} {{ ?s ?p ?o }} }}")
    old = values_clause("graph", [iri(g) for g in new_versions])
    ops.append(
        f"DELETE {{ GRAPH {_VERSIONS} {{ ?graph sa:version ?old }} }} WHERE {{\n"
        f"    {gate} {old} GRAPH {_VERSIONS} {{ ?graph sa:version ?old }}\n}}"
    )
    ops.append(
        f"DELETE {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?was }} }}\n"
        f"INSERT {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?next }} }} WHERE {{\n"
        f"    {gate}\n"
        f"    OPTIONAL {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?was }} }}\n"
        f"    BIND(COALESCE(xsd:integer(?was), 0) + 1 AS ?next)\n}}"
    )
    block = data_block(insert)
    if block:
        ops.append(f"INSERT {{\n{block}\n}} WHERE {{ {gate} }}")
    return sparql_prologue() + " ;\n".join(ops)


def receipt_and_generation(receipt: Term) -> str:
    """Whether the commit with this receipt applied (a row), and the generation now."""
    return (
        sparql_prologue()
        + f"""SELECT ?generation WHERE {{
    {_gate(receipt)}
    OPTIONAL {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version ?generation }} }}
}}"""
    )


def start_generation() -> str:
    """After an import: the versions graph's generation is 1."""
    return (
        sparql_prologue()
        + f"INSERT DATA {{ GRAPH {_VERSIONS} {{ {_VERSIONS} sa:version {sparql_term(literal(1))} }} }}"
    )
