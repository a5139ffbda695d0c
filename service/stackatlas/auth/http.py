"""The HTTP side of tokens: ``Authorization: Bearer …`` to a :class:`Principal`, or 401/403.

Every write route calls :func:`require` with the scope it needs; reads go
through :func:`read_access`, which lets everyone in unless the operator set
``read_requires_token``.
"""

from __future__ import annotations

from fastapi import Request

from ..errors import Forbidden, Unauthorized, WritesDisabled
from ..store import Store
from .tokens import Principal, authenticate, has_tokens

_REALM = 'Bearer realm="stackatlas"'

NO_TOKENS = (
    "this server is read-only: it has no tokens, so it accepts no writes "
    "(an operator creates one with `stackatlas token add NAME --scope write --store DIR`)"
)


class _Challenge(Unauthorized):
    def __init__(self, message: str, error: str | None = None) -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": _REALM + (f', error="{error}"' if error else "")}


class _Scope(Forbidden):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": _REALM + ', error="insufficient_scope"'}


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    if not header:
        return None
    kind, _, token = header.strip().partition(" ")
    return token.strip() or None if kind.lower() == "bearer" else None


def check(store: Store, authorization: str | None, scope: str, what: str) -> Principal:
    """The principal allowed to do ``what`` (needing ``scope``), else the error to answer with.

    Synchronous (it queries the store): call it in a worker thread.
    """
    token = bearer_token(authorization)
    if token is None:
        if scope != "read" and not has_tokens(store):
            raise WritesDisabled(NO_TOKENS)
        raise _Challenge(f"{what} needs a bearer token (Authorization: Bearer <token>) with scope {scope}")
    principal = authenticate(store, token)
    if principal is None:
        raise _Challenge("the bearer token is not valid (unknown or revoked)", "invalid_token")
    if not principal.allows(scope):
        raise _Scope(f"{what} needs scope {scope}; the token {principal.name!r} has scope {principal.scope}")
    return principal


async def require(request: Request, store: Store, scope: str, what: str) -> Principal:
    return await store.run(check, store, request.headers.get("authorization"), scope, what)


_ALWAYS_OPEN = ("/health", "/ready")


async def read_gate(request: Request) -> None:
    """With ``read_requires_token``, every route but the probes needs a token (scope read or more).

    Registered once on the app; without the setting it costs one attribute lookup.
    """
    if not request.app.state.settings.read_requires_token or request.url.path in _ALWAYS_OPEN:
        return
    await require(request, request.app.state.store, "read", "reading this catalog")
