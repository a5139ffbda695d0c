"""The workbench over HTTP and GraphQL, on a live server: the shipped data plus an invented catalog
(tests/fixtures/workbench/README.md) where HIPAA BAA is held, not held and unknown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from conftest import FIXTURES, REPO, LiveServer, start_server, stop_server
from graphql_client import errors_of, execute

WORKBENCH_DATA = ("--data", str(REPO / "graph_data"), "--data", str(FIXTURES / "workbench"))


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    # the fixtures' pages were copied on 2026-11-30: fresh for as long as these tests live
    started = start_server(*WORKBENCH_DATA, env={"STACKATLAS_STALE_AFTER_DAYS": "36500"})
    yield started
    stop_server(started)


def names_in_list(html: str) -> list[str]:
    """Vendor names of the result table, in order."""
    table = html.split('<table class="vendor-list', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td data-label="Vendor"><a href="[^"]+">([^<]+)</a>', table)


def get(server: LiveServer, path: str, **kw: object) -> httpx.Response:
    return httpx.get(server.url + path, timeout=60, **kw)  # type: ignore[arg-type]


def test_filter_by_certification_status(server):
    held = get(server, "/vendors?cert=HIPAA_BAA:HELD")
    assert held.status_code == 200
    assert names_in_list(held.text) == ["Carerun", "Dagster", "Vaultbase"]
    unknown = names_in_list(get(server, "/vendors?cert=HIPAA_BAA:UNKNOWN").text)
    assert unknown == ["Mysterydb"], "no claim is unknown; a claim of any status is not"
    review = names_in_list(get(server, "/vendors?cert=HIPAA_BAA:NEEDS_REVIEW").text)
    assert review == ["Guessflow"]
    not_held = names_in_list(get(server, "/vendors?cert=HIPAA_BAA:NOT_HELD").text)
    assert not_held == ["Dagster", "Plainstore"], "Dagster's OSS offering states NOT_HELD"


def test_facet_counts_follow_the_other_filters(server):
    data = execute(
        server.url,
        """{ facetedVendors(layers: ["L1"], certifications: [{certification: "HIPAA_BAA", statuses: [HELD]}]) {
              totalCount vendors { id } permalink facets { name values { value count selected } } } }""",
    )["facetedVendors"]
    assert data["totalCount"] == 1 and [v["id"] for v in data["vendors"]] == ["vaultbase"]
    facets = {f["name"]: {v["value"]: (v["count"], v["selected"]) for v in f["values"]} for f in data["facets"]}
    # The HIPAA facet counts L1 vendors (its own filter left out): one of each status.
    assert facets["cert:HIPAA_BAA"]["HELD"] == (1, True)
    assert facets["cert:HIPAA_BAA"]["NOT_HELD"] == (1, False)
    assert facets["cert:HIPAA_BAA"]["UNKNOWN"] == (1, False)
    # The layer facet counts HIPAA holders (its own filter left out): Vaultbase in L1; Dagster, Carerun in L7.
    assert facets["layer"]["L1"] == (1, True) and facets["layer"]["L7"] == (2, False)
    # Vaultbase's page copy is dated (sources.ttl) and well within stale_after_days
    assert facets["freshness"] == {"fresh": (1, False)}
    assert data["permalink"] == "/vendors?layer=L1&cert=HIPAA_BAA%3AHELD"
    assert names_in_list(get(server, data["permalink"]).text) == ["Vaultbase"]


@pytest.mark.parametrize(
    ("text", "first"),
    [("dagstr", "Dagster"), ("lineage", "Dagster"), ("hipaa", None), ("vaultbse", "Vaultbase")],
)
def test_search_forgives_typos_and_reads_texts(server, text, first):
    found = names_in_list(get(server, f"/vendors?q={text}").text)
    if first:
        assert found[0] == first
    else:
        assert set(found) >= {"Carerun", "Dagster", "Vaultbase", "Plainstore"}, found
    if text == "lineage":
        assert "Carerun" in found, "Carerun's summary says 'lineage tracking'"


def test_bad_facets_are_a_400_page_naming_the_parameter(server):
    for path, words in (
        ("/vendors?cert=HIPAA_BAA:MAYBE", "cert must be CODE:STATUS"),
        ("/vendors?cert=NOPE:HELD", "unknown certification 'NOPE'"),
        ("/vendors?sort=price", "sort must be one of"),
        ("/vendors?colour=red", "unknown parameter(s) colour"),
    ):
        response = get(server, path)
        assert response.status_code == 400, path
        assert words in html.unescape(response.text) and "Traceback" not in response.text


def test_compare_page_shows_claims_scores_findings_and_each_others_words(server):
    page = get(server, "/compare?id=dagster&id=carerun&id=vaultbase")
    assert page.status_code == 200
    text = page.text
    assert text.count('class="compare-col') == 3
    assert "HIPAA_BAA: held" in text and "unknown (no claim)" in text
    assert "GOALS: total is out of 25" in text, "Dagster's validation warning is shown to readers"
    assert "<svg" in text and "<title>Dagster, INPACT I:" in text
    assert re.search(r"Carerun</a> lists <a [^>]+>Vaultbase</a> as an integration", text)
    assert "<script" not in text.split("<main>", 1)[1], "the chart is server-rendered SVG"
    assert get(server, "/compare?id=dagster").status_code == 400
    assert "unknown vendor id(s): nobody" in html.unescape(get(server, "/compare?id=dagster&id=nobody").text)


def test_compare_over_graphql(server):
    data = execute(
        server.url,
        """{ compare(ids: ["dagster", "mysterydb"]) { certifications vendors { vendor { id }
             claims { offeringName certification status } findings { severity message } }
             saidAboutEachOther { kind } } }""",
    )["compare"]
    assert data["certifications"] == ["FEDRAMP", "HIPAA_BAA", "PCI_DSS", "SOC2_TYPE2"]
    mystery = data["vendors"][1]
    assert {c["status"] for c in mystery["claims"]} == {"UNKNOWN"}
    dagster = data["vendors"][0]
    assert {"offeringName": "Dagster Cloud", "certification": "HIPAA_BAA", "status": "HELD"} in dagster[
        "claims"
    ]
    assert any("GOALS: total is out of 25" in f["message"] for f in dagster["findings"])
    assert mystery["findings"] == []
    assert (
        "compare takes 2 to 4" in errors_of(server.url, '{ compare(ids: ["dagster"]) { certifications } }')[0]
    )


STACK_QUERY = """query($req: StackRequirements!) { stacks(requirements: $req) {
  combinations unfilledLayers prunedLayers { layer }
  stacks { members { layer vendor { id } outcomes { requirement outcome detail } }
           requirements { requirement outcome } unknowns
           integrations { subject { id } target { id } direction mechanisms sources { iri } }
           risks { vendor { id } severity mitigation } shareUrl exportUrls } } }"""


def test_stack_under_hipaa_never_counts_unknown_as_met(server):
    req = {"certifications": ["HIPAA_BAA"], "layers": ["L1", "L7"], "limit": 20}
    data = execute(server.url, STACK_QUERY, {"req": req})["stacks"]
    stacks = data["stacks"]
    members = [[m["vendor"]["id"] for m in s["members"]] for s in stacks]
    assert all("plainstore" not in m for m in members), "NOT_HELD fails the requirement"
    # L1: Vaultbase (met), Mysterydb (unknown); L7: Carerun, Dagster (met), Guessflow (unknown).
    assert len(stacks) == 6 and data["combinations"] == 6
    assert members[0] == ["vaultbase", "carerun"], "all met and integrated ranks first"
    assert members[1] == ["vaultbase", "dagster"]
    first = stacks[0]
    assert first["requirements"] == [{"requirement": "HIPAA_BAA", "outcome": "MET"}]
    assert first["integrations"] == [
        {
            "subject": {"id": "carerun"},
            "target": {"id": "vaultbase"},
            "direction": "DOWNSTREAM",
            "mechanisms": ["Vaultbase SDK"],
            "sources": [{"iri": "https://w3id.org/stackatlas/id/source/fixture-carerun"}],
        }
    ]
    assert first["risks"][0]["mitigation"] == "Invented: redact identifiers before logging."
    for stack in stacks:
        ids = {m["vendor"]["id"] for m in stack["members"]}
        overall = stack["requirements"][0]["outcome"]
        assert overall == ("UNKNOWN" if ids & {"mysterydb", "guessflow"} else "MET")
        for m in stack["members"]:
            if m["vendor"]["id"] in {"mysterydb", "guessflow"}:
                assert m["outcomes"][0]["outcome"] == "UNKNOWN"
    assert first["shareUrl"] == "/stacks?cert=HIPAA_BAA&layer=L1&layer=L7&limit=20"


def test_stack_page_share_link_and_exports_in_every_format(server):
    page = get(server, "/stacks?cert=HIPAA_BAA&layer=L1&layer=L7")
    assert page.status_code == 200
    text = page.text
    assert "Stack 1: Vaultbase + Carerun" in text
    assert "unknown — not confirmed" in text and "Plainstore" not in text
    assert 'href="/stacks?cert=HIPAA_BAA&amp;layer=L1&amp;layer=L7"' in text
    exports = re.findall(r'href="(/stacks/export\?vendor=vaultbase&amp;vendor=carerun[^"]*)"', text)
    formats = {"mermaid", "dot", "graphml", "cytoscape", "json", "csv"}
    assert {u.rsplit("format=", 1)[1] for u in exports} == formats
    for url in exports:
        body = get(server, url.replace("&amp;", "&"))
        assert body.status_code == 200, url
        assert "Vaultbase" in body.text and "Carerun" in body.text, url
        assert "Dagster" not in body.text, "only the stack's vendors"
    csv = get(server, "/stacks/export?vendor=vaultbase&vendor=carerun&format=csv").text
    assert len(csv.strip().splitlines()) == 2, "a header and the one integration between them"
    assert get(server, "/stacks?cert=NOPE").status_code == 400
    assert get(server, "/stacks/export?vendor=vaultbase&format=pdf").status_code == 400


def test_every_graphiql_example_answers_on_the_shipped_data(live_server):
    from stackatlas.graphql.examples import EXAMPLES

    for example in EXAMPLES:
        data = execute(live_server.url, example.query)
        assert data and all(value is not None for value in data.values()), example.name
    page = httpx.get(f"{live_server.url}/graphql", headers={"Accept": "text/html"}, timeout=30).text
    assert all(html.escape(e.name) in page for e in EXAMPLES)
