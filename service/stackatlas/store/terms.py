"""RDF terms for query parameters, and the one way a value is written into SPARQL text.

Internal queries take their parameters as bound terms (``Store.select(query,
bindings={"v": iri(...)})``): the embedded store hands them to pyoxigraph as
``substitutions``, so no value is ever spliced into query text. Where a query
needs a *list* of terms (``VALUES``), :func:`values_clause` writes them with
pyoxigraph's own N-Triples serialisation of a validated term — the single
escaping routine of the code base, attacked by ``tests/test_query_terms.py``.

pyoxigraph substitutes only variables the query projects (``SELECT *`` or by
name), so a query that takes a parameter projects it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from ..errors import QueryError

Term = ox.NamedNode | ox.Literal
"""A term a query parameter may be bound to."""

Bindings = Mapping[str, Term]
"""Variable name (without ``?``) → term."""

_VARIABLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def iri(value: str | URIRef) -> ox.NamedNode:
    """An IRI term; a value that is not an absolute IRI is refused, never escaped into one."""
    try:
        return ox.NamedNode(str(value))
    except ValueError as exc:
        raise QueryError(f"not an IRI: {str(value)[:80]!r} ({exc})") from None


def literal(value: str | int | float | bool | Decimal, *, language: str | None = None) -> ox.Literal:
    """A literal term: strings plain (or language-tagged), numbers and booleans typed by XSD."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(f"{_XSD}double"))
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def from_rdflib(term: URIRef | RdfLiteral) -> Term:
    """The pyoxigraph term for an rdflib IRI or literal (vocabulary constants are rdflib terms)."""
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return iri(term)


def variable(name: str) -> ox.Variable:
    """A query variable; names are ours, but a bad one is still refused rather than pasted."""
    if not name or not set(name) <= _VARIABLE_CHARS:
        raise QueryError(f"not a SPARQL variable name: {name!r}")
    return ox.Variable(name)


def substitutions(
    bindings: Bindings | None,
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None:
    """Bindings as pyoxigraph ``substitutions``."""
    if not bindings:
        return None
    return {variable(name): term for name, term in bindings.items()}


def sparql_term(term: Term) -> str:
    """The term as SPARQL text: pyoxigraph's N-Triples form of an already validated term."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise QueryError(f"cannot write {type(term).__name__} into a query")
    return str(term)


def values_clause(name: str, terms: Iterable[Term]) -> str:
    """``VALUES ?name { … }`` for a list of terms (an empty list matches nothing, as it should)."""
    written = " ".join(sparql_term(t) for t in terms)
    return f"VALUES ?{variable(name).value} {{ {written} }}"


_XSD = "http://www.w3.org/2001/XMLSchema#"


def data_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term of an ``INSERT DATA`` block: as :func:`sparql_term`, and blank nodes as ``_:label``.

    Inside one update request the same label is the same (fresh) blank node,
    which is what replacing a graph's content needs.
    """
    if isinstance(term, ox.BlankNode):
        return str(term)
    if isinstance(term, ox.Triple):
        raise QueryError("RDF-star triples cannot be written to the catalog")
    return sparql_term(term)


def data_block(quads: Iterable[ox.Quad]) -> str:
    """The body of ``INSERT DATA { … }`` for quads in named graphs, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise QueryError("only named graphs are written; the default graph stays empty")
        line = f"{data_term(quad.subject)} {data_term(quad.predicate)} {data_term(quad.object)} ."
        by_graph.setdefault(sparql_term(quad.graph_name), []).append(line)
    return "\n".join(f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items())
