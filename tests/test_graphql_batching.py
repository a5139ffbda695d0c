"""No N+1: store round-trips of a GraphQL request depend on the query's shape, not on its results.

Runs the schema in-process on a real pyoxigraph store loaded with a catalog
from ``bench/generate.py``; the store is the real one, its SELECTs counted.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from stackatlas.config import Settings
from stackatlas.graphql import Catalog, Context, build_schema
from stackatlas.loader import catalog_sources
from stackatlas.store import OxigraphStore, Row
from stackatlas.store.terms import Bindings

PAGE_QUERY = """
query($first: Int) {
  vendors(first: $first) {
    totalCount
    edges { node {
      id name layer { code name } license
      alternatives { rationale vendor { id name certifications { certification status } } }
      integrations { direction layer { code } target { id name } }
      risks(minSeverity: MEDIUM) { severity description mitigation }
      certifications { certification offering status }
      sources { title }
    } }
  }
}
"""


class CountingStore(OxigraphStore):
    """The real store, counting the SELECTs it answers."""

    selects = 0

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        self.selects += 1
        return super().select(query, bindings)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[CountingStore, Settings]:
    out = tmp_path_factory.mktemp("generated") / "catalog"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "150", "--seed", "7", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    settings = Settings(data=[Path(out)])
    store = CountingStore()
    store.load(catalog_sources(settings.data))
    return store, settings


def run(store: CountingStore, settings: Settings, first: int) -> tuple[int, dict]:
    schema = build_schema(settings)
    catalog = Catalog(store, settings)
    asyncio.run(schema.execute("{ layers { code } }", context_value=Context(catalog)))  # vocabularies, once
    before = store.selects
    result = asyncio.run(
        schema.execute(PAGE_QUERY, variable_values={"first": first}, context_value=Context(catalog))
    )
    assert result.errors is None, result.errors
    return store.selects - before, result.data


def test_round_trips_do_not_grow_with_the_page(generated):
    store, settings = generated
    small, small_data = run(store, settings, 10)
    large, large_data = run(store, settings, 100)
    edges = large_data["vendors"]["edges"]
    assert len(small_data["vendors"]["edges"]) == 10 and len(edges) == 100
    # The page really is nested: many alternatives, integrations and risks were resolved.
    assert sum(len(e["node"]["alternatives"]) for e in edges) >= 300
    assert sum(len(e["node"]["integrations"]) for e in edges) >= 500
    assert sum(len(e["node"]["risks"]) for e in edges) >= 100
    assert large == small
    print(f"store round-trips: {small} for 10 vendors, {large} for 100")
    # list, vendors, their relation nodes, the alternatives' vendors and claims, graphs, source pages …
    assert large <= 12
