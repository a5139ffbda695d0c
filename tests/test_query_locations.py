"""SPARQL text lives in the store layer only (``stackatlas/store/``, chiefly ``store/queries/``).

A query written next to the code that uses it is where escaping goes wrong: the
issue that introduced this test found three conventions in six modules. Every
string constant of the package (f-strings with their ``{…}`` parts blanked, and
``+`` chains of strings joined) is checked for a query form or ``PREFIX``
followed by ``WHERE`` or ``{``; docstrings are prose and skipped.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackatlas.config import Settings
from stackatlas.errors import QueryError
from stackatlas.loader import catalog_sources
from stackatlas.store import open_catalog
from stackatlas.validation.engine import _files_of, _vendors_of
from stackatlas.vocab import ID
from stackatlas.web.linked_data import resource_triples
from stackatlas.web.sources import copy_of

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "service" / "stackatlas"
STORE = PACKAGE / "store"

# Modules other engineers are still moving onto the read model and the store seam (issue 9).
# THIS LIST MUST BE EMPTY: the lead empties it once those branches are merged, and nothing is added.
ALLOWED: set[str] = set()

QUERY = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE|PREFIX)\b.*?(\bWHERE\b|\{)", re.DOTALL)


def _text(node: ast.expr) -> str | None:
    """The literal text of a string expression; ``{…}`` parts of an f-string become ``…``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "…" for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None or right is not None:
            return (left or "…") + (right or "…")
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
        # an attribute docstring: a string statement right after an assignment
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in itertools.pairwise(body):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    ids.add(id(after.value))
    return ids


def sparql_strings(source: str, filename: str = "<string>") -> Iterator[tuple[int, str]]:
    """(line, first 80 characters) of each string in ``source`` that holds SPARQL text."""
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    inside: set[int] = set()  # parts of a +-chain already reported with the whole chain
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr) or id(node) in skip or id(node) in inside:
            continue
        text = _text(node)
        if text is None:
            continue
        if isinstance(node, ast.BinOp | ast.JoinedStr):
            inside.update(id(n) for n in ast.walk(node))
        if QUERY.search(text):
            yield node.lineno, " ".join(text.split())[:80]


def offenders() -> dict[str, list[tuple[int, str]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(STORE):
            continue
        hits = list(sparql_strings(path.read_text(encoding="utf-8"), str(path)))
        if hits:
            found[path.relative_to(PACKAGE).as_posix()] = hits
    return found


def test_no_sparql_outside_the_store_layer() -> None:
    found = {module: hits for module, hits in offenders().items() if module not in ALLOWED}
    report = "\n".join(f"{m}:{line}: {text}" for m, hits in found.items() for line, text in hits)
    assert not found, f"SPARQL text outside service/stackatlas/store/ (move it to store/queries/):\n{report}"


def test_the_allow_list_holds_only_modules_that_still_need_it() -> None:
    """A converted module leaves the list at once, so the list only ever shrinks."""
    still = set(offenders())
    stale = sorted(m for m in ALLOWED if m not in still)
    assert not stale, f"no SPARQL text left in {stale}: remove them from ALLOWED"


def test_the_detector_finds_queries_in_every_form_it_is_written() -> None:
    found = dict(
        sparql_strings(
            '''
"""A docstring may say SELECT ?x WHERE { ?x ?p ?o }."""
A = "SELECT ?s WHERE { ?s ?p ?o }"
B = f"ASK {{ <{iri}> ?p ?o }}"
C = "PREFIX sa: <x>\\n" + body + "CONSTRUCT { ?s ?p ?o }"
D = """
DESCRIBE ?s WHERE { ?s a sa:Vendor }
"""
E = "expected a SELECT query"
F = f"PREFIX {p}: <{iri}>\\n"
G = "select ?s where { ?s ?p ?o }"
'''
        )
    )
    assert sorted(found) == [3, 4, 5, 6]
    # lower-case keywords and prose about queries are not flagged; the code base writes keywords in capitals


def test_the_moved_queries_take_hostile_parameters_as_data():
    """The queries moved here bind their parameters: text that would break out of ``<…>`` or ``"…"``
    finds nothing (or is refused as not an IRI) instead of changing the query."""
    store = open_catalog()
    dagster = f"{ID}vendor/dagster"
    assert b"dagster" in resource_triples(store, dagster, True)
    # characters an IRI may hold, bound as they are: they match nothing
    for hostile in ("')", "('x", "%22)", "/'", "ünïcødé", ";=@"):
        assert resource_triples(store, f"{dagster}{hostile}", True) == b""
    # not IRIs at all: refused before any query is made
    for hostile in ('x" || true || "', "')||true||('", "x> ?p ?o } #", "a\nb", "a\\b"):
        with pytest.raises(QueryError):
            resource_triples(store, f"{dagster}{hostile}", False)
        with pytest.raises(QueryError):
            _vendors_of(store, {f"urn:x:{hostile}"})
    # and the VALUES lists still find what they should
    assert _files_of(store, catalog_sources(), {dagster})[dagster].endswith("vendors/dagster.ttl")
    assert _vendors_of(store, {f"{ID}source/dagster"}) == {}
    assert _vendors_of(store, {f"{ID}layer/L7"})  # a vendor places itself in L7
    assert copy_of(store, Settings(), f"{ID}source/x> ?p ?o }} #") is None
