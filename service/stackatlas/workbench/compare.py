"""Two to four vendors side by side: facts, claims per offering, scores per dimension, lists, risks,
what each page says about the others, and each vendor's validation findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import readmodel as rm
from ..errors import InputError
from ..readmodel import ordering
from ..validation import Finding
from ..vocab import vendor_iri
from . import warnings
from .profiles import UNKNOWN

MIN_VENDORS, MAX_VENDORS = 2, 4
FRAMEWORKS = ("INPACT", "GOALS")


@dataclass(frozen=True)
class Said:
    """A relation one compared vendor's page states about another compared vendor."""

    by: str
    about: str
    kind: str
    """"alternative", "integration" or "mention"."""
    text: str | None


@dataclass(frozen=True)
class Column:
    record: rm.Vendor
    assessments: tuple[rm.Assessment, ...]
    findings: tuple[Finding, ...]

    @property
    def core(self) -> rm.VendorCore:
        return self.record.core

    def assessment(self, framework: str) -> rm.Assessment | None:
        return rm.assessment_under(self.assessments, framework)

    def score(self, framework: str, dimension: str | None = None) -> int | None:
        a = self.assessment(framework)
        if a is None:
            return None
        if dimension is None:
            return a.total
        return next((d.score for d in a.dimensions if d.code == dimension), None)

    def claim(self, offering: str, certification: str) -> str:
        """The status code of the claim about the offering and certification; UNKNOWN when none is stated."""
        for c in self.record.claims:
            if c.offering == offering and c.certification and c.certification.notation == certification:
                return c.status.notation if c.status and c.status.notation else UNKNOWN
        return UNKNOWN

    def risks_by_severity(self) -> list[tuple[str, tuple[rm.TrustRisk, ...]]]:
        groups: dict[str, list[rm.TrustRisk]] = {}
        for r in sorted(self.record.risks, key=ordering.severity_first):
            groups.setdefault(
                r.severity.label if r.severity and r.severity.label else "severity not stated", []
            ).append(r)
        return [(k, tuple(v)) for k, v in groups.items()]


@dataclass(frozen=True)
class Comparison:
    columns: tuple[Column, ...]
    certifications: tuple[str, ...]
    """Certification codes any compared vendor has a claim for, in vocabulary order."""
    dimensions: tuple[tuple[str, tuple[str, ...]], ...]
    """(framework, dimension codes in page order) over the compared vendors."""
    said: tuple[Said, ...]


def vendor_iris(slugs: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s.strip()))
    if not MIN_VENDORS <= len(wanted) <= MAX_VENDORS:
        raise InputError(
            f"compare takes {MIN_VENDORS} to {MAX_VENDORS} different vendor ids, got {len(wanted)}"
        )
    return [str(vendor_iri(s)) for s in wanted]


def compare(reader: rm.Reader, slugs: Sequence[str], with_findings: bool = True) -> Comparison:
    """The comparison of the vendors (ids); an unknown id is an :class:`InputError` naming it."""
    iris = vendor_iris(slugs)
    records = reader.read(iris)
    missing = [records[i].core.slug for i in iris if not records[i].core.named]
    if missing:
        raise InputError(f"unknown vendor id(s): {', '.join(missing)}")
    scores = reader.assessments(iris)
    columns = tuple(
        Column(records[i], scores[i], warnings.findings(reader, records[i]) if with_findings else ())
        for i in iris
    )
    concepts = reader.concepts()
    claimed = {c.certification.notation for col in columns for c in col.record.claims if c.certification}
    certs = tuple(c.notation for c in concepts.in_scheme(rm.CERTIFICATION_PREFIX) if c.notation in claimed)
    dims: list[tuple[str, tuple[str, ...]]] = []
    for framework in FRAMEWORKS:
        codes: dict[str, None] = {}
        for col in columns:
            a = col.assessment(framework)
            for d in a.dimensions if a else ():
                if d.code:
                    codes.setdefault(d.code)
        if codes:
            dims.append((framework, tuple(codes)))
    inside = set(iris)
    said = []
    for col in columns:
        rel = col.record.relations
        said += [
            Said(a.listed_by, a.vendor, "alternative", a.choose_for or a.comparison)
            for a in rel.alternatives
            if a.vendor in inside
        ]
        said += [
            Said(i.subject, i.target, "integration", i.description or "; ".join(i.mechanisms) or None)
            for i in rel.integrations
            if i.target in inside
        ]
        said += [
            Said(m.subject, m.vendor, "mention", m.description or "; ".join(m.roles) or None)
            for m in rel.mentions
            if m.vendor in inside
        ]
    return Comparison(columns, tuple(c for c in certs if c), tuple(dims), tuple(said))
