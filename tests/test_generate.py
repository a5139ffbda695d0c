"""The synthetic catalog generator (bench/generate.py), run as users run it.

The generated catalog is loaded into the real store and checked with SPARQL,
and validated with the real SHACL validation: later benchmarks rely on it
being deterministic, of the stated shape, and free of violations.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stackatlas.loader import catalog_sources
from stackatlas.store import Store, open_store
from stackatlas.validation import validate
from stackatlas.vocab import sparql_prologue

REPO = Path(__file__).resolve().parents[1]
GENERATE = REPO / "bench" / "generate.py"
N = 25
SEED = 7


def generate(n: int, seed: int, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATE), str(n), "--seed", str(seed), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "catalog"
    done = generate(N, SEED, out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def store(catalog: Path) -> Store:
    store = open_store()
    store.load(catalog_sources([catalog]))
    return store


def select(store: Store, query: str) -> list[dict]:
    return store.select(sparql_prologue() + query)


def test_writes_one_file_per_vendor_plus_vocabularies(catalog: Path):
    vendors = sorted(p.name for p in (catalog / "vendors").glob("*.ttl"))
    assert len(vendors) == N
    assert {
        "vocab/layers.ttl",
        "vocab/certifications.ttl",
        "vocab/categories.ttl",
        "sources.ttl",
        "vocab/synthetic-categories.ttl",
        "synthetic-sources.ttl",
    } <= set(files_of(catalog))
    text = (catalog / "vendors" / vendors[0]).read_text()
    assert text.startswith("# SYNTHETIC DATA")
    assert "<> a sa:SourceGraph" in text


def test_same_seed_gives_byte_identical_files(catalog: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert generate(N, SEED, again).returncode == 0
    assert files_of(again) == files_of(catalog)


def test_another_seed_gives_another_catalog(catalog: Path, tmp_path: Path):
    other = tmp_path / "other"
    assert generate(N, SEED + 1, other).returncode == 0
    mine, theirs = files_of(catalog), files_of(other)
    vendor_files = {k for k in mine.keys() | theirs.keys() if k.startswith("vendors/")}
    assert any(mine.get(k) != theirs.get(k) for k in vendor_files)


def test_refuses_an_existing_directory_without_touching_it(catalog: Path):
    before = files_of(catalog)
    done = generate(N, SEED + 2, catalog)
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert "Traceback" not in done.stderr
    assert files_of(catalog) == before


def test_help_describes_the_arguments():
    done = subprocess.run(
        [sys.executable, str(GENERATE), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert "--seed" in done.stdout and "--out" in done.stdout


def per_vendor(store: Store, pattern: str) -> dict[str, int]:
    """Count of ?x per catalog entry, zero included, for a pattern binding ?v and ?x."""
    rows = select(
        store,
        f"""
        SELECT ?v (COUNT(DISTINCT ?x) AS ?n) WHERE {{
            ?v a sa:CatalogEntry . OPTIONAL {{ {pattern} }}
        }} GROUP BY ?v""",
    )
    return {r["v"]: r["n"] for r in rows}


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        ("?v sa:offering ?x", 1, 2),
        ("?v sa:strength ?x", 3, 8),
        ("?v sa:limitation ?x", 3, 8),
        ("?v sa:alternative ?x", 3, 8),
        ("?v sa:integration ?x", 5, 15),
        ("?v sa:trustRisk ?x . ?x sa:severity ?s ; sa:mitigation ?m", 3, 6),
        ("?v sa:useCase ?x", 1, 4),
        ("?v sa:stackImpact ?x", 1, 4),
        ("?v sa:assessment ?x", 2, 2),
        ("?v sa:assessment/sa:dimension ?x . ?x sa:score ?s", 11, 11),
        ("?v sa:assessment/sa:dimension/sa:criterion ?x . ?x sa:met ?m", 30, 30),
    ],
)
def test_counts_per_vendor_within_stated_ranges(store: Store, pattern: str, low: int, high: int):
    counts = per_vendor(store, pattern)
    assert len(counts) == N
    assert all(low <= n <= high for n in counts.values()), counts
    if high > low:
        assert len(set(counts.values())) > 1, "every vendor got the same count: the ranges are not exercised"


def test_every_entry_has_layer_category_licence_and_summary(store: Store):
    rows = select(
        store,
        """
        SELECT ?v WHERE {
            ?v a sa:CatalogEntry ; skos:prefLabel ?name ; sa:layer ?l ; sa:category ?c ;
               sa:license ?lic ; sa:summary ?s .
            ?l a sa:Layer . ?c a sa:Category .
        }""",
    )
    assert len({r["v"] for r in rows}) == N


def test_assessment_totals_are_sums_on_the_stated_scales(store: Store):
    rows = select(
        store,
        """
        SELECT ?fw ?total ?scale (SUM(?score) AS ?sum) (COUNT(?d) AS ?dims) WHERE {
            ?a sa:framework ?fw ; sa:total ?total ; sa:scale ?scale ; sa:dimension ?d .
            ?d sa:score ?score ; sa:scale 6 .
        } GROUP BY ?a ?fw ?total ?scale""",
    )
    assert len(rows) == 2 * N
    for r in rows:
        assert r["total"] == r["sum"]
        assert (r["dims"], r["scale"]) == ((6, 36) if r["fw"].endswith("INPACT") else (5, 30))


def test_goals_scores_count_the_criteria_met(store: Store):
    rows = select(
        store,
        """
        SELECT ?d ?score ?stated (SUM(IF(?met, 1, 0)) AS ?metCount) WHERE {
            ?a sa:framework sa:GOALS ; sa:dimension ?d .
            ?d sa:score ?score ; sa:statedCriteriaMet ?stated ; sa:criterion ?c . ?c sa:met ?met .
        } GROUP BY ?d ?score ?stated""",
    )
    assert len(rows) == 5 * N
    assert all(r["score"] == r["stated"] == r["metCount"] for r in rows)


def test_claims_mix_every_status_and_leave_some_unknown(store: Store):
    statuses = {r["s"] for r in select(store, "SELECT DISTINCT ?s WHERE { ?c sa:status ?s }")}
    assert {s.rsplit("#", 1)[1] for s in statuses} == {"Held", "NotHeld", "NotAdvertised"}
    unknown = select(
        store,
        """
        SELECT (COUNT(*) AS ?n) WHERE {
            ?o sa:offeringOf ?v . ?cert a sa:Certification .
            FILTER NOT EXISTS { ?claim sa:claimOffering ?o ; sa:certification ?cert }
        }""",
    )
    assert unknown[0]["n"] > 0


def test_relations_point_at_generated_vendors(store: Store):
    dangling = select(
        store,
        """
        SELECT ?x WHERE {
            { ?x sa:alternativeVendor ?t } UNION { ?x sa:integrationTarget ?t }
            FILTER NOT EXISTS { ?t a sa:CatalogEntry }
        }""",
    )
    assert dangling == []
    wrong_layer = select(
        store,
        """
        SELECT ?i WHERE { ?i sa:integrationTarget ?t ; sa:layer ?l . ?t sa:layer ?tl . FILTER (?l != ?tl) }""",
    )
    assert wrong_layer == []
    directions = {r["d"] for r in select(store, "SELECT DISTINCT ?d WHERE { ?i sa:direction ?d }")}
    assert len(directions) == 2


def test_every_vendor_file_cites_a_synthetic_source_page(store: Store):
    rows = select(
        store,
        """
        SELECT ?v ?page ?comment WHERE {
            GRAPH ?g { ?v a sa:CatalogEntry }
            ?g a sa:SourceGraph ; prov:wasDerivedFrom ?page .
            ?page a sa:SourcePage ; dcterms:subject ?v ; rdfs:comment ?comment .
        }""",
    )
    assert len({r["v"] for r in rows}) == N
    assert all("no real product" in r["comment"] for r in rows)


def test_generated_catalog_has_no_shacl_violations(catalog: Path):
    report = validate(catalog_sources([catalog]))
    assert report.violations == [], report.render("text")
    assert len(report.warnings) < N, report.render("text")
