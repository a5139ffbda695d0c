"""What an ingest would change in a vendor file, grouped by page section.

The curator's review before committing: "alternatives: + Temporal",
"compliance: Dagster Cloud FEDRAMP not advertised → held". Claims and
alternatives are compared by meaning (offering × certification, vendor);
other sections item by item, as "+"/"-" lines of property and value.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS

from ..validation import compact as compact_iri
from ..vocab import SA
from .build import Built
from .catalog import Catalog

Changes = dict[str, list[str]]


def _graph(triples: list[ox.Triple]) -> dict[str, dict[str, set[str]]]:
    nodes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in triples:
        nodes[_value(t.subject)][t.predicate.value].add(_value(t.object))
    return nodes


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """An IRI's or literal's text (ingested files have no blank nodes or quoted triples)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def _one(nodes: dict[str, dict[str, set[str]]], s: str, p: str) -> str:
    values = sorted(nodes.get(s, {}).get(str(p), set()))
    return values[0] if values else "?"


def _status(iri: str) -> str:
    return {
        str(SA.Held): "held",
        str(SA.NotHeld): "not held",
        str(SA.NotAdvertised): "not advertised",
        str(SA.NotOffered): "not offered",
        str(SA.NeedsReview): "needs review",
    }.get(iri, iri)


def _claims(nodes: dict[str, dict[str, set[str]]], catalog: Catalog) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for s, props in nodes.items():
        if str(SA.ComplianceClaim) not in props.get(str(RDF.type), set()):
            continue
        offering = _one(nodes, _one(nodes, s, str(SA.claimOffering)), str(SKOS.prefLabel))
        cert = _one(nodes, s, str(SA.certification))
        found[(offering, catalog.cert_notations.get(cert, cert))] = _status(_one(nodes, s, str(SA.status)))
    return found


def _alternatives(nodes: dict[str, dict[str, set[str]]], catalog: Catalog, stubs: dict[str, str]) -> set[str]:
    names = {**catalog.vendor_labels, **stubs}
    return {
        names.get(_one(nodes, s, str(SA.alternativeVendor)), _one(nodes, s, str(SA.alternativeVendor)))
        for s, props in nodes.items()
        if str(SA.Alternative) in props.get(str(RDF.type), set())
    }


def section_of(built: Built, subject: str) -> str:
    origin = built.origins.get(subject)
    if origin:
        return origin.section
    key = subject.rsplit("/", 1)[-1]
    for prefix, section in (
        ("claim-", "Industry Fit: Compliance certifications"),
        ("alternative-", "AI-Suggested Alternatives"),
        ("strength-", "AI-Identified Strengths"),
        ("limitation-", "AI-Identified Limitations"),
        ("risk-", "Trust Risks"),
        ("use-case-", "Use Case Scenarios"),
        ("impact-", "Stack Impact"),
        ("inpact", "INPACT Score"),
        ("goals", "GOALS Score"),
    ):
        if key.startswith(prefix):
            return section
    return "other"


def diff(old: list[ox.Triple], built: Built, catalog: Catalog) -> Changes:
    new = built.triples.all()
    changes: Changes = defaultdict(list)
    before, after = _graph(old), _graph(new)
    old_claims, new_claims = _claims(before, catalog), _claims(after, catalog)
    for key in sorted(old_claims.keys() | new_claims.keys()):
        was, now = old_claims.get(key, "no claim"), new_claims.get(key, "no claim")
        if was != now:
            changes["compliance"].append(f"{key[0]} {key[1]} {was} → {now}")
    old_alts, new_alts = _alternatives(before, catalog, {}), _alternatives(after, catalog, built.stubs)
    changes["alternatives"] += [f"+ {n}" for n in sorted(new_alts - old_alts)]
    changes["alternatives"] += [f"- {n}" for n in sorted(old_alts - new_alts)]
    old_set = {(_value(t.subject), t.predicate.value, str(t.object)) for t in old}
    new_set = {(_value(t.subject), t.predicate.value, str(t.object)) for t in new}
    skip = {"Industry Fit: Compliance certifications", "AI-Suggested Alternatives", "provenance"}
    for sign, triples in (("-", old_set - new_set), ("+", new_set - old_set)):
        for s, p, o in sorted(triples):
            section = section_of(built, s)
            if section in skip and p != str(SA.complianceText):
                continue
            changes[section].append(f"{sign} {compact_iri(s)} {compact_iri(p)} {_short(o)}")
    return {k: v for k, v in changes.items() if v}


def _short(value: str) -> str:
    value = compact_iri(value.strip("<>")) if value.startswith("<") else value
    return value if len(value) <= 100 else value[:97] + "…"
