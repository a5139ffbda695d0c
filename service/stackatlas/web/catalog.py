"""What the pages show: vendor pages from the read model, generic resources from small bound queries.

Functions here are synchronous and called through ``store.run`` by the routes.
A vendor page is one batched read (:meth:`stackatlas.readmodel.Reader.read`),
arranged for the page with the orders of :mod:`stackatlas.readmodel.ordering`;
a section the data lacks is simply empty (unknown is shown as absent, never as
"no"). Search and the 404 page's suggestions use indexes cached per store
generation, so no request scans the catalog.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .. import readmodel as rm
from ..readmodel import ordering
from ..store import Row, Store
from ..store.queries import catalog as q
from ..store.terms import iri as iri_term
from ..vocab import ID


@dataclass(frozen=True)
class ClaimGroup:
    """The claims about one offering (compliance differs between open-source and managed variants)."""

    offering: str | None
    label: str | None
    claims: tuple[rm.ComplianceClaim, ...]


@dataclass(frozen=True)
class StatedBy:
    """A relation another vendor's page states about this one."""

    vendor: str
    kind: str


@dataclass(frozen=True)
class VendorPage:
    """A vendor's record arranged for its HTML page."""

    record: rm.Vendor
    assessments: tuple[rm.Assessment, ...]
    compliance: tuple[ClaimGroup, ...]
    integrations: tuple[rm.Integration, ...]
    mentions: tuple[rm.Mention, ...]
    stated_by: tuple[StatedBy, ...]
    risks: tuple[tuple[str | None, tuple[rm.TrustRisk, ...]], ...]
    """(severity name, risks), highest severity first."""
    stack_impact: tuple[rm.StackImpact, ...]
    names: tuple[rm.IndexEntry, ...] = ()
    """Vendors the page's texts name (sa:namesVendor), by name, from the cached catalog index."""

    @property
    def id(self) -> str:
        return self.record.iri

    @property
    def core(self) -> rm.VendorCore:
        return self.record.core

    def name_of(self, iri: str) -> str:
        return self.record.name_of(iri)


def vendor(store: Store, iri: str) -> VendorPage:
    """Every section of a vendor's analysis, in the order the source page gives them."""
    reader = rm.reader_for(store)
    record = reader.read([iri])[iri]
    rel = record.relations
    groups: dict[str, list[rm.ComplianceClaim]] = {}
    for claim in sorted(record.claims, key=ordering.claim_table):
        groups.setdefault(claim.offering or "", []).append(claim)
    compliance = tuple(
        ClaimGroup(
            offering=claims[0].offering,
            label=claims[0].offering_name if claims[0].offering_labelled else None,
            claims=tuple(claims),
        )
        for claims in groups.values()
    )
    stated = [StatedBy(a.listed_by, "alternative") for a in rel.alternative_of]
    stated += [StatedBy(i.subject, "integration") for i in rel.integrated_by]
    stated += [StatedBy(m.subject, "mention") for m in rel.mentioned_by]
    risks: list[tuple[str | None, list[rm.TrustRisk]]] = []
    for risk in sorted(record.risks, key=ordering.severity_first):
        label = risk.severity.label if risk.severity else None
        if not risks or risks[-1][0] != label:
            risks.append((label, []))
        risks[-1][1].append(risk)
    return VendorPage(
        record=record,
        assessments=reader.assessments([iri])[iri],
        compliance=compliance,
        integrations=tuple(
            sorted(rel.integrations, key=lambda i: ordering.integration_table(i, record.name_of(i.target)))
        ),
        mentions=tuple(sorted(rel.mentions, key=lambda m: ordering.mention_list(m, record.name_of(m.vendor)))),
        stated_by=tuple(sorted(stated, key=lambda s: (record.name_of(s.vendor), s.kind))),
        risks=tuple((label, tuple(items)) for label, items in risks),
        stack_impact=tuple(sorted(record.stack_impact, key=ordering.by_layer_rank)),
        names=_named(reader, record.names),
    )


def _named(reader: rm.Reader, iris: tuple[str, ...]) -> tuple[rm.IndexEntry, ...]:
    """The catalog entries of the vendors a page names, by name; an IRI not in the catalog is left out."""
    index = reader.index().by_iri
    return tuple(sorted((index[i] for i in iris if i in index), key=lambda e: (e.name.casefold(), e.iri)))


def search(store: Store, text: str, limit: int = 50) -> list[rm.Hit]:
    """Vendors whose name or an alias contains ``text``; the index is cached per store generation."""
    return rm.reader_for(store).index().search(text, limit)


def closest_ids(store: Store, path: str, limit: int = 5) -> list[str]:
    """Known instance IRIs whose path under ``id/`` looks most like ``path`` (for the 404 page)."""
    reader = rm.reader_for(store)
    known = reader.cached(
        "instance-paths", lambda: {str(r["s"])[len(str(ID)) :]: str(r["s"]) for r in store.select(q.INSTANCES)}
    )
    return [known[p] for p in difflib.get_close_matches(path, list(known), n=limit, cutoff=0.5)]


def exists(store: Store, iri: str) -> bool:
    return store.ask(q.EXISTS, {"this": iri_term(iri)})


def is_catalog_vendor(store: Store, iri: str) -> bool:
    return store.ask(q.IS_VENDOR, {"this": iri_term(iri)})


def label_of(store: Store, iri: str) -> str | None:
    rows = store.select(q.LABEL, {"this": iri_term(iri)})
    return str(rows[0]["label"]) if rows else None


def sources_of(store: Store, iri: str) -> list[Row]:
    """The source pages of the graphs that state anything about ``iri`` (rows for the resource page)."""
    graphs = [str(r["g"]) for r in store.select(q.SOURCES, {"this": iri_term(iri)})]
    found = rm.reader_for(store).sources(graphs)
    return [
        {"g": s.graph, "page": s.page, "title": s.title, "localCopy": s.local_copy, "retrieved": s.retrieved_on}
        for g in graphs
        for s in found.get(g, ())
    ]


def statements(store: Store, iri: str) -> list[Row]:
    """The resource's own statements with labels, for the generic resource page."""
    return store.select(q.STATEMENTS, {"this": iri_term(iri)})


def referrers(store: Store, iri: str) -> list[Row]:
    return store.select(q.REFERRERS, {"this": iri_term(iri)})
