"""Issue, list, revoke and check bearer tokens kept as hashes in the store's tokens graph.

A token is ``sa_`` followed by 32 random bytes (URL-safe base64). The store
keeps ``sha256(token)`` as hex: the token has 256 bits of entropy, so a plain
hash is as good as a slow one and lets a request be checked with one bound
lookup; the found hash is compared again with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import InputError
from ..store import Store
from ..store.changes import ChangeSet
from ..store.queries import writes as queries
from ..store.terms import literal
from ..vocab import ID, SA, SERVICE_AGENT, TOKENS_GRAPH

SCOPES = ("read", "write", "admin")
"""Each scope allows what the ones before it allow."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PREFIX = "sa_"


@dataclass(frozen=True)
class Principal:
    """Who a request's token says is asking."""

    name: str
    scope: str

    def allows(self, scope: str) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(scope)


@dataclass(frozen=True)
class TokenInfo:
    name: str
    scope: str
    created: str | None


def _n(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token_node(name: str) -> ox.NamedNode:
    return _n(ID[f"token/{name}"])


def add_token(store: Store, name: str, scope: str) -> str:
    """Create a token and return it (the only time it is ever seen); a name is used once."""
    if not _NAME.match(name):
        raise InputError(f"token name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}; scopes are {', '.join(SCOPES)}")
    if any(t.name == name for t in list_tokens(store)):
        raise InputError(f"a token named {name!r} exists; revoke it first or choose another name")
    token = _PREFIX + secrets.token_urlsafe(32)
    graph, node = _n(TOKENS_GRAPH), _token_node(name)
    now = ox.Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=_n(XSD.dateTime))
    quads = [
        ox.Quad(graph, _n(PROV.wasAttributedTo), _n(SERVICE_AGENT), graph),
        ox.Quad(node, _n(RDF.type), _n(SA.AccessToken), graph),
        ox.Quad(node, _n(RDFS.label), ox.Literal(name), graph),
        ox.Quad(node, _n(SA.scope), ox.Literal(scope), graph),
        ox.Quad(node, _n(SA.tokenHash), ox.Literal(_hash(token)), graph),
        ox.Quad(node, _n(DCTERMS.created), now, graph),
    ]
    # Not audited: the audit graph is public and must never hold a hash.
    store.commit(ChangeSet.of(quads), {}, None)
    return token


def list_tokens(store: Store) -> list[TokenInfo]:
    return [
        TokenInfo(str(r["name"]), str(r["scope"]), str(r["created"]) if r["created"] else None)
        for r in store.system_select(queries.TOKENS)
    ]


def revoke_token(store: Store, name: str) -> bool:
    """Remove the token; False when there is none of that name."""
    node = _token_node(name)
    quads = [q for q in store.graph_quads([str(TOKENS_GRAPH)]) if q.subject == node]
    if not quads:
        return False
    store.commit(ChangeSet.of(removed=quads), {}, None)
    return True


def has_tokens(store: Store) -> bool:
    """Whether any token exists: without one the server accepts no writes."""
    return bool(store.system_select(queries.ANY_TOKEN))


def authenticate(store: Store, token: str) -> Principal | None:
    """The token's holder, or None for an unknown (or revoked) token."""
    digest = _hash(token)
    rows = store.system_select(queries.TOKEN_BY_HASH, {"hash": literal(digest)})
    for row in rows:
        if hmac.compare_digest(str(row["hash"]), digest):
            return Principal(str(row["name"]), str(row["scope"]))
    return None
