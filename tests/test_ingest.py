"""``stackatlas ingest``: analysis pages become validated, deterministic vendor files.

Run as curators run it (the real CLI in a subprocess, on copies of the shipped
catalog) and through its Python entry point for the finer checks. The
fictional pages under ``tests/fixtures/ingest/pages/`` cover every section and
edge case of the page format; their expected graphs are in ``expected/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from stackatlas.ingest import ingest
from stackatlas.ingest.lists import Splitter
from stackatlas.ingest.names import NameIndex
from stackatlas.vocab import GRAPH, SA, vendor_iri

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "graph_data"
DAGSTER_PAGE = DATA / "sources" / "dagster.txt"
DAGSTER_TTL = DATA / "vendors" / "dagster.ttl"
FIXTURES = REPO / "tests" / "fixtures" / "ingest"
PAGES = FIXTURES / "pages"
EXPECTED = FIXTURES / "expected"


def stackatlas(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def graph_of(path: Path, graph: str) -> Graph:
    return Graph().parse(path, format="turtle", publicID=graph)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of the shipped catalog to ingest into."""
    copy = tmp_path / "graph_data"
    shutil.copytree(DATA, copy)
    return copy


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- one source of truth -------------------------------------------------------


def test_shipped_dagster_file_is_exactly_the_ingest_of_the_shipped_page():
    outcome = ingest([DAGSTER_PAGE], dry_run=True)
    (result,) = outcome.results
    assert result.target == DAGSTER_TTL.resolve()
    assert result.turtle == DAGSTER_TTL.read_bytes()
    assert not result.changed and result.changes == {}
    assert outcome.report.conforms


def test_reingest_through_the_cli_leaves_the_file_byte_identical_and_untouched(catalog: Path):
    target = catalog / "vendors" / "dagster.ttl"
    before, mtime = target.read_bytes(), target.stat().st_mtime_ns
    done = stackatlas("ingest", catalog / "sources" / "dagster.txt", "--data", catalog)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("dagster.ttl: unchanged")
    assert target.read_bytes() == before
    assert target.stat().st_mtime_ns == mtime


def test_written_file_is_byte_identical_when_written_again(catalog: Path):
    target = catalog / "vendors" / "dagster.ttl"
    shipped = target.read_bytes()
    target.unlink()
    first = stackatlas("ingest", catalog / "sources" / "dagster.txt", "--data", catalog)
    assert first.returncode == 0, first.stderr
    assert "dagster.ttl: written" in first.stdout
    assert target.read_bytes() == shipped


def test_dagster_graph_records_its_page_and_checksum():
    import hashlib

    g = graph_of(DAGSTER_TTL, str(GRAPH["vendors/dagster"]))
    me = GRAPH["vendors/dagster"]
    checksum = hashlib.sha256(DAGSTER_PAGE.read_bytes()).hexdigest()
    assert (me, SA.sourceChecksum, Literal(f"sha256:{checksum}")) in g
    assert str(g.value(me, URIRef("http://www.w3.org/ns/prov#generatedAtTime"))) == "2026-11-24T00:00:00+00:00"
    assert not any(isinstance(t, type(None)) for t in g)
    assert not [t for t in g if any(type(x).__name__ == "BNode" for x in t)]


def test_curator_file_is_attributed_to_the_curators_not_the_page():
    """The curators' reading of the page: derived from it, attributed to them, dated."""
    curation = DATA / "curation" / "dagster.ttl"
    graph = GRAPH["curation/dagster"]
    g = graph_of(curation, str(graph))
    prov = "http://www.w3.org/ns/prov#"
    assert g.value(graph, URIRef(prov + "wasAttributedTo")) == URIRef(
        "https://w3id.org/stackatlas/id/agent/stackatlas-curators"
    )
    assert g.value(graph, URIRef(prov + "wasDerivedFrom")) == URIRef(
        "https://w3id.org/stackatlas/id/source/dagster"
    )
    assert g.value(graph, URIRef("http://purl.org/dc/terms/created")) == Literal(
        "2026-11-24", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )
    # the page's graph holds no curator decision
    page = graph_of(DAGSTER_TTL, str(GRAPH["vendors/dagster"]))
    for cls in (SA.Integration, SA.Mention):
        assert not list(page.subjects(RDF.type, cls))
        assert list(g.subjects(RDF.type, cls))


# --- fixtures: every section and edge case ---------------------------------------


@pytest.mark.parametrize("name", ["orbitflow", "ledgerlite"])
def test_fixture_pages_give_their_expected_graphs(name: str, tmp_path: Path):
    done = stackatlas("ingest", PAGES / f"{name}.txt", "--out", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    graph = str(GRAPH[f"vendors/{name}"])
    got = graph_of(tmp_path / f"{name}.ttl", graph)
    expected = graph_of(EXPECTED / f"{name}.ttl", graph)
    assert isomorphic(got, expected)


@pytest.fixture(scope="module")
def orbitflow(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, object]:
    out = tmp_path_factory.mktemp("orbitflow")
    outcome = ingest([PAGES / "orbitflow.txt"], out=out)
    return graph_of(out / "orbitflow.ttl", str(GRAPH["vendors/orbitflow"])), outcome


def _claims(g: Graph) -> dict[tuple[str, str], tuple[str, str]]:
    found = {}
    for claim in g.subjects(RDF.type, SA.ComplianceClaim):
        offering = str(g.value(g.value(claim, SA.claimOffering), SKOS.prefLabel))
        cert = str(g.value(claim, SA.certification)).rsplit("/", 1)[1]
        found[(offering, cert)] = (
            str(g.value(claim, SA.status)).rsplit("#", 1)[1],
            str(g.value(claim, SA.evidence)),
        )
    return found


def test_compliance_sentences_become_claims_per_offering(orbitflow):
    g, _ = orbitflow
    statuses = {key: status for key, (status, _) in _claims(g).items()}
    assert statuses == {
        ("Orbitflow (OSS)", "soc2-type2"): "NotHeld",
        ("Orbitflow (OSS)", "hipaa-baa"): "NotHeld",
        ("Orbitflow (OSS)", "pci-dss"): "NotHeld",
        ("Orbitflow (OSS)", "fedramp"): "NotHeld",
        ("Orbitflow Cloud", "soc2-type2"): "Held",
        ("Orbitflow Cloud", "hipaa-baa"): "NotAdvertised",
        ("Orbitflow Cloud", "pci-dss"): "NotOffered",
        # scoped: kept as evidence for a curator, never upgraded to held
        ("Orbitflow Cloud", "fedramp"): "NeedsReview",
    }
    assert _claims(g)[("Orbitflow Cloud", "fedramp")][1].endswith("for its own control plane only.")
    me = vendor_iri("orbitflow")
    assert str(g.value(me, SA.complianceText)).endswith("Self-hosted Orbitflow inherits its host's compliance.")


def _items(g: Graph, prop: URIRef) -> list[str]:
    nodes = sorted(g.objects(vendor_iri("orbitflow"), prop), key=lambda n: int(g.value(n, SA.position)))
    return [str(g.value(n, SA.text)) for n in nodes]


def test_glued_items_split_by_case_and_known_names(orbitflow):
    g, _ = orbitflow
    assert _items(g, SA.bestSuitedFor) == [
        "Lineage-first data teams on ClickHouse clusters",
        "dbt-heavy stacks that want run history",
        "Regulated workloads needing FedRAMP (verify)",
        "Teams on K8s",
    ]
    assert _items(g, SA.useWithCautionFor) == [
        "Payment workloads — PCI DSS not offered",
        "Sub-second scheduling",
    ]
    assert _items(g, SA.watchFor) == ["Column lineage is beta", "Cloud regions limited to two"]
    assert _items(g, SA.pocChecklistItem) == [
        "Run ten production DAGs through Orbitflow",
        "Compare lineage with OpenLineage output",
    ]


def test_adjustments_and_cap_rules_are_data(orbitflow):
    g, _ = orbitflow
    base = str(vendor_iri("orbitflow")) + "/"
    assert g.value(URIRef(base + "inpact-I"), SA.capRule) == SA.CapRuleNotApplicable
    assert g.value(URIRef(base + "inpact-N"), SA.capRule) == SA.CapRuleApplied
    assert g.value(URIRef(base + "inpact-T"), SA.capRule) == SA.CapRuleNotApplicable
    assert g.value(URIRef(base + "goals-L"), SA.adjustment) == SA.LenientAdjustment
    assert g.value(URIRef(base + "goals-S"), SA.adjustment) == SA.CapAdjustment
    assert g.value(URIRef(base + "goals-S"), SA.cappedAt).toPython() == 3
    assert g.value(URIRef(base + "goals-G"), SA.adjustment) is None
    # a note with nested brackets is kept whole
    assert str(g.value(URIRef(base + "goals-G1"), SA.note)) == "RBAC (role-based) in Cloud"
    assert g.value(URIRef(base + "goals-G2"), SA.note) is None
    assert g.value(URIRef(base + "goals-G3"), SA.met).toPython() is False


def test_named_tools_link_to_vendors_and_unknown_alternatives_become_stubs(orbitflow):
    g, outcome = orbitflow
    base = str(vendor_iri("orbitflow")) + "/"
    links = set(g.objects(URIRef(base + "strength-2"), SA.namesVendor))
    assert links == {vendor_iri("clickhouse"), vendor_iri("postgresql")}  # "Postgres" is an alias
    assert set(g.objects(URIRef(base + "best-suited-for-4"), SA.namesVendor)) == {vendor_iri("kubernetes")}
    assert g.value(URIRef(base + "alternative-airflow"), SA.alternativeVendor) == vendor_iri("airflow")
    stub = vendor_iri("quillstream")
    assert g.value(URIRef(base + "alternative-quillstream"), SA.alternativeVendor) == stub
    assert set(g.predicate_objects(stub)) == {(RDF.type, SA.Vendor), (SKOS.prefLabel, Literal("Quillstream"))}
    assert outcome.results[0].built.stubs == {str(stub): "Quillstream"}


def test_page_stating_no_items_is_recorded_as_such(tmp_path: Path):
    ingest([PAGES / "ledgerlite.txt"], out=tmp_path)
    g = graph_of(tmp_path / "ledgerlite.ttl", str(GRAPH["vendors/ledgerlite"]))
    me = vendor_iri("ledgerlite")
    assert set(g.objects(me, SA.statesNone)) == {SA.WatchForSection, SA.PocChecklistSection}
    assert g.value(me, SA.openSource).toPython() is False
    assert str(g.value(me, SA.pricing)) == "Usage-based"
    # BOM and CRLF gone, the curly quotes of the text kept
    assert str(g.value(me, SKOS.prefLabel)) == "Ledgerlite"
    assert "“Ledgerlite”" in str(g.value(me, SA.summary))
    assert not list(g.objects(me, SA.offering))  # no "(OSS)" part, no product name in the pricing
    # Orbitflow has the headings with items: no "states none"
    orbit = ingest([PAGES / "orbitflow.txt"], out=tmp_path)
    assert not any(t.predicate.value == str(SA.statesNone) for t in orbit.results[0].built.triples.all())


def test_crlf_and_unicode_variants_give_the_same_graph(tmp_path: Path):
    text = DAGSTER_PAGE.read_text(encoding="utf-8")
    variant = tmp_path / "pages" / "dagster.txt"
    variant.parent.mkdir()
    variant.write_bytes(("\ufeff" + text.replace("\n", "\r\n").replace("\n\n", "\n\n\n")).encode())
    outcome = ingest([variant], out=tmp_path / "out", dry_run=True)
    got = Graph().parse(data=outcome.results[0].turtle, format="turtle", publicID=str(GRAPH["vendors/dagster"]))
    shipped = graph_of(DAGSTER_TTL, str(GRAPH["vendors/dagster"]))
    for g in (got, shipped):
        g.remove((None, SA.sourceChecksum, None))
    assert isomorphic(got, shipped)


# --- bad input: one clear error --------------------------------------------------


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("not-a-page.txt", "not-a-page.txt: line 3: not an analysis page"),
        ("bad-licence.txt", "bad-licence.txt: line 3: header: unknown licence 'Proprietary-EULA'"),
        ("bad-layer.txt", "bad-layer.txt: line 3: header: unknown layer L9"),
    ],
)
def test_a_file_that_is_not_an_analysis_page_is_one_clear_error(page: str, message: str, tmp_path: Path):
    done = stackatlas("ingest", PAGES / page, "--out", tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_binary_file_is_one_clear_error(tmp_path: Path):
    blob = tmp_path / "image.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    done = stackatlas("ingest", blob, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "image.txt: not UTF-8 text" in done.stderr


# --- validation before writing, atomic writes -------------------------------------


def test_violations_write_nothing_and_name_section_and_line(tmp_path: Path):
    done = stackatlas("ingest", PAGES / "orbitflow.txt", PAGES / "violating.txt", "--out", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []  # the valid page is not written either
    assert (
        "violating.txt line 10 (INPACT Score): Overscore INPACT Instant: score 9 is outside its scale 0..6."
        in (done.stdout)
    )
    assert done.stdout.rstrip().endswith("does not conform — nothing written")


def test_violation_leaves_an_existing_file_untouched(catalog: Path):
    page = catalog / "sources" / "dagster.txt"
    page.write_text(
        page.read_text(encoding="utf-8").replace("\n27/36\nI — Instant\n4/6\n", "\n27/36\nI — Instant\n9/6\n")
    )
    before = files_of(catalog)
    done = stackatlas("ingest", page, "--data", catalog, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    violations = {
        f["message"]: (f["section"], f["line"]) for f in report["findings"] if f["severity"] == "Violation"
    }
    assert violations["Dagster INPACT Instant: score 9 is outside its scale 0..6."] == ("INPACT Score", 18)
    assert {section for section, _ in violations.values()} == {"INPACT Score"}
    assert report["pages"][0]["status"] == "not changed"
    assert files_of(catalog) == before


def test_a_crash_while_writing_leaves_the_old_file_and_no_temporary(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
):
    target = catalog / "vendors" / "dagster.ttl"
    before = target.read_bytes()
    page = catalog / "sources" / "dagster.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("PCI DSS not advertised.", "PCI DSS not offered."))

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest([page], data=catalog)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        p.name for p in (DATA / "vendors").iterdir()
    )


# --- dry run: the curator's review -------------------------------------------------


def test_dry_run_prints_changes_by_section_and_writes_nothing(catalog: Path):
    page = catalog / "sources" / "dagster.txt"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        "FedRAMP not advertised — verify with sales for federal workloads.", "Dagster Cloud holds FedRAMP."
    )
    start = text.index("Temporal\n\nChoose Temporal")
    end = text.index("View analysis →", start) + len("View analysis →\n")
    page.write_text(text[:start] + text[end:])
    before = files_of(catalog)
    done = stackatlas("ingest", page, "--data", catalog, "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("dagster.ttl: would change")
    assert "  compliance: Dagster Cloud FEDRAMP not advertised → held" in lines
    assert "  alternatives: - Temporal" in lines
    # … and in the catalog's words, as the history and the server's dry run say them
    words = lines.index("  in the catalog's words:")
    described = [line.split(None, 1) for line in lines[words + 1 :] if line.startswith("    ")]
    assert [
        "claim-changed",
        "Dagster Cloud — FEDRAMP: not advertised → held (source: Dagster analysis page)",
    ] in (described)
    assert ["alternative-removed", "alternative removed: Temporal"] in described
    # the contradiction warning is gone with the claim it contradicted
    assert "mitigation recommends" not in done.stdout
    assert lines[-1].startswith("0 violations, 5 warnings")
    assert files_of(catalog) == before


def test_dry_run_json_lists_stubs_and_changes(tmp_path: Path):
    done = stackatlas("ingest", PAGES / "orbitflow.txt", "--out", tmp_path, "--dry-run", "-f", "json")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    (page,) = report["pages"]
    assert page["status"] == "would write"
    assert page["stubs"] == [{"iri": str(vendor_iri("quillstream")), "name": "Quillstream"}]
    shapes = {f["source_shape"] for f in report["findings"]}
    assert {"shapes:MitigationContradictsClaimShape", "shapes:ClaimNeedsReviewShape"} <= shapes
    review = next(f for f in report["findings"] if f["source_shape"] == "shapes:ClaimNeedsReviewShape")
    assert (review["section"], review["line"]) == ("Industry Fit: Compliance certifications", 96)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_of_pages(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("orbitflow", "ledgerlite"):
        shutil.copy(PAGES / f"{name}.txt", pages)
    done = stackatlas("ingest", pages, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ledgerlite.ttl", "orbitflow.ttl"]


# --- the splitter on the shipped page -------------------------------------------------


def test_splitter_on_the_dagster_lines():
    names = ["dbt", "dbt Cloud", "FedRAMP", "ClickHouse", "Apache Airflow", "Airflow", "K8s", "Dagster"]
    splitter = Splitter(NameIndex(names))
    line = (
        "Massive existing Airflow deployments — migration is real work; the asset model isn't just rebadged "
        "tasksLong-running training jobs (hours+) — KServe / Argo Workflows may fit betterWorkloads needing "
        "FedRAMP authorization — Dagster Cloud doesn't currently advertise FedRAMP (verify with sales)"
        "Cost-sensitive shops"
    )
    assert splitter.split(line) == [
        "Massive existing Airflow deployments — migration is real work; the asset model isn't just "
        "rebadged tasks",
        "Long-running training jobs (hours+) — KServe / Argo Workflows may fit better",
        "Workloads needing FedRAMP authorization — Dagster Cloud doesn't currently advertise FedRAMP "
        "(verify with sales)",
        "Cost-sensitive shops",
    ]
    assert splitter.split("first-class assetsdbt-heavy stacks") == ["first-class assets", "dbt-heavy stacks"]
    assert splitter.split("Uses AssetSpec and ClickHouse") == ["Uses AssetSpec and ClickHouse"]
