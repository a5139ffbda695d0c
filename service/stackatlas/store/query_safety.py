"""Look at a user query before the engine does: its form, whether it writes, calls out or nests too deep.

One linear pass of a small SPARQL tokenizer that skips string literals,
comments and IRIs decides everything, so the check costs time proportional to
the query (bounded by the request body limit) and nothing more. It runs in
the query worker, under the query's time limit, never on the server's event
loop.

Exactness: a SERVICE, FROM or update keyword inside a string, comment or IRI
is not one; case and whitespace do not matter. SPARQL lets ``\\uXXXX`` escapes
stand for any character of the query text; Oxigraph does not expand them
outside strings and IRIs, the specification does, so a query carrying an
escape is read both ways and refused if either reading calls out. Endpoints
are resolved the way the parser would: prefixed names through the PREFIX
declarations (and the predeclared catalog prefixes), relative IRIs against
BASE.

Nesting deeper than the limit is refused before the engine sees the query: a
few thousand nested groups would overflow the engine's stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from ..errors import MalformedQuery, RefusedQuery
from ..vocab import PREFIXES

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_PROLOGUE = frozenset({"BASE", "PREFIX"})
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")

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
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PNAME_ESCAPE = re.compile(r"\\(.)")

_DISABLED = (
    "SERVICE (federated query) is disabled on this endpoint; "
    "an operator can allow endpoints with STACKATLAS_SERVICE_ALLOWLIST"
)


@dataclass(frozen=True)
class QueryShape:
    """What the tokenizer saw: enough to route the query, never to evaluate it."""

    form: str | None
    """First keyword after the prologue (SELECT, CONSTRUCT, INSERT …), upper-cased."""
    has_dataset_clause: bool
    """FROM / FROM NAMED present: the query names its own dataset."""
    service_clauses: int
    endpoints: tuple[str | None, ...] = ()
    """Each SERVICE clause's endpoint IRI, resolved; None when it is not a constant IRI."""
    depth: int = 0
    """Deepest nesting of ``{``, ``(`` and ``[``."""
    balanced: bool = True
    """Every bracket is closed, in order."""

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def _tokens(query: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        assert kind is not None
        if kind not in ("space", "comment"):
            yield kind, match.group()


def _scan(query: str) -> QueryShape:
    """One pass over ``query`` as written (no escape expansion)."""
    prefixes = dict(PREFIXES)
    base: str | None = None
    form: str | None = None
    has_from = False
    endpoints: list[str | None] = []
    stack: list[str] = []
    depth = 0
    balanced = True
    expect: str | None = None  # what the previous keyword wants next: prefix / prefix-iri / base / service
    pending_prefix = ""
    for kind, text in _tokens(query):
        upper = text.upper() if kind == "word" else ""
        if expect == "prefix" and kind == "pname" and text.endswith(":"):
            pending_prefix, expect = text[:-1], "prefix-iri"
            continue
        if expect == "prefix-iri" and kind == "iri":
            prefixes[pending_prefix] = urljoin(base or "", text[1:-1])
            expect = None
            continue
        if expect == "base" and kind == "iri":
            base = urljoin(base or "", text[1:-1])
            expect = None
            continue
        if expect == "service":
            if upper == "SILENT":
                continue
            endpoints.append(_endpoint(kind, text, prefixes, base))
            expect = None
        else:
            expect = None
        if kind == "word":
            if form is None and upper not in _PROLOGUE:
                form = upper
            if upper == "PREFIX":
                expect = "prefix"
            elif upper == "BASE":
                expect = "base"
            elif upper == "FROM":
                has_from = True
            elif upper == "SERVICE":
                expect = "service"
        elif kind == "other" and text in _OPEN:
            stack.append(text)
            depth = max(depth, len(stack))
        elif kind == "other" and text in _CLOSE:
            opened = stack.pop() if stack else ""
            balanced = balanced and opened != "" and "{([".index(opened) == "})]".index(text)
    if expect == "service":
        endpoints.append(None)
    return QueryShape(form, has_from, len(endpoints), tuple(endpoints), depth, balanced and not stack)


def _endpoint(kind: str, text: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if kind == "iri":
        return urljoin(base or "", text[1:-1])
    if kind == "pname":
        prefix, _, local = text.partition(":")
        namespace = prefixes.get(prefix)
        return None if namespace is None else namespace + _PNAME_ESCAPE.sub(r"\1", local)
    return None


def _unescaped(query: str) -> str:
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _ESCAPE.sub(char, query)


def shape(query: str) -> QueryShape:
    """The query's shape; with ``\\u`` escapes, the union of the raw and the expanded reading."""
    raw = _scan(query)
    if "\\u" not in query and "\\U" not in query:
        return raw
    expanded = _scan(_unescaped(query))
    return QueryShape(
        raw.form if raw.form in QUERY_FORMS or expanded.form is None else expanded.form,
        raw.has_dataset_clause or expanded.has_dataset_clause,
        max(raw.service_clauses, expanded.service_clauses),
        raw.endpoints + expanded.endpoints,
        max(raw.depth, expanded.depth),
        raw.balanced and expanded.balanced,
    )


def check(query: str, allowlist: Sequence[str], max_depth: int = 64) -> QueryShape:
    """Refuse updates, non-allow-listed SERVICE calls and deep nesting; return the query's shape.

    Raises :class:`RefusedQuery` (403) or :class:`MalformedQuery` (400, too
    deep). Other syntax errors are left to Oxigraph, whose message carries the
    position.
    """
    found = shape(query)
    if found.is_update:
        raise RefusedQuery(f"SPARQL Update ({found.form}) is not accepted: this endpoint is read-only")
    if found.depth > max_depth:
        raise MalformedQuery(
            f"the query nests brackets {found.depth} deep; at most {max_depth} levels are accepted"
        )
    if not found.service_clauses:
        return found
    if not allowlist:
        raise RefusedQuery(_DISABLED)
    if not found.balanced:
        raise RefusedQuery(
            "the query uses SERVICE but its endpoints could not be checked (unbalanced brackets)"
        )
    refused = sorted({e or "a variable endpoint" for e in found.endpoints if e not in allowlist})
    if refused:
        raise RefusedQuery(f"SERVICE endpoint not on the allow-list: {', '.join(refused)}")
    return found
