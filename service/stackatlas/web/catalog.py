"""What the pages show, read from the store with SPARQL.

Functions here are synchronous and called through ``store.run`` by the routes.
Each section of a vendor's analysis is one small query, so a section the data
lacks is simply empty on the page (unknown is shown as absent, never as "no").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..store import Row, Store
from ..vocab import ID, sparql_prologue


def _q(store: Store, body: str, iri: str | None = None) -> list[Row]:
    query = sparql_prologue() + (body.replace("?this", f"<{iri}>") if iri else body)
    return store.select(query)


def _first(rows: list[Row]) -> Row:
    return rows[0] if rows else {}


def _merged(rows: list[Row], key: str, *multi: str) -> list[Row]:
    """One row per ``key``: a multi-valued property (two mechanisms, three roles) joined with "; "."""
    merged: dict[object, Row] = {}
    for row in rows:
        first = merged.setdefault(row[key], dict(row))
        for name in multi:
            values = [v for v in str(first[name] or "").split("; ") if v]
            if row[name] and str(row[name]) not in values:
                first[name] = "; ".join([*values, str(row[name])])
    return list(merged.values())


def _ordered(rows: list[Row], key: str = "position") -> list[Row]:
    return sorted(rows, key=lambda r: (r.get(key) is None, r.get(key) or 0))


@dataclass(frozen=True)
class Hit:
    id: str
    label: str
    matched: str
    catalog_entry: bool


_NAMES = """
SELECT ?v ?label ?alt ?entry WHERE {
  ?v a/rdfs:subClassOf* sa:Vendor .
  OPTIONAL { ?v skos:prefLabel ?label }
  OPTIONAL { ?v skos:altLabel ?alt }
  BIND(EXISTS { ?v a sa:CatalogEntry } AS ?entry)
}
"""


def search(store: Store, text: str, limit: int = 50) -> list[Hit]:
    """Vendors whose name or an alias contains ``text`` (case-insensitive); exact and prefix matches first."""
    needle = " ".join(text.lower().split())
    if not needle:
        return []
    best: dict[str, tuple[int, Hit]] = {}
    for row in _q(store, _NAMES):
        iri, label = str(row["v"]), str(row["label"] or row["v"])
        for name in (label, row["alt"]):
            if not name:
                continue
            lowered = str(name).lower()
            if needle not in lowered:
                continue
            rank = 0 if lowered == needle else 1 if lowered.startswith(needle) else 2
            hit = Hit(iri, label, str(name), bool(row["entry"]))
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, hit)
    ordered = sorted(best.values(), key=lambda p: (p[0], not p[1].catalog_entry, p[1].label.lower()))
    return [hit for _, hit in ordered[:limit]]


def closest_ids(store: Store, path: str, limit: int = 5) -> list[str]:
    """Known instance IRIs whose path under ``id/`` looks most like ``path`` (for the 404 page)."""
    rows = _q(store, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}')
    known = {str(r["s"])[len(str(ID)) :]: str(r["s"]) for r in rows}
    return [known[p] for p in difflib.get_close_matches(path, list(known), n=limit, cutoff=0.5)]


def exists(store: Store, iri: str) -> bool:
    return store.ask(f"ASK {{ <{iri}> ?p ?o }}")


def is_catalog_vendor(store: Store, iri: str) -> bool:
    return store.ask(sparql_prologue() + f"ASK {{ <{iri}> a/rdfs:subClassOf* sa:Vendor }}")


def label_of(store: Store, iri: str) -> str | None:
    row = _first(
        _q(
            store,
            """
SELECT ?label WHERE {
  { ?this skos:prefLabel ?label } UNION { ?this rdfs:label ?label } UNION { ?this dcterms:title ?label }
} LIMIT 1""",
            iri,
        )
    )
    return str(row["label"]) if row else None


def vendor(store: Store, iri: str) -> dict[str, Any]:
    """Every section of a vendor's analysis, in the order the source page gives them."""
    page: dict[str, Any] = {"id": iri}
    page["about"] = _first(
        _q(
            store,
            """
SELECT ?label ?summary ?analysis ?trust ?role ?upstream ?downstream ?pricing ?oss ?entry
       ?layer ?layerCode ?layerLabel ?category ?categoryLabel ?license ?website WHERE {
  ?this skos:prefLabel ?label .
  OPTIONAL { ?this sa:summary ?summary }
  OPTIONAL { ?this sa:analysis ?analysis }
  OPTIONAL { ?this sa:trustAnalysis ?trust }
  OPTIONAL { ?this sa:architectureRole ?role }
  OPTIONAL { ?this sa:upstreamSummary ?upstream }
  OPTIONAL { ?this sa:downstreamSummary ?downstream }
  OPTIONAL { ?this sa:pricing ?pricing }
  OPTIONAL { ?this sa:openSource ?oss }
  OPTIONAL { ?this sa:layer ?layer . ?layer skos:notation ?layerCode
             OPTIONAL { ?layer skos:prefLabel ?layerLabel } }
  OPTIONAL { ?this sa:category ?category OPTIONAL { ?category skos:prefLabel ?categoryLabel } }
  OPTIONAL { ?this sa:license ?license }
  OPTIONAL { ?this schema:url ?website }
  BIND(EXISTS { ?this a sa:CatalogEntry } AS ?entry)
} LIMIT 1""",
            iri,
        )
    )
    aliases = _q(store, "SELECT ?alt WHERE { ?this skos:altLabel ?alt }", iri)
    page["aliases"] = sorted(str(r["alt"]) for r in aliases)
    roles = _q(store, "SELECT ?role WHERE { ?this sa:role ?role }", iri)
    page["roles"] = sorted({str(r["role"]) for r in roles})
    page["offerings"] = _q(
        store,
        """
SELECT ?o ?label ?kind ?license ?pricing WHERE {
  ?this sa:offering ?o .
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
  OPTIONAL { ?o a ?kind FILTER(?kind IN (sa:OpenSourceOffering, sa:ManagedOffering)) }
  OPTIONAL { ?o sa:license ?license }
  OPTIONAL { ?o sa:pricing ?pricing }
} ORDER BY ?o""",
        iri,
    )
    page["assessments"] = _assessments(store, iri)
    for key, prop in (
        ("strengths", "sa:strength"),
        ("limitations", "sa:limitation"),
        ("best_suited_for", "sa:bestSuitedFor"),
        ("use_with_caution_for", "sa:useWithCautionFor"),
    ):
        page[key] = _ordered(
            _q(
                store,
                f"""
SELECT ?item ?text ?position WHERE {{
  ?this {prop} ?item . ?item sa:text ?text . OPTIONAL {{ ?item sa:position ?position }}
}}""",
                iri,
            )
        )
    page["compliance"] = _compliance(store, iri)
    page["alternatives"] = _ordered(
        _q(
            store,
            """
SELECT ?rel ?v ?label ?chooseFor ?comparison ?position ?hasPage WHERE {
  ?this sa:alternative ?rel . ?rel sa:alternativeVendor ?v .
  OPTIONAL { ?v skos:prefLabel ?label }
  OPTIONAL { ?rel sa:chooseFor ?chooseFor }
  OPTIONAL { ?rel sa:comparison ?comparison }
  OPTIONAL { ?rel sa:position ?position }
  BIND(EXISTS { ?v a sa:CatalogEntry } AS ?hasPage)
}""",
            iri,
        )
    )
    page["integrations"] = _merged(
        _q(
            store,
            """
SELECT ?rel ?v ?label ?direction ?directionLabel ?layerCode ?mechanism ?description WHERE {
  ?this sa:integration ?rel . ?rel sa:integrationTarget ?v .
  OPTIONAL { ?v skos:prefLabel ?label }
  OPTIONAL { ?rel sa:direction ?direction . ?direction skos:prefLabel ?directionLabel }
  OPTIONAL { ?rel sa:layer/skos:notation ?layerCode }
  OPTIONAL { ?rel sa:mechanism ?mechanism }
  OPTIONAL { ?rel sa:description ?description }
} ORDER BY ?directionLabel ?layerCode ?label ?mechanism""",
            iri,
        ),
        "rel",
        "mechanism",
        "description",
    )
    page["mentions"] = sorted(
        _merged(
            _q(
                store,
                """
SELECT ?rel ?v ?label ?role ?evidence WHERE {
  ?this sa:mention ?rel . ?rel sa:mentionedVendor ?v .
  OPTIONAL { ?v skos:prefLabel ?label }
  OPTIONAL { ?rel sa:role ?role }
  OPTIONAL { ?rel sa:evidence ?evidence }
} ORDER BY ?label ?role""",
                iri,
            ),
            "rel",
            "role",
            "evidence",
        ),
        key=lambda r: str(r["label"]).lower(),
    )
    page["stated_by"] = _q(
        store,
        """
SELECT ?rel ?v ?label ?kind WHERE {
  { ?v sa:integration ?rel . ?rel sa:integrationTarget ?this . BIND("integration" AS ?kind) }
  UNION { ?v sa:alternative ?rel . ?rel sa:alternativeVendor ?this . BIND("alternative" AS ?kind) }
  UNION { ?v sa:mention ?rel . ?rel sa:mentionedVendor ?this . BIND("mention" AS ?kind) }
  OPTIONAL { ?v skos:prefLabel ?label }
} ORDER BY ?label ?kind""",
        iri,
    )
    risks = _q(
        store,
        """
SELECT ?risk ?description ?mitigation ?severity ?severityLabel ?rank ?position WHERE {
  ?this sa:trustRisk ?risk .
  OPTIONAL { ?risk sa:description ?description }
  OPTIONAL { ?risk sa:mitigation ?mitigation }
  OPTIONAL { ?risk sa:severity ?severity . ?severity skos:prefLabel ?severityLabel
             OPTIONAL { ?severity sa:rank ?rank } }
  OPTIONAL { ?risk sa:position ?position }
}""",
        iri,
    )
    page["risks"] = []  # (severity label, risks), highest severity first
    for risk in sorted(risks, key=lambda r: (-(r["rank"] or 0), r["position"] or 0, str(r["risk"]))):
        if not page["risks"] or page["risks"][-1][0] != risk["severityLabel"]:
            page["risks"].append((risk["severityLabel"], []))
        page["risks"][-1][1].append(risk)
    page["use_cases"] = _ordered(
        _q(
            store,
            """
SELECT ?case ?title ?description ?fit ?fitLabel ?position WHERE {
  ?this sa:useCase ?case .
  OPTIONAL { ?case sa:title ?title }
  OPTIONAL { ?case sa:description ?description }
  OPTIONAL { ?case sa:fit ?fit . ?fit skos:prefLabel ?fitLabel }
  OPTIONAL { ?case sa:position ?position }
}""",
            iri,
        )
    )
    page["stack_impact"] = _q(
        store,
        """
SELECT ?impact ?layerCode ?layerLabel ?description ?rank WHERE {
  ?this sa:stackImpact ?impact .
  OPTIONAL { ?impact sa:layer ?layer . ?layer skos:notation ?layerCode OPTIONAL { ?layer sa:rank ?rank }
             OPTIONAL { ?layer skos:prefLabel ?layerLabel } }
  OPTIONAL { ?impact sa:description ?description }
} ORDER BY ?rank""",
        iri,
    )
    page["sources"] = sources_of(store, iri)
    return page


def _assessments(store: Store, iri: str) -> list[dict[str, Any]]:
    assessments = _q(
        store,
        """
SELECT ?a ?framework ?total ?scale WHERE {
  ?this sa:assessment ?a .
  OPTIONAL { ?a sa:framework/skos:notation ?framework }
  OPTIONAL { ?a sa:total ?total }
  OPTIONAL { ?a sa:scale ?scale }
} ORDER BY DESC(?framework = "INPACT") ?framework""",
        iri,
    )
    result = []
    for a in assessments:
        dims = _ordered(
            _q(
                store,
                f"""
SELECT ?d ?code ?label ?score ?scale ?rationale ?adjustment ?statedMet ?statedTotal ?position WHERE {{
  <{a["a"]}> sa:dimension ?d .
  OPTIONAL {{ ?d sa:code ?code }}
  OPTIONAL {{ ?d skos:prefLabel|rdfs:label ?label }}
  OPTIONAL {{ ?d sa:score ?score }}
  OPTIONAL {{ ?d sa:scale ?scale }}
  OPTIONAL {{ ?d sa:rationale ?rationale }}
  OPTIONAL {{ ?d sa:adjustmentNote ?adjustment }}
  OPTIONAL {{ ?d sa:statedCriteriaMet ?statedMet }}
  OPTIONAL {{ ?d sa:statedCriteriaTotal ?statedTotal }}
  OPTIONAL {{ ?d sa:position ?position }}
}}""",
            )
        )
        criteria = _q(
            store,
            f"""
SELECT ?d ?c ?code ?met ?note WHERE {{
  <{a["a"]}> sa:dimension ?d . ?d sa:criterion ?c .
  OPTIONAL {{ ?c sa:code ?code }}
  OPTIONAL {{ ?c sa:met ?met }}
  OPTIONAL {{ ?c sa:note ?note }}
}} ORDER BY ?code""",
        )
        for d in dims:
            d["criteria"] = [c for c in criteria if c["d"] == d["d"]]
        result.append({**a, "dimensions": dims})
    return result


def _compliance(store: Store, iri: str) -> list[dict[str, Any]]:
    """Claims grouped per offering: compliance differs between open-source and managed variants."""
    rows = _q(
        store,
        """
SELECT ?claim ?offering ?offeringLabel ?cert ?certLabel ?certCode ?status ?statusCode ?statusLabel ?evidence
WHERE {
  ?this sa:complianceClaim ?claim .
  OPTIONAL { ?claim sa:claimOffering ?offering OPTIONAL { ?offering skos:prefLabel|rdfs:label ?offeringLabel } }
  OPTIONAL { ?claim sa:certification ?cert . OPTIONAL { ?cert skos:prefLabel ?certLabel }
             OPTIONAL { ?cert skos:notation ?certCode } }
  OPTIONAL { ?claim sa:status ?status . ?status skos:notation ?statusCode ; skos:prefLabel ?statusLabel }
  OPTIONAL { ?claim sa:evidence ?evidence }
} ORDER BY ?offering ?certCode""",
        iri,
    )
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = str(row["offering"] or "")
        group = groups.setdefault(
            key, {"offering": row["offering"], "label": row["offeringLabel"], "claims": []}
        )
        group["claims"].append(row)
    return list(groups.values())


def sources_of(store: Store, iri: str) -> list[Row]:
    """The source pages of the graphs that state anything about ``iri`` or its sub-resources."""
    return _q(
        store,
        f"""
SELECT DISTINCT ?g ?page ?title ?localCopy ?retrieved ?disclaimer WHERE {{
  GRAPH ?g {{ ?s ?p ?o FILTER(?s = ?this || STRSTARTS(STR(?s), "{iri}/")) }}
  OPTIONAL {{ ?g prov:wasDerivedFrom ?page
             OPTIONAL {{ ?page dcterms:title ?title }}
             OPTIONAL {{ ?page sa:localCopy ?localCopy }}
             OPTIONAL {{ ?page sa:retrievedOn ?retrieved }}
             OPTIONAL {{ ?page sa:disclaimer ?disclaimer }} }}
}} ORDER BY ?g""",
        iri,
    )


def statements(store: Store, iri: str) -> list[Row]:
    """The resource's own statements with labels, for the generic resource page."""
    return _q(
        store,
        """
SELECT ?p ?pLabel ?o ?oLabel ?isIri WHERE {
  ?this ?p ?o .
  OPTIONAL { ?p rdfs:label ?pLabel FILTER(LANG(?pLabel) IN ("en", "")) }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?oLabel }
  BIND(isIRI(?o) AS ?isIri)
} ORDER BY ?p ?o""",
        iri,
    )


def referrers(store: Store, iri: str, limit: int = 200) -> list[Row]:
    return _q(
        store,
        f"""
SELECT DISTINCT ?s ?sLabel ?p ?pLabel WHERE {{
  ?s ?p ?this .
  OPTIONAL {{ ?s skos:prefLabel|rdfs:label ?sLabel }}
  OPTIONAL {{ ?p rdfs:label ?pLabel FILTER(LANG(?pLabel) IN ("en", "")) }}
}} ORDER BY ?s LIMIT {limit}""",
        iri,
    )
