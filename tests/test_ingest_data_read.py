"""What the ingest adds to the data, read through the read model, GraphQL and the vendor page:
on the shipped Dagster data and on the ingest's fixture pages (tests/fixtures/ingest/expected)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conftest import FIXTURES, REPO, LiveServer, start_server, stop_server
from graphql_client import execute
from stackatlas.loader import catalog_sources
from stackatlas.readmodel import reader_for
from stackatlas.store import open_store
from stackatlas.vocab import vendor_iri

DAGSTER = str(vendor_iri("dagster"))
ORBITFLOW = str(vendor_iri("orbitflow"))
INGEST = ("--data", str(REPO / "graph_data"), "--data", str(FIXTURES / "ingest" / "expected"))


@pytest.fixture(scope="module")
def reader():
    store = open_store()
    store.load(catalog_sources([REPO / "graph_data", FIXTURES / "ingest" / "expected"]))
    return reader_for(store)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    # The fixture pages name vendors the shipped catalog lacks (sa:namesVendor violations): served anyway.
    started = start_server(*INGEST, "--allow-invalid")
    yield started
    stop_server(started)


def test_dagster_record_carries_the_ingests_data(reader):
    v = reader.read([DAGSTER])[DAGSTER]
    assert v.core.compliance_text and v.core.compliance_text.startswith("Dagster (OSS) holds no compliance")
    assert [c.notation for c in v.core.states_none] == ["POC_CHECKLIST", "WATCH_FOR"]
    assert v.watch_for == () and v.poc_checklist == ()
    assert str(vendor_iri("airflow")) in v.core.names and str(vendor_iri("signoz")) in v.names
    assert DAGSTER not in v.names
    checksums = {s.checksum for s in v.sources if s.checksum}
    assert checksums == {"sha256:317aaca62669a3c08a4c3a8d4b0c708b1fd226d0c0373cc02e2e43cebf9ec445"}
    goals = next(a for a in reader.assessments([DAGSTER])[DAGSTER] if a.framework.notation == "GOALS")
    dims = {d.code: d for d in goals.dimensions}
    assert dims["L"].adjustment.notation == "LENIENT" and dims["L"].capped_at is None
    assert dims["S"].adjustment.notation == "CAPPED" and dims["S"].capped_at == 4
    inpact = next(a for a in reader.assessments([DAGSTER])[DAGSTER] if a.framework.notation == "INPACT")
    assert {d.code: d.cap_rule.notation if d.cap_rule else None for d in inpact.dimensions}[
        "I"
    ] == "CAP_RULE_NA"


def test_orbitflow_fixture_lists_and_new_statuses(reader):
    v = reader.read([ORBITFLOW])[ORBITFLOW]
    assert [i.text for i in v.watch_for] == ["Column lineage is beta", "Cloud regions limited to two"]
    assert v.poc_checklist[0].text == "Run ten production DAGs through Orbitflow"
    statuses = {(c.certification.notation, c.offering_name): c.status.notation for c in v.claims}
    assert statuses[("PCI_DSS", "Orbitflow Cloud")] == "NOT_OFFERED"
    assert statuses[("FEDRAMP", "Orbitflow Cloud")] == "NEEDS_REVIEW"


def test_graphql_reads_new_statuses_and_fields(server):
    data = execute(
        server.url,
        """{ orbitflow: vendor(id: "orbitflow") { watchFor pocChecklist emptySections
               certifications { certification offering status }
               goals { dimensions { code adjustment cappedAt } } }
             dagster: vendor(id: "dagster") { emptySections complianceText namesVendors { id }
               inpact { dimensions { code capRule } } sources { checksum } } }""",
    )
    orbit = data["orbitflow"]
    assert orbit["watchFor"] == ["Column lineage is beta", "Cloud regions limited to two"]
    assert orbit["emptySections"] == []
    statuses = {(c["certification"], c["offering"]): c["status"] for c in orbit["certifications"]}
    assert statuses[("PCI_DSS", "Orbitflow Cloud")] == "NOT_OFFERED"
    assert statuses[("FEDRAMP", "Orbitflow Cloud")] == "NEEDS_REVIEW"
    assert {"code": "S", "adjustment": "CAPPED", "cappedAt": 3} in orbit["goals"]["dimensions"]
    dagster = data["dagster"]
    assert dagster["emptySections"] == ["POC_CHECKLIST", "WATCH_FOR"]
    assert dagster["complianceText"].startswith("Dagster (OSS) holds no compliance certifications.")
    assert {"id": "airflow"} in dagster["namesVendors"]
    assert {"code": "I", "capRule": "CAP_RULE_NA"} in dagster["inpact"]["dimensions"]
    assert "sha256:317aaca62669a3c08a4c3a8d4b0c708b1fd226d0c0373cc02e2e43cebf9ec445" in [
        s["checksum"] for s in dagster["sources"]
    ]
    statuses_data = execute(
        server.url,
        '{ facetedVendors(certifications: [{certification: "PCI_DSS", statuses: [NOT_OFFERED]}]) '
        "{ vendors { id } } }",
    )
    assert statuses_data["facetedVendors"]["vendors"] == [{"id": "orbitflow"}]


def test_vendor_page_shows_them(server):
    orbit = httpx.get(f"{server.url}/id/vendor/orbitflow", headers={"Accept": "text/html"}, timeout=30).text
    assert "Column lineage is beta" in orbit and "Run ten production DAGs through Orbitflow" in orbit
    assert "not offered" in orbit and "needs review" in orbit
    assert "capped at 3" in orbit
    dagster = httpx.get(f"{server.url}/id/vendor/dagster", headers={"Accept": "text/html"}, timeout=30).text
    assert "The page lists nothing to watch for." in dagster
    assert "The page lists no POC checklist items." in dagster
    assert "Dagster (OSS) holds no compliance certifications. Dagster Cloud" in dagster
    assert "sha256:317aaca62669a3c08a4c3a8d4b0c708b1fd226d0c0373cc02e2e43cebf9ec445" in dagster
    assert 'href="/id/vendor/airflow"' in dagster.split('id="names"', 1)[1]
