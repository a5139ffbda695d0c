"""The GraphQL contract on the shipped Dagster data, over HTTP against a live ``stackatlas serve``."""

from __future__ import annotations

import subprocess
import sys

import httpx
from graphql import build_schema as build_sdl_schema

from conftest import REPO
from graphql_client import errors_of, execute

SOURCE_TITLE = "Dagster — catalog analysis page"


def test_alternatives_to_dagster_with_rationale(live_server):
    data = execute(
        live_server.url,
        """{ alternatives(to: "dagster") { vendor { id name } rationale comparison listedBy { id }
             sources { iri title localCopy retrievedOn } } }""",
    )
    alternatives = data["alternatives"]
    assert [(a["vendor"]["id"], a["vendor"]["name"]) for a in alternatives] == [
        ("airflow", "Apache Airflow"),
        ("prefect", "Prefect"),
        ("argo-workflows", "Argo Workflows"),
        ("temporal", "Temporal"),
    ]
    assert alternatives[0]["rationale"] == (
        "Choose Airflow for legacy task-DAG workloads, broadest plugin ecosystem, and largest community."
    )
    assert alternatives[3]["rationale"] == (
        "Choose Temporal for stateful workflows with durable execution (transactions, sagas, "
        "long-running business processes)."
    )
    assert alternatives[1]["comparison"].startswith("Dagster wins on asset-first paradigm")
    assert {a["listedBy"]["id"] for a in alternatives} == {"dagster"}
    assert alternatives[0]["sources"] == [
        {
            "iri": "https://w3id.org/stackatlas/id/source/dagster",
            "title": SOURCE_TITLE,
            "localCopy": "sources/dagster.txt",
            "retrievedOn": "2026-11-24",
        }
    ]


def test_alternatives_with_certification_on_shipped_data(live_server):
    # The page gives no compliance facts about Dagster's alternatives: unknown, so none is kept.
    query = '{ alternatives(to: "%s", certification: "HIPAA_BAA") { vendor { id } } }'
    data = execute(live_server.url, query % "dagster")
    assert data["alternatives"] == []
    # The reverse direction: Dagster is an alternative to Airflow, and Dagster Cloud holds a BAA.
    data = execute(live_server.url, query % "airflow")
    assert data["alternatives"] == [{"vendor": {"id": "dagster"}}]


def test_high_severity_risks_with_mitigations(live_server):
    data = execute(
        live_server.url,
        '{ vendor(id: "dagster") { risks(minSeverity: HIGH) { severity description mitigation } } }',
    )
    risks = data["vendor"]["risks"]
    assert [r["severity"] for r in risks] == ["HIGH", "HIGH"]
    assert risks[0]["description"].startswith("Asset versioning + reproducibility expected")
    assert risks[0]["mitigation"].startswith("Define AssetSpec with partition + freshness")
    assert risks[1]["description"].startswith("OSS deployment treated as having Dagster Cloud's compliance")
    assert risks[1]["mitigation"].startswith("If the workload requires HIPAA / SOC 2 / FedRAMP")
    all_risks = execute(live_server.url, '{ vendor(id: "dagster") { risks { severity } } }')["vendor"]["risks"]
    assert [r["severity"] for r in all_risks] == ["HIGH", "HIGH", "MEDIUM", "MEDIUM", "MEDIUM"]
    medium = execute(live_server.url, '{ vendor(id: "dagster") { risks(minSeverity: MEDIUM) { severity } } }')
    assert len(medium["vendor"]["risks"]) == 5


def test_l3_downstream_integrations(live_server):
    data = execute(
        live_server.url,
        """{ vendor(id: "dagster") { integrations(direction: DOWNSTREAM, layer: "L3") {
             direction target { id name } layer { code name } mechanisms description subject { id } } } }""",
    )
    integrations = data["vendor"]["integrations"]
    assert [(i["target"]["name"], i["mechanisms"]) for i in integrations] == [
        ("DataHub", ["OpenLineage"]),
        ("Marquez", ["OpenLineage"]),
        ("OpenLineage", ["lineage export"]),
        ("OpenMetadata", ["OpenLineage"]),
    ]
    assert {i["direction"] for i in integrations} == {"DOWNSTREAM"}
    assert {i["layer"]["name"] for i in integrations} == {"Unified Semantic Layer"}
    assert integrations[0]["description"].startswith("Lineage exported via OpenLineage to L3 catalogs")
    upstream = execute(
        live_server.url,
        '{ vendor(id: "dagster") { integrations(direction: UPSTREAM) { target { id } layer { code } } } }',
    )
    assert upstream["vendor"]["integrations"] == [
        {"target": {"id": "kafka"}, "layer": None},
        {"target": {"id": "s3"}, "layer": None},
    ]


def test_certifications_of_dagster(live_server):
    data = execute(
        live_server.url,
        """{ vendor(id: "dagster") { certifications { certification offering status evidence }
             offerings { name kind license claims { certification status } } } }""",
    )
    claims = {(c["offering"], c["certification"]): c for c in data["vendor"]["certifications"]}
    assert {k: c["status"] for k, c in claims.items()} == {
        ("Dagster Cloud", "HIPAA_BAA"): "HELD",
        ("Dagster Cloud", "SOC2_TYPE2"): "HELD",
        ("Dagster Cloud", "FEDRAMP"): "NOT_ADVERTISED",
        ("Dagster Cloud", "PCI_DSS"): "NOT_ADVERTISED",
        ("Dagster (OSS)", "HIPAA_BAA"): "NOT_HELD",
        ("Dagster (OSS)", "SOC2_TYPE2"): "NOT_HELD",
        ("Dagster (OSS)", "FEDRAMP"): "NOT_HELD",
        ("Dagster (OSS)", "PCI_DSS"): "NOT_HELD",
    }
    assert claims[("Dagster Cloud", "FEDRAMP")]["evidence"] == (
        "FedRAMP not advertised — verify with sales for federal workloads."
    )
    offerings = {o["name"]: o for o in data["vendor"]["offerings"]}
    assert offerings["Dagster (OSS)"]["kind"] == "OPEN_SOURCE"
    assert offerings["Dagster (OSS)"]["license"] == "Apache-2.0"
    assert offerings["Dagster Cloud"]["kind"] == "MANAGED"
    assert {c["certification"] for c in offerings["Dagster Cloud"]["claims"] if c["status"] == "HELD"} == {
        "HIPAA_BAA",
        "SOC2_TYPE2",
    }


def test_layers_with_names_where_a_source_names_them(live_server):
    data = execute(live_server.url, "{ layers { code name } }")
    assert data["layers"] == [
        {"code": "L1", "name": "storage"},
        {"code": "L2", "name": None},
        {"code": "L3", "name": "Unified Semantic Layer"},
        {"code": "L4", "name": None},
        {"code": "L5", "name": None},
        {"code": "L6", "name": "observability"},
        {"code": "L7", "name": "Multi-Agent Orchestration"},
    ]
    l3 = execute(live_server.url, '{ layer(code: "L3") { vendors { id } } }')["layer"]["vendors"]
    assert {"datahub", "marquez", "openmetadata", "openlineage"} <= {v["id"] for v in l3}


def test_vendor_core_fields_and_assessments(live_server):
    data = execute(
        live_server.url,
        """{ vendor(id: "dagster") { id name layer { code } category license pricing openSource catalogEntry
             inpact { total max dimensions { code name score max } }
             goals { total max dimensions {
                 code score statedCriteriaMet adjustmentNote criteria { code met } } }
             strengths limitations bestSuitedFor useWithCautionFor
             useCases { title fit } stackImpact { layer { code } } sources { title } } }""",
    )
    dagster = data["vendor"]
    assert (dagster["name"], dagster["layer"]["code"], dagster["category"], dagster["license"]) == (
        "Dagster",
        "L7",
        "Workflow Orchestration",
        "Apache-2.0",
    )
    assert dagster["catalogEntry"] is True and dagster["openSource"] is True
    assert [d["score"] for d in dagster["inpact"]["dimensions"]] == [4, 5, 4, 5, 5, 4]
    assert (dagster["inpact"]["total"], dagster["inpact"]["max"]) == (27, 36)
    assert (dagster["goals"]["total"], dagster["goals"]["max"]) == (20, 25)
    lexicon = next(d for d in dagster["goals"]["dimensions"] if d["code"] == "L")
    assert lexicon["statedCriteriaMet"] == 2
    assert lexicon["adjustmentNote"].startswith("2/6 -> 4 lenient")
    assert [c["met"] for c in lexicon["criteria"]] == [True, False, False, False, True, False]
    assert (len(dagster["strengths"]), len(dagster["limitations"])) == (7, 7)
    assert (len(dagster["bestSuitedFor"]), len(dagster["useWithCautionFor"])) == (6, 5)
    assert dagster["strengths"][0].startswith("Software-defined assets")
    assert [u["fit"] for u in dagster["useCases"]] == ["STRONG", "STRONG", "WEAK"]
    assert [s["layer"]["code"] for s in dagster["stackImpact"]] == ["L1", "L3", "L4", "L6"]
    assert dagster["sources"] == [{"title": SOURCE_TITLE}]


def test_reverse_relations(live_server):
    data = execute(
        live_server.url,
        """{ datahub: vendor(id: "datahub") { roles integratedBy { subject { id } direction layer { code } } }
             airflow: vendor(id: "airflow") { aliases alternativeOf { listedBy { id } rationale }
                                             mentionedBy { mentionedBy { id } roles } } }""",
    )
    assert data["datahub"]["roles"] == ["L3 catalog"]
    assert data["datahub"]["integratedBy"] == [
        {"subject": {"id": "dagster"}, "direction": "DOWNSTREAM", "layer": {"code": "L3"}}
    ]
    assert data["airflow"]["aliases"] == ["Airflow"]
    assert data["airflow"]["alternativeOf"][0]["listedBy"] == {"id": "dagster"}
    assert data["airflow"]["alternativeOf"][0]["rationale"].startswith("Choose Airflow for legacy")
    assert data["airflow"]["mentionedBy"][0]["mentionedBy"] == {"id": "dagster"}
    assert "peer" in data["airflow"]["mentionedBy"][0]["roles"]


def test_integration_path(live_server):
    data = execute(
        live_server.url,
        """{ direct: integrationPath(from: "dagster", to: "marquez") {
                 length vendors { id } steps { subject { id } target { id } } }
             via: integrationPath(from: "marquez", to: "datahub") { length vendors { id } }
             none: integrationPath(from: "dagster", to: "docker") { length } }""",
    )
    assert data["direct"] == {
        "length": 1,
        "vendors": [{"id": "dagster"}, {"id": "marquez"}],
        "steps": [{"subject": {"id": "dagster"}, "target": {"id": "marquez"}}],
    }
    assert data["via"] == {"length": 2, "vendors": [{"id": "marquez"}, {"id": "dagster"}, {"id": "datahub"}]}
    assert data["none"] is None  # Docker is only mentioned, never integrated


def test_search_names_and_aliases_case_insensitively(live_server):
    def ids(term: str) -> list[str]:
        query = "query($q: String) { vendors(search: $q) { edges { node { id } } } }"
        data = execute(live_server.url, query, {"q": term})
        return [e["node"]["id"] for e in data["vendors"]["edges"]]

    assert ids("postgres") == ["postgresql"]
    assert ids("k8S") == ["kubernetes"]
    assert ids("AIRFLOW") == ["airflow"]
    assert ids('x" } ; DROP') == []


def test_vendors_paging_ordering_and_score_filter(live_server):
    query = (
        "query($after: String) { vendors(first: 10, after: $after) { "
        "totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }"
    )
    names, after = [], None
    while True:
        page = execute(live_server.url, query, {"after": after})["vendors"]
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(names) == page["totalCount"] == len(set(names))
    assert names == sorted(names, key=str.casefold)
    top = execute(
        live_server.url, "{ vendors(minInpact: 20, orderBy: INPACT) { totalCount edges { node { id } } } }"
    )
    assert top["vendors"]["totalCount"] == 1 and top["vendors"]["edges"][0]["node"]["id"] == "dagster"
    l3 = execute(live_server.url, '{ vendors(layer: "L3", certification: "HIPAA_BAA") { totalCount } }')
    assert l3["vendors"]["totalCount"] == 0
    held = execute(live_server.url, '{ vendors(certification: "SOC2_TYPE2") { edges { node { id } } } }')
    assert held["vendors"]["edges"] == [{"node": {"id": "dagster"}}]


def test_unknown_ids_and_codes_are_clear_errors(live_server):
    assert execute(live_server.url, '{ vendor(id: "nope") { id } }') == {"vendor": None}
    [message] = errors_of(live_server.url, '{ alternatives(to: "dagstr") { vendor { id } } }')
    assert "unknown vendor id 'dagstr'" in message and "dagster" in message
    [message] = errors_of(
        live_server.url, '{ alternatives(to: "dagster", certification: "HIPAA") { rationale } }'
    )
    assert "unknown certification 'HIPAA'" in message and "HIPAA_BAA" in message
    [message] = errors_of(live_server.url, '{ vendors(layer: "L9") { totalCount } }')
    assert "unknown layer 'L9'" in message and "L1" in message
    [message] = errors_of(live_server.url, '{ integrationPath(from: "dagster", to: "marquezz") { length } }')
    assert "marquez" in message


def test_protection_limits(live_server):
    [message] = errors_of(live_server.url, "{ vendors(first: 101) { totalCount } }")
    assert "between 0 and 100" in message
    deep = '{ vendor(id: "dagster") { ' + "alternatives { vendor { " * 6 + "id" + " } }" * 6 + " } }"
    assert any("exceeds maximum operation depth" in m for m in errors_of(live_server.url, deep))
    aliases = "{ " + " ".join(f"a{i}: layers {{ code }}" for i in range(31)) + " }"
    assert errors_of(live_server.url, aliases) == ["31 aliases found. Allowed: 30"]
    tokens = "{ " + " ".join("layers { code }" for _ in range(600)) + " }"
    assert any("more than 2000 tokens" in m for m in errors_of(live_server.url, tokens))
    [message] = errors_of(live_server.url, '{ vendors(after: "garbage") { totalCount } }')
    assert "invalid cursor" in message


def test_error_bodies_carry_no_traceback(live_server):
    query = '{ alternatives(to: "dagstr") { vendor { id } } }'
    response = httpx.post(f"{live_server.url}/graphql", json={"query": query}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None and "closest known ids: dagster" in body["errors"][0]["message"]
    assert "Traceback" not in response.text and "exception" not in response.text.lower()
    syntax = httpx.post(f"{live_server.url}/graphql", json={"query": "{ vendor(id: "}, timeout=30)
    assert "Syntax Error" in syntax.json()["errors"][0]["message"] and "Traceback" not in syntax.text


def test_graphiql_in_a_browser(live_server):
    page = httpx.get(f"{live_server.url}/graphql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    query = '{ layer(code: "L7") { name } }'
    via_get = httpx.get(f"{live_server.url}/graphql", params={"query": query}, timeout=30)
    assert via_get.json() == {"data": {"layer": {"name": "Multi-Agent Orchestration"}}}


def test_committed_schema_is_current():
    printed = subprocess.run(
        [sys.executable, "-m", "stackatlas", "schema"], capture_output=True, text=True, check=True
    ).stdout
    committed = (REPO / "schema.graphql").read_text()
    assert printed == committed, "schema.graphql is stale: run `stackatlas schema > schema.graphql`"
    schema = build_sdl_schema(committed)
    query = schema.query_type.fields
    assert str(query["vendor"].type) == "Vendor" and str(query["vendor"].args["id"].type) == "ID!"
    assert str(query["alternatives"].type) == "[Alternative!]!"
    assert set(query["alternatives"].args) == {"to", "certification", "layer"}
    assert {"layer", "certification", "search", "first", "after"} <= set(query["vendors"].args)
    assert str(query["vendors"].type) == "VendorConnection!"
    vendor = schema.type_map["Vendor"].fields
    assert str(vendor["risks"].type) == "[TrustRisk!]!"
    assert str(vendor["risks"].args["minSeverity"].type) == "Severity"
    assert set(schema.type_map["ClaimStatus"].values) >= {"HELD", "NOT_HELD", "NOT_ADVERTISED"}
