"""The pre-flight reading of a query: form, updates, SERVICE and nesting, by one linear tokenizer pass."""

from __future__ import annotations

import re

import pytest

from stackatlas.sparql.analysis import RefusedQuery, check, shape

ENDPOINT = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "query,form,has_from",
    [
        ("PREFIX a: <http://x/> BASE <http://y/> SELECT * { ?s ?p ?o }", "SELECT", False),
        ("# SELECT\nASK {}", "ASK", False),
        ("construct where { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://x/>", "DESCRIBE", False),
        ("SELECT * FROM <http://g/> { ?s ?p ?o }", "SELECT", True),
        ('SELECT * { ?s ?p "FROM" }', "SELECT", False),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", False),
    ],
)
def test_shape(query, form, has_from):
    found = shape(query)
    assert (found.form, found.has_dataset_clause) == (form, has_from)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/sparql> { }" }',
        "SELECT * { ?s ?p '''multi\nline SERVICE <x> {}''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/sparql> { }",
        "SELECT * { <http://x/SERVICE> ?p ?o }",
        "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }",
        "PREFIX ex: <http://x/> SELECT ?service { ?service ex:SERVICE ?o }",
        'SELECT * { ?s ?p "customer service"@en }',
        "SELECT * { ?s ?p ?o FILTER(?o < 3) }",
    ],
)
def test_service_words_that_are_not_service_calls_pass(query):
    assert check(query, []).service_clauses == 0


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o . service silent <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ FILTER(?a<?b)SERVICE<{ENDPOINT}>{{ ?s ?p ?o }} }}",
        f'SELECT * {{ ?s ?p "\\"" . SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}',
        f'SELECT * {{ ?s ?p "\\u0022" . SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} ?s ?p """" }}',
        f"SELECT * {{ \\u0053ERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_calls_are_refused_without_an_allowlist(query):
    with pytest.raises(RefusedQuery, match="SERVICE"):
        check(query, [])


def test_allowlist_is_checked_on_resolved_iris():
    allowed = ["http://allowed.example/sparql"]
    check("PREFIX e: <http://allowed.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", allowed)
    check("BASE <http://allowed.example/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", allowed)
    with pytest.raises(RefusedQuery, match=re.escape("not on the allow-list: http://other.example/sparql")):
        check("SELECT * { SERVICE <http://other.example/sparql> { ?s ?p ?o } }", allowed)
    with pytest.raises(RefusedQuery, match="a variable endpoint"):
        check("SELECT * { SERVICE ?e { ?s ?p ?o } }", allowed)
    with pytest.raises(RefusedQuery, match="could not be checked"):
        check("SELECT * { SERVICE <http://allowed.example/sparql> { ?s ?p ", allowed)


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "load <http://x/>",
        "PREFIX a: <http://x/> CLEAR ALL",
        "DROP GRAPH <http://g/>",
        "CREATE GRAPH <http://g/>",
        "ADD DEFAULT TO <http://g/>",
        "MOVE DEFAULT TO <http://g/>",
        "COPY DEFAULT TO <http://g/>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(query):
    with pytest.raises(RefusedQuery, match="read-only"):
        check(query, [])


def test_nesting_deeper_than_the_limit_is_refused_and_strings_do_not_count():
    from stackatlas.errors import MalformedQuery

    check("ASK " + "{" * 10 + "}" * 10, [], max_depth=10)
    with pytest.raises(MalformedQuery, match="11 deep; at most 10"):
        check("ASK " + "{" * 11 + "}" * 11, [], max_depth=10)
    check('ASK { FILTER(?x = "' + "(" * 500 + '") } # ' + "{" * 500, [], max_depth=10)
