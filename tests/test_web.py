"""The web view in headless Chromium (Debian's, driven by Playwright) on the shipped data.

Each page must load without console errors and show its content; a full-page
screenshot of each lands in ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from system_tools import ARTIFACTS, CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page opened in a fresh context, collecting console errors and failed requests."""

    def __init__(self, browser: Browser, base: str, javascript: bool = True) -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        self.page: Page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("requestfailed", lambda req: self.errors.append(f"request failed: {req.url}"))
        self.page.on(
            "response",
            lambda resp: self.errors.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None,
        )

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def open(self, path: str, shot: str) -> Page:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == 200, path
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live_server) -> Iterator[Visit]:
    opened = Visit(browser, live_server.url)
    yield opened
    opened.close()
    assert opened.errors == []


def test_home_shows_the_seven_layers_top_down(visit):
    page = visit.open("/", "home")
    headings = page.locator("li.layer h2 a").all_inner_texts()
    assert headings == ["L7", "L6", "L5", "L4", "L3", "L2", "L1"]
    l7 = page.locator("li#L7")
    assert "Multi-Agent Orchestration" in l7.inner_text() and "Dagster" in l7.inner_text()
    assert "DataHub" in page.locator("li#L3").inner_text()
    assert "PostgreSQL" in page.locator("li#L1").inner_text()
    assert page.locator("a[href='/graphql']").count() and page.locator("a[href='/sparql']").count()


def test_search_from_the_home_page_finds_aliases(visit):
    page = visit.open("/", "home-before-search")
    page.fill("header input[name=q]", "k8s")
    page.click("header button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q=k8s"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    hits = page.locator("ul.hits li").all_inner_texts()
    assert hits == ["Kubernetes (alias “K8s”)"]


def test_dagster_page_shows_every_section(visit):
    page = visit.open("/id/vendor/dagster", "vendor-dagster")
    assert page.locator("h1").inner_text() == "Dagster"
    scores = page.locator("#scores h3").all_inner_texts()
    assert any("INPACT" in s and "27/36" in s for s in scores)
    assert any("GOALS" in s and "20/25" in s for s in scores)
    assert page.locator("#scores .bar").count() == 2 + 6 + 5
    assert page.locator("#strengths ol.plus li").count() == 7
    assert page.locator("#strengths ol.minus li").count() == 7
    compliance = page.locator("#compliance").inner_text()
    assert "Dagster Cloud" in compliance and "Dagster (OSS)" in compliance
    assert "held" in compliance and "not advertised" in compliance and "not held" in compliance
    alternatives = page.locator("#alternatives dt a").all_inner_texts()
    assert alternatives == ["Apache Airflow", "Prefect", "Argo Workflows", "Temporal"]
    assert page.locator("#alternatives dt a").first.get_attribute("href") == "/id/vendor/airflow"
    integrations = page.locator("#architecture table.integrations").inner_text()
    assert "DataHub" in integrations and "OpenLineage" in integrations
    risks = page.locator("#risks")
    assert risks.locator("h3").all_inner_texts() == ["High (2)", "Medium (3)"]
    assert risks.locator(".mitigation").count() == 5
    assert "Define AssetSpec with partition" in risks.locator(".mitigation").first.inner_text()
    assert page.locator("#use-cases .use-case").count() == 3
    assert page.locator("#impact dt").all_inner_texts()[0].startswith("L1")
    source = page.locator("#source").inner_text()
    assert "Dagster" in source and "sources/dagster.txt" in source and "AI-generated" in source
    export_links = page.locator("#exports ul.export-links a")
    assert export_links.count() == 6
    assert all("vendor=dagster" in (export_links.nth(i).get_attribute("href") or "") for i in range(6))


def test_dagster_page_reads_without_javascript(browser, live_server):
    visit = Visit(browser, live_server.url, javascript=False)
    try:
        page = visit.open("/id/vendor/dagster", "vendor-dagster-no-js")
        assert "27/36" in page.locator("#scores").inner_text()
        assert page.locator("script").count() == 0
    finally:
        visit.close()
    assert visit.errors == []


def test_map_draws_layers_vendors_and_integrations(visit):
    page = visit.open("/map?vendor=dagster&depth=1&kind=integration&kind=alternative", "map-dagster")
    svg = page.locator("figure.map svg")
    band_titles = svg.locator("g.band text").all_text_contents()
    assert band_titles[0].startswith("L7") and any(t.startswith("L1") for t in band_titles)
    vendor_names = svg.locator("a.vendor title").all_text_contents()
    assert "Dagster (L7)" in vendor_names and "DataHub (L3)" in vendor_names
    assert svg.locator("a.edge-integration").count() == 14
    assert svg.locator("a.edge-alternative").count() == 4

    # Dagster's band is above DataHub's, which is above PostgreSQL's.
    def top(name: str) -> float:
        box = svg.locator("a.vendor", has=page.locator(f"title:text-is('{name}')")).bounding_box()
        assert box is not None
        return box["y"]

    assert top("Dagster (L7)") < top("DataHub (L3)") < top("PostgreSQL (L1)")
    rows = page.locator("table.edges tbody tr")
    assert rows.count() == 18
    assert page.locator("a[href^='/export/map?']").count() == 6


def test_whole_catalog_map_and_its_svg(visit):
    page = visit.open("/map", "map-catalog")
    assert page.locator("figure.map svg a.vendor").count() >= 18
    response = page.request.get(f"{visit.base}/map.svg?vendor=dagster")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text() and "Dagster" in response.text()
