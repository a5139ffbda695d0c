"""The workbench over GraphQL: ``facetedVendors``, ``compare(ids:)`` and ``stacks(requirements:)``.

Its own module (and its own root type, which ``Query`` inherits) so that other
query or mutation roots can be added without touching these fields. Every
field calls :mod:`stackatlas.workbench` in a worker thread and maps its answer
onto types; bad input is a :class:`UserError` with the same sentence the web
pages print.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlencode

import strawberry

from .. import workbench as wb
from ..errors import InputError
from ..export.formats import MAP_FORMATS
from ..readmodel import Reader
from .errors import UserError
from .types import Info, Integration, Vendor, integration


@strawberry.enum(
    description="A certification's status for an offering; UNKNOWN means no claim (never read as HELD)."
)
class CertificationStatus(Enum):
    HELD = "HELD"
    NOT_HELD = "NOT_HELD"
    NOT_ADVERTISED = "NOT_ADVERTISED"
    NOT_OFFERED = "NOT_OFFERED"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    UNKNOWN = "UNKNOWN"


@strawberry.enum(description="Order of the faceted list.")
class FacetSort(Enum):
    NAME = "name"
    INPACT = "inpact"
    GOALS = "goals"
    LAYER = "layer"
    RELEVANCE = "relevance"


@strawberry.enum(description="Whether a requirement holds for a vendor or a stack. UNKNOWN is never MET.")
class Outcome(Enum):
    MET = "MET"
    NOT_MET = "NOT_MET"
    UNKNOWN = "UNKNOWN"


@strawberry.input(
    description="Keep vendors with an offering whose status for the certification is one of these."
)
class CertificationFilter:
    certification: str = strawberry.field(description='Code, e.g. "HIPAA_BAA".')
    statuses: list[CertificationStatus]


@strawberry.input(
    description='A score range: key "INPACT", "GOALS" or a dimension ("GOALS.G"); bounds inclusive.'
)
class ScoreRangeInput:
    key: str
    min: int | None = None
    max: int | None = None


@strawberry.type
class FacetValue:
    value: str
    label: str
    count: int = strawberry.field(description="Vendors with this value that match every other active filter.")
    selected: bool


@strawberry.type
class Facet:
    name: str = strawberry.field(
        description='"layer", "category", "license", "open_source", "cert:HIPAA_BAA", "freshness".'
    )
    label: str
    values: list[FacetValue]


@strawberry.type
class FacetedVendors:
    total_count: int
    vendors: list[Vendor]
    facets: list[Facet]
    permalink: str = strawberry.field(description="The web page showing the same list (/vendors?…).")


@strawberry.type(description="A SHACL finding about a vendor's own data, shown to readers.")
class ValidationFinding:
    severity: str
    path: str | None
    message: str
    focus: str
    value: str | None


@strawberry.type
class ClaimCell:
    offering: str
    offering_name: str
    certification: str
    status: CertificationStatus


@strawberry.type
class ComparedVendor:
    vendor: Vendor
    claims: list[ClaimCell] = strawberry.field(
        description="Every offering × every certification any compared vendor claims (UNKNOWN: no claim)."
    )
    findings: list[ValidationFinding]


@strawberry.type(description="A relation one compared vendor's page states about another compared vendor.")
class SaidAbout:
    by: Vendor
    about: Vendor
    kind: str
    text: str | None


@strawberry.type
class Comparison:
    vendors: list[ComparedVendor]
    certifications: list[str]
    said_about_each_other: list[SaidAbout]


@strawberry.input(description="What a stack must satisfy.")
class StackRequirements:
    certifications: list[str] = strawberry.field(
        default_factory=list, description="Every managed offering holds these."
    )
    layers: list[str] = strawberry.field(default_factory=list, description="Layers to fill; all when empty.")
    include: list[strawberry.ID] = strawberry.field(default_factory=list)
    exclude: list[strawberry.ID] = strawberry.field(default_factory=list)
    open_source_only: bool = False
    min_scores: list[ScoreRangeInput] = strawberry.field(
        default_factory=list, description="Only `min` is used."
    )
    limit: int = 5


@strawberry.type
class RequirementOutcome:
    requirement: str
    outcome: Outcome
    detail: str


@strawberry.type
class StackMember:
    layer: str
    vendor: Vendor
    outcomes: list[RequirementOutcome]


@strawberry.type
class StackRisk:
    vendor: Vendor
    severity: str | None
    description: str | None
    mitigation: str | None


@strawberry.type
class Stack:
    members: list[StackMember]
    integrations: list[Integration] = strawberry.field(description="Integrations stated between its vendors.")
    requirements: list[RequirementOutcome] = strawberry.field(
        description="Each requirement over the whole stack."
    )
    risks: list[StackRisk]
    unknowns: int
    share_url: str
    export_urls: list[str] = strawberry.field(description="The stack's integration map in every map format.")


@strawberry.type
class PrunedLayer:
    layer: str
    kept: int
    candidates: int


@strawberry.type
class Stacks:
    stacks: list[Stack]
    layers: list[str]
    unfilled_layers: list[str]
    pruned_layers: list[PrunedLayer] = strawberry.field(description="Empty when the ranking is exact.")
    combinations: int


def _outcome(o: wb.stacks.Outcome) -> RequirementOutcome:
    return RequirementOutcome(requirement=o.requirement, outcome=Outcome(o.outcome), detail=o.detail)


async def _run(info: Info, fn: object, *args: object) -> object:
    try:
        return await info.context.catalog.store.run(fn, *args)  # type: ignore[arg-type]
    except InputError as exc:
        raise UserError(str(exc)) from None


def _reader(info: Info) -> Reader:
    return info.context.catalog.reader


@strawberry.type
class WorkbenchQuery:
    @strawberry.field(
        description="Catalog vendors (with their own page) filtered by facets, with counts per facet value. "
        "`search` forgives typos and reads texts, not only names."
    )
    async def faceted_vendors(
        self,
        info: Info,
        search: str | None = None,
        layers: list[str] | None = None,
        categories: list[str] | None = None,
        licenses: list[str] | None = None,
        open_source: list[str] | None = None,
        certifications: list[CertificationFilter] | None = None,
        scores: list[ScoreRangeInput] | None = None,
        freshness: list[str] | None = None,
        sort: FacetSort | None = None,
        first: int = 50,
        offset: int = 0,
    ) -> FacetedVendors:
        params: list[tuple[str, str]] = [("q", search or "")]
        params += [("layer", v) for v in layers or ()]
        params += [("category", v) for v in categories or ()]
        params += [("license", v) for v in licenses or ()]
        params += [("open_source", v) for v in open_source or ()]
        params += [("cert", f"{c.certification}:{s.value}") for c in certifications or () for s in c.statuses]
        params += [
            ("score", f"{r.key}:{'' if r.min is None else r.min}:{'' if r.max is None else r.max}")
            for r in scores or ()
        ]
        params += [("freshness", v) for v in freshness or ()]
        if sort is not None:
            params.append(("sort", sort.value))
        params += [("limit", str(first)), ("offset", str(offset))]
        try:
            query = wb.facets.parse(params)
        except InputError as exc:
            raise UserError(str(exc)) from None
        result = await _run(info, wb.facet_list, _reader(info), query, info.context.settings.stale_after_days)
        assert isinstance(result, wb.facets.FacetResult)
        return FacetedVendors(
            total_count=result.total,
            vendors=[Vendor(iri=r.profile.iri) for r in result.rows],
            facets=[
                Facet(
                    name=f.name,
                    label=f.label,
                    values=[
                        FacetValue(value=v.value, label=v.label, count=v.count, selected=v.selected)
                        for v in f.values
                    ],
                )
                for f in result.facets
            ],
            permalink="/vendors?" + urlencode(query.params()),
        )

    @strawberry.field(description="Two to four vendors side by side, with each one's validation findings.")
    async def compare(self, info: Info, ids: list[strawberry.ID]) -> Comparison:
        found = await _run(info, wb.compare.compare, _reader(info), [str(i) for i in ids])
        assert isinstance(found, wb.compare.Comparison)
        columns = []
        for col in found.columns:
            cells = [
                ClaimCell(
                    offering=o.iri,
                    offering_name=o.name,
                    certification=code,
                    status=CertificationStatus(col.claim(o.iri, code)),
                )
                for o in col.record.offerings
                for code in found.certifications
            ]
            findings = [
                ValidationFinding(
                    severity=f.severity, path=f.path, message=f.message, focus=f.focus, value=f.value
                )
                for f in col.findings
            ]
            columns.append(ComparedVendor(vendor=Vendor(iri=col.record.iri), claims=cells, findings=findings))
        return Comparison(
            vendors=columns,
            certifications=list(found.certifications),
            said_about_each_other=[
                SaidAbout(by=Vendor(iri=s.by), about=Vendor(iri=s.about), kind=s.kind, text=s.text)
                for s in found.said
            ],
        )

    @strawberry.field(
        description="Candidate stacks for the requirements, ranked: at most one vendor per layer; each "
        "with the "
        "integrations between its vendors, each requirement met / not met / unknown, and its trust risks."
    )
    async def stacks(self, info: Info, requirements: StackRequirements) -> Stacks:
        req = wb.stacks.Requirements(
            certifications=tuple(c.upper() for c in requirements.certifications),
            layers=tuple(v.upper() for v in requirements.layers),
            include=tuple(str(v) for v in requirements.include),
            exclude=tuple(str(v) for v in requirements.exclude),
            open_source_only=requirements.open_source_only,
            min_scores=tuple((r.key.upper(), r.min) for r in requirements.min_scores if r.min is not None),
            limit=requirements.limit,
        )
        answer = await _run(info, wb.build_stacks, _reader(info), req)
        assert isinstance(answer, wb.stacks.StackAnswer)
        stacks = []
        for s in answer.stacks:
            vendor_params = [("vendor", slug) for slug in s.slugs]
            stacks.append(
                Stack(
                    members=[
                        StackMember(
                            layer=m.layer,
                            vendor=Vendor(iri=m.profile.iri),
                            outcomes=[_outcome(o) for o in m.outcomes],
                        )
                        for m in s.members
                    ],
                    integrations=[integration(i.record) for i in s.integrations],
                    requirements=[_outcome(o) for o in s.requirements],
                    risks=[
                        StackRisk(
                            vendor=Vendor(iri=r.vendor.iri),
                            severity=r.severity.notation if r.severity else None,
                            description=r.description,
                            mitigation=r.mitigation,
                        )
                        for r in s.risks
                    ],
                    unknowns=s.unknowns,
                    share_url="/stacks?" + urlencode(req.params()),
                    export_urls=[
                        f"/stacks/export?{urlencode([*vendor_params, ('format', name)])}"
                        for name in MAP_FORMATS
                    ],
                )
            )
        return Stacks(
            stacks=stacks,
            layers=list(answer.layers),
            unfilled_layers=list(answer.unfilled),
            pruned_layers=[PrunedLayer(layer=k, kept=v[0], candidates=v[1]) for k, v in answer.pruned.items()],
            combinations=answer.combinations,
        )
