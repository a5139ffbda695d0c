"""Each shape rule, broken alone on a minimal valid vendor, yields exactly its finding.

``tests/fixtures/shapes/minimal-vendor.ttl`` validates clean; every case edits
its Turtle text (replace a line, add lines) into a temporary file and runs the
real validator (pyshacl on the pyoxigraph store) together with the ontology
and the shipped vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from stackatlas.validation import Finding, Report, load_shapes, validate, validation_sources

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "shapes" / "minimal-vendor.ttl"
BASE = FIXTURE.read_text()
ACME = "https://w3id.org/stackatlas/id/vendor/acme"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def run(tmp_path: Path, shapes, text: str, name: str = "acme.ttl") -> Report:
    path = tmp_path / name
    path.write_text(text)
    return validate(validation_sources([path]), shapes)


def edit(*changes: tuple[str, str], add: str = "") -> str:
    text = BASE
    for old, new in changes:
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return text + add


def test_minimal_vendor_is_clean(tmp_path, shapes):
    report = run(tmp_path, shapes, BASE)
    assert report.findings == []
    assert report.conforms


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    severity: str
    focus: str
    path: str | None
    message: str
    shape: str


CASES = [
    # --- names -------------------------------------------------------------
    Case(
        "vendor-without-name",
        edit(('    skos:prefLabel "Acme" ;\n', "")),
        "Violation",
        ACME,
        "skos:prefLabel",
        "Needs exactly one name (skos:prefLabel)",
        "shapes:PrefLabel",
    ),
    Case(
        "vendor-with-two-names",
        edit(('skos:prefLabel "Acme" ;', 'skos:prefLabel "Acme", "Acme Inc" ;')),
        "Violation",
        ACME,
        "skos:prefLabel",
        "Needs exactly one name",
        "shapes:PrefLabel",
    ),
    Case(
        "name-not-a-text",
        edit(('skos:prefLabel "Acme" ;', 'skos:prefLabel "2024"^^xsd:gYear ;')),
        "Violation",
        ACME,
        "skos:prefLabel",
        "typed http://www.w3.org/2001/XMLSchema#gYear",
        "shapes:TextDatatypeShape",
    ),
    Case(
        "offering-without-name",
        edit(('    skos:prefLabel "Acme Cloud" ;\n', "")),
        "Violation",
        f"{ACME}/offering-cloud",
        "skos:prefLabel",
        "Needs exactly one name",
        "shapes:PrefLabel",
    ),
    # --- layers --------------------------------------------------------------
    Case(
        "catalog-entry-without-layer",
        edit(("    sa:layer layer:L7 ;\n", "")),
        "Violation",
        ACME,
        "sa:layer",
        "A catalog entry needs its layer",
        "shapes:CatalogEntryShape/layer",
    ),
    Case(
        "mentioned-vendor-without-layer",
        edit(("    sa:layer layer:L1 ;\n    sa:role", "    sa:role")),
        "Info",
        "https://w3id.org/stackatlas/id/vendor/other",
        "sa:layer",
        "Other: layer unknown — no source states it.",
        "shapes:VendorLayerUnknownShape",
    ),
    Case(
        "layer-not-a-layer",
        edit(("sa:layer layer:L7 ;", "sa:layer category:workflow-orchestration ;")),
        "Violation",
        ACME,
        "sa:layer",
        "must be one of the seven layers",
        "shapes:VendorShape/layer",
    ),
    Case(
        "catalog-entry-without-summary",
        edit(('    sa:summary "A test orchestrator." ;\n', "")),
        "Violation",
        ACME,
        "sa:summary",
        "needs its summary",
        "shapes:CatalogEntryShape/summary",
    ),
    Case(
        "catalog-entry-without-category",
        edit(("    sa:category category:workflow-orchestration ;\n", "")),
        "Violation",
        ACME,
        "sa:category",
        "needs its category",
        "shapes:CatalogEntryShape/category",
    ),
    # --- scores --------------------------------------------------------------
    Case(
        "score-outside-scale",
        edit(
            ("sa:score 5 ; sa:scale 6 ; sa:position 2", "sa:score 8 ; sa:scale 6 ; sa:position 2"),
            ("sa:total 9 ;", "sa:total 12 ;"),
        ),
        "Violation",
        f"{ACME}/inpact-N",
        "sa:score",
        "Acme INPACT Natural: score 8 is outside its scale 0..6.",
        "shapes:DimensionScoreRangeShape",
    ),
    Case(
        "total-not-sum-of-dimensions",
        edit(("sa:total 9 ;", "sa:total 10 ;")),
        "Violation",
        f"{ACME}/inpact",
        "sa:total",
        "Acme INPACT: total 10 is not the sum of its 2 dimension scores",
        "shapes:AssessmentTotalShape",
    ),
    Case(
        "score-not-an-integer",
        edit(("sa:score 4 ; sa:scale 6 ; sa:position 1", 'sa:score "4" ; sa:scale 6 ; sa:position 1')),
        "Violation",
        f"{ACME}/inpact-I",
        "sa:score",
        "exactly one score (sa:score), a whole number",
        "shapes:DimensionShape/score",
    ),
    # --- relations pointing at vendors ------------------------------------------
    Case(
        "alternative-not-a-vendor",
        edit(("sa:alternativeVendor vendor:other ;", "sa:alternativeVendor cert:hipaa-baa ;")),
        "Violation",
        f"{ACME}/alternative-other",
        "sa:alternativeVendor",
        "a node typed sa:Vendor",
        "shapes:AlternativeShape/alternative vendor",
    ),
    Case(
        "integration-not-a-vendor",
        edit(("sa:integrationTarget vendor:other ;", "sa:integrationTarget layer:L1 ;")),
        "Violation",
        f"{ACME}/integration-downstream-other",
        "sa:integrationTarget",
        "a node typed sa:Vendor",
        "shapes:IntegrationShape/target",
    ),
    Case(
        "mention-not-a-vendor",
        edit(("sa:mentionedVendor vendor:other ;", "sa:mentionedVendor acme:risk-1 ;")),
        "Violation",
        f"{ACME}/mention-other",
        "sa:mentionedVendor",
        "a node typed sa:Vendor",
        "shapes:MentionShape/mentioned vendor",
    ),
    Case(
        "alternative-is-the-vendor-itself",
        edit(("sa:alternativeVendor vendor:other ;", "sa:alternativeVendor vendor:acme ;")),
        "Warning",
        f"{ACME}/alternative-other",
        "sa:alternativeVendor",
        "Acme lists itself as its own alternative.",
        "shapes:SelfAlternativeShape",
    ),
    Case(
        "integration-direction-outside-value-set",
        edit(("sa:direction sa:Downstream ;", "sa:direction sa:High ;")),
        "Violation",
        f"{ACME}/integration-downstream-other",
        "sa:direction",
        "sa:Upstream or sa:Downstream",
        "shapes:IntegrationShape/direction",
    ),
    # --- risks -----------------------------------------------------------------
    Case(
        "risk-without-severity",
        edit(("    sa:severity sa:High ;\n", "")),
        "Violation",
        f"{ACME}/risk-1",
        "sa:severity",
        "A trust risk needs exactly one severity",
        "shapes:TrustRiskShape/severity",
    ),
    Case(
        "risk-without-mitigation",
        edit(('    sa:mitigation "Configure it." .', "    .")),
        "Violation",
        f"{ACME}/risk-1",
        "sa:mitigation",
        "A trust risk needs its mitigation",
        "shapes:TrustRiskShape/mitigation",
    ),
    Case(
        "risk-severity-outside-value-set",
        edit(("sa:severity sa:High ;", "sa:severity sa:StrongFit ;")),
        "Violation",
        f"{ACME}/risk-1",
        "sa:severity",
        "sa:High, sa:Medium or sa:Low",
        "shapes:TrustRiskShape/severity",
    ),
    # --- compliance claims -------------------------------------------------------
    Case(
        "claim-without-offering",
        edit(("    sa:claimOffering acme:offering-cloud ;\n", "")),
        "Violation",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:claimOffering",
        "needs exactly one offering",
        "shapes:ComplianceClaimShape/offering",
    ),
    Case(
        "claim-without-status",
        edit(("    sa:status sa:Held ;\n", "")),
        "Violation",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:status",
        "needs exactly one status",
        "shapes:ComplianceClaimShape/status",
    ),
    Case(
        "claim-without-evidence",
        edit(
            (
                '    sa:status sa:Held ;\n    sa:evidence "Acme Cloud holds HIPAA BAA." .',
                "    sa:status sa:Held .",
            )
        ),
        "Violation",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:evidence",
        "needs the evidence",
        "shapes:ComplianceClaimShape/evidence",
    ),
    Case(
        "claim-without-certification",
        edit(("    sa:certification cert:hipaa-baa ;\n", "")),
        "Violation",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:certification",
        "needs exactly one certification",
        "shapes:ComplianceClaimShape/certification",
    ),
    Case(
        "claim-status-outside-value-set",
        edit(("sa:status sa:Held ;", "sa:status sa:Upstream ;")),
        "Violation",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:status",
        "sa:Held, sa:NotHeld or sa:NotAdvertised",
        "shapes:ComplianceClaimShape/status",
    ),
    Case(
        "claim-about-another-vendors-offering",
        edit(
            (
                "sa:claimOffering acme:offering-cloud ;",
                "sa:claimOffering <https://w3id.org/stackatlas/id/vendor/other/offering-cloud> ;",
            ),
            add="<https://w3id.org/stackatlas/id/vendor/other/offering-cloud> a sa:ManagedOffering ;\n"
            '    skos:prefLabel "Other Cloud" ; sa:offeringOf vendor:other .\n',
        ),
        "Warning",
        f"{ACME}/claim-cloud-hipaa-baa",
        "sa:claimOffering",
        "Acme's compliance claim is about the offering "
        "https://w3id.org/stackatlas/id/vendor/other/offering-cloud, which is not one of Acme's offerings.",
        "shapes:ClaimOfferingOwnerShape",
    ),
    # --- datatypes, required texts, value sets -------------------------------------
    Case(
        "boolean-of-wrong-datatype",
        edit(("sa:openSource true ;", 'sa:openSource "yes" ;')),
        "Violation",
        ACME,
        "sa:openSource",
        "Open source (sa:openSource) is a single true or false.",
        "shapes:VendorShape/open source",
    ),
    Case(
        "text-of-wrong-datatype",
        edit(('sa:pricing "Free" ;', "sa:pricing 0 ;")),
        "Violation",
        ACME,
        "sa:pricing",
        "Pricing (sa:pricing) is a single plain string",
        "shapes:VendorShape/pricing",
    ),
    Case(
        "position-not-a-number",
        edit(
            (
                "acme:strength-1 a sa:Strength ; sa:position 1 ;",
                'acme:strength-1 a sa:Strength ; sa:position "first" ;',
            )
        ),
        "Violation",
        f"{ACME}/strength-1",
        "sa:position",
        'The position "first" (sa:position) is not a whole number from 1',
        "shapes:PositionValueShape",
    ),
    Case(
        "strength-without-text",
        edit(
            (
                'acme:strength-1 a sa:Strength ; sa:position 1 ; sa:text "Fast." .',
                "acme:strength-1 a sa:Strength ; sa:position 1 .",
            )
        ),
        "Violation",
        f"{ACME}/strength-1",
        "sa:text",
        "Needs exactly one text (sa:text)",
        "shapes:ItemText",
    ),
    Case(
        "use-case-without-title",
        edit(('    sa:title "Data platform" ;\n', "")),
        "Violation",
        f"{ACME}/use-case-1",
        "sa:title",
        "A use case needs exactly one title",
        "shapes:UseCaseShape/title",
    ),
    Case(
        "use-case-fit-outside-value-set",
        edit(("sa:fit sa:StrongFit ;", "sa:fit sa:Held ;")),
        "Violation",
        f"{ACME}/use-case-1",
        "sa:fit",
        "sa:StrongFit or sa:WeakFit",
        "shapes:UseCaseShape/fit",
    ),
    Case(
        "stack-impact-without-layer",
        edit(
            ("acme:impact-L1 a sa:StackImpact ;\n    sa:layer layer:L1 ;", "acme:impact-L1 a sa:StackImpact ;")
        ),
        "Violation",
        f"{ACME}/impact-L1",
        "sa:layer",
        "A stack impact needs exactly one layer",
        "shapes:StackImpactShape/layer",
    ),
    Case(
        "licence-not-spdx",
        edit(
            (
                "sa:license <http://spdx.org/licenses/Apache-2.0> ;\n    sa:openSource",
                "sa:license <https://example.org/my-licence> ;\n    sa:openSource",
            )
        ),
        "Violation",
        ACME,
        "sa:license",
        "SPDX licence IRI",
        "shapes:VendorShape/license",
    ),
    # --- offerings -------------------------------------------------------------
    Case(
        "offering-without-vendor",
        edit(
            (
                '    skos:prefLabel "Acme (OSS)" ;\n    sa:offeringOf vendor:acme ;',
                '    skos:prefLabel "Acme (OSS)" ;',
            ),
            ("sa:offering acme:offering-oss, acme:offering-cloud ;", "sa:offering acme:offering-cloud ;"),
        ),
        "Violation",
        f"{ACME}/offering-oss",
        "sa:offeringOf|^sa:offering",
        "must belong to exactly one vendor",
        "shapes:OfferingShape/vendor",
    ),
    Case(
        "offering-both-managed-and-open-source",
        edit(
            (
                "acme:offering-cloud a sa:ManagedOffering ;",
                "acme:offering-cloud a sa:ManagedOffering, sa:OpenSourceOffering ;"
                " sa:license <http://spdx.org/licenses/MIT> ;",
            )
        ),
        "Violation",
        f"{ACME}/offering-cloud",
        None,
        "An offering cannot be both managed and open-source",
        "shapes:ManagedOfferingShape",
    ),
    Case(
        "open-source-offering-without-licence",
        edit(
            (
                "    sa:offeringOf vendor:acme ;\n    sa:license <http://spdx.org/licenses/Apache-2.0> .",
                "    sa:offeringOf vendor:acme .",
            )
        ),
        "Warning",
        f"{ACME}/offering-oss",
        "sa:license",
        "Open-source offering without a licence",
        "shapes:OpenSourceOfferingShape/license",
    ),
    # --- GOALS criteria (warnings: the page's numbers are kept as stated) ---------------
    Case(
        "stated-criteria-met-differs-from-criteria-marked-met",
        edit(
            (
                'acme:goals-G2 a sa:Criterion ; sa:code "G2" ; sa:met true .',
                'acme:goals-G2 a sa:Criterion ; sa:code "G2" ; sa:met false .',
            )
        ),
        "Warning",
        f"{ACME}/goals-G",
        "sa:statedCriteriaMet",
        "Acme GOALS Governance: page states 2/2 criteria met but lists 1 marked Y (G1).",
        "shapes:StatedCriteriaMetShape",
    ),
    Case(
        "stated-criteria-total-differs-from-criteria-listed",
        edit(("sa:statedCriteriaTotal 2 ;", "sa:statedCriteriaTotal 6 ;")),
        "Warning",
        f"{ACME}/goals-G",
        "sa:statedCriteriaTotal",
        "Acme GOALS Governance: page states 6 criteria but lists 2 (G1, G2).",
        "shapes:StatedCriteriaTotalShape",
    ),
    Case(
        "score-differs-from-criteria-met-without-reason",
        edit(
            (
                "sa:score 2 ; sa:scale 6 ;\n    sa:statedCriteriaMet 2",
                "sa:score 1 ; sa:scale 6 ;\n    sa:statedCriteriaMet 2",
            ),
            ("sa:total 2 ;", "sa:total 1 ;"),
        ),
        "Warning",
        f"{ACME}/goals-G",
        "sa:score",
        "Acme GOALS Governance: 2/2 criteria met but the score is 1/6, "
        "and the page gives no reason for the difference.",
        "shapes:UnexplainedScoreShape",
    ),
    Case(
        "score-adjusted-with-the-pages-reason",
        edit(
            (
                "sa:score 2 ; sa:scale 6 ;\n    sa:statedCriteriaMet 2",
                "sa:score 1 ; sa:scale 6 ;\n    sa:statedCriteriaMet 2",
            ),
            ("sa:total 2 ;", "sa:total 1 ;"),
            ('sa:adjustmentNote "2/2 -> 2." ;', 'sa:adjustmentNote "2/2 -> 1 strict (young project)." ;'),
        ),
        "Warning",
        f"{ACME}/goals-G",
        "sa:score",
        "Acme GOALS Governance: scored 1/6 from 2/2 criteria met; "
        'the page\'s reason: "2/2 -> 1 strict (young project)."',
        "shapes:AdjustedScoreShape",
    ),
    Case(
        "assessment-scale-differs-from-dimension-scales",
        edit(("sa:scale 12 ;", "sa:scale 10 ;")),
        "Warning",
        f"{ACME}/inpact",
        "sa:scale",
        "Acme INPACT: total is out of 10, but its 2 dimensions are scored out of 6 + 6 = 12.",
        "shapes:AssessmentScaleShape",
    ),
    Case(
        "criterion-without-code",
        edit(('acme:goals-G1 a sa:Criterion ; sa:code "G1" ;', "acme:goals-G1 a sa:Criterion ;")),
        "Violation",
        f"{ACME}/goals-G1",
        "sa:code",
        "A criterion needs exactly one code (sa:code)",
        "shapes:CriterionShape/code",
    ),
    # --- provenance --------------------------------------------------------------
    Case(
        "file-without-provenance",
        edit(("<> a sa:SourceGraph ;\n    prov:wasDerivedFrom source:dagster .", "<> a sa:SourceGraph .")),
        "Violation",
        "https://w3id.org/stackatlas/graph/acme",
        "prov:wasDerivedFrom",
        "The file does not say where its facts come from",
        "shapes:ProvenanceShape",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_yields_exactly_its_finding(tmp_path, shapes, case: Case):
    report = run(tmp_path, shapes, case.text)
    assert len(report.findings) == 1, "\n".join(map(str, report.findings))
    finding: Finding = report.findings[0]
    assert finding.severity == case.severity
    assert finding.focus == case.focus
    assert finding.path == case.path
    assert case.message in finding.message
    assert finding.source_shape == case.shape
    assert finding.file == str(tmp_path / "acme.ttl")
    expected_vendor = "other" if case.focus.endswith("/other") else "acme"
    if case.id == "file-without-provenance":
        expected_vendor = None
    assert finding.vendor == expected_vendor
    assert report.conforms == (case.severity != "Violation")


def test_total_outside_scale(tmp_path, shapes):
    """A total beyond its scale: the range violation, with the scale warning that goes with it.

    With every score within its own scale, a total equal to the sum of the
    scores can exceed the assessment's scale only when that scale is not the
    sum of the dimension scales, so the rule never fires alone.
    """
    report = run(tmp_path, shapes, edit(("sa:scale 12 ;", "sa:scale 8 ;")))
    assert [(f.source_shape, f.message) for f in report.violations] == [
        ("shapes:AssessmentTotalRangeShape", "Acme INPACT: total 9 is outside its scale 0..8.")
    ]
    assert [f.source_shape for f in report.warnings] == ["shapes:AssessmentScaleShape"]


def test_stated_criteria_met_above_stated_total(tmp_path, shapes):
    report = run(
        tmp_path,
        shapes,
        edit(
            ("sa:statedCriteriaMet 2 ;", "sa:statedCriteriaMet 3 ;"),
            (
                "sa:score 2 ; sa:scale 6 ;\n    sa:statedCriteriaMet",
                "sa:score 3 ; sa:scale 6 ;\n    sa:statedCriteriaMet",
            ),
            ("sa:total 2 ;", "sa:total 3 ;"),
        ),
    )
    assert report.violations == []
    shapes_hit = sorted(f.source_shape for f in report.warnings)
    assert shapes_hit == [
        "shapes:StatedCriteriaBoundShape/stated criteria met",
        "shapes:StatedCriteriaMetShape",
    ]


def test_bare_arithmetic_note_is_no_reason(tmp_path, shapes):
    """A note that only repeats '5/6 -> 4.' does not explain a score (Dagster Availability)."""
    report = run(
        tmp_path,
        shapes,
        edit(
            (
                "sa:score 2 ; sa:scale 6 ;\n    sa:statedCriteriaMet",
                "sa:score 1 ; sa:scale 6 ;\n    sa:statedCriteriaMet",
            ),
            ("sa:total 2 ;", "sa:total 1 ;"),
            ('sa:adjustmentNote "2/2 -> 2." ;', 'sa:adjustmentNote "2/2 -> 1." ;'),
        ),
    )
    assert [f.source_shape for f in report.findings] == ["shapes:UnexplainedScoreShape"]


def test_ill_formed_integer_is_a_datatype_violation(tmp_path, shapes):
    report = run(
        tmp_path,
        shapes,
        edit(("sa:scale 6 ; sa:position 1 ;", 'sa:scale "six"^^xsd:integer ; sa:position 1 ;')),
    )
    assert [(f.source_shape, f.path, f.value) for f in report.violations] == [
        ("shapes:DimensionShape/scale", "sa:scale", "six")
    ]


def test_every_ontology_class_has_a_shape(shapes):
    """SHACL for every class of the ontology: each owl:Class is targeted or checked by some shape."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS, SH

    from stackatlas.resources import ontology_dir

    ontology = Graph()
    for path in ontology_dir().glob("*.ttl"):
        ontology.parse(path)
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    targeted = set(shapes.objects(None, SH.targetClass))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, SH.name) is not None, shape
        assert shapes.value(shape, RDFS.comment) is not None, shape
    assert classes - targeted == set(), sorted(classes - targeted)


def test_every_constraint_has_a_message(shapes):
    from rdflib.namespace import SH

    for shape in set(shapes.subjects(SH.path, None)) | set(shapes.subjects(SH.select, None)):
        if shapes.value(predicate=SH.target, object=shape) is not None:
            continue  # a SPARQL target, not a constraint
        assert shapes.value(shape, SH.message) is not None, shape


@pytest.mark.parametrize("value", ["0", '"-1"^^xsd:positiveInteger', "1.5", '"x"^^xsd:integer'])
def test_position_must_be_a_whole_number_from_one(tmp_path, shapes, value):
    text = edit(
        (
            "acme:strength-1 a sa:Strength ; sa:position 1 ;",
            f"acme:strength-1 a sa:Strength ; sa:position {value} ;",
        )
    )
    report = run(tmp_path, shapes, text)
    assert [(f.source_shape, f.focus) for f in report.findings] == [
        ("shapes:PositionValueShape", f"{ACME}/strength-1")
    ]


def test_position_typed_positive_integer_is_accepted(tmp_path, shapes):
    text = edit(
        (
            "acme:strength-1 a sa:Strength ; sa:position 1 ;",
            'acme:strength-1 a sa:Strength ; sa:position "1"^^xsd:positiveInteger ;',
        )
    )
    assert run(tmp_path, shapes, text).findings == []


def test_blank_node_instead_of_an_iri(tmp_path, shapes):
    text = edit(
        (
            "    sa:strength acme:strength-1 ;\n",
            '    sa:strength acme:strength-1, [ a sa:Strength ; sa:position 2 ; sa:text "Cheap." ] ;\n',
        )
    )
    report = run(tmp_path, shapes, text)
    assert [(f.severity, f.source_shape, f.vendor) for f in report.findings] == [
        ("Violation", "shapes:StrengthShape", "acme")
    ]
    assert report.findings[0].message.startswith("A strength must be named by an IRI")


def test_docs_list_every_rule(shapes):
    """docs/validation.md's rule table names every shape and message the shapes file has."""
    from rdflib.namespace import SH

    from stackatlas.validation import shape_name

    doc = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text()
    for constraint in set(shapes.subjects(SH.message, None)):
        owner = shapes.value(predicate=SH.sparql, object=constraint) or constraint
        assert f"`{shape_name(shapes, owner)}`" in doc
        assert str(shapes.value(constraint, SH.message)).replace("|", "\\|") in doc


def test_file_without_any_graph_statement_is_named(tmp_path, shapes):
    """A vendor file that never mentions <> still gets a provenance violation naming it."""
    text = edit(("<> a sa:SourceGraph ;\n    prov:wasDerivedFrom source:dagster .", ""))
    report = run(tmp_path, shapes, text)
    assert [(f.source_shape, f.focus, f.file) for f in report.findings] == [
        ("shapes:ProvenanceShape", "https://w3id.org/stackatlas/graph/acme", str(tmp_path / "acme.ttl"))
    ]


# More rules, one violation each: (id, replacements, added Turtle, source shape, path).
ID_ = "https://w3id.org/stackatlas/id"
MORE = [
    (
        "alias-not-a-text",
        [('skos:altLabel "ACME" ;', "skos:altLabel <https://example.org/acme> ;")],
        "",
        "shapes:AltLabel",
        "skos:altLabel",
    ),
    ("role-not-a-string", [('sa:role "storage" .', "sa:role 3 .")], "", "shapes:Role", "sa:role"),
    (
        "two-summaries",
        [],
        'vendor:acme sa:summary "Another summary." .\n',
        "shapes:VendorShape/summary",
        "sa:summary",
    ),
    (
        "category-not-a-category",
        [("sa:category category:workflow-orchestration ;", "sa:category layer:L7 ;")],
        "",
        "shapes:VendorShape/category",
        "sa:category",
    ),
    (
        "offering-not-an-offering",
        [],
        "vendor:acme sa:offering acme:risk-1 .\n",
        "shapes:VendorShape/offering",
        "sa:offering",
    ),
    (
        "assessment-not-an-assessment",
        [],
        "vendor:acme sa:assessment acme:strength-1 .\n",
        "shapes:VendorShape/assessment",
        "sa:assessment",
    ),
    (
        "strength-not-a-strength",
        [],
        "vendor:acme sa:strength acme:limitation-1 .\n",
        "shapes:VendorShape/strength",
        "sa:strength",
    ),
    (
        "limitation-not-a-limitation",
        [],
        "vendor:acme sa:limitation acme:strength-1 .\n",
        "shapes:VendorShape/limitation",
        "sa:limitation",
    ),
    (
        "best-suited-for-not-an-item",
        [],
        "vendor:acme sa:bestSuitedFor acme:strength-1 .\n",
        "shapes:VendorShape/best suited for",
        "sa:bestSuitedFor",
    ),
    (
        "use-with-caution-not-an-item",
        [],
        "vendor:acme sa:useWithCautionFor acme:strength-1 .\n",
        "shapes:VendorShape/use with caution for",
        "sa:useWithCautionFor",
    ),
    (
        "claim-not-a-claim",
        [],
        "vendor:acme sa:complianceClaim acme:risk-1 .\n",
        "shapes:VendorShape/compliance claim",
        "sa:complianceClaim",
    ),
    (
        "alternative-is-the-other-vendor-itself",
        [],
        "vendor:acme sa:alternative vendor:other .\n",
        "shapes:VendorShape/alternative",
        "sa:alternative",
    ),
    (
        "integration-is-the-other-vendor-itself",
        [],
        "vendor:acme sa:integration vendor:other .\n",
        "shapes:VendorShape/integration",
        "sa:integration",
    ),
    (
        "mention-is-the-other-vendor-itself",
        [],
        "vendor:acme sa:mention vendor:other .\n",
        "shapes:VendorShape/mention",
        "sa:mention",
    ),
    (
        "risk-not-a-risk",
        [],
        "vendor:acme sa:trustRisk acme:strength-1 .\n",
        "shapes:VendorShape/trust risk",
        "sa:trustRisk",
    ),
    (
        "use-case-not-a-use-case",
        [],
        "vendor:acme sa:useCase acme:strength-1 .\n",
        "shapes:VendorShape/use case",
        "sa:useCase",
    ),
    (
        "impact-not-an-impact",
        [],
        "vendor:acme sa:stackImpact acme:strength-1 .\n",
        "shapes:VendorShape/stack impact",
        "sa:stackImpact",
    ),
    (
        "open-source-twice",
        [("sa:openSource true ;", "sa:openSource true, false ;")],
        "",
        "shapes:VendorShape/open source",
        "sa:openSource",
    ),
    (
        "assessment-without-framework",
        [("    sa:framework sa:INPACT ;\n", "")],
        "",
        "shapes:AssessmentShape/framework",
        "sa:framework",
    ),
    (
        "assessment-framework-outside-value-set",
        [("sa:framework sa:INPACT ;", "sa:framework sa:Held ;")],
        "",
        "shapes:AssessmentShape/framework",
        "sa:framework",
    ),
    ("assessment-without-total", [("    sa:total 9 ;\n", "")], "", "shapes:AssessmentShape/total", "sa:total"),
    ("assessment-without-scale", [("    sa:scale 12 ;\n", "")], "", "shapes:AssessmentShape/scale", "sa:scale"),
    (
        "assessment-without-vendor",
        [("sa:assessment acme:inpact, acme:goals ;", "sa:assessment acme:goals ;")],
        "",
        "shapes:AssessmentShape/vendor",
        "^sa:assessment",
    ),
    (
        "dimension-without-code",
        [('sa:code "N" ; rdfs:label "Natural" ;', 'rdfs:label "Natural" ;')],
        "",
        "shapes:DimensionShape/code",
        "sa:code",
    ),
    (
        "dimension-without-score",
        [
            ("sa:score 5 ; sa:scale 6 ; sa:position 2", "sa:scale 6 ; sa:position 2"),
            ("sa:total 9 ;", "sa:total 4 ;"),
        ],
        "",
        "shapes:DimensionShape/score",
        "sa:score",
    ),
    (
        "dimension-with-two-names",
        [],
        'acme:inpact-I skos:prefLabel "Instant", "Immediate" .\n',
        "shapes:DimensionShape/name",
        "skos:prefLabel",
    ),
    (
        "rationale-not-a-plain-string",
        [('sa:rationale "Batch scheduling."', 'sa:rationale "Batch scheduling."@en')],
        "",
        "shapes:DimensionShape/rationale",
        "sa:rationale",
    ),
    (
        "two-adjustment-notes",
        [],
        'acme:goals-G sa:adjustmentNote "2/2 -> 2 (again)." .\n',
        "shapes:DimensionShape/adjustment note",
        "sa:adjustmentNote",
    ),
    (
        "criterion-met-twice",
        [('sa:code "G2" ; sa:met true .', 'sa:code "G2" ; sa:met true, false .')],
        "",
        "shapes:CriterionShape/met",
        "sa:met",
    ),
    (
        "criterion-note-not-a-string",
        [('sa:note "RBAC"', "sa:note 5")],
        "",
        "shapes:CriterionShape/note",
        "sa:note",
    ),
    (
        "strength-without-vendor",
        [("    sa:strength acme:strength-1 ;\n", "")],
        "",
        "shapes:StrengthShape/vendor",
        "^sa:strength",
    ),
    (
        "limitation-without-vendor",
        [("    sa:limitation acme:limitation-1 ;\n", "")],
        "",
        "shapes:LimitationShape/vendor",
        "^sa:limitation",
    ),
    (
        "best-suited-for-without-vendor",
        [("    sa:bestSuitedFor acme:best-suited-for-1 ;\n", "")],
        "",
        "shapes:BestSuitedForShape/vendor",
        "^sa:bestSuitedFor",
    ),
    (
        "use-with-caution-without-vendor",
        [("    sa:useWithCautionFor acme:use-with-caution-1 ;\n", "")],
        "",
        "shapes:UseWithCautionForShape/vendor",
        "^sa:useWithCautionFor",
    ),
    (
        "claim-without-vendor",
        [("    sa:complianceClaim acme:claim-cloud-hipaa-baa ;\n", "")],
        "",
        "shapes:ComplianceClaimShape/vendor",
        "^sa:complianceClaim",
    ),
    (
        "claim-evidence-not-a-plain-string",
        [('sa:evidence "Acme Cloud holds HIPAA BAA."', 'sa:evidence "Acme Cloud holds HIPAA BAA."@en')],
        "",
        "shapes:ComplianceClaimShape/evidence",
        "sa:evidence",
    ),
    (
        "alternative-without-vendor",
        [("    sa:alternative acme:alternative-other ;\n", "")],
        "",
        "shapes:AlternativeShape/vendor",
        "^sa:alternative",
    ),
    (
        "two-choose-for-texts",
        [],
        'acme:alternative-other sa:chooseFor "Choose Other again." .\n',
        "shapes:AlternativeShape/choose for",
        "sa:chooseFor",
    ),
    (
        "integration-without-vendor",
        [("    sa:integration acme:integration-downstream-other ;\n", "")],
        "",
        "shapes:IntegrationShape/vendor",
        "^sa:integration",
    ),
    (
        "integration-layer-not-a-layer",
        [
            (
                "sa:layer layer:L1 ;\n    sa:mechanism",
                "sa:layer category:workflow-orchestration ;\n    sa:mechanism",
            )
        ],
        "",
        "shapes:IntegrationShape/layer",
        "sa:layer",
    ),
    (
        "mechanism-not-a-string",
        [('sa:mechanism "writes" ;', "sa:mechanism 1 ;")],
        "",
        "shapes:IntegrationShape/mechanism",
        "sa:mechanism",
    ),
    (
        "two-integration-descriptions",
        [],
        'acme:integration-downstream-other sa:description "Again." .\n',
        "shapes:Description",
        "sa:description",
    ),
    (
        "mention-without-vendor",
        [("    sa:mention acme:mention-other ;\n", "")],
        "",
        "shapes:MentionShape/vendor",
        "^sa:mention",
    ),
    (
        "risk-without-description",
        [('    sa:description "Misconfiguration." ;\n', "")],
        "",
        "shapes:RequiredDescription",
        "sa:description",
    ),
    (
        "risk-without-vendor",
        [("    sa:trustRisk acme:risk-1 ;\n", "")],
        "",
        "shapes:TrustRiskShape/vendor",
        "^sa:trustRisk",
    ),
    (
        "use-case-with-two-fits",
        [("sa:fit sa:StrongFit ;", "sa:fit sa:StrongFit, sa:WeakFit ;")],
        "",
        "shapes:UseCaseShape/fit",
        "sa:fit",
    ),
    (
        "use-case-without-vendor",
        [("    sa:useCase acme:use-case-1 ;\n", "")],
        "",
        "shapes:UseCaseShape/vendor",
        "^sa:useCase",
    ),
    (
        "stack-impact-without-description",
        [('    sa:layer layer:L1 ;\n    sa:description "Writes to storage." .', "    sa:layer layer:L1 .")],
        "",
        "shapes:RequiredDescription",
        "sa:description",
    ),
    (
        "stack-impact-without-vendor",
        [("    sa:stackImpact acme:impact-L1 .", "    .")],
        "",
        "shapes:StackImpactShape/vendor",
        "^sa:stackImpact",
    ),
    (
        "offering-licence-not-an-iri",
        [("    sa:license <http://spdx.org/licenses/Apache-2.0> .", '    sa:license "Apache-2.0" .')],
        "",
        "shapes:OfferingShape/license",
        "sa:license",
    ),
    (
        "offering-pricing-twice",
        [('    sa:pricing "sales-led" .', '    sa:pricing "sales-led", "opaque" .')],
        "",
        "shapes:OfferingShape/pricing",
        "sa:pricing",
    ),
    (
        "layer-code-outside-l1-l7",
        [],
        f'<{ID_}/layer/L9> a sa:Layer ; skos:inScheme <{ID_}/layer> ; skos:notation "L9" ; sa:rank 7 .\n',
        "shapes:LayerShape/code",
        "skos:notation",
    ),
    (
        "layer-rank-outside-1-7",
        [],
        f'<{ID_}/layer/L0> a sa:Layer ; skos:inScheme <{ID_}/layer> ; skos:notation "L1" ; sa:rank 0 .\n',
        "shapes:LayerShape/rank",
        "sa:rank",
    ),
    (
        "category-without-scheme",
        [],
        f'<{ID_}/category/x> a sa:Category ; skos:prefLabel "X" .\n',
        "shapes:InScheme",
        "skos:inScheme",
    ),
    (
        "certification-code-not-upper-case",
        [],
        f'<{ID_}/certification/x> a sa:Certification ; skos:prefLabel "X" ;'
        f' skos:inScheme <{ID_}/certification> ; skos:notation "iso" .\n',
        "shapes:CertificationShape/code",
        "skos:notation",
    ),
    (
        "unknown-framework",
        [],
        'sa:Other a sa:Framework ; skos:notation "OTHER" .\n',
        "shapes:FrameworkShape",
        None,
    ),
    (
        "unknown-claim-status",
        [],
        'sa:Maybe a sa:ClaimStatus ; skos:notation "MAYBE" .\n',
        "shapes:ClaimStatusShape",
        None,
    ),
    (
        "unknown-direction",
        [],
        'sa:Sideways a sa:Direction ; skos:notation "SIDEWAYS" .\n',
        "shapes:DirectionShape",
        None,
    ),
    (
        "unknown-severity",
        [],
        'sa:Critical a sa:Severity ; skos:notation "CRITICAL" ; sa:rank 4 .\n',
        "shapes:SeverityShape",
        None,
    ),
    ("unknown-fit", [], 'sa:Perfect a sa:Fit ; skos:notation "PERFECT" .\n', "shapes:FitShape", None),
    (
        "source-page-without-title",
        [],
        f'<{ID_}/source/x> a sa:SourcePage ; sa:localCopy "sources/x.txt" .\n',
        "shapes:SourcePageShape/title",
        "dcterms:title",
    ),
    (
        "retrieval-date-not-a-date",
        [],
        f'<{ID_}/source/x> a sa:SourcePage ; <http://purl.org/dc/terms/title> "X" ;'
        ' sa:retrievedOn "yesterday" .\n',
        "shapes:SourcePageShape/retrieved on",
        "sa:retrievedOn",
    ),
    (
        "derived-from-a-literal",
        [("prov:wasDerivedFrom source:dagster .", 'prov:wasDerivedFrom "the page" .')],
        "",
        "shapes:SourceGraphShape/derived from",
        "prov:wasDerivedFrom",
    ),
]


@pytest.mark.parametrize(("changes", "add", "shape", "path"), [m[1:] for m in MORE], ids=[m[0] for m in MORE])
def test_more_rules_yield_exactly_their_violation(tmp_path, shapes, changes, add, shape, path):
    report = run(tmp_path, shapes, edit(*changes, add=add))
    assert [(f.severity, f.source_shape, f.path) for f in report.findings] == [("Violation", shape, path)], (
        "\n".join(map(str, report.findings))
    )
    assert report.findings[0].message
    assert "{?" not in report.findings[0].message
