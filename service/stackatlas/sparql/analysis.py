"""Look at a query before it runs: its form, whether it writes, whether it calls out.

Two independent readers decide whether a query contains ``SERVICE``:

* a small SPARQL tokenizer that skips string literals, comments and IRIs, run
  on the raw text exactly as Oxigraph reads it (Oxigraph does not expand
  ``\\u`` escapes outside strings and IRIs, and neither does the tokenizer);
* rdflib's SPARQL *parser* (never its engine), which expands ``\\u`` escapes
  as the specification says and resolves prefixed names, so it also yields the
  endpoints. It runs only when the query text mentions "service" at all or
  carries a ``\\u`` escape, to keep the common path fast.

A query counts as federated if either reader finds a SERVICE. With an empty
allow-list any SERVICE is refused; otherwise every endpoint must be a constant
IRI on the list, as resolved by rdflib. Updates (including ``LOAD``) are
recognised by their first keyword and refused: the endpoint is read-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import QueryError
from ..vocab import PREFIXES

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_PROLOGUE = frozenset({"BASE", "PREFIX"})

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>
          \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | "(?:[^"\\\n\r]|\\.)*"
        | '(?:[^'\\\n\r]|\\.)*'
      )
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.\-\u00b7]*)?:(?:[\w.\-:%\u00b7]|\\.)*)
    | (?P<word>[^\W\d_]\w*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class RefusedQuery(QueryError):
    """The query is understood but not allowed here (HTTP 403)."""


@dataclass(frozen=True)
class QueryShape:
    """What the tokenizer saw: enough to route the query, never to evaluate it."""

    form: str | None
    """First keyword after the prologue (SELECT, CONSTRUCT, INSERT …), upper-cased."""
    has_dataset_clause: bool
    """FROM / FROM NAMED present: the query names its own dataset."""
    service_clauses: int

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def keywords(query: str) -> Iterable[str]:
    """Upper-cased bare words of the query outside strings, comments, IRIs and names."""
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "word":
            yield match.group().upper()


def shape(query: str) -> QueryShape:
    form: str | None = None
    has_from = False
    services = 0
    for word in keywords(query):
        if form is None and word not in _PROLOGUE:
            form = word
        if word == "FROM":
            has_from = True
        elif word == "SERVICE":
            services += 1
    return QueryShape(form, has_from, services)


def _needs_parser(query: str, found: QueryShape) -> bool:
    lowered = query.lower()
    return found.service_clauses > 0 or "service" in lowered or "\\u" in lowered


def _service_terms(query: str) -> list[str | None]:
    """Endpoints of every SERVICE clause per rdflib's parser; None for a variable endpoint.

    Raises whatever rdflib raises on a query it cannot parse.
    """
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[str | None] = []

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(translateQuery(parseQuery(query), initNs=PREFIXES).algebra)
    return found


def check(query: str, allowlist: Sequence[str]) -> QueryShape:
    """Refuse updates and non-allow-listed SERVICE calls; return the query's shape.

    Raises :class:`RefusedQuery` (403). A syntax error is left to Oxigraph,
    whose message carries the position.
    """
    found = shape(query)
    if found.is_update:
        raise RefusedQuery(f"SPARQL Update ({found.form}) is not accepted: this endpoint is read-only")
    if not _needs_parser(query, found):
        return found
    if found.service_clauses and not allowlist:
        raise RefusedQuery(
            "SERVICE (federated query) is disabled on this endpoint; "
            "an operator can allow endpoints with STACKATLAS_SERVICE_ALLOWLIST"
        )
    try:
        endpoints = _service_terms(query)
    except Exception as exc:
        if found.service_clauses:
            raise RefusedQuery(
                f"the query uses SERVICE but its endpoints could not be checked ({exc})"
            ) from exc
        # Neither reader sees a SERVICE; Oxigraph reports the syntax error itself.
        return found
    if not endpoints and not found.service_clauses:
        return found
    if not allowlist:
        raise RefusedQuery(
            "SERVICE (federated query) is disabled on this endpoint; "
            "an operator can allow endpoints with STACKATLAS_SERVICE_ALLOWLIST"
        )
    if len(endpoints) < found.service_clauses:
        raise RefusedQuery("the query uses SERVICE in a way whose endpoint could not be determined")
    refused = sorted({e or "a variable endpoint" for e in endpoints if e not in allowlist})
    if refused:
        raise RefusedQuery(f"SERVICE endpoint not on the allow-list: {', '.join(refused)}")
    return found
