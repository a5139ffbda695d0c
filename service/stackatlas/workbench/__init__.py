"""The architect's workbench: faceted list, typo-forgiving search, compare, stack builder.

Pure logic over read-model records (:mod:`stackatlas.readmodel`): the web
pages and GraphQL call these functions and arrange the answers. Catalog-wide
structures (profiles, the text index, the integration adjacency) are cached
on the store's reader and so follow the store generation. See
``docs/workbench.md``.
"""

from __future__ import annotations

from .. import readmodel as rm
from . import compare, facets, stacks
from .profiles import Catalog, Profile, catalog
from .search import TextIndex


def text_index(reader: rm.Reader) -> TextIndex:
    """The text search index of the catalog's vendors, built once per store generation."""
    return reader.cached("workbench-text-index", lambda: TextIndex(catalog(reader).profiles))


def facet_list(
    reader: rm.Reader, query: facets.FacetQuery, stale_after_days: int = facets.STALE_AFTER_DAYS
) -> facets.FacetResult:
    return facets.run(catalog(reader), text_index(reader), query, stale_after_days=stale_after_days)


def freshness_states(reader: rm.Reader, stale_after_days: int) -> dict[str, str]:
    """Each catalog vendor's freshness state ("fresh", "stale", "unknown"), from the cached profiles."""
    return {p.iri: p.freshness(stale_after_days=stale_after_days) for p in catalog(reader).profiles}


def build_stacks(reader: rm.Reader, requirements: stacks.Requirements) -> stacks.StackAnswer:
    cat = catalog(reader)
    return stacks.build(cat, requirements, reader.read, stacks.adjacency_of(reader, cat))


__all__ = [
    "Catalog",
    "Profile",
    "TextIndex",
    "build_stacks",
    "catalog",
    "compare",
    "facet_list",
    "facets",
    "freshness_states",
    "stacks",
    "text_index",
]
