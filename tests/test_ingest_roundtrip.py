"""Round trip on generated pages: page → ``stackatlas ingest`` → the generated graph.

``bench/generate.py --pages`` writes each synthetic vendor both as Turtle and
as an analysis page in the catalog's page format. Ingesting the 200 pages into
the catalog without its vendor files must give back every vendor's graph
(isomorphic: same triples, no blank nodes to map), and the catalog built that
way must be valid.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from stackatlas.ingest import ingest
from stackatlas.vocab import GRAPH

REPO = Path(__file__).resolve().parents[1]
N = 200


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "catalog"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            str(N),
            "--seed",
            "11",
            "--out",
            str(out),
            "--pages",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_pages_are_written_in_the_page_format(generated: Path):
    pages = sorted((generated / "pages").glob("*.txt"))
    assert len(pages) == N
    assert {p.stem for p in pages} == {p.stem for p in (generated / "vendors").glob("*.ttl")}
    text = pages[0].read_text(encoding="utf-8")
    for heading in (
        "AI Analysis",
        "INPACT Score",
        "GOALS Score",
        "Best suited for",
        "AI-Suggested Alternatives",
    ):
        assert f"\n{heading}\n" in text


def test_ingesting_the_pages_gives_back_the_generated_graphs(generated: Path, tmp_path: Path):
    catalog = tmp_path / "catalog"
    shutil.copytree(generated, catalog)
    shutil.rmtree(catalog / "vendors")
    outcome = ingest([catalog / "pages"], data=catalog)
    assert outcome.report.conforms, [f.message for f in outcome.report.violations][:5]
    assert all(r.written and not r.built.stubs for r in outcome.results)
    mismatched = []
    for original in sorted((generated / "vendors").glob("*.ttl")):
        graph = str(GRAPH[f"vendors/{original.stem}"])
        want = Graph().parse(original, format="turtle", publicID=graph)
        got = Graph().parse(catalog / "vendors" / original.name, format="turtle", publicID=graph)
        if not isomorphic(want, got):
            _, only_want, only_got = graph_diff(to_isomorphic(want), to_isomorphic(got))
            mismatched.append((original.name, sorted(only_want)[:3], sorted(only_got)[:3]))
    assert mismatched == []
    assert len(outcome.results) == N
