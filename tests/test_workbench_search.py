"""The workbench's text search and its caches, in-process on the real store (shipped data + the invented
workbench catalog)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, REPO
from stackatlas.loader import catalog_sources
from stackatlas.readmodel import reader_for
from stackatlas.store import open_store
from stackatlas.workbench import catalog, facet_list, facets, text_index
from stackatlas.workbench.search import MAX_QUERY, MAX_WORDS, distance, words


@pytest.fixture(scope="module")
def store():
    loaded = open_store()
    loaded.load(catalog_sources([REPO / "graph_data", FIXTURES / "workbench"]))
    return loaded


def slugs(store, text: str) -> list[str]:
    return [m.iri.rsplit("/", 1)[-1] for m in text_index(reader_for(store)).search(text)]


def test_edit_distance_counts_transpositions_and_gives_up_past_the_limit():
    assert distance("dagstr", "dagster", 1) == 1
    assert distance("hipaa", "hiapa", 1) == 1, "an adjacent transposition is one edit"
    assert distance("kitten", "sitting", 2) == 3, "past the limit: limit + 1"
    assert distance("abc", "abcdefgh", 1) == 2


def test_typos_prefixes_and_texts(store):
    assert slugs(store, "dagstr")[0] == "dagster"
    assert slugs(store, "DAGSTER")[0] == "dagster"
    assert slugs(store, "lineag")[:2] == ["dagster", "carerun"], "prefix; Dagster's texts say it most"
    assert set(slugs(store, "hipaa")) == {"carerun", "dagster", "guessflow", "plainstore", "vaultbase"}
    assert slugs(store, "vaultbse redact") == [], "every word must match the same vendor"
    assert slugs(store, "carerun redact") == [], "trust risks are not among the indexed texts"
    assert slugs(store, "carerun lineage") == ["carerun"]
    assert slugs(store, "zzzzqqq") == []


def test_bounded_query(store):
    long = " ".join(f"word{i}" for i in range(100)) + " dagster"
    assert len(words(long[:MAX_QUERY])) > MAX_WORDS
    assert slugs(store, long) == [], "only the first words count; 'dagster' at the end is past the bound"
    assert slugs(store, "a" * 10_000) == []


def test_caches_follow_the_store_generation(store, tmp_path):
    reader = reader_for(store)
    first = catalog(reader)
    assert catalog(reader) is first and text_index(reader) is text_index(reader)
    before = facet_list(reader, facets.parse([("q", "zebrafish")])).total
    assert before == 0
    extra = tmp_path / "workbench-extra.ttl"
    extra.write_text(
        "@prefix sa: <https://w3id.org/stackatlas/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/stackatlas/id/vendor/vaultbase> sa:analysis "Invented: zebrafish genomics." .\n'
        '<https://w3id.org/stackatlas/id/vendor/vaultbase> skos:altLabel "Vaultbase Genomics" .\n'
    )
    store.load(catalog_sources([REPO / "graph_data", FIXTURES / "workbench", extra]))
    assert catalog(reader) is not first, "a load bumps the generation and drops the cached profiles"
    after = facet_list(reader, facets.parse([("q", "zebrafish")]))
    assert [r.profile.slug for r in after.rows] == ["vaultbase"]
