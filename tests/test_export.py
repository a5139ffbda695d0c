"""Integration-map exports, each read back by a real consumer, against an independent SPARQL query.

The server runs on the shipped data plus ``tests/fixtures/export``: a vendor
whose name holds quotes, brackets, ``<``, ``&``, ``|``, unicode and 300+
characters, with one relation of each kind.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import jsonschema
import networkx as nx
import pytest
from playwright.sync_api import sync_playwright

from conftest import REPO, LiveServer, start_server, stop_server
from stackatlas.export.labels import shorten
from stackatlas.vocab import sparql_prologue, vendor_iri
from system_tools import CHROMIUM_ARGS, MERMAID_JS, chromium_path, require_file, run_dot

ODD = str(vendor_iri("odd-vendor"))
DAGSTER = str(vendor_iri("dagster"))
ODD_NAME_START = 'Odd "Vendor" [beta] <α&β> | ΩΩΩ long-name-'
ODD_NAME = 'Odd "Vendor" [beta] <α&β> | ΩΩΩ ' + "long-name-" * 27

DATA_ARGS = ("--data", str(REPO / "graph_data"), "--data", str(REPO / "tests" / "fixtures" / "export"))

KIND_PATTERNS = {
    "integration": "?s sa:integration ?rel . ?rel sa:integrationTarget ?t .",
    "alternative": "?s sa:alternative ?rel . ?rel sa:alternativeVendor ?t .",
    "mention": "?s sa:mention ?rel . ?rel sa:mentionedVendor ?t .",
}


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = start_server(*DATA_ARGS)
    yield live
    stop_server(live)


def sparql_edges(server: LiveServer, kinds: list[str], where: str = "") -> set[tuple[str, str, str, str]]:
    """The expected edges, computed by the SPARQL endpoint rather than by the export code."""
    union = " UNION ".join(f'{{ {KIND_PATTERNS[k]} BIND("{k}" AS ?kind) }}' for k in kinds)
    query = sparql_prologue() + f"SELECT ?rel ?s ?t ?kind WHERE {{ {union} {where} }}"
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return {
        (b["rel"]["value"], b["s"]["value"], b["t"]["value"], b["kind"]["value"])
        for b in response.json()["results"]["bindings"]
    }


def export(server: LiveServer, fmt: str, **params: object) -> httpx.Response:
    response = httpx.get(f"{server.url}/export/map", params={"format": fmt, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response


SELECTIONS = [
    pytest.param(
        {"vendor": "dagster", "depth": 1},
        ["integration", "alternative"],
        f"FILTER(?s = <{DAGSTER}> || ?t = <{DAGSTER}>)",
        id="dagster-depth1-default-kinds",
    ),
    pytest.param(
        {"kind": ["integration", "alternative", "mention"]},
        ["integration", "alternative", "mention"],
        "",
        id="whole-catalog-all-kinds",
    ),
    pytest.param(
        {"vendor": "dagster", "direction": "downstream", "kind": "integration"},
        ["integration"],
        f"FILTER(?s = <{DAGSTER}>) ?rel sa:direction sa:Downstream .",
        id="dagster-downstream-integrations",
    ),
    pytest.param(
        {"vendor": "dagster", "direction": "upstream", "kind": "integration"},
        ["integration"],
        f"FILTER(?s = <{DAGSTER}>) ?rel sa:direction sa:Upstream .",
        id="dagster-upstream-integrations",
    ),
    pytest.param(
        {"vendor": "odd-vendor", "kind": "integration,alternative,mention"},
        ["integration", "alternative", "mention"],
        f"FILTER(?s = <{ODD}>)",
        id="odd-vendor-all-kinds",
    ),
]


@pytest.mark.parametrize(("params", "kinds", "where"), SELECTIONS)
def test_json_export_follows_its_schema_and_has_the_graphs_edges(server, params, kinds, where):
    document = export(server, "json", **params).json()
    schema = httpx.get(f"{server.url}/export/map.schema.json").json()
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)

    expected = sparql_edges(server, kinds, where)
    assert expected, "the selection should not be empty"
    got = {(e["id"], e["source"], e["target"], e["kind"]) for e in document["edges"]}
    assert got == expected
    node_ids = {n["id"] for n in document["nodes"]}
    assert {end for _, s, t, _ in expected for end in (s, t)} <= node_ids
    for item in [*document["nodes"], *document["edges"]]:
        assert item["provenance"], f"{item['id']} has no provenance"


def test_json_export_carries_layers_direction_and_provenance(server):
    document = export(server, "json", vendor="dagster").json()
    nodes = {n["id"]: n for n in document["nodes"]}
    assert nodes[DAGSTER]["layer"] == "L7" and nodes[DAGSTER]["seed"] and nodes[DAGSTER]["catalogEntry"]
    assert nodes[str(vendor_iri("datahub"))]["layer"] == "L3"
    edges = {e["id"]: e for e in document["edges"]}
    datahub = edges[f"{DAGSTER}/integration-downstream-datahub"]
    assert (datahub["direction"], datahub["layer"], datahub["label"]) == ("downstream", "L3", "OpenLineage")
    assert datahub["provenance"] == ["https://w3id.org/stackatlas/id/source/dagster"]
    assert edges[f"{DAGSTER}/alternative-airflow"]["direction"] is None
    assert [layer["code"] for layer in document["layers"]] == ["L7", "L6", "L5", "L4", "L3", "L2", "L1"]


def test_depth_two_reaches_further_than_depth_one(server):
    one = export(server, "json", vendor="datahub", depth=1, kind="integration").json()
    two = export(server, "json", vendor="datahub", depth=2, kind="integration").json()
    assert {n["id"] for n in one["nodes"]} == {str(vendor_iri("datahub")), DAGSTER}
    assert len(two["nodes"]) > len(one["nodes"])
    from_dagster = sparql_edges(server, ["integration"], f"FILTER(?s = <{DAGSTER}>)")
    assert {e["id"] for e in two["edges"]} == {e[0] for e in from_dagster}


def test_a_vendor_iri_selects_like_its_slug(server):
    by_iri = export(server, "json", vendor=DAGSTER).json()
    by_slug = export(server, "json", vendor="dagster").json()
    assert by_iri["edges"] == by_slug["edges"] and by_iri["nodes"] == by_slug["nodes"]


def test_layer_filter_keeps_only_those_layers(server):
    document = export(server, "json", vendor="dagster", layer=["L7", "L3"]).json()
    assert {n["layer"] for n in document["nodes"]} == {"L7", "L3"}
    assert all(
        n["id"] in {e["source"] for e in document["edges"]} | {e["target"] for e in document["edges"]}
        for n in document["nodes"]
        if not n["seed"]
    )


def test_dot_is_laid_out_by_graphviz_with_layers_ranked_top_down(server):
    source = export(server, "dot", kind="integration,alternative,mention").text
    laid_out = json.loads(run_dot(source))
    objects = laid_out["objects"]
    anchors = {o["name"]: float(o["pos"].split(",")[1]) for o in objects if o["name"].startswith("layer_L")}
    ys = [anchors[f"layer_L{i}"] for i in range(7, 0, -1)]
    assert ys == sorted(ys, reverse=True), "L7 must be drawn above L6 … above L1"  # dot's y grows upwards
    expected = sparql_edges(server, ["integration", "alternative", "mention"])
    by_gvid = {o["_gvid"]: o for o in objects}
    got = set()
    for edge in laid_out["edges"]:
        if "iri" not in edge:
            continue  # the invisible chain that orders the layers
        tail, head = by_gvid[edge["tail"]]["iri"], by_gvid[edge["head"]]["iri"]
        if edge["kind"] != "integration":  # undirected: the drawing order says nothing
            got.add((edge["iri"], frozenset((tail, head)), edge["kind"]))
            continue
        flow = (head, tail) if edge.get("dir") == "back" else (tail, head)
        source_iri, target_iri = flow[::-1] if edge.get("direction") == "upstream" else flow
        got.add((edge["iri"], source_iri, target_iri, edge["kind"]))
    assert got == {
        (rel, s, t, kind) if kind == "integration" else (rel, frozenset((s, t)), kind)
        for rel, s, t, kind in expected
    }


def test_dot_escapes_awkward_names(server):
    source = export(server, "dot", vendor="odd-vendor", kind="integration,alternative,mention").text
    laid_out = json.loads(run_dot(source))
    nodes = {o["iri"]: o for o in laid_out["objects"] if "iri" in o}
    odd = nodes[ODD]
    assert odd["tooltip"] == ODD_NAME
    assert odd["label"] == shorten(odd["tooltip"])
    assert nodes[str(vendor_iri("odd-sink"))]["label"] == "Sink; with -> arrow & %% comment"
    svg = run_dot(source, "svg")
    assert "&lt;α&amp;β&gt;" in svg and "[beta]" in svg


def test_graphml_is_read_back_by_networkx_with_typed_attributes(server):
    data = export(server, "graphml", vendor="odd-vendor", kind="integration,alternative,mention").content
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    expected = sparql_edges(server, ["integration", "alternative", "mention"], f"FILTER(?s = <{ODD}>)")
    got = {(data_["id"], s, t, data_["kind"]) for s, t, data_ in graph.edges(data=True)}
    assert got == expected
    odd = graph.nodes[ODD]
    assert odd["label"] == ODD_NAME
    assert odd["catalog_entry"] is True and odd["seed"] is True and odd["layer"] == "L4"
    assert graph.nodes[str(vendor_iri("odd-rival"))]["label"] == "Rival (end) {x}"
    assert 'attr.type="boolean"' in data.decode()


def test_cytoscape_json_is_read_back_by_networkx(server):
    data = export(server, "cytoscape", vendor="dagster").json()
    graph = nx.cytoscape_graph(data)
    expected = sparql_edges(
        server,
        ["integration", "alternative"],
        f"FILTER(?s = <{DAGSTER}> || ?t = <{DAGSTER}>)",
    )
    assert {(d["id"], s, t, d["kind"]) for s, t, d in graph.edges(data=True)} == expected
    assert graph.nodes[DAGSTER]["name"] == "Dagster"
    assert graph.nodes[DAGSTER]["layer"] == "L7"


def test_csv_edge_list_round_trips_awkward_names(server):
    text = export(server, "csv", vendor="odd-vendor", kind="integration,alternative,mention").text
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = sparql_edges(server, ["integration", "alternative", "mention"], f"FILTER(?s = <{ODD}>)")
    assert {(r["id"], r["source"], r["target"], r["kind"]) for r in rows} == expected
    assert all(r["source_label"] == ODD_NAME for r in rows)
    mechanism = next(r for r in rows if r["target"].endswith("odd-sink"))
    assert mechanism["label"] == 'writes <rows> & "events"' and mechanism["direction"] == "downstream"


def _decode_mermaid(text: str) -> str:
    """Mermaid hands parsed labels back with its entity placeholders; undo them."""
    text = text.replace("ﬂ°°", "#").replace("¶ß", ";")
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", text))


@pytest.mark.browser
def test_mermaid_is_accepted_by_the_mermaid_parser(server):
    require_file(MERMAID_JS, "the npm package mermaid (tests/js)")
    cases = {
        "odd": export(server, "mermaid", vendor="odd-vendor", kind="integration,alternative,mention").text,
        "catalog": export(server, "mermaid", kind="integration,alternative,mention").text,
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        results = {
            name: page.evaluate(
                """async (text) => {
                    mermaid.initialize({startOnLoad: false});
                    try {
                        await mermaid.parse(text);
                        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
                        const db = diagram.db;
                        const { svg } = await mermaid.render("d" + Math.floor(Math.random() * 1e9), text);
                        return {
                            vertices: [...db.getVertices().values()].map(v => [v.id, v.text]),
                            edges: db.getEdges().map(e => [e.start, e.end, e.text]),
                            subgraphs: db.getSubGraphs().map(s => s.title),
                            svgLength: svg.length,
                        };
                    } catch (error) { return { error: String(error) }; }
                }""",
                text,
            )
            for name, text in cases.items()
        }
        browser.close()
    for name, result in results.items():
        assert "error" not in result, f"{name}: {result.get('error')}"
        assert result["svgLength"] > 1000
    odd = results["odd"]
    labels = {_decode_mermaid(text) for _, text in odd["vertices"]}
    assert labels == {
        shorten(ODD_NAME),
        "Sink; with -> arrow & %% comment",
        "Feeder `tick` #hash",
        "Rival (end) {x}",
        "Helper ~ tilde",
    }
    assert {_decode_mermaid(t) for _, _, t in odd["edges"]} == {
        'writes <rows> & "events"',
        "upstream",
        "alternative",
        "helper | pipe",
    }
    catalog_edges = sparql_edges(server, ["integration", "alternative", "mention"])
    assert len(results["catalog"]["edges"]) == len(catalog_edges)
    assert results["catalog"]["subgraphs"][0].startswith("L7")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "pdf"}, "format must be one of"),
        ({}, "format must be one of"),
        ({"format": "json", "vendor": "no-such-vendor"}, "unknown vendor 'no-such-vendor'"),
        ({"format": "json", "vendor": "dagster", "depth": "deep"}, "depth must be a whole number"),
        ({"format": "json", "vendor": "dagster", "depth": "99"}, "depth must be between 0 and 10"),
        ({"format": "json", "layer": "L9"}, "unknown layer 'L9'"),
        ({"format": "json", "kind": "friends"}, "unknown relation kind 'friends'"),
        ({"format": "json", "vendor": "dagster", "direction": "sideways"}, "unknown direction 'sideways'"),
        ({"format": "json", "direction": "upstream"}, "direction needs at least one vendor"),
        ({"format": "json", "vendors": "dagster"}, "unknown parameter 'vendors'"),
        ({"format": "json", "vendor": "x> } #"}, "is not a vendor slug"),
    ],
)
def test_bad_options_get_one_readable_400(server, params, message):
    response = httpx.get(f"{server.url}/export/map", params=params)
    assert response.status_code == 400
    error = response.json()["error"]  # a program gets JSON (tests/test_error_pages.py)
    assert message in error
    assert "Traceback" not in error and "\n" not in error


def test_map_page_reports_bad_options(server):
    response = httpx.get(f"{server.url}/map", params={"vendor": "nobody"})
    assert response.status_code == 400
    assert "unknown vendor &#39;nobody&#39;" in response.text or "unknown vendor 'nobody'" in response.text


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", "export", "map", *args, *DATA_ARGS],
        capture_output=True,
        timeout=120,
    )


def test_cli_writes_the_same_map_as_http(server, tmp_path):
    target = tmp_path / "odd.json"
    result = cli(
        "--vendor", "odd-vendor", "--kind", "integration", "--kind", "mention", "-f", "json", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr.decode()
    over_http = export(server, "json", vendor="odd-vendor", kind=["integration", "mention"]).json()
    assert json.loads(target.read_text(encoding="utf-8")) == over_http
    assert [p.name for p in tmp_path.iterdir()] == ["odd.json"], "no temporary file is left behind"
    assert target.stat().st_mode & 0o777 == 0o666 & ~current_umask(), "a plain file mode, not 0600"


def test_cli_bad_option_is_one_line_and_leaves_the_file_alone(tmp_path):
    target = tmp_path / "map.dot"
    target.write_text("previous export\n")
    result = cli("--vendor", "nobody", "-f", "dot", "-o", str(target))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("stackatlas: unknown vendor 'nobody'; vendors with a page: ")
    assert "dagster" in lines[0] and "odd-vendor" in lines[0]
    assert target.read_text() == "previous export\n"
    unknown_format = cli("-f", "svg")
    assert unknown_format.returncode == 2 and "unknown map format 'svg'" in unknown_format.stderr.decode()
