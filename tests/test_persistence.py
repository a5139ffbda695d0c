"""The on-disk store: `serve --store`, restarts, shared workers, import / export files / validate --store.

Real servers on loopback ports over a store in a temporary directory, the real
CLI in subprocesses, real writes through the store's one write path
(:meth:`PersistentStore.exclusive`) from this test process, which is another
process than the server's, exactly as a commit from any worker would be.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import REPO, LiveServer, stop_server
from stackatlas.store.marker import MARKER_NAME
from stackatlas.store.persistent import PersistentStore

GRAPH = "https://w3id.org/stackatlas/graph/"
VENDOR = "https://w3id.org/stackatlas/id/vendor/"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def sparql_csv(server: LiveServer, query: str) -> list[str]:
    response = httpx.post(
        f"{server.url}/sparql", data={"query": query}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.text.splitlines()[1:]


def vendor_label(server: LiveServer, slug: str) -> str | None:
    rows = sparql_csv(
        server, f"SELECT ?l WHERE {{ <{VENDOR}{slug}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
    )
    return rows[0] if rows else None


def every_worker_ready(server: LiveServer, in_a_row: int = 20, timeout: float = 120) -> None:
    """Wait until ``/ready`` says ready ``in_a_row`` times running, each on a new connection.

    With ``--workers N`` the kernel hands each connection to any worker, and a worker answers
    503 while its own SPARQL workers start: the fixture's first 200 speaks for one worker only.
    """
    deadline, seen = time.monotonic() + timeout, 0
    while seen < in_a_row:
        assert time.monotonic() < deadline, "the workers did not all become ready"
        seen = seen + 1 if httpx.get(f"{server.url}/ready", timeout=10).status_code == 200 else 0
        if not seen:
            time.sleep(0.2)


def write(store_dir: Path, update: str) -> int:
    """Commit one SPARQL Update through the store's write path from this process; the new generation."""
    store = PersistentStore(store_dir, writer=False)
    with store.exclusive() as primary:
        primary.update(update)
        store.bump_generation()
    return store.generation


def test_first_start_imports_then_restart_opens_without_validating(
    server_factory: Callable[..., LiveServer], tmp_path: Path
):
    store = tmp_path / "store"
    first = server_factory("--store", str(store))
    assert f"store {store} is empty: importing" in first.output()
    assert vendor_label(first, "dagster") == "Dagster"
    stop_server(first)

    started = time.monotonic()
    second = server_factory("--store", str(store))
    took = time.monotonic() - started
    log = second.output()
    assert "validated before with these shapes and this ontology, not validating again" in log
    assert "importing" not in log and "validating it again" not in log
    assert vendor_label(second, "dagster") == "Dagster"
    assert took < 30, f"restart took {took:.1f} s"


def test_a_commit_survives_a_restart(server_factory: Callable[..., LiveServer], tmp_path: Path):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    label = f"<{VENDOR}dagster> <{PREF_LABEL}>"
    write(
        store,
        f"DELETE {{ GRAPH <{GRAPH}vendors/dagster> {{ {label} ?l }} }} "
        f'INSERT {{ GRAPH <{GRAPH}vendors/dagster> {{ {label} "Dagster (renamed)" }} }} '
        f"WHERE {{ GRAPH <{GRAPH}vendors/dagster> {{ {label} ?l }} }}",
    )
    server = server_factory("--store", str(store))
    assert vendor_label(server, "dagster") == "Dagster (renamed)"
    assert "not validating again" in server.output()


@pytest.mark.parametrize("changed", ["shapes", "ontology"])
def test_changed_shapes_or_ontology_make_the_next_start_validate_again(
    changed: str, server_factory: Callable[..., LiveServer], tmp_path: Path
):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    if changed == "ontology":  # the store's copy of the ontology is stale: it must be replaced
        write(
            store,
            f"DELETE WHERE {{ GRAPH <{GRAPH}ontology> {{ ?s <{LABEL}> ?l }} }}",
        )
    marker = json.loads((store / MARKER_NAME).read_text())
    marker["validation"][changed] = f"digest-of-older-{changed}"
    (store / MARKER_NAME).write_text(json.dumps(marker))
    server = server_factory("--store", str(store))
    assert f"the {changed} changed since it was last validated: validating it again" in server.output()
    labels = sparql_csv(
        server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}ontology> {{ ?s <{LABEL}> ?l }} }}",
    )
    assert int(labels[0]) > 0
    stop_server(server)
    again = server_factory("--store", str(store))  # the record is current again
    assert "not validating again" in again.output()


def test_workers_share_the_store_and_see_each_commit_at_once(
    server_factory: Callable[..., LiveServer], tmp_path: Path
):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    server = server_factory("--store", str(store), "--workers", "2")
    every_worker_ready(server)
    for n in range(3):
        write(
            store,
            f"INSERT DATA {{ GRAPH <{GRAPH}vendors/new-{n}> {{ <{VENDOR}new-{n}> "
            f'<http://www.w3.org/2004/02/skos/core#prefLabel> "New {n}" }} }}',
        )
        # Many requests, so both uvicorn workers and every SPARQL worker answer some.
        for _ in range(8):
            assert vendor_label(server, f"new-{n}") == f"New {n}"
    # Each uvicorn worker's SPARQL zygote (and the workers it forked) reads the store on disk:
    # none was given a snapshot to load.
    processes = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout
    ours = [line for line in processes.splitlines() if "zygote()" in line and str(store) in line]
    assert len(ours) >= 2 and all(line.endswith(f"{store} quiet store") for line in ours)


def test_system_graphs_are_never_read(server_factory: Callable[..., LiveServer], tmp_path: Path):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    secret = "https://w3id.org/stackatlas/id/secret"
    write(store, f'INSERT DATA {{ GRAPH <{GRAPH}system/commits> {{ <{secret}> <{secret}#p> "token hash" }} }}')
    server = server_factory("--store", str(store))
    assert sparql_csv(server, f"SELECT ?o WHERE {{ <{secret}> ?p ?o }}") == []
    assert sparql_csv(server, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{secret}> ?p ?o }} }}") == []
    from_system = httpx.post(
        f"{server.url}/sparql",
        data={"query": f"SELECT ?o FROM <{GRAPH}system/commits> WHERE {{ ?s ?p ?o }}"},
        headers={"Accept": "text/csv"},
    )
    assert from_system.status_code == 200 and from_system.text.splitlines()[1:] == []
    named = httpx.post(
        f"{server.url}/sparql",
        data={
            "query": "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": f"{GRAPH}system/commits",
        },
        headers={"Accept": "text/csv"},
    )
    assert named.status_code == 200 and "token hash" not in named.text
    dataset = httpx.get(f"{server.url}/dataset", headers={"Accept": "application/n-quads"}, timeout=30)
    assert dataset.status_code == 200 and f"<{GRAPH}vendors/dagster>" in dataset.text
    assert "token hash" not in dataset.text
    union = httpx.get(
        f"{server.url}/rdf-graphs?default", headers={"Accept": "application/n-triples"}, timeout=30
    )
    assert "Dagster" in union.text and "token hash" not in union.text
    hidden = httpx.get(f"{server.url}/rdf-graphs", params={"graph": f"{GRAPH}system/commits"})
    assert hidden.status_code == 404
    assert vendor_label(server, "dagster") == "Dagster"  # internal reads still see the catalog
    # The graph is kept (write paths read it through the full checkpoint), only reads never meet it.
    reader = PersistentStore(store, writer=False)
    assert any(q.object.value == "token hash" for q in reader.ox.quads_for_pattern(None, None, None, None))
    assert reader.select(f"SELECT ?o WHERE {{ <{secret}> ?p ?o }}") == []
    assert all("/system/" not in g for g in reader.named_graphs())


def test_import_refuses_a_full_store_and_invalid_data(tmp_path: Path):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    again = cli("import", "--store", str(store), str(REPO / "graph_data"))
    assert again.returncode == 2 and "already holds a store" in again.stderr and "--replace" in again.stderr
    marker = (store / MARKER_NAME).read_bytes()

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "vendor.ttl").write_text(f"<{VENDOR}x> a <https://w3id.org/stackatlas/ontology#Vendor> .\n")
    refused = cli("import", "--replace", "--store", str(store), str(bad))
    assert refused.returncode == 2 and "SHACL violation" in refused.stderr
    assert (store / MARKER_NAME).read_bytes() == marker  # the store is as it was
    assert cli("validate", "--store", str(store)).returncode == 0

    replaced = cli("import", "--replace", "--store", str(store), str(REPO / "graph_data"))
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads((store / MARKER_NAME).read_text())["generation"] == json.loads(marker)["generation"] + 1


def test_import_refuses_a_store_a_server_is_writing(server_factory: Callable[..., LiveServer], tmp_path: Path):
    store = tmp_path / "store"
    server_factory("--store", str(store))
    busy = cli("import", "--replace", "--store", str(store), str(REPO / "graph_data"))
    assert busy.returncode == 2 and "in use by another writer" in busy.stderr


def test_validate_store_reports_what_a_commit_broke(tmp_path: Path):
    store = tmp_path / "store"
    assert cli("import", "--store", str(store), str(REPO / "graph_data")).returncode == 0
    write(
        store,
        f"DELETE WHERE {{ GRAPH <{GRAPH}vendors/dagster> {{ <{VENDOR}dagster> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}",
    )
    checked = cli("validate", "--store", str(store))
    assert checked.returncode == 1
    assert "vendors/dagster.ttl" in checked.stdout and "prefLabel" in checked.stdout


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    rdflib.URIRef(f"{XSD}{t}")
    for t in ("positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger", "int", "long")
}


def _canonical(term: rdflib.term.Node) -> rdflib.term.Node:
    """Oxigraph stores a value of a type derived from xsd:integer as xsd:integer (the number is kept)."""
    if isinstance(term, rdflib.Literal) and term.datatype in _INTEGER_TYPES:
        return rdflib.Literal(str(term), datatype=rdflib.URIRef(f"{XSD}integer"))
    return term


def _graphs_of(directory: Path) -> dict[str, rdflib.Graph]:
    graphs = {}
    for path in sorted(directory.rglob("*.ttl")):
        relative = path.relative_to(directory).as_posix()
        parsed = rdflib.Graph().parse(path, format="turtle", publicID=f"{GRAPH}{relative[:-4]}")
        graph = rdflib.Graph()
        for s, p, o in parsed:
            graph.add((s, p, _canonical(o)))
        graphs[relative] = graph
    return graphs


def _round_trip(source: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    imported = cli("import", "--store", str(store), str(source), timeout=600)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "files"
    exported = cli("export", "files", str(out), "--store", str(store), timeout=600)
    assert exported.returncode == 0, exported.stderr
    before, after = _graphs_of(source), _graphs_of(out)
    assert sorted(before) == sorted(after)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    # files -> store -> files -> store -> files is byte-stable
    again = tmp_path / "again"
    assert cli("import", "--replace", "--store", str(store), str(out), timeout=600).returncode == 0
    assert cli("export", "files", str(again), "--store", str(store), timeout=600).returncode == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.ttl")} == {
        p.relative_to(again): p.read_bytes() for p in again.rglob("*.ttl")
    }


def test_export_files_round_trip_on_the_shipped_data(tmp_path: Path):
    _round_trip(REPO / "graph_data", tmp_path)


def test_export_files_round_trip_on_a_generated_catalog(tmp_path: Path):
    catalog = tmp_path / "catalog"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "40", "--seed", "3", "--out", str(catalog)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    _round_trip(catalog, tmp_path)


@pytest.mark.parametrize("command", [["validate", "--store"], ["export", "files", "out", "--store"]])
def test_commands_on_a_directory_without_a_store_say_so(command: list[str], tmp_path: Path):
    done = cli(*command, str(tmp_path / "nothing"))
    assert done.returncode == 2 and "no stackatlas store here" in done.stderr


def _public_graphs(store: pyoxigraph.Store) -> dict[str, rdflib.Graph]:
    """Each named graph of ``store`` outside ``graph/system/``, parsed on its own (blank nodes per graph)."""
    graphs = {}
    for name in store.named_graphs():
        assert isinstance(name, pyoxigraph.NamedNode)
        if "/system/" not in name.value:
            data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=name)
            graphs[name.value] = rdflib.Graph().parse(data=data, format="nt")
    return graphs


def test_the_public_copy_follows_every_kind_of_commit(tmp_path: Path):
    """The writer keeps the copy readers open (no system graphs) in step with the primary: commits
    that add, replace and delete graphs (blank nodes included), a refused commit, a token (a system
    graph) and a change made outside ``commit`` (which rebuilds the copy) all leave it equal to the
    primary without its system graphs."""
    from stackatlas.auth.tokens import add_token
    from stackatlas.errors import PreconditionFailed
    from stackatlas.store.changes import ChangeSet
    from stackatlas.writes.transaction import activity

    directory = tmp_path / "store"
    assert cli("import", "--store", str(directory), str(REPO / "graph_data")).returncode == 0
    store = PersistentStore(directory, writer=True)
    try:
        store.publish()  # as a server start does: the copy is built from the primary
        dagster = f"{GRAPH}vendors/dagster"
        claim = pyoxigraph.BlankNode()
        name = pyoxigraph.NamedNode(dagster)
        added = [
            pyoxigraph.Quad(pyoxigraph.NamedNode(f"{VENDOR}dagster"), pyoxigraph.NamedNode(LABEL), claim, name),
            pyoxigraph.Quad(claim, pyoxigraph.NamedNode(LABEL), pyoxigraph.Literal("mirror check"), name),
        ]
        store.commit(ChangeSet.of(added), {}, activity("test", "add", "test"))
        with pytest.raises(PreconditionFailed):  # refused inside the commit: nothing to replay
            store.commit(ChangeSet.of(added[:1]), {dagster: "stale"}, activity("test", "refused", "test"))
        add_token(store, "mirror-test", "write")
        store.commit(
            ChangeSet.between(store.graph_quads([dagster]), []), {}, activity("test", "delete", "test")
        )
        assert dagster not in store.named_graphs()
        seen = []
        for step in range(2):
            public = pyoxigraph.Store.read_only(str(directory / store.marker.public))  # what readers open
            primary = _public_graphs(store.ox)
            copy = _public_graphs(public)
            assert set(copy) == set(primary)
            assert f"{GRAPH}audit" in copy and (dagster in copy) == bool(step)
            assert all(isomorphic(copy[g], primary[g]) for g in primary)
            assert not any("/system/" in g.value for g in public.named_graphs())  # type: ignore[union-attr]
            seen.append(len(copy))
            del public
            if step == 0:  # a change that is not a commit: the copy is rebuilt, not replayed
                with store.exclusive() as target:
                    target.update(
                        f'INSERT DATA {{ GRAPH <{GRAPH}vendors/dagster> {{ <{VENDOR}dagster> <{LABEL}> "x" }} }}'  # noqa: E501
                    )
                    store.bump_generation()
        assert seen[1] == seen[0] + 1
        assert store.select(f"SELECT ?l WHERE {{ <{VENDOR}dagster> <{LABEL}> ?l }}") == [{"l": "x"}]
    finally:
        store.close()
