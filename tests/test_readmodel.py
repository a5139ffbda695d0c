"""The read model: orders, both-way relations, fallbacks, bounded store calls, generation-keyed caches.

Runs on the real pyoxigraph store, loaded with the shipped data or with a
catalog from ``bench/generate.py``; the store's SELECTs are counted, not mocked.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat

from conftest import REPO, start_server, stop_server
from stackatlas.config import Settings
from stackatlas.export.selection import MapQuery, select_map
from stackatlas.graphql import Catalog, Context, build_schema
from stackatlas.loader import SourceFile, catalog_sources
from stackatlas.readmodel import Reader, assessment_under, reader_for
from stackatlas.store import OxigraphStore, Row, open_catalog
from stackatlas.store.terms import Bindings
from stackatlas.vocab import ID, vendor_iri
from stackatlas.web import catalog

DAGSTER = str(vendor_iri("dagster"))
AIRFLOW = str(vendor_iri("airflow"))


class CountingStore(OxigraphStore):
    """The real store, counting the SELECTs it answers."""

    selects = 0

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        self.selects += 1
        return super().select(query, bindings)


@pytest.fixture(scope="module")
def shipped() -> Reader:
    return Reader(open_catalog())


def test_lists_are_in_page_order(shipped: Reader) -> None:
    dagster = shipped.read([DAGSTER])[DAGSTER]
    # dagster.ttl numbers its alternatives 1 … 4 with sa:position, in this order.
    assert [dagster.name_of(a.vendor) for a in dagster.relations.alternatives] == [
        "Apache Airflow",
        "Prefect",
        "Argo Workflows",
        "Temporal",
    ]
    assert [r.position for r in dagster.risks] == sorted(r.position or 0 for r in dagster.risks)
    assessments = shipped.assessments([DAGSTER])[DAGSTER]
    assert [a.framework.notation for a in assessments if a.framework] == ["INPACT", "GOALS"]
    goals = assessment_under(assessments, "GOALS")
    assert goals is not None
    codes = [c.code for c in goals.dimensions[0].criteria]
    assert codes == sorted(codes) and codes[0] == "G1"


def test_alternatives_both_ways_are_the_same_record(shipped: Reader) -> None:
    found = shipped.read([DAGSTER, AIRFLOW])
    forward = {a.iri: a for a in found[DAGSTER].relations.alternatives}
    [reverse] = [a for a in found[AIRFLOW].relations.alternative_of if a.listed_by == DAGSTER]
    assert reverse == forward[reverse.iri]
    assert reverse.vendor == AIRFLOW and reverse.choose_for and reverse.choose_for.startswith("Choose Airflow")
    # Integrations and mentions both ways too.
    [mention] = [m for m in found[AIRFLOW].relations.mentioned_by if m.subject == DAGSTER]
    assert "peer" in mention.roles
    assert found[AIRFLOW].related[DAGSTER].name == "Dagster"


def test_name_falls_back_to_the_slug_and_layer_to_what_integrations_say(shipped: Reader) -> None:
    nowhere = str(vendor_iri("no-such-vendor"))
    core = shipped.cores([nowhere])[nowhere]
    assert (core.name, core.named, core.is_vendor, core.layer) == ("no-such-vendor", False, False, None)

    dagster = shipped.read([DAGSTER])[DAGSTER]
    # An integration's layer is the one it states, never the target's own: the
    # page's upstream S3 integration states none, although S3 is placed in L1.
    [upstream_s3] = [i for i in dagster.relations.integrations if i.iri.endswith("integration-upstream-s3")]
    assert upstream_s3.layer is None
    own = dagster.related[upstream_s3.target].layer
    assert own is not None and own.notation == "L1"


def test_a_vendor_without_a_layer_is_placed_by_the_integrations_naming_it(tmp_path: Path) -> None:
    store = OxigraphStore()
    store.load([*catalog_sources(None), _placed_by_others(tmp_path)])
    reader = Reader(store)
    quokka = str(vendor_iri("quokka-db"))
    assert reader.refs([quokka])[quokka].layer is None  # its own layer: not stated
    assert reader.layer_fallbacks([quokka])[quokka].notation == "L2"  # the lowest of L3 and L2
    entry = reader.index().by_iri[quokka]
    assert (entry.layer.notation if entry.layer else None, entry.layer_is_own) == ("L2", False)
    [node] = [n for n in select_map(store, MapQuery(vendors=("wombat",))).nodes if n.id == quokka]
    assert node.layer == "L2"
    wombat = reader.read([str(vendor_iri("wombat"))])[str(vendor_iri("wombat"))]
    # The integrations keep the layer each states.
    assert sorted(i.layer.notation for i in wombat.relations.integrations if i.layer) == ["L2", "L3"]


def _placed_by_others(tmp_path: Path) -> SourceFile:
    path = tmp_path / "wombat.ttl"
    w = f"{ID}vendor/wombat"
    path.write_text(
        "@prefix sa: <https://w3id.org/stackatlas/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<{vendor_iri("quokka-db")}> a sa:Vendor ; skos:prefLabel "Quokka DB" .\n'
        f'<{w}> a sa:CatalogEntry ; skos:prefLabel "Wombat" ; sa:layer <{ID}layer/L7> ;\n'
        f"  sa:integration <{w}/integration-1>, <{w}/integration-2> .\n"
        f"<{w}/integration-1> sa:integrationTarget <{vendor_iri('quokka-db')}> ; sa:layer <{ID}layer/L3> .\n"
        f"<{w}/integration-2> sa:integrationTarget <{vendor_iri('quokka-db')}> ; sa:layer <{ID}layer/L2> .\n"
    )
    return SourceFile(path, "https://w3id.org/stackatlas/graph/test/wombat", RdfFormat.TURTLE)


def _generated(tmp_path_factory: pytest.TempPathFactory, n: int) -> Path:
    out = tmp_path_factory.mktemp(f"generated{n}") / "catalog"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), str(n), "--seed", "7", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> CountingStore:
    store = CountingStore()
    store.load(catalog_sources([_generated(tmp_path_factory, 150)]))
    return store


def test_store_calls_do_not_grow_with_the_vendors(generated: CountingStore) -> None:
    reader = Reader(generated)
    vendors = [e.iri for e in reader.index().entries if e.catalog_entry]
    assert len(vendors) >= 100
    counts = {}
    for method in (reader.read, reader.relations, reader.cores, reader.refs, reader.assessments):
        for n in (10, 100):
            before = generated.selects
            found = method(vendors[:n])
            counts[(method.__name__, n)] = generated.selects - before
            assert len(found) == n
    assert counts[("read", 10)] == counts[("read", 100)] == 5
    assert counts[("relations", 10)] == counts[("relations", 100)] == 2
    assert counts[("cores", 10)] == counts[("cores", 100)] == 1
    assert counts[("refs", 10)] == counts[("refs", 100)] == 1
    assert counts[("assessments", 10)] == counts[("assessments", 100)] == 1
    records = reader.read(vendors[:100])
    assert sum(len(r.relations.alternatives) for r in records.values()) >= 300
    assert sum(len(r.claims) for r in records.values()) >= 100


def _extra_vendor(tmp_path: Path) -> SourceFile:
    path = tmp_path / "quokka.ttl"
    path.write_text(
        "@prefix sa: <https://w3id.org/stackatlas/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<{vendor_iri("quokka-db")}> a sa:CatalogEntry ; skos:prefLabel "Quokka DB" ;\n'
        f"  sa:layer <{ID['layer/L1']}> .\n"
    )
    return SourceFile(path, "https://w3id.org/stackatlas/graph/test/quokka", RdfFormat.TURTLE)


def test_a_write_invalidates_the_cached_views(tmp_path: Path) -> None:
    store = CountingStore()
    store.load(catalog_sources(None))
    reader = reader_for(store)
    assert reader_for(store) is reader
    assert catalog.search(store, "quokka") == []
    whole = select_map(store, MapQuery())
    before = store.selects
    assert catalog.search(store, "quokka") == [] and select_map(store, MapQuery()) is whole
    assert store.selects == before, "cached views cost no store call until the data changes"

    generation = store.generation
    store.load([_extra_vendor(tmp_path)])
    assert store.generation == generation + 1
    [hit] = catalog.search(store, "quokka")
    assert (hit.label, hit.catalog_entry) == ("Quokka DB", True)
    assert str(vendor_iri("quokka-db")) in {n.id for n in select_map(store, MapQuery()).nodes}
    assert any(e.name == "Quokka DB" and e.layer and e.layer.notation == "L1" for e in reader.index().entries)


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory):
    data = _generated(tmp_path_factory, 230)
    server = start_server("--data", str(data), timeout=240)
    yield server
    stop_server(server)


def test_map_of_a_large_catalog_defaults_to_a_neighbourhood(large_server) -> None:
    page = httpx.get(f"{large_server.url}/map", timeout=60)
    assert page.status_code == 200
    note = re.search(r'<p class="note" role="note">(.*?)</p>', page.text, re.S)
    assert note, "a large catalog's map says it shows a neighbourhood"
    assert re.search(r"The catalog has 2\d\d vendors", note.group(1))
    assert "/export/map?" in note.group(1) and "format=json" in note.group(1)
    seed = re.search(r'neighbourhood of <a href="/id/vendor/([^"]+)">', note.group(1))
    assert seed
    shown = int(re.search(r"<figcaption>(\d+) vendors", page.text).group(1))
    assert 1 < shown < 200
    # The neighbourhood is the one /map?vendor=<seed> draws; naming a vendor draws it without the note.
    asked = httpx.get(f"{large_server.url}/map", params={"vendor": seed.group(1)}, timeout=60)
    assert 'role="note"' not in asked.text
    assert re.search(r"<figcaption>(\d+) vendors", asked.text).group(1) == str(shown)
    # The full export is still the whole catalog.
    full = httpx.get(f"{large_server.url}/export/map", params={"format": "json"}, timeout=120).json()
    assert len(full["nodes"]) > 200


@pytest.mark.parametrize(
    "hostile", ['") } SELECT * WHERE { ?s ?p ?o } #', "<urn:x>", "\\", "a\nb", "Dä'g\"ster ✓"]
)
def test_client_text_reaches_the_queries_as_data(shipped: Reader, hostile: str) -> None:
    """A search string is a bound literal in GraphQL's list query and never query text in the index."""
    settings = Settings()
    query = "query($q: String) { vendors(search: $q) { totalCount edges { node { id } } } }"
    result = asyncio.run(
        build_schema(settings).execute(
            query, variable_values={"q": hostile}, context_value=Context(Catalog(shipped.store, settings))
        )
    )
    assert result.errors is None and result.data == {"vendors": {"totalCount": 0, "edges": []}}
    assert catalog.search(shipped.store, hostile) == []
    # … while the same query finds what it should.
    found = asyncio.run(
        build_schema(settings).execute(
            query, variable_values={"q": "DAGS"}, context_value=Context(Catalog(shipped.store, settings))
        )
    )
    assert found.data == {"vendors": {"totalCount": 1, "edges": [{"node": {"id": "dagster"}}]}}
