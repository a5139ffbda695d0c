"""Source pages are kept in the repository and served at ``/sources/<name>``, and nothing else is.

Against the real server: the shipped Dagster page, linked from its record's
page and named in its RDF; then a catalog of our own whose records try to
point outside the data root (``..``, an absolute path, a symbolic link) and
requests that try the same (``..``, encoded slashes, absolute paths).
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib

from stackatlas.vocab import ID, SCHEMA

REPO = Path(__file__).resolve().parents[1]
DAGSTER_COPY = REPO / "graph_data" / "sources" / "dagster.txt"
DAGSTER_PAGE = rdflib.URIRef(f"{ID}source/dagster")


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written: no client normalises ``..`` or decodes ``%2F`` on the way."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_dagster_page_is_served_as_utf8_text(live_server):
    response = httpx.get(f"{live_server.url}/sources/dagster.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == DAGSTER_COPY.read_bytes()
    assert response.text.startswith("Dagster\n")
    assert f"<{DAGSTER_PAGE}>" in response.headers["link"]


def test_the_source_record_page_links_its_copy(live_server):
    page = httpx.get(f"{live_server.url}/id/source/dagster", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="/sources/dagster.txt"' in page.text
    followed = httpx.get(f"{live_server.url}/sources/dagster.txt")
    assert followed.content == DAGSTER_COPY.read_bytes()


def test_pages_of_facts_from_the_page_link_the_copy_in_their_source_section(live_server):
    page = httpx.get(f"{live_server.url}/id/vendor/dagster/risk-1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    source = page.text[page.text.index("<h2>Source</h2>") :]
    assert 'href="/sources/dagster.txt"' in source


def test_the_vendor_page_links_the_text_copy_of_its_source(live_server):
    page = httpx.get(f"{live_server.url}/id/vendor/dagster", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert '<a href="/sources/dagster.txt" type="text/plain">the text copy</a>' in page.text


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt"])
def test_the_rdf_of_the_record_names_where_the_copy_is_served(live_server, fmt):
    response = httpx.get(f"{live_server.url}/id/source/dagster", params={"format": fmt})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(
        data=response.text, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt]
    )
    copies = list(graph.objects(DAGSTER_PAGE, SCHEMA.archivedAt))
    assert copies == [rdflib.URIRef(f"{live_server.url}/sources/dagster.txt")]
    assert httpx.get(str(copies[0])).content == DAGSTER_COPY.read_bytes()


def test_the_copy_url_is_said_in_responses_not_stored_in_the_data(live_server):
    dataset = httpx.get(f"{live_server.url}/export/graph", params={"format": "nquads"})
    assert dataset.status_code == 200
    assert str(DAGSTER_PAGE) in dataset.text
    assert str(SCHEMA.archivedAt) not in dataset.text
    # and a vendor's RDF is unchanged by it
    vendor = httpx.get(f"{live_server.url}/id/vendor/dagster", params={"format": "nt"})
    assert str(SCHEMA.archivedAt) not in vendor.text


TRAVERSALS = [
    "/sources/../sources.ttl",
    "/sources/..%2Fsources.ttl",
    "/sources/..%2f..%2fpyproject.toml",
    "/sources/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/sources/%2Fetc%2Fpasswd",
    "/sources//etc/passwd",
    "/sources/sources%2Fdagster.txt",
    "/sources/..%5C..%5Cpyproject.toml",
    "/sources/dagster.txt%00.ttl",
    "/sources/dagster.ttl",
    "/sources/dagster",
    "/sources/.txt",
    "/sources/nosuch.txt",
    "/sources/sources.ttl",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_requests_cannot_name_a_file(live_server, path):
    status, body = raw_get(live_server.url, path)
    assert status in (404, 400), (path, status)
    assert b"@prefix" not in body and b"[build-system]" not in body and b"root:" not in body
    assert body != DAGSTER_COPY.read_bytes()


@pytest.fixture(scope="module")
def tricky_catalog(tmp_path_factory) -> Path:
    """A copy of the shipped catalog whose source records point at files they must not get."""
    base = tmp_path_factory.mktemp("catalog")
    root = base / "data"
    shutil.copytree(REPO / "graph_data", root)
    (root / "sources" / "dagster.txt").write_text("Dagster, as this catalog keeps it\n", encoding="utf-8")
    (root / "sources" / "stray.txt").write_text("no record names this file\n", encoding="utf-8")
    outside = base / "outside.txt"
    outside.write_text("outside the data root\n", encoding="utf-8")
    (root / "sources" / "link.txt").symlink_to(outside)
    records = "\n".join(
        f"""source:{name} a sa:SourcePage ; dcterms:title "{name}"@en ; sa:localCopy "{copy}" ."""
        for name, copy in [
            ("parent", "../outside.txt"),
            ("deep", "sources/../../outside.txt"),
            ("absolute", str(outside)),
            ("link", "sources/link.txt"),
            ("missing", "sources/missing.txt"),
        ]
    )
    with (root / "sources.ttl").open("a", encoding="utf-8") as sources:
        sources.write("\n" + records + "\n")
    return root


@pytest.fixture(scope="module")
def tricky_server(tricky_catalog):
    from conftest import start_server, stop_server

    server = start_server("--data", str(tricky_catalog))
    yield server
    stop_server(server)


def test_copies_are_read_from_the_served_data_root(tricky_server):
    response = httpx.get(f"{tricky_server.url}/sources/dagster.txt")
    assert response.status_code == 200
    assert response.text == "Dagster, as this catalog keeps it\n"


@pytest.mark.parametrize("name", ["parent", "deep", "absolute", "link", "missing", "stray"])
def test_records_cannot_point_outside_the_data_root(tricky_server, name):
    response = httpx.get(f"{tricky_server.url}/sources/{name}.txt")
    assert response.status_code == 404
    assert "outside the data root" not in response.text and "no record names" not in response.text
    page = httpx.get(f"{tricky_server.url}/id/source/{name}", headers={"Accept": "text/html"})
    if name != "stray":  # a record exists, but its copy is not offered
        assert page.status_code == 200
        assert f"/sources/{name}.txt" not in page.text
    rdf = httpx.get(f"{tricky_server.url}/id/source/{name}", params={"format": "nt"})
    assert str(SCHEMA.archivedAt) not in rdf.text


def test_nothing_reads_outside_the_repository():
    """No path to a ``shared`` directory beside the checkout (the old home of the source pages)."""
    done = subprocess.run(
        [
            "git",
            "grep",
            "--untracked",
            "-n",
            "-E",
            "-e",
            r"\.\./shared",
            "-e",
            r"""parents?(\[[0-9]+\])? / ["']shared["']""",
            "--",
            "service",
            "tests",
            "bench",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, f"paths outside the repository:\n{done.stdout}{done.stderr}"
