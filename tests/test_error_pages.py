"""A 404 or 400 outside ``/id/`` is a page for a browser and JSON for a program (issue 15).

Browsers send an Accept header that prefers ``text/html``; curl sends ``*/*``,
libraries often nothing or ``application/json``. Each must get one readable
message in its own form, never a traceback.
"""

from __future__ import annotations

import httpx
import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

CASES = [
    ("/no/such/page", 404, "no page at /no/such/page"),
    ("/vendors?sort=price", 400, "sort must be one of"),
    ("/sparql?query=SELECT%20WHERE", 400, "malformed"),
    ("/map?depth=99", 400, "depth"),
    ("/export/map?format=bogus", 400, "format must be one of"),
]


@pytest.mark.parametrize(("path", "status", "words"), CASES)
def test_a_browser_gets_an_html_page(live_server, path, status, words):
    response = httpx.get(f"{live_server.url}{path}", headers={"Accept": BROWSER})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text and words in response.text.replace("&#39;", "'")
    assert "Traceback" not in response.text


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
@pytest.mark.parametrize(("path", "status", "words"), CASES)
def test_a_program_gets_json(live_server, path, status, words, accept):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(f"{live_server.url}{path}", headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == status and words in body["error"] and "\n" not in body["error"]
