"""GraphQL on the invented test catalog (tests/fixtures/graphql) and start-up behaviour.

The fixture's alternatives to Orchestra cover every HIPAA BAA case: HELD,
NOT_ADVERTISED, NOT_HELD and no claim at all (unknown), in both directions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES, REPO, start_server, stop_server
from graphql_client import errors_of, execute

FIXTURE_DATA = (
    "--data",
    str(REPO / "graph_data" / "vocab"),
    "--data",
    str(REPO / "graph_data" / "sources.ttl"),
    "--data",
    str(FIXTURES / "graphql"),
)


@pytest.fixture(scope="module")
def fixture_server():
    server = start_server(*FIXTURE_DATA)
    yield server
    stop_server(server)


def test_hipaa_alternatives_are_exactly_the_held_ones_both_ways(fixture_server):
    data = execute(
        fixture_server.url,
        """{ alternatives(to: "orchestra", certification: "HIPAA_BAA") {
             vendor { id certifications { certification offering status } } listedBy { id } rationale
             sources { iri title } } }""",
    )
    alternatives = data["alternatives"]
    assert [(a["vendor"]["id"], a["listedBy"]["id"]) for a in alternatives] == [
        ("medflow", "orchestra"),  # Orchestra's page lists MedFlow; MedFlow Cloud HELD, OSS NOT_HELD
        ("carepipe", "carepipe"),  # CarePipe's own page lists Orchestra; CarePipe Cloud HELD
    ]
    assert alternatives[0]["rationale"] == "Choose MedFlow for regulated health pipelines."
    assert alternatives[1]["rationale"] == "Choose Orchestra for general-purpose orchestration."
    assert alternatives[1]["sources"] == [
        {
            "iri": "https://w3id.org/stackatlas/id/source/fixture-carepipe",
            "title": "CarePipe — invented test page",
        }
    ]
    assert {(c["offering"], c["status"]) for c in alternatives[0]["vendor"]["certifications"]} == {
        ("MedFlow (OSS)", "NOT_HELD"),
        ("MedFlow Cloud", "HELD"),
    }


def test_all_alternatives_show_every_compliance_case(fixture_server):
    data = execute(
        fixture_server.url,
        '{ alternatives(to: "orchestra") { vendor { id certifications { certification status } } } }',
    )
    hipaa = {
        a["vendor"]["id"]: sorted(
            c["status"] for c in a["vendor"]["certifications"] if c["certification"] == "HIPAA_BAA"
        )
        for a in data["alternatives"]
    }
    assert hipaa == {
        "medflow": ["HELD", "NOT_HELD"],
        "plainflow": ["NOT_ADVERTISED"],
        "quietflow": [],
        "strictflow": ["NOT_HELD"],
        "budgetpipe": ["NOT_ADVERTISED"],
        "carepipe": ["HELD"],
    }
    assert [a["vendor"]["id"] for a in data["alternatives"]] == [
        "medflow",
        "plainflow",
        "quietflow",
        "strictflow",
        "budgetpipe",
        "carepipe",
    ]
    soc2 = execute(
        fixture_server.url, '{ alternatives(to: "orchestra", certification: "SOC2_TYPE2") { vendor { id } } }'
    )
    assert soc2["alternatives"] == [{"vendor": {"id": "strictflow"}}]
    l6 = execute(fixture_server.url, '{ alternatives(to: "orchestra", layer: "L6") { vendor { id } } }')
    assert l6["alternatives"] == [{"vendor": {"id": "plainflow"}}]


def test_reverse_direction_from_the_listing_vendor(fixture_server):
    data = execute(
        fixture_server.url, '{ alternatives(to: "carepipe", certification: "HIPAA_BAA") { vendor { id } } }'
    )
    assert data["alternatives"] == []  # Orchestra states no HIPAA claim: unknown is not held
    data = execute(fixture_server.url, '{ alternatives(to: "carepipe") { vendor { id } listedBy { id } } }')
    assert data["alternatives"] == [{"vendor": {"id": "orchestra"}, "listedBy": {"id": "carepipe"}}]


def test_certification_filter_on_vendor_list_and_alias_search(fixture_server):
    data = execute(
        fixture_server.url, '{ vendors(certification: "HIPAA_BAA") { totalCount edges { node { id } } } }'
    )
    assert [e["node"]["id"] for e in data["vendors"]["edges"]] == ["carepipe", "medflow"]
    data = execute(fixture_server.url, '{ vendors(search: "mf HEALTH") { edges { node { id aliases } } } }')
    assert data["vendors"]["edges"] == [{"node": {"id": "medflow", "aliases": ["MF Health"]}}]


def test_integration_path_through_a_target_stated_by_both(fixture_server):
    data = execute(
        fixture_server.url,
        """{ integrationPath(from: "orchestra", to: "lineagey") {
             length vendors { id } steps { subject { id } target { id } direction mechanisms } } }""",
    )
    assert data["integrationPath"] == {
        "length": 2,
        "vendors": [{"id": "orchestra"}, {"id": "catalogx"}, {"id": "lineagey"}],
        "steps": [
            {
                "subject": {"id": "orchestra"},
                "target": {"id": "catalogx"},
                "direction": "DOWNSTREAM",
                "mechanisms": ["lineage events"],
            },
            {
                "subject": {"id": "lineagey"},
                "target": {"id": "catalogx"},
                "direction": "DOWNSTREAM",
                "mechanisms": ["lineage API"],
            },
        ],
    }
    [message] = errors_of(fixture_server.url, '{ alternatives(to: "orchestr") { rationale } }')
    assert "closest known ids: orchestra" in message


def _invalid_catalog(tmp_path: Path) -> Path:
    """The fixture with one integration that lost its direction (a SHACL violation)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "graphql", data)
    lineagey = data / "vendors" / "lineagey.ttl"
    lineagey.write_text(lineagey.read_text().replace("    sa:direction sa:Downstream ;\n", ""))
    return data


def test_start_up_refuses_invalid_data(tmp_path):
    data = _invalid_catalog(tmp_path)
    args = (
        "--data",
        str(REPO / "graph_data" / "vocab"),
        "--data",
        str(REPO / "graph_data" / "sources.ttl"),
        "--data",
        str(data),
    )
    with pytest.raises(RuntimeError) as refused:
        start_server(*args)
    output = str(refused.value)
    assert "refusing to start" in output and "1 SHACL violation" in output
    assert "lineagey" in output and "sa:direction" in output  # the report names the node and the path
    assert "Traceback" not in output


def test_allow_invalid_starts_and_masks_internal_errors(tmp_path):
    data = _invalid_catalog(tmp_path)
    server = start_server(
        "--data",
        str(REPO / "graph_data" / "vocab"),
        "--data",
        str(REPO / "graph_data" / "sources.ttl"),
        "--data",
        str(data),
        env={"STACKATLAS_ALLOW_INVALID": "1"},
    )
    try:
        response = httpx.post(
            f"{server.url}/graphql",
            json={"query": '{ vendor(id: "lineagey") { name integrations { direction } } }'},
            timeout=30,
        )
        body = response.json()
        # The missing direction cannot be answered; the client gets a fixed message, no internals.
        assert body["errors"][0]["message"] == "Internal error; it has been logged on the server."
        assert body["errors"][0]["path"] == ["vendor", "integrations", 0, "direction"]
        assert "Traceback" not in response.text and "ValueError" not in response.text
    finally:
        stop_server(server)
    log = server.output()
    assert "starting anyway" in log
    assert "Traceback" in log and "ValueError" in log  # logged server-side


def test_serve_with_workers_and_limits_from_the_environment(server_factory):
    server = server_factory("--workers", "2", env={"STACKATLAS_GRAPHQL_MAX_PAGE_SIZE": "5"})
    data = execute(server.url, '{ vendor(id: "dagster") { name inpact { total } } }')
    assert data == {"vendor": {"name": "Dagster", "inpact": {"total": 27}}}
    assert len(execute(server.url, "{ vendors { edges { cursor } } }")["vendors"]["edges"]) == 5
    [message] = errors_of(server.url, "{ vendors(first: 6) { totalCount } }")
    assert message == "first must be between 0 and 5 (the configured maximum page size); got 6"


def test_requests_past_the_time_limit_get_an_error(server_factory):
    server = server_factory(env={"STACKATLAS_GRAPHQL_TIMEOUT": "0.000001"})
    response = httpx.post(f"{server.url}/graphql", json={"query": "{ vendors { totalCount } }"}, timeout=30)
    assert response.json() == {
        "data": None,
        "errors": [{"message": "the request ran past the 1e-06-second limit (graphql_timeout); ask for less"}],
    }
