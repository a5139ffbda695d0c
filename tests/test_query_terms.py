"""Parameters reach SPARQL only as bound terms or through the one escaping helper.

Each hostile value must come back out of the store exactly as it went in — as
one term — whatever quotes, brackets, backslashes, newlines or unicode it holds.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from stackatlas.errors import QueryError
from stackatlas.store import OxigraphStore
from stackatlas.store.terms import iri, literal, sparql_term, values_clause

HOSTILE = [
    "plain",
    'quote " inside',
    "single ' quote",
    '"""triple""" } ; DROP ALL #',
    "angle > and < brackets",
    "back\\slash \\u0022 \\n",
    "new\nline\r\nand\ttab",
    "unicode — “quotes” é 日本 🚀",
    "} UNION { ?s ?p ?o }",
    "\u0000nul",
]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    s = OxigraphStore()
    for i, text in enumerate(HOSTILE):
        s.ox.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{i}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(text),
                ox.NamedNode("http://example.org/g"),
            )
        )
    return s


@pytest.mark.parametrize("text", HOSTILE)
def test_bound_literal_matches_only_itself(store: OxigraphStore, text: str) -> None:
    rows = store.select("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }", {"o": literal(text)})
    assert rows == [{"s": f"http://example.org/s{HOSTILE.index(text)}", "o": text}]


def test_a_bound_variable_must_be_projected(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="projection"):
        store.select("SELECT ?s WHERE { ?s <http://example.org/p> ?o }", {"o": literal("plain")})


@pytest.mark.parametrize("text", HOSTILE)
def test_values_clause_writes_each_literal_as_one_term(store: OxigraphStore, text: str) -> None:
    query = f"SELECT ?s ?o WHERE {{ {values_clause('o', [literal(text)])} ?s <http://example.org/p> ?o }}"
    assert store.select(query) == [{"s": f"http://example.org/s{HOSTILE.index(text)}", "o": text}]


def test_values_clause_with_many_terms_and_none(store: OxigraphStore) -> None:
    query = "SELECT ?o WHERE {{ {} ?s <http://example.org/p> ?o }} ORDER BY ?o"
    assert [r["o"] for r in store.select(query.format(values_clause("o", map(literal, HOSTILE))))] == sorted(
        HOSTILE
    )
    assert store.select(query.format(values_clause("o", []))) == []


@pytest.mark.parametrize(
    "bad",
    [
        "http://x/a> } INSERT DATA { <a> <b> <c> } #",
        "http://x/a b",
        'http://x/"',
        "not an iri",
        "",
        "http://x/\n",
    ],
)
def test_iri_refuses_what_is_not_one(bad: str) -> None:
    with pytest.raises(QueryError, match="not an IRI"):
        iri(bad)


def test_language_tag_and_types_are_kept() -> None:
    assert sparql_term(literal("Dagster", language="en")) == '"Dagster"@en'
    assert sparql_term(literal(3)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert sparql_term(literal(True)) == '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'


def test_bad_variable_names_are_refused() -> None:
    with pytest.raises(QueryError):
        values_clause("o } . ?x", [literal("a")])
