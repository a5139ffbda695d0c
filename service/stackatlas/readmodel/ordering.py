"""Every order and tie-break of the read model, in one place (documented in ``docs/read-model.md``).

The canonical order of a vendor's lists is *page order*: ``sa:position`` when
the page numbers its items, then the IRI with digit runs compared as numbers
(``alternative-2`` before ``alternative-10``), so a list without positions is
still stable. Relations stated by other pages (``alternativeOf``, ``integratedBy``,
``mentionedBy``) use the same key. Views that present a list differently (the
HTML page's tables) use the named keys below rather than inventing their own.
"""

from __future__ import annotations

import re

from .records import ComplianceClaim, Concept, Integration, Mention, StackImpact, TrustRisk

_DIGITS = re.compile(r"(\d+)")


def natural(iri: str) -> list[object]:
    """The IRI split into text and numbers, so numbers compare as numbers."""
    return [int(p) if p.isdigit() else p for p in _DIGITS.split(iri)]


def page_order(position: object, iri: str) -> tuple[float, list[object]]:
    """``sa:position`` first (unpositioned items last), then the IRI, numbers as numbers."""
    return (float(position) if isinstance(position, int) else float("inf"), natural(iri))


def by_name(name: str, iri: str) -> tuple[str, str]:
    """Vendor lists: case-insensitive name, then IRI."""
    return (name.casefold(), iri)


def concept_code(concept: Concept | None) -> str:
    return (concept.notation or "") if concept else ""


def assessment_order(framework: Concept | None, iri: str) -> tuple[bool, str, str]:
    """INPACT first, then other frameworks by code (the order the source pages use)."""
    code = concept_code(framework)
    return (code != "INPACT", code, iri)


def integration_table(item: Integration, target_name: str) -> tuple[str, str, str, str]:
    """The integration table of a vendor page: by direction name, layer code, target name, mechanisms."""
    direction = (item.direction.label or "") if item.direction else ""
    return (direction, concept_code(item.layer), target_name, "; ".join(item.mechanisms))


def mention_list(item: Mention, vendor_name: str) -> str:
    """A page's "also mentioned" list: by the mentioned vendor's name."""
    return vendor_name.lower()


def severity_first(risk: TrustRisk) -> tuple[int, int, str]:
    """Risks grouped by severity, highest first (sa:rank), then page position, then IRI."""
    rank = risk.severity.rank if risk.severity and risk.severity.rank is not None else 0
    return (-rank, risk.position or 0, risk.iri)


def claim_table(claim: ComplianceClaim) -> tuple[str, str]:
    """Compliance grouped per offering (by offering IRI), then by certification code."""
    return (claim.offering or "", concept_code(claim.certification))


def by_layer_rank(impact: StackImpact) -> tuple[int, str]:
    """Stack impact from the lowest layer up."""
    rank = impact.layer.rank if impact.layer and impact.layer.rank is not None else 0
    return (rank, impact.iri)
