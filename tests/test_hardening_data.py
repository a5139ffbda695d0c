"""Data must never run code in a browser or break an export (issue 10).

A catalog file adds to the shipped data an alternative and an integration
whose target IRI is ``javascript:…``, a name with a control character, a
100,000-character name and a spreadsheet formula as a name. The shapes flag
it; a server started with ``--allow-invalid`` still renders only safe links,
valid XML, a DOT file Graphviz reads and CSV cells a spreadsheet keeps as text;
and in Chromium no dialog opens and the Content-Security-Policy blocks an
injected script.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from stackatlas.resources import data_dir
from stackatlas.validation import load_shapes, validate, validation_sources
from system_tools import CHROMIUM_ARGS, chromium_path, run_dot

EVIL = "javascript:alert(document.domain)//x"
LONG_NAME = "Long" * 25_000
FORMULA = '=HYPERLINK("http://evil.example/","click me")'
ID = "https://w3id.org/stackatlas/id/vendor/dagster/"

EVIL_TTL = f"""
@prefix sa:     <https://w3id.org/stackatlas/ontology#> .
@prefix vendor: <https://w3id.org/stackatlas/id/vendor/> .
@prefix layer:  <https://w3id.org/stackatlas/id/layer/> .
@prefix source: <https://w3id.org/stackatlas/id/source/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .

<> a sa:SourceGraph ; prov:wasDerivedFrom source:dagster .

vendor:dagster sa:alternative <{ID}alternative-evil> ;
    sa:integration <{ID}integration-evil>, <{ID}integration-bell>,
        <{ID}integration-long>, <{ID}integration-formula> .

<{ID}alternative-evil> a sa:Alternative ;
    sa:alternativeVendor <{EVIL}> ; sa:position 99 ; sa:chooseFor "Choose Evil for nothing." .
<{EVIL}> a sa:Vendor ; skos:prefLabel "Evil Corp" ; sa:layer layer:L1 .

<{ID}integration-evil> a sa:Integration ;
    sa:integrationTarget <{EVIL}> ; sa:direction sa:Downstream ; sa:layer layer:L1 ; sa:mechanism "evil" .
<{ID}integration-bell> a sa:Integration ;
    sa:integrationTarget vendor:bellco ; sa:direction sa:Downstream ; sa:layer layer:L1 ; sa:mechanism "bell" .
vendor:bellco a sa:Vendor ; skos:prefLabel "Bell\\u0007Co" ; sa:layer layer:L1 .
<{ID}integration-long> a sa:Integration ;
    sa:integrationTarget vendor:longco ; sa:direction sa:Downstream ; sa:layer layer:L1 ; sa:mechanism "long" .
vendor:longco a sa:Vendor ; skos:prefLabel "{LONG_NAME}" ; sa:layer layer:L1 .
<{ID}integration-formula> a sa:Integration ;
    sa:integrationTarget vendor:formulaco ; sa:direction sa:Downstream ; sa:layer layer:L1 ;
    sa:mechanism "formula" .
vendor:formulaco a sa:Vendor ; skos:prefLabel '{FORMULA}' ; sa:layer layer:L1 .
"""


@pytest.fixture(scope="module")
def evil_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("evil") / "evil.ttl"
    path.write_text(EVIL_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def evil_server(evil_file):
    from conftest import start_server, stop_server

    server = start_server("--data", str(data_dir()), "--data", str(evil_file), "--allow-invalid")
    yield server
    stop_server(server)


def test_shapes_refuse_unsafe_iris_and_control_characters(evil_file):
    report = validate(validation_sources([data_dir(), evil_file]), load_shapes())
    unsafe = [f for f in report.violations if "SafeLinkShape" in f.source_shape]
    assert unsafe and any(EVIL in f.message for f in unsafe), [f.message for f in report.violations]
    control = [f for f in report.violations if "NameCharactersShape" in f.source_shape]
    assert control and any("Bell" in f.message for f in control)


def _hrefs(text: str) -> list[str]:
    return re.findall(r'(?:href|URL)="([^"]*)"', text)


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=Evil", "/id/vendor/dagster", "/map?vendor=dagster", "/map.svg?vendor=dagster", "/map"],
)
def test_pages_never_link_to_unsafe_schemes(evil_server, path):
    response = httpx.get(f"{evil_server.url}{path}", timeout=60)
    assert response.status_code == 200
    links = _hrefs(response.text)
    assert links, "the page has links"
    assert not [h for h in links if h.lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))]
    assert "Evil Corp" in response.text or path in ("/search?q=Evil",) or "map" in path
    if "text/html" in response.headers["content-type"]:
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]


def test_svg_map_and_graphml_are_valid_xml(evil_server):
    svg = httpx.get(f"{evil_server.url}/map.svg", params={"vendor": "dagster"}, timeout=60)
    root = ET.fromstring(svg.content)  # raises on a control character
    assert "Bell" in svg.text
    assert not [
        a for a in root.iter() for k, v in a.attrib.items() if k.endswith("href") and v.startswith("javascript")
    ]
    graphml = httpx.get(
        f"{evil_server.url}/export/map", params={"format": "graphml", "vendor": "dagster"}, timeout=60
    )
    assert graphml.status_code == 200
    ET.fromstring(graphml.content)
    assert b"Bell" in graphml.content


def test_dot_export_has_safe_urls_and_graphviz_reads_it(evil_server):
    dot = httpx.get(f"{evil_server.url}/export/map", params={"format": "dot", "vendor": "dagster"}, timeout=60)
    assert dot.status_code == 200
    assert EVIL not in [u for u in re.findall(r'URL="([^"]*)"', dot.text)]
    assert "javascript:" not in " ".join(re.findall(r'URL="([^"]*)"', dot.text))
    assert max(len(line) for line in dot.text.splitlines()) < 10_000  # the 100,000-character name is bounded
    svg = run_dot(dot.text, "svg")
    assert "Long" in svg


def test_csv_export_neutralises_formulas(evil_server):
    response = httpx.get(
        f"{evil_server.url}/export/map", params={"format": "csv", "vendor": "dagster"}, timeout=60
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    cells = [cell for row in rows for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert f"'{FORMULA}" in cells


def test_in_chromium_no_dialog_opens_and_the_csp_blocks_injected_script(evil_server):
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            violations: list[str] = []
            page.on(
                "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
            )
            page.goto(f"{evil_server.url}/id/vendor/dagster")
            for link in page.get_by_role("link", name="Evil Corp").all():
                link.click()
                page.wait_for_timeout(200)
                page.goto(f"{evil_server.url}/id/vendor/dagster")
            # Defence in depth: even a javascript: link or an inline script that got into the page is blocked.
            page.evaluate(
                """() => {
                    const a = document.createElement('a');
                    a.id = 'injected'; a.href = 'javascript:alert(1)'; a.textContent = 'injected';
                    document.body.appendChild(a);
                    const s = document.createElement('script');
                    s.textContent = 'window.__injected = true; alert(2);';
                    document.body.appendChild(s);
                }"""
            )
            page.click("#injected")
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__injected === undefined")
            assert violations, "the browser reports the blocked script"
        finally:
            browser.close()
    assert dialogs == []
