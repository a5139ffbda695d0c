"""The store interface the rest of stackatlas is written against.

Methods are synchronous because both the CLI and the web app use them; the web
app must call them through :meth:`Store.run` (or ``anyio.to_thread``) so that a
store call never blocks the event loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import anyio.to_thread
import rdflib

from ..loader import SourceFile
from .terms import Bindings

Value = str | int | float | bool | Decimal | None
"""A bound value: IRIs and plain literals as str, numbers and booleans as Python values."""

Row = dict[str, Value]

T = TypeVar("T")


class Store(ABC):
    """A quad store holding one named graph per source file, queried as their union.

    ``generation`` counts the changes made to the data: every write (today only
    :meth:`load`) bumps it. Read caches (the read model's catalog-wide views,
    the search index) are keyed by it, so a write invalidates them without the
    writer knowing who caches what.
    """

    _generation: int = 0

    @property
    def generation(self) -> int:
        """A number that changes whenever the data changes; equal numbers mean equal data."""
        return self._generation

    def bump_generation(self) -> None:
        """Mark the data as changed; every write path of a backend calls this once it has succeeded."""
        self._generation += 1

    @abstractmethod
    def load(self, sources: Sequence[SourceFile]) -> None:
        """Load each source file into its named graph, all or nothing.

        Raises :class:`stackatlas.errors.InputError` naming the file and line of
        the first unreadable file; the store is left unchanged in that case.
        """

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run an internal SELECT over the union of all graphs; rows of Python values.

        ``bindings`` fixes variables to terms (see :mod:`stackatlas.store.terms`):
        parameters never become query text.
        """

    @abstractmethod
    def construct(
        self, query: str, media_type: str = "application/n-triples", bindings: Bindings | None = None
    ) -> bytes:
        """Run an internal CONSTRUCT or DESCRIBE over the union of all graphs, serialised.

        SELECT rows flatten terms to plain values; pages that hand triples on
        (linked-data resources) need the terms intact.
        """

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an internal ASK over the union of all graphs."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump(self, media_type: str, graph: str | None = None) -> bytes:
        """Serialise one graph (or the whole dataset when ``graph`` is None)."""

    @abstractmethod
    def dump_union(self, media_type: str) -> bytes:
        """Serialise the union of all graphs as one graph (what SPARQL sees as the default graph)."""

    @abstractmethod
    def snapshot(self, path: Path) -> Path:
        """Write the whole dataset to the file ``path`` as N-Quads, for the SPARQL workers.

        Queries must run in processes that can be killed on timeout (see
        :mod:`stackatlas.store.workers`); they load this file rather than have
        the data copied through a pipe.
        """

    @abstractmethod
    def shacl_data_graph(self) -> rdflib.Dataset:
        """The union of all graphs as an rdflib dataset that pyshacl validates in place.

        A view, not a copy: a catalog of a million triples must not be
        duplicated into rdflib's memory store to be validated, and SHACL-SPARQL
        constraints should run on the backend's own query engine.
        """

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run a store call in a worker thread so the event loop stays free."""
        return await anyio.to_thread.run_sync(fn, *args)
