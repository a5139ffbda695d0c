"""``stackatlas changes --since N --store DIR``: the change feed at a terminal or in a script.

Reads the store's latest published state (a server may be running on it).
``--format jsonl`` prints the feed's JSON lines (what ``GET /changes`` sends);
``text`` one commit per paragraph. The cursor to pass next time goes to
stderr as ``cursor: N`` (stdout stays the feed).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..store.marker import read_marker
from ..store.persistent import PersistentStore
from . import entries, render
from .http import vendor_filter


def open_reader(directory: Path) -> PersistentStore:
    """The store's latest published state, read-only (a running server may keep writing)."""
    if read_marker(directory) is None:
        raise InputError(
            f"{directory}: no stackatlas store here (stackatlas import --store {directory} DATA...)"
        )
    return PersistentStore(directory, writer=False)


def run(store_dir: Path, since: str, vendor: str | None, kind: str | None, limit: int, fmt: str) -> None:
    store = open_reader(store_dir)
    start = entries.parse_cursor(since)
    page = entries.page(store, start, entries.check_limit(limit), vendor=vendor_filter(vendor), kind=kind)
    if fmt == "jsonl":
        sys.stdout.buffer.write(render.json_lines(page))
    else:
        for e in page.entries:
            r = e.record
            print(f"#{r.sequence}  {r.at.isoformat()}  {r.by} ({r.interface}): {r.message}")
            for c in e.changes:
                print(f"    {c.kind:<20} {c.text}")
    more = " (more: run again with this cursor)" if page.more else ""
    print(f"cursor: {page.cursor}{more}", file=sys.stderr)
