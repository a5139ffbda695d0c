"""``stackatlas webhook add|list|remove|deliveries --store DIR``.

``add`` and ``remove`` write to the store, so they open it as its writer and
are refused while a server runs on it (use ``POST``/``DELETE /webhooks`` with
an admin token then); ``list`` and ``deliveries`` read the latest published
state and work beside a running server.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from ..feed.cli import open_reader
from ..history.describe import KINDS
from ..history.log import last_sequence
from ..store import Store
from ..store.persistent import PersistentStore
from . import registry


def _open(path: Path) -> Store:
    """The store as its writer (refused, one line, while a server holds it)."""
    open_reader(path)  # a readable error when there is no store
    return PersistentStore(path, writer=True)


def add(
    path: Path, url: str, vendors: list[str], certifications: list[str], kinds: list[str], settings: Settings
) -> None:
    for kind in kinds:
        if kind not in KINDS:
            raise InputError(f"unknown change kind {kind!r}; kinds are {', '.join(KINDS)}")
    store = _open(path)
    hook = registry.register(
        store,
        url,
        settings.webhook_hosts,
        vendors=vendors,
        certifications=certifications,
        kinds=kinds,
        after=last_sequence(store),
    )
    print(json.dumps(hook.as_json(secret=True), indent=2))
    print(f"webhook {hook.id} registered; its secret is shown only this once", file=sys.stderr)


def show(path: Path) -> None:
    hooks = registry.webhooks(open_reader(path))
    if not hooks:
        print("no webhooks", file=sys.stderr)
    for hook in hooks:
        f = hook.filter
        wanted = " ".join(
            [*(f"vendor={v}" for v in f.vendors), *(f"cert={c}" for c in f.certifications)]
            + [f"kind={k}" for k in f.kinds]
        )
        print(f"{hook.id}\t{hook.url}\tdelivered through #{hook.delivered_through}\t{wanted or 'all commits'}")


def remove(path: Path, ident: str) -> None:
    registry.remove(_open(path), ident)
    print(f"webhook {ident} removed", file=sys.stderr)


def deliveries(path: Path, ident: str, limit: int) -> None:
    for d in registry.deliveries(open_reader(path), ident, limit):
        extra = f"  {d.error}" if d.error else ""
        again = " redelivery" if d.redelivery else ""
        code = d.http_status if d.http_status is not None else "-"
        print(f"#{d.sequence}\tattempt {d.attempt}{again}\t{d.at}\t{d.status}\t{code}{extra}")
