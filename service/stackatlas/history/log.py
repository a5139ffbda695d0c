"""The commit log, read back from the audit graph as :class:`CommitRecord` values.

Every governed write leaves one ``sa:Commit`` in ``graph/audit`` (see
:mod:`stackatlas.store.audit`): its number, who, when, why, through which
interface, the graphs and vendors it touched and the quads it added and
removed. This module is the one reader of that record; the history, the
change feed and the webhooks build on it.

The cursor is the commit's **sequence number**: commits are numbered 1, 2, …
without gaps in the order they were applied, so "everything after 41" is
stable, never skips a commit and never repeats one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from ..store import Store
from ..store.audit import touched_vendors, vendor_graphs
from ..store.changes import Change, Quad
from ..store.queries import history as queries
from ..store.terms import iri, literal

MAX_PAGE = 1000
"""The most commits one call reads (each carries its quads)."""


@dataclass(frozen=True)
class CommitRecord:
    """One commit as the audit graph records it.

    ``added``/``removed`` are the exact difference the commit made to each
    touched graph (blank nodes in canonical RDFC-1.0 labels, see
    :mod:`stackatlas.store.audit`); ``vendors`` are the vendor IRIs whose
    statements it changed, sorted.
    """

    sequence: int
    iri: str
    at: datetime
    by: str
    message: str
    interface: str
    graphs: tuple[str, ...]
    vendors: tuple[str, ...]
    added: frozenset[Quad]
    removed: frozenset[Quad]
    descriptions: tuple[Change, ...] | None = None
    """The changes in the catalog's words stored with the commit when it was made; None for a commit
    recorded before descriptions were stored (:func:`stackatlas.history.describe.describe` then
    works them out)."""


def parse_nquads(text: str) -> frozenset[Quad]:
    """The quads of a record's N-Quads text (blank node labels kept as written)."""
    if not text:
        return frozenset()
    return frozenset(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


_PROBES = 64
"""Commit numbers looked up per query while searching for the latest."""


def last_sequence(store: Store) -> int:
    """The number of the latest commit (0 before the first).

    Numbers are gap-free (1 … latest all exist), so the latest is found by
    probing: the powers of two first, then ever finer steps between the last
    number found and the first missing one — four queries of a few dozen index
    lookups at 10,000 commits, where ``MAX`` would read every commit.
    """
    found = _existing(store, [2**k for k in range(62)])
    if not found:
        return 0
    low = max(found)  # exists
    high = 2 * low  # does not (the next power of two)
    while high - low > 1:
        step = max(1, (high - low) // _PROBES)
        found = _existing(store, range(low + step, high, step))
        if found:
            low = max(found)
        high = min(low + step, high)
    return low


def _existing(store: Store, sequences: Iterable[int]) -> list[int]:
    rows = store.system_select(queries.existing_sequences(literal(n) for n in sequences))
    return [int(str(r["sequence"])) for r in rows]


def _records(store: Store, rows: list[dict[str, object]]) -> list[CommitRecord]:
    if not rows:
        return []
    graphs: dict[str, list[str]] = {}
    vendors: dict[str, set[str]] = {}
    counted: set[str] = set()
    words: dict[str, list[tuple[int, Change]]] = {}
    for row in store.system_select(queries.touched(iri(str(r["commit"])) for r in rows)):
        commit = str(row["commit"])
        if row["graph"] is not None:
            graphs.setdefault(commit, []).append(str(row["graph"]))
        if row["vendor"] is not None:
            vendors.setdefault(commit, set()).add(str(row["vendor"]))
        if row["count"] is not None:
            counted.add(commit)
        if row["order"] is not None:
            change = Change(str(row["kind"]), str(row["about"]), str(row["text"]))
            words.setdefault(commit, []).append((int(str(row["order"])), change))
    # stored words, in the order they were written; None for commits recorded before they were stored
    described = {c: tuple(w for _, w in sorted(words.get(c, []), key=lambda i: i[0])) for c in counted}
    records = []
    for r in rows:
        commit = str(r["commit"])
        added, removed = parse_nquads(str(r["added"])), parse_nquads(str(r["removed"]))
        touched = tuple(sorted(graphs.get(commit, [])))
        # commits recorded before sa:touchedVendor existed: derive the vendors the same way
        found = vendors.get(commit) or set(touched_vendors(added | removed, touched))
        records.append(
            CommitRecord(
                sequence=int(str(r["sequence"])),
                iri=commit,
                at=parse_time(str(r["time"])),
                by=str(r["agent"]),
                message=str(r["message"]),
                interface=str(r["interface"]),
                graphs=touched,
                vendors=tuple(sorted(found)),
                added=added,
                removed=removed,
                descriptions=described.get(commit),
            )
        )
    return records


def commits_numbered(store: Store, sequences: Iterable[int]) -> list[CommitRecord]:
    """The commits with these numbers, in sequence order (numbers that do not exist are skipped)."""
    wanted = sorted(set(sequences))
    if not wanted:
        return []
    rows = store.system_select(queries.commits_numbered(literal(n) for n in wanted))
    return _records(store, rows)  # type: ignore[arg-type]


def commits_after(store: Store, sequence: int, limit: int, *, vendor: str | None = None) -> list[CommitRecord]:
    """Up to ``limit`` commits numbered above ``sequence``, oldest first; only those that touched
    ``vendor`` (an IRI) when given.

    Without a vendor this is ``limit`` index lookups (numbers are gap-free);
    with one, the vendor's commits are listed first (a vendor has few).
    """
    limit = max(0, min(limit, MAX_PAGE))
    if limit == 0:
        return []
    if vendor is None:
        return commits_numbered(store, range(sequence + 1, sequence + 1 + limit))
    numbers = [n for n, _ in vendor_commit_numbers(store, vendor) if n > sequence]
    return commits_numbered(store, sorted(numbers)[:limit])


def vendor_commit_numbers(store: Store, vendor: str) -> list[tuple[int, datetime]]:
    """Number and time of every commit that touched ``vendor``, oldest first."""
    rows = store.system_select(queries.vendor_commits([iri(vendor)], [iri(g) for g in vendor_graphs(vendor)]))
    return sorted({(int(str(r["sequence"])), parse_time(str(r["time"]))) for r in rows})


def graph_commit_numbers(store: Store, graphs: Sequence[str]) -> list[tuple[int, datetime]]:
    """Number and time of every commit that touched any of ``graphs``, oldest first."""
    if not graphs:
        return []
    rows = store.system_select(queries.graph_commits(iri(g) for g in graphs))
    return sorted({(int(str(r["sequence"])), parse_time(str(r["time"]))) for r in rows})


def vendor_history(
    store: Store, vendor: str, limit: int, *, before: int | None = None
) -> tuple[list[CommitRecord], bool]:
    """The commits that touched ``vendor``, newest first: up to ``limit`` numbered below ``before``,
    and whether there are more (the history's pages; the cursor is the last sequence shown)."""
    limit = max(1, min(limit, MAX_PAGE))
    numbers = [n for n, _ in vendor_commit_numbers(store, vendor) if before is None or n < before]
    numbers.sort(reverse=True)
    page = numbers[:limit]
    found = commits_numbered(store, page)
    return sorted(found, key=lambda c: -c.sequence), len(numbers) > limit


__all__ = [
    "MAX_PAGE",
    "CommitRecord",
    "commits_after",
    "commits_numbered",
    "graph_commit_numbers",
    "last_sequence",
    "parse_nquads",
    "vendor_commit_numbers",
    "vendor_history",
]
