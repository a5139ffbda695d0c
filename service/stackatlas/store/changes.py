"""What a governed write hands the store: the quads it adds and removes, and who did it why.

A :class:`ChangeSet` is computed and validated above the store (``stackatlas.writes``);
:meth:`stackatlas.store.Store.commit` only applies it, atomically, after checking
the graph versions the writer read. Terms are pyoxigraph's, so blank nodes keep
the identity they have in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

Quad = ox.Quad


@dataclass(frozen=True)
class ChangeSet:
    """Quads added and removed, each in its named graph.

    A quad both added and removed is a no-op and dropped by :meth:`of`.
    """

    added: frozenset[Quad] = frozenset()
    removed: frozenset[Quad] = frozenset()

    @classmethod
    def of(cls, added: Iterable[Quad] = (), removed: Iterable[Quad] = ()) -> ChangeSet:
        plus, minus = frozenset(added), frozenset(removed)
        return cls(plus - minus, minus - plus)

    @classmethod
    def between(cls, before: Iterable[Quad], after: Iterable[Quad]) -> ChangeSet:
        """The change that turns ``before`` into ``after`` (same graphs)."""
        old, new = frozenset(before), frozenset(after)
        return cls(new - old, old - new)

    @property
    def graphs(self) -> list[str]:
        """The named graphs this change touches, sorted."""
        return sorted({_graph_name(q) for q in self.added | self.removed})

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def in_graph(self, graph: str) -> ChangeSet:
        return ChangeSet(
            frozenset(q for q in self.added if _graph_name(q) == graph),
            frozenset(q for q in self.removed if _graph_name(q) == graph),
        )


@dataclass(frozen=True)
class Change:
    """One change in the catalog's words: its kind (``stackatlas.history.describe.KINDS``), the vendor
    it is about (IRI) and a sentence a reader of the catalog understands.

    Defined here, not in the history package, because the audit record stores
    a commit's changes (``sa:ChangeDescription``) in the commit's transaction.
    """

    kind: str
    vendor: str
    text: str


@dataclass(frozen=True)
class Activity:
    """Who made a change, when and why: the audit record's PROV-O activity.

    ``agent`` is the token's name (never the token); ``message`` is required
    from the writer; ``interface`` says which way in was used (``graphql``,
    ``sparql-update``, ``graph-store``, ``ingest``).
    """

    agent: str
    message: str
    interface: str
    started: datetime
    extra: dict[str, str] = field(default_factory=dict)
    descriptions: tuple[Change, ...] | None = None
    """The change in the catalog's words, worked out before the commit (``stackatlas.writes``) and
    stored with its audit record; None when the writer did not describe it (read time then does)."""


@dataclass(frozen=True)
class Committed:
    """What :meth:`Store.commit` did: the commit's IRI and each touched graph's new version."""

    commit: str | None
    versions: dict[str, str]
    added: int
    removed: int


def _graph_name(quad: Quad) -> str:
    graph = quad.graph_name
    return graph.value if isinstance(graph, ox.NamedNode) else ""
