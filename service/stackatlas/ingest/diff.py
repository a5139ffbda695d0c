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


_KEYS = (
    ("claim-", "Industry Fit: Compliance certifications"),
    ("alternative-", "AI-Suggested Alternatives"),
    ("strength-", "AI-Identified Strengths"),
    ("limitation-", "AI-Identified Limitations"),
    ("best-suited-for-", "Industry Fit: Best suited for"),
    ("use-with-caution-", "Industry Fit: Use with caution for"),
    ("risk-", "Trust Risks"),
    ("use-case-", "Use Case Scenarios"),
    ("impact-", "Stack Impact"),
    ("watch-for-", "Watch For"),
    ("poc-", "2-Week POC Checklist"),
    ("inpact", "INPACT Score"),
    ("goals", "GOALS Score"),
    ("offering-", "header"),
)


def _by_key(iri: str, built: Built) -> str | None:
    if not iri.startswith(built.vendor + "/"):
        return None
    key = iri.rsplit("/", 1)[-1]
    return next((section for prefix, section in _KEYS if key.startswith(prefix)), None)


def section_of(built: Built, s: str, p: str, o: str) -> str:
    """The page section a triple belongs to, for the new file's triples and the old file's."""
    own = built.triple_sections.get((s, p, o))
    if own:
        return own
    if s != built.vendor:
        origin = built.origins.get(s)
        return origin.section if origin else (_by_key(s, built) or "other")
    by_object = _by_key(o.strip("<>"), built)
    if by_object:
        return by_object
    return next((sec for (vs, vp, _), sec in built.triple_sections.items() if vs == s and vp == p), "other")


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
            section = section_of(built, s, p, o)
            if (section in skip and p != str(SA.complianceText)) or p == str(SA.sourceChecksum):
                continue
            changes[section].append(f"{sign} {compact_iri(s)} {compact_iri(p)} {_short(o)}")
    return {k: v for k, v in changes.items() if v}


def _short(value: str) -> str:
    value = compact_iri(value.strip("<>")) if value.startswith("<") else value
    return value if len(value) <= 100 else value[:97] + "…"
