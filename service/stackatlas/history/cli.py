"""``stackatlas history VENDOR``, ``stackatlas diff [VENDOR] --from --to`` and ``stackatlas release TAG``.

History and diff read the store's latest published state (a running server
may go on writing); ``release`` writes a commit, so like ``token`` it opens the
store as its writer and runs while no server holds it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import InputError
from ..store import Store
from ..store.audit import canonical
from ..store.marker import read_marker
from ..store.persistent import PersistentStore
from ..vocab import vendor_iri
from . import asof, log, releases
from .describe import Change, describe

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_AGENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _open(location: str | Path, *, writer: bool = False) -> Store:
    """The store directory, or a SPARQL engine's URL (``--store http://…``: docs/deployment.md)."""
    from ..store.remote import is_remote, open_remote

    if is_remote(location):
        return open_remote(str(location))
    path = Path(location)
    if not path.is_dir() or read_marker(path) is None:
        raise InputError(f"{path}: no store there (create it with `stackatlas serve --store {path}` first)")
    return PersistentStore(path, writer=writer)


def _vendor(store: Store, slug: str) -> str:
    if not _SLUG.match(slug):
        raise InputError(f"{slug!r} is not a vendor id (a slug such as dagster)")
    return str(vendor_iri(slug))


def _print_changes(changes: list[Change], indent: str = "  ") -> None:
    for change in changes:
        print(f"{indent}{change.kind:<20} {change.text}")


def history(path: str | Path, slug: str, limit: int, as_of: str | None = None) -> None:
    store = _open(path)
    vendor = _vendor(store, slug)
    if as_of is not None:
        point = asof.resolve(store, as_of, vendor=vendor)
        quads = asof.vendor_at(store, vendor, point)
        if not quads:
            raise InputError(f"{slug} did not exist as of {as_of} ({point.label})")
        print(f"# {slug} as of {point.label} (commit {point.sequence})", file=sys.stderr)
        sys.stdout.write("".join(sorted(f"{q} .\n" for q in canonical(quads))))
        return
    found, more = log.vendor_history(store, vendor, limit)
    if not found:
        print(
            f"no commit has changed {slug} (the history starts with the first governed write)", file=sys.stderr
        )
    for record in found:
        when = record.at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"#{record.sequence}  {when}  {record.by}  ({record.interface})  {record.message}")
        _print_changes([c for c in describe(store, record) if c.vendor == vendor])
    if more:
        print(f"… older commits: --limit {limit * 2}", file=sys.stderr)


def diff(path: str | Path, slug: str | None, start: str, end: str) -> None:
    store = _open(path)
    if slug is None:
        a, b = asof.resolve(store, start), asof.resolve(store, end)
        result = releases.catalog_diff(store, a.sequence, b.sequence)
        print(f"catalog: {a.label} (commit {a.sequence}) → {b.label} (commit {b.sequence})")
        print(f"vendors added: {len(result.vendors_added)}, removed: {len(result.vendors_removed)}")
        _print_changes(result.changes)
        return
    vendor = _vendor(store, slug)
    a, b = asof.resolve(store, start, vendor=vendor), asof.resolve(store, end, vendor=vendor)
    print(f"{slug}: {a.label} (commit {a.sequence}) → {b.label} (commit {b.sequence})")
    changes = asof.vendor_diff(store, vendor, a, b)
    if not changes:
        print("  no change")
    _print_changes(changes)


def release(path: str | Path, tag: str | None, *, by: str, message: str | None, show: bool, dump: bool) -> None:
    if show or tag is None:
        for found in releases.releases(_open(path)):
            print(f"{found.tag}\tcommit {found.sequence}\t{found.at}\t{found.by}\t{found.message or ''}")
        return
    if dump:
        store = _open(path)
        named = releases.release_named(store, tag)
        if named is None:
            raise InputError(f"no release {tag!r} (stackatlas release --list --store {path})")
        sys.stdout.buffer.write(releases.dump_at(store, named.sequence))
        return
    if not _AGENT.match(by):
        raise InputError(f"--by {by!r}: a name of letters, digits, '.', '_' and '-'")
    made, _ = releases.create_release(_open(path, writer=True), tag, by, message)
    print(f"release {made.tag} names the catalog after commit {made.sequence}", file=sys.stderr)
