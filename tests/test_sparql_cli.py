"""``stackatlas query``: same formats and limits as the endpoint, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from stackatlas.loader import catalog_sources
from stackatlas.store import open_store
from stackatlas.vocab import sparql_prologue

VENDORS = "SELECT ?vendor ?name WHERE { ?vendor a sa:Vendor ; skos:prefLabel ?name }"


def _query(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", "query", *args], capture_output=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def expected_vendors() -> set[tuple[str, str]]:
    store = open_store()
    store.load(catalog_sources())
    return {(str(r["vendor"]), str(r["name"])) for r in store.select(sparql_prologue() + VENDORS)}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_formats(expected_vendors, fmt):
    done = _query(VENDORS, "--format", fmt)
    assert done.returncode == 0, done.stderr
    result = Result.parse(io.BytesIO(done.stdout), format=fmt)
    rows = {(str(r["vendor"]), str(r["name"])) for r in result}
    assert rows == expected_vendors


@pytest.mark.parametrize(
    "fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]
)
def test_construct_from_a_file(tmp_path: Path, fmt, rdflib_format):
    query = "CONSTRUCT { vendor:dagster ?p ?o } WHERE { vendor:dagster ?p ?o }"
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    done = _query("--file", str(path), "--format", fmt)
    assert done.returncode == 0, done.stderr
    store = open_store()
    store.load(catalog_sources())
    expected = Graph().parse(data=store.construct(sparql_prologue() + query), format="nt")
    assert isomorphic(Graph().parse(data=done.stdout, format=rdflib_format), expected)


def test_default_format_and_data_option(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "one.ttl").write_text('<urn:a> <urn:b> "only this" .\n', encoding="utf-8")
    done = _query("SELECT ?o WHERE { <urn:a> <urn:b> ?o }", "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"][0]["o"]["value"] == "only this"


@pytest.mark.parametrize(
    "args,message",
    [
        (["SELECT * WHERE { ?s ?p }"], "malformed SPARQL query: error at 1:"),
        (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
        (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
        (["CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], "cannot carry a CONSTRUCT/DESCRIBE result"),
        (["--file", "/no/such/query.rq"], "/no/such/query.rq: cannot read"),
        ([], "give a query"),
        (["ASK {}", "--data", "/no/such/dir"], "/no/such/dir: no such file or directory"),
        (["ASK {}", "--timeout", "0"], "timeout must be a positive number"),
    ],
)
def test_errors_are_one_line_with_exit_2(args, message):
    done = _query(*args)
    assert done.returncode == 2
    stderr = done.stderr.decode()
    assert message in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert done.stdout == b""


def test_timeout_stops_the_query():
    started = time.monotonic()
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    done = _query(cartesian, "--timeout", "1")
    assert done.returncode == 2
    assert "1 s time limit" in done.stderr.decode()
    assert time.monotonic() - started < 1 + 5  # includes loading the data and starting the worker
