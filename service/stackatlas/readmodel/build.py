"""Nodes to records: every fallback of the read model is decided here (see ``docs/read-model.md``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from ..vocab import RDF, RDFS, SA, SCHEMA, SKOS, slug_of
from . import records as r
from .concepts import Concepts
from .nodes import Node
from .ordering import page_order

T = TypeVar("T")


def p(term: object) -> str:
    return str(term)


PREF_LABEL = p(SKOS.prefLabel)
ALT_LABEL = p(SKOS.altLabel)
LABEL = p(RDFS.label)
TYPE = p(RDF.type)


def last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def slug(iri: str) -> str:
    """The vendor's slug; the IRI's last segment for an IRI outside ``id/vendor/``."""
    return slug_of(iri) or last_segment(iri)


def core(node: Node, concepts: Concepts, vendor_classes: frozenset[str]) -> r.VendorCore:
    """A vendor's own facts. Name: skos:prefLabel, else the slug."""
    name = node.text(PREF_LABEL)
    types = set(node.iris(TYPE))
    return r.VendorCore(
        iri=node.iri,
        slug=slug(node.iri),
        name=name if name is not None else slug(node.iri),
        named=name is not None,
        is_vendor=bool(types & vendor_classes),
        catalog_entry=p(SA.CatalogEntry) in types,
        aliases=tuple(sorted(str(v) for v in node.all(ALT_LABEL))),
        roles=tuple(sorted({str(v) for v in node.all(p(SA.role))})),
        layer=_layer(concepts, node.text(p(SA.layer))),
        category=concepts.get(node.text(p(SA.category))),
        license=node.text(p(SA.license)),
        website=node.text(p(SCHEMA.url)),
        pricing=node.text(p(SA.pricing)),
        open_source=node.boolean(p(SA.openSource)),
        summary=node.text(p(SA.summary)),
        analysis=node.text(p(SA.analysis)),
        trust_analysis=node.text(p(SA.trustAnalysis)),
        architecture_role=node.text(p(SA.architectureRole)),
        upstream_summary=node.text(p(SA.upstreamSummary)),
        downstream_summary=node.text(p(SA.downstreamSummary)),
        graphs=frozenset(node.graphs),
        name_graphs=frozenset(node.property_graphs.get(PREF_LABEL, ())),
    )


def _layer(concepts: Concepts, iri: str | None) -> r.Concept | None:
    """A layer only counts when the vocabulary gives it a code (an unknown IRI is not a layer)."""
    concept = concepts.get(iri)
    return concept if concept is not None and concept.notation is not None else None


def linked(owner: Node, prop: str, nodes: Mapping[str, Node], make: Callable[[Node], T]) -> tuple[T, ...]:
    """The records of the nodes ``owner`` points at through ``prop``, in page order."""
    found = [nodes.get(iri) or Node(iri) for iri in owner.iris(prop)]
    found.sort(key=lambda n: page_order(n.one(p(SA.position)), n.iri))
    return tuple(make(n) for n in found)


def in_page_order(found: Iterable[Node]) -> list[Node]:
    return sorted(found, key=lambda n: page_order(n.one(p(SA.position)), n.iri))


def offering(node: Node) -> r.Offering:
    """Name: skos:prefLabel, else rdfs:label, else the IRI's last segment."""
    types = set(node.iris(TYPE))
    kind, kind_iri = None, None
    if p(SA.ManagedOffering) in types:
        kind, kind_iri = "MANAGED", p(SA.ManagedOffering)
    elif p(SA.OpenSourceOffering) in types:
        kind, kind_iri = "OPEN_SOURCE", p(SA.OpenSourceOffering)
    label = node.text(PREF_LABEL, LABEL)
    return r.Offering(
        iri=node.iri,
        name=label if label is not None else last_segment(node.iri),
        labelled=label is not None,
        kind=kind,
        kind_iri=kind_iri,
        license=node.text(p(SA.license)),
        pricing=node.text(p(SA.pricing)),
        description=node.text(p(SA.description)),
        graphs=frozenset(node.graphs),
    )


def claim(node: Node, concepts: Concepts, offerings: Mapping[str, Node]) -> r.ComplianceClaim:
    offering_iri = node.text(p(SA.claimOffering))
    offering_node = offerings.get(offering_iri) if offering_iri else None
    offering_record = offering(offering_node) if offering_node is not None else None
    cert_iri = node.text(p(SA.certification))
    return r.ComplianceClaim(
        iri=node.iri,
        certification=concepts.get(cert_iri),
        certification_iri=cert_iri,
        offering=offering_iri,
        offering_name=offering_record.name if offering_record else None,
        offering_labelled=offering_record.labelled if offering_record else False,
        status=concepts.get(node.text(p(SA.status))),
        evidence=node.text(p(SA.evidence)),
        graphs=frozenset(node.graphs),
    )


def criterion(node: Node) -> r.Criterion:
    return r.Criterion(
        iri=node.iri, code=node.text(p(SA.code)) or "", met=node.boolean(p(SA.met)), note=node.text(p(SA.note))
    )


def dimension(node: Node, nodes: Mapping[str, Node]) -> r.Dimension:
    criteria = sorted(
        (criterion(nodes.get(i) or Node(i)) for i in node.iris(p(SA.criterion))), key=lambda c: (c.code, c.iri)
    )
    return r.Dimension(
        iri=node.iri,
        code=node.text(p(SA.code)),
        label=node.text(PREF_LABEL, LABEL),
        score=node.integer(p(SA.score)),
        scale=node.integer(p(SA.scale)),
        rationale=node.text(p(SA.rationale)),
        stated_criteria_met=node.integer(p(SA.statedCriteriaMet)),
        stated_criteria_total=node.integer(p(SA.statedCriteriaTotal)),
        adjustment_note=node.text(p(SA.adjustmentNote)),
        criteria=tuple(criteria),
    )


def assessment(node: Node, concepts: Concepts, nodes: Mapping[str, Node]) -> r.Assessment:
    return r.Assessment(
        iri=node.iri,
        framework=concepts.get(node.text(p(SA.framework))),
        total=node.integer(p(SA.total)),
        scale=node.integer(p(SA.scale)),
        dimensions=linked(node, p(SA.dimension), nodes, lambda d: dimension(d, nodes)),
        graphs=frozenset(node.graphs),
    )


def alternative(node: Node, lister: str) -> r.Alternative:
    return r.Alternative(
        iri=node.iri,
        vendor=node.text(p(SA.alternativeVendor)) or "",
        listed_by=lister,
        choose_for=node.text(p(SA.chooseFor)),
        rationale=node.text(p(SA.rationale)),
        comparison=node.text(p(SA.comparison)),
        graphs=frozenset(node.graphs),
    )


def integration(node: Node, subject: str, concepts: Concepts) -> r.Integration:
    return r.Integration(
        iri=node.iri,
        subject=subject,
        target=node.text(p(SA.integrationTarget)) or "",
        direction=concepts.get(node.text(p(SA.direction))),
        layer=_layer(concepts, node.text(p(SA.layer))),
        mechanisms=tuple(sorted(str(v) for v in node.all(p(SA.mechanism)))),
        description=node.text(p(SA.description)),
        graphs=frozenset(node.graphs),
    )


def mention(node: Node, subject: str) -> r.Mention:
    return r.Mention(
        iri=node.iri,
        subject=subject,
        vendor=node.text(p(SA.mentionedVendor)) or "",
        roles=tuple(sorted(str(v) for v in node.all(p(SA.role)))),
        evidence=node.text(p(SA.evidence)),
        description=node.text(p(SA.description)),
        graphs=frozenset(node.graphs),
    )


def risk(node: Node, concepts: Concepts) -> r.TrustRisk:
    return r.TrustRisk(
        iri=node.iri,
        severity=concepts.get(node.text(p(SA.severity))),
        description=node.text(p(SA.description)),
        mitigation=node.text(p(SA.mitigation)),
        position=node.integer(p(SA.position)),
        graphs=frozenset(node.graphs),
    )


def use_case(node: Node, concepts: Concepts) -> r.UseCase:
    return r.UseCase(
        iri=node.iri,
        title=node.text(p(SA.title)),
        description=node.text(p(SA.description)),
        fit=concepts.get(node.text(p(SA.fit))),
        graphs=frozenset(node.graphs),
    )


def stack_impact(node: Node, concepts: Concepts) -> r.StackImpact:
    return r.StackImpact(
        iri=node.iri,
        layer=_layer(concepts, node.text(p(SA.layer))),
        description=node.text(p(SA.description)),
        graphs=frozenset(node.graphs),
    )


def item(node: Node) -> r.Item:
    """A list entry's text: sa:text, else sa:description."""
    return r.Item(
        iri=node.iri, text=node.text(p(SA.text), p(SA.description)) or "", graphs=frozenset(node.graphs)
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
    )
