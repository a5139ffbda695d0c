"""Summaries of every catalog vendor: what a whole-catalog view needs, in six lean queries.

A full :meth:`Reader.read` of every vendor reads every statement of every
part (half a million rows per 2,000 vendors) to build records most of which a
faceted list never shows. The workbench needs facets, claims, scores, the
texts it searches and which vendors integrate; these queries return only that
(a few dozen rows per vendor), and the reader caches the result per store
generation (:meth:`Reader.summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..store import Row
from ..store.queries import workbench as q
from .build import S, last_segment
from .concepts import Concepts
from .records import Concept, license_code


@dataclass(frozen=True)
class OfferingSummary:
    iri: str
    name: str
    kind: str | None
    """"MANAGED", "OPEN_SOURCE", or None when the data does not say."""
    claims: Mapping[str, str]
    """Certification code → status code, for the claims the data states about this offering."""


@dataclass(frozen=True)
class EntrySummary:
    iri: str
    category: Concept | None
    license: str | None
    """SPDX identifier or IRI."""
    open_source: bool | None
    reviewed_at: str | None
    retrieved_on: str | None
    """The newest ``sa:retrievedOn`` of the source pages the vendor's graphs derive from."""
    offerings: tuple[OfferingSummary, ...]
    scores: Mapping[str, int]
    """"INPACT" / "GOALS" → total, "INPACT.I" … → dimension score, as stated."""
    texts: tuple[tuple[str, str], ...]
    """(property local name, text): summary, analysis, list items, compliance text and evidence …"""
    integrations: tuple[tuple[str, str], ...]
    """(integration IRI, target IRI) of the integrations the page states."""


def summaries(select: Callable[[str], list[Row]], concepts: Concepts) -> dict[str, EntrySummary]:
    facts = {str(r["v"]): r for r in select(q.ENTRY_FACTS)}
    retrieved = {str(r["v"]): str(r["retrieved"]) for r in select(q.ENTRY_RETRIEVED) if r.get("retrieved")}
    offerings: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for r in select(q.ENTRY_OFFERINGS):
        o = str(r["o"])
        name, kind = offerings[str(r["v"])].get(o, (None, None))
        label = r.get("label") or r.get("rdfsLabel")
        kind_found = {S.ManagedOffering: "MANAGED", S.OpenSourceOffering: "OPEN_SOURCE"}.get(str(r.get("type")))
        offerings[str(r["v"])][o] = (name or (str(label) if label else None) or "", kind or kind_found)
    claims: dict[str, dict[str, str]] = defaultdict(dict)
    for r in select(q.ENTRY_CLAIMS):
        cert, status = concepts.notation(r["cert"]), concepts.notation(r["status"])
        if cert and status:
            claims[str(r["o"])][cert] = status
    scores: dict[str, dict[str, int]] = defaultdict(dict)
    for r in select(q.ENTRY_SCORES):
        framework = concepts.notation(r["framework"])
        if framework is None:
            continue
        if isinstance(r.get("total"), int):
            scores[str(r["v"])][framework] = r["total"]  # type: ignore[assignment]
        elif r.get("code") is not None and isinstance(r.get("score"), int):
            scores[str(r["v"])].setdefault(f"{framework}.{r['code']}", r["score"])  # type: ignore[arg-type]
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in select(q.ENTRY_TEXTS):
        texts[str(r["v"])].append((last_segment(str(r["field"])).rsplit("#", 1)[-1], str(r["text"])))
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in select(q.ENTRY_INTEGRATIONS):
        links[str(r["v"])].append((str(r["i"]), str(r["t"])))
    found = {}
    for iri, row in facts.items():
        os_value = row.get("os")
        found[iri] = EntrySummary(
            iri=iri,
            category=concepts.get(row.get("category")),
            license=license_code(str(row["license"])) if row.get("license") is not None else None,
            open_source=os_value if isinstance(os_value, bool) else None,
            reviewed_at=str(row["reviewed"]) if row.get("reviewed") is not None else None,
            retrieved_on=retrieved.get(iri),
            offerings=tuple(
                OfferingSummary(o, name or last_segment(o), kind, claims.get(o, {}))
                for o, (name, kind) in sorted(offerings[iri].items())
            ),
            scores=scores.get(iri, {}),
            texts=tuple(sorted(set(texts.get(iri, [])))),
            integrations=tuple(sorted(set(links.get(iri, [])))),
        )
    return found
