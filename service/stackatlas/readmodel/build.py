"""Nodes to records: every fallback of the read model is decided here (see ``docs/read-model.md``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ..vocab import RDF, RDFS, SA, SCHEMA, SKOS, slug_of
from . import records as r
from .concepts import Concepts
from .nodes import Node
from .ordering import page_order

T = TypeVar("T")


def p(term: object) -> str:
    return str(term)


class _Terms:
    """Ontology property IRIs as plain strings, computed once (rdflib's Namespace lookups are slow in loops)."""

    def __getattr__(self, name: str) -> str:
        value = str(SA[name])
        setattr(self, name, value)
        return value


S = _Terms()
"""``S.offering`` is the IRI string of ``sa:offering``."""
SCHEMA_URL = str(SCHEMA.url)
PREF_LABEL = p(SKOS.prefLabel)
ALT_LABEL = p(SKOS.altLabel)
LABEL = p(RDFS.label)
TYPE = p(RDF.type)


def last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def slug(iri: str) -> str:
    """The vendor's slug; the IRI's last segment for an IRI outside ``id/vendor/``."""
    return slug_of(iri) or last_segment(iri)


REF_PROPERTIES = (PREF_LABEL, ALT_LABEL, TYPE, S.layer)
"""What a :class:`~stackatlas.readmodel.records.VendorRef` is built from."""


def ref(node: Node, concepts: Concepts, vendor_classes: frozenset[str]) -> r.VendorRef:
    """A vendor's name and place. Name: skos:prefLabel, else the slug."""
    return r.VendorRef(**_ref_fields(node, concepts, vendor_classes))


def _ref_fields(node: Node, concepts: Concepts, vendor_classes: frozenset[str]) -> dict[str, Any]:
    name = node.text(PREF_LABEL)
    types = set(node.iris(TYPE))
    return {
        "iri": node.iri,
        "slug": slug(node.iri),
        "name": name if name is not None else slug(node.iri),
        "named": name is not None,
        "is_vendor": bool(types & vendor_classes),
        "catalog_entry": S.CatalogEntry in types,
        "aliases": tuple(sorted(str(v) for v in node.all(ALT_LABEL))),
        "layer": _layer(concepts, node.text(S.layer)),
        "name_graphs": frozenset(node.property_graphs.get(PREF_LABEL, ())),
    }


def core(node: Node, concepts: Concepts, vendor_classes: frozenset[str]) -> r.VendorCore:
    """A vendor's own facts: its reference, texts and facts."""
    return r.VendorCore(
        **_ref_fields(node, concepts, vendor_classes),
        roles=tuple(sorted({str(v) for v in node.all(S.role)})),
        category=concepts.get(node.text(S.category)),
        license=node.text(S.license),
        website=node.text(SCHEMA_URL),
        pricing=node.text(S.pricing),
        open_source=node.boolean(S.openSource),
        summary=node.text(S.summary),
        analysis=node.text(S.analysis),
        trust_analysis=node.text(S.trustAnalysis),
        architecture_role=node.text(S.architectureRole),
        upstream_summary=node.text(S.upstreamSummary),
        downstream_summary=node.text(S.downstreamSummary),
        compliance_text=node.text(S.complianceText),
        names=tuple(sorted(node.iris(S.namesVendor))),
        states_none=tuple(
            sorted(
                (c for c in (concepts.get(i) for i in node.iris(S.statesNone)) if c is not None),
                key=lambda c: c.notation or c.iri,
            )
        ),
        reviewed_at=node.text(S.reviewedOn),
        graphs=frozenset(node.graphs),
    )


def _layer(concepts: Concepts, iri: str | None) -> r.Concept | None:
    """A layer only counts when the vocabulary gives it a code (an unknown IRI is not a layer)."""
    concept = concepts.get(iri)
    return concept if concept is not None and concept.notation is not None else None


def linked(owner: Node, prop: str, nodes: Mapping[str, Node], make: Callable[[Node], T]) -> tuple[T, ...]:
    """The records of the nodes ``owner`` points at through ``prop``, in page order."""
    found = [nodes.get(iri) or Node(iri) for iri in owner.iris(prop)]
    found.sort(key=lambda n: page_order(n.one(S.position), n.iri))
    return tuple(make(n) for n in found)


def in_page_order(found: Iterable[Node]) -> list[Node]:
    return sorted(found, key=lambda n: page_order(n.one(S.position), n.iri))


def offering(node: Node) -> r.Offering:
    """Name: skos:prefLabel, else rdfs:label, else the IRI's last segment."""
    types = set(node.iris(TYPE))
    kind, kind_iri = None, None
    if S.ManagedOffering in types:
        kind, kind_iri = "MANAGED", S.ManagedOffering
    elif S.OpenSourceOffering in types:
        kind, kind_iri = "OPEN_SOURCE", S.OpenSourceOffering
    label = node.text(PREF_LABEL, LABEL)
    return r.Offering(
        iri=node.iri,
        name=label if label is not None else last_segment(node.iri),
        labelled=label is not None,
        kind=kind,
        kind_iri=kind_iri,
        license=node.text(S.license),
        pricing=node.text(S.pricing),
        description=node.text(S.description),
        graphs=frozenset(node.graphs),
    )


def claim(node: Node, concepts: Concepts, offerings: Mapping[str, Node]) -> r.ComplianceClaim:
    offering_iri = node.text(S.claimOffering)
    offering_node = offerings.get(offering_iri) if offering_iri else None
    offering_record = offering(offering_node) if offering_node is not None else None
    cert_iri = node.text(S.certification)
    return r.ComplianceClaim(
        iri=node.iri,
        certification=concepts.get(cert_iri),
        certification_iri=cert_iri,
        offering=offering_iri,
        offering_name=offering_record.name if offering_record else None,
        offering_labelled=offering_record.labelled if offering_record else False,
        status=concepts.get(node.text(S.status)),
        evidence=node.text(S.evidence),
        graphs=frozenset(node.graphs),
    )


def criterion(node: Node) -> r.Criterion:
    return r.Criterion(
        iri=node.iri, code=node.text(S.code) or "", met=node.boolean(S.met), note=node.text(S.note)
    )


def dimension(node: Node, nodes: Mapping[str, Node], concepts: Concepts) -> r.Dimension:
    criteria = sorted(
        (criterion(nodes.get(i) or Node(i)) for i in node.iris(S.criterion)), key=lambda c: (c.code, c.iri)
    )
    return r.Dimension(
        iri=node.iri,
        code=node.text(S.code),
        label=node.text(PREF_LABEL, LABEL),
        score=node.integer(S.score),
        scale=node.integer(S.scale),
        rationale=node.text(S.rationale),
        stated_criteria_met=node.integer(S.statedCriteriaMet),
        stated_criteria_total=node.integer(S.statedCriteriaTotal),
        adjustment_note=node.text(S.adjustmentNote),
        adjustment=concepts.get(node.text(S.adjustment)),
        capped_at=node.integer(S.cappedAt),
        cap_rule=concepts.get(node.text(S.capRule)),
        criteria=tuple(criteria),
    )


def assessment(node: Node, concepts: Concepts, nodes: Mapping[str, Node]) -> r.Assessment:
    return r.Assessment(
        iri=node.iri,
        framework=concepts.get(node.text(S.framework)),
        total=node.integer(S.total),
        scale=node.integer(S.scale),
        dimensions=linked(node, S.dimension, nodes, lambda d: dimension(d, nodes, concepts)),
        graphs=frozenset(node.graphs),
    )


def alternative(node: Node, lister: str) -> r.Alternative:
    return r.Alternative(
        iri=node.iri,
        vendor=node.text(S.alternativeVendor) or "",
        listed_by=lister,
        choose_for=node.text(S.chooseFor),
        rationale=node.text(S.rationale),
        comparison=node.text(S.comparison),
        graphs=frozenset(node.graphs),
    )


def integration(node: Node, subject: str, concepts: Concepts) -> r.Integration:
    return r.Integration(
        iri=node.iri,
        subject=subject,
        target=node.text(S.integrationTarget) or "",
        direction=concepts.get(node.text(S.direction)),
        layer=_layer(concepts, node.text(S.layer)),
        mechanisms=tuple(sorted(str(v) for v in node.all(S.mechanism))),
        description=node.text(S.description),
        graphs=frozenset(node.graphs),
    )


def mention(node: Node, subject: str) -> r.Mention:
    return r.Mention(
        iri=node.iri,
        subject=subject,
        vendor=node.text(S.mentionedVendor) or "",
        roles=tuple(sorted(str(v) for v in node.all(S.role))),
        evidence=node.text(S.evidence),
        description=node.text(S.description),
        graphs=frozenset(node.graphs),
    )


def risk(node: Node, concepts: Concepts) -> r.TrustRisk:
    return r.TrustRisk(
        iri=node.iri,
        severity=concepts.get(node.text(S.severity)),
        description=node.text(S.description),
        mitigation=node.text(S.mitigation),
        position=node.integer(S.position),
        names=tuple(sorted(node.iris(S.namesVendor))),
        graphs=frozenset(node.graphs),
    )


def use_case(node: Node, concepts: Concepts) -> r.UseCase:
    return r.UseCase(
        iri=node.iri,
        title=node.text(S.title),
        description=node.text(S.description),
        fit=concepts.get(node.text(S.fit)),
        names=tuple(sorted(node.iris(S.namesVendor))),
        graphs=frozenset(node.graphs),
    )


def stack_impact(node: Node, concepts: Concepts) -> r.StackImpact:
    return r.StackImpact(
        iri=node.iri,
        layer=_layer(concepts, node.text(S.layer)),
        description=node.text(S.description),
        names=tuple(sorted(node.iris(S.namesVendor))),
        graphs=frozenset(node.graphs),
    )


def item(node: Node) -> r.Item:
    """A list entry's text: sa:text, else sa:description."""
    return r.Item(
        iri=node.iri,
        text=node.text(S.text, S.description) or "",
        names=tuple(sorted(node.iris(S.namesVendor))),
        graphs=frozenset(node.graphs),
    )


def source(row: Mapping[str, object]) -> r.Source:
    def text(key: str) -> str | None:
        value = row.get(key)
        return None if value is None else str(value)

    return r.Source(
        graph=str(row["g"]),
        page=text("page"),
        title=text("title") or text("label"),
        local_copy=text("localCopy"),
        retrieved_on=text("retrieved"),
        disclaimer=text("disclaimer"),
        checksum=text("checksum"),
    )
