"""Which graphs reads see: every graph but the service's own system graphs.

The service keeps state of its own (commits, write bookkeeping) in graphs
under ``graph/system/``; the catalog's readers (GraphQL, linked data, exports,
``/sparql``) must never see them. The exclusion lives here, in the store
layer, so no query module or route has to remember it.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..vocab import SYSTEM_GRAPHS

_SYSTEM_PREFIX = str(SYSTEM_GRAPHS)


def is_system_graph(iri: str) -> bool:
    """A graph the service keeps for itself (``graph/system/…``): reads and user queries never see it."""
    return iri.startswith(_SYSTEM_PREFIX)


class PublicDataset:
    """The query options that hide the system graphs of one store handle.

    Without system graphs (every store built from files) the default graph is
    the union of all graphs, Oxigraph's fast path. With them, the default graph
    and the named graphs are the public graphs listed one by one; the list is
    computed once per handle and data generation, not per query.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._options: dict[str, object] = {}

    def options(self, store: ox.Store, generation: int) -> dict[str, object]:
        key = (id(store), generation)
        if key != self._key:
            graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
            public = [g for g in graphs if not is_system_graph(g.value)]
            if len(public) == len(graphs):
                self._options = {"use_default_graph_as_union": True}
            else:
                self._options = {"default_graph": [ox.DefaultGraph(), *public], "named_graphs": public}
            self._key = key
        return self._options
