"""YASGUI at /sparql in headless Chromium: it loads from our server alone and answers the examples."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from stackatlas.store.queries.examples import EXAMPLES
from system_tools import CHROMIUM_ARGS, chromium_path


@pytest.mark.browser
def test_yasgui_works_offline_and_runs_the_examples(live_server):
    ours = urlsplit(live_server.url).netloc
    foreign: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route, request):
            if urlsplit(request.url).netloc == ours or request.url.startswith("data:"):
                route.continue_()
            else:  # no internet here; and the page must not need it
                foreign.append(request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/sparql", wait_until="networkidle")
        page.wait_for_selector(".yasgui .tabsList")
        tab_names = page.eval_on_selector_all(".yasgui .tabsList .tab a", "els => els.map(e => e.textContent)")
        assert [e.name for e in EXAMPLES] == [n.replace("✖", "").strip() for n in tab_names if n.strip()]

        page.click("text=Who integrates with DataHub")
        page.evaluate("() => yasgui.getTab().query()")
        rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
        rows.first.wait_for(timeout=30_000)
        results_text = page.inner_text(".tabPanel.active .yasr")
        browser.close()
    assert errors == []
    assert foreign == []
    assert "Dagster" in results_text
