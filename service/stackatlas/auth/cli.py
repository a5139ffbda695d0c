"""``stackatlas token add|list|revoke --store DIR``.

The store directory is opened directly, so the server must not be running on
it at the same time (one writer process per store: docs/persistence.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..store import Store
from ..store.marker import read_marker
from ..store.persistent import PersistentStore
from .tokens import add_token, list_tokens, revoke_token


def _open(location: str | Path) -> Store:
    """The store as its writer; refused (one line) while a server holds it.

    A SPARQL engine's URL opens the engine itself: replicas may keep serving,
    since every commit there is conditional (docs/deployment.md).
    """
    from ..store.remote import is_remote, open_remote

    if is_remote(location):
        return open_remote(str(location))
    path = Path(location)
    if not path.is_dir() or read_marker(path) is None:
        raise InputError(f"{path}: no store there (create it with `stackatlas serve --store {path}` first)")
    return PersistentStore(path, writer=True)


def add(path: str | Path, name: str, scope: str) -> None:
    token = add_token(_open(path), name, scope)
    print(token)
    print(f"token {name!r} (scope {scope}) created; it is shown only this once", file=sys.stderr)


def show(path: str | Path) -> None:
    tokens = list_tokens(_open(path))
    if not tokens:
        print("no tokens: the server accepts no writes", file=sys.stderr)
    for token in tokens:
        print(f"{token.name}\t{token.scope}\t{token.created or ''}")


def revoke(path: str | Path, name: str) -> int:
    if revoke_token(_open(path), name):
        print(f"token {name!r} revoked", file=sys.stderr)
        return 0
    print(f"stackatlas: no token named {name!r}", file=sys.stderr)
    return 1
