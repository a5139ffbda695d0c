"""``stackatlas validate`` as a user runs it: a real subprocess, exit codes, formats, bad input.

The shipped data must validate (exit 0) while reporting every scoring
inconsistency of the Dagster page as a warning a curator can read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parents[1]
SA_PREFIX = "@prefix sa: <https://w3id.org/stackatlas/ontology#> .\n"
MINIMAL = REPO / "tests" / "fixtures" / "shapes" / "minimal-vendor.ttl"

DAGSTER_WARNINGS = {
    "shapes:AssessmentScaleShape": (
        "Dagster GOALS: total is out of 25, but its 5 dimensions are scored out of 6 + 6 + 6 + 6 + 6 = 30."
    ),
    "shapes:StatedCriteriaMetShape": (
        "Dagster GOALS Observability: page states 4/6 criteria met but lists 3 marked Y (O1, O2, O4)."
    ),
    "shapes:UnexplainedScoreShape": (
        "Dagster GOALS Availability: 5/6 criteria met but the score is 4/6, "
        "and the page gives no reason for the difference."
    ),
    "lexicon": (
        "Dagster GOALS Lexicon: scored 4/6 from 2/6 criteria met; the page's reason: "
        '"2/6 -> 4 lenient (asset model is fundamentally a lexicon for data engineering)."'
    ),
    "solid": (
        "Dagster GOALS Solid: scored 4/6 from 6/6 criteria met; the page's reason: "
        '"6/6 -> 4 (capped to 4 to avoid claiming top-tier on a dimension where peer airflow scores 5 '
        'and we want consistent calibration)."'
    ),
    "shapes:MitigationContradictsClaimShape": (
        "Dagster risk 2: the mitigation recommends Dagster Cloud for FedRAMP, but the page states "
        'Dagster Cloud × FedRAMP is not advertised ("FedRAMP not advertised — verify with sales for federal '
        'workloads.").'
    ),
}


def stackatlas(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.fixture(scope="module")
def shipped_json() -> dict:
    result = stackatlas("validate", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


# --- the shipped data --------------------------------------------------------


def test_shipped_data_conforms_and_prints_the_dagster_warnings():
    result = stackatlas("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for message in DAGSTER_WARNINGS.values():
        assert message in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"0 violations, {len(DAGSTER_WARNINGS)} warnings,")
    assert last.endswith("— conforms")


def test_every_dagster_scoring_inconsistency_is_a_warning(shipped_json):
    warnings = [f for f in shipped_json["findings"] if f["severity"] == "Warning"]
    assert sorted(f["message"] for f in warnings) == sorted(DAGSTER_WARNINGS.values())
    for finding in warnings:
        assert finding["vendor"] == "dagster"
        assert finding["file"] == "graph_data/vendors/dagster.ttl"
    by_focus = {f["focus"].rsplit("/", 1)[1]: (f["path"], f["value"]) for f in warnings}
    assert by_focus == {
        "goals": ("sa:scale", "25"),
        "goals-O": ("sa:statedCriteriaMet", "4"),
        "goals-A": ("sa:score", "4"),
        "goals-L": ("sa:score", "4"),
        "goals-S": ("sa:score", "4"),
        "risk-2": (
            "sa:mitigation",
            "If the workload requires HIPAA / SOC 2 / FedRAMP, use Dagster Cloud with the appropriate region "
            "+ plan. Otherwise, host OSS in attested substrate (AWS GovCloud, Azure Gov) and inherit substrate "
            "compliance only.",
        ),
    }


def test_shipped_data_has_no_violations(shipped_json):
    assert shipped_json["summary"]["violations"] == 0
    assert shipped_json["summary"]["conforms"] is True
    assert shipped_json["summary"]["warnings"] == len(DAGSTER_WARNINGS)
    infos = [f for f in shipped_json["findings"] if f["severity"] == "Info"]
    assert all(f["message"].endswith("layer unknown — no source states it.") for f in infos)
    assert all(f["path"] == "sa:layer" for f in infos)


# --- exit codes ----------------------------------------------------------------


def test_violations_exit_1_and_name_vendor_file_and_path(tmp_path):
    bad = tmp_path / "acme.ttl"
    bad.write_text(MINIMAL.read_text().replace('    skos:prefLabel "Acme" ;\n', ""))
    result = stackatlas("validate", str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("VIOLATION acme: Needs exactly one name (skos:prefLabel)")
    assert str(bad) in result.stdout
    assert "path skos:prefLabel" in result.stdout
    assert result.stdout.strip().endswith("1 violation, 0 warnings, 0 infos — does not conform")


def test_a_single_valid_file_exits_0(tmp_path):
    result = stackatlas("validate", str(MINIMAL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0 violations, 0 warnings, 0 infos — conforms"


# --- one file against its catalog (--context) ---------------------------------

DAGSTER_FILE = "graph_data/vendors/dagster.ttl"


def test_a_vendor_file_alone_misses_the_vendors_it_points_at():
    result = stackatlas("validate", "--format", "json", DAGSTER_FILE)
    assert result.returncode == 1
    violations = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "Violation"]
    assert violations and all("sa:Vendor" in f["message"] for f in violations)


def test_context_resolves_references_and_reports_only_the_given_file(shipped_json):
    result = stackatlas("validate", "--format", "json", DAGSTER_FILE, "--context", "graph_data")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    expected = [f for f in shipped_json["findings"] if f["file"] == DAGSTER_FILE]
    assert document["findings"] == expected  # the same findings as in the whole catalog's run
    assert len(expected) < len(shipped_json["findings"])  # the others are context, not reported
    assert document["summary"] == {
        "conforms": True,
        "violations": 0,
        "warnings": len(DAGSTER_WARNINGS),
        "infos": sum(f["severity"] == "Info" for f in expected),
    }


def test_context_reports_a_new_files_violations_and_the_report_graph_matches(tmp_path):
    new = tmp_path / "acme.ttl"
    new.write_text(MINIMAL.read_text().replace("sa:total 9 ;", "sa:total 10 ;"))
    text = stackatlas("validate", str(new), "--context", "graph_data")
    assert text.returncode == 1, text.stdout + text.stderr
    assert text.stdout.strip().endswith("1 violation, 0 warnings, 0 infos — does not conform")
    assert "total 10 is not the sum" in text.stdout

    turtle = stackatlas("validate", "--format", "turtle", str(new), "--context", "graph_data")
    assert turtle.returncode == 1
    graph = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    (result,) = graph.objects(report, SH.result)
    assert graph.value(result, SH.resultSeverity) == SH.Violation
    assert str(graph.value(result, SH.focusNode)) == "https://w3id.org/stackatlas/id/vendor/acme/inpact"
    assert graph.value(report, SH.conforms).toPython() is False


def test_context_without_files_is_refused():
    assert_one_line_error(stackatlas("validate", "--context", "graph_data"), "--context", "files to check")


# --- bad input: exit 2, one line on stderr, never a traceback ------------------


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def test_malformed_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text(SA_PREFIX + '\n<x> a sa:Vendor ;\n    sa:role "open .\n')
    line = assert_one_line_error(stackatlas("validate", str(bad)), str(bad), "line 4")
    assert "malformed Turtle" in line


def test_unknown_prefix_names_file_line_and_prefix(tmp_path):
    bad = tmp_path / "prefix.ttl"
    bad.write_text(SA_PREFIX + "\nvendor:acme a sa:Vendor .\n")
    line = assert_one_line_error(stackatlas("validate", str(bad)), str(bad), "line 3", "vendor:")
    assert "unknown prefix" in line


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.ttl"
    assert_one_line_error(stackatlas("validate", str(missing)), str(missing), "no such file")


def test_empty_directory(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_line_error(stackatlas("validate", str(empty)), str(empty), "no RDF files")


def test_non_rdf_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not RDF\n")
    assert_one_line_error(stackatlas("validate", str(notes)), str(notes), "not an RDF file")


def test_binary_file_with_turtle_suffix(tmp_path):
    blob = tmp_path / "image.ttl"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert_one_line_error(stackatlas("validate", str(blob)), str(blob), "line 1", "UTF-8")


def test_bad_file_among_good_ones_is_named(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text(MINIMAL.read_text())
    bad = tmp_path / "bad.ttl"
    bad.write_text(SA_PREFIX + "sa:x sa:y sa:z .\nthis is not turtle\n")
    assert_one_line_error(stackatlas("validate", str(tmp_path)), "bad.ttl", "line 3")


# --- formats -------------------------------------------------------------------


def test_json_format_is_a_list_of_findings_with_a_summary(tmp_path):
    bad = tmp_path / "acme.ttl"
    bad.write_text(MINIMAL.read_text().replace("sa:total 9 ;", "sa:total 10 ;"))
    result = stackatlas("validate", "--format", "json", str(bad))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["summary"] == {"conforms": False, "violations": 1, "warnings": 0, "infos": 0}
    assert document["findings"] == [
        {
            "severity": "Violation",
            "focus": "https://w3id.org/stackatlas/id/vendor/acme/inpact",
            "vendor": "acme",
            "path": "sa:total",
            "message": "Acme INPACT: total 10 is not the sum of its 2 dimension scores (4 + 5 = 9).",
            "value": "10",
            "source_shape": "shapes:AssessmentTotalShape",
            "file": str(bad),
        }
    ]


def test_turtle_format_is_the_shacl_report_graph(shipped_json):
    result = stackatlas("validate", "--format", "turtle")
    assert result.returncode == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report is not None
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(shipped_json["findings"])
    severities = [graph.value(r, SH.resultSeverity) for r in results]
    assert severities.count(SH.Warning) == len(DAGSTER_WARNINGS)
    messages = {str(graph.value(r, SH.resultMessage)) for r in results}
    assert set(DAGSTER_WARNINGS.values()) <= messages


def test_unknown_format_is_refused_by_the_cli():
    result = stackatlas("validate", "--format", "xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "xml" in result.stderr


def test_help_lists_formats_and_exit_codes():
    result = stackatlas("validate", "--help")
    assert result.returncode == 0
    for word in ("text", "json", "turtle", "Exit 0", "1 on", "2 on"):
        assert word in result.stdout


def test_backslashes_in_data_reach_the_message_unharmed(tmp_path):
    """pyshacl fills message templates with re.sub; a backslash must not crash validation."""
    (tmp_path / "odd.ttl").write_text(
        SA_PREFIX + "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "<> a sa:SourceGraph ; prov:wasDerivedFrom <https://w3id.org/stackatlas/id/source/dagster> .\n"
        '<https://w3id.org/stackatlas/id/vendor/odd> a sa:Vendor ; skos:prefLabel "C:\\\\tools\\\\slash" .\n'
    )
    result = stackatlas("validate", "--format", "json", str(tmp_path))
    assert result.returncode == 0, result.stderr
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert "C:\\tools\\slash: layer unknown — no source states it." in messages
