"""INPACT and GOALS assessments: totals, dimensions, criteria."""

from __future__ import annotations

import strawberry
from strawberry import Private

from ... import readmodel as rm
from .common import Adjustment, CapRule, Info, enum_of
from .sources import Source, sources_of


@strawberry.type(description="A GOALS criterion (G1 … S6) as the page marks it.")
class Criterion:
    code: str
    met: bool | None
    note: str | None


@strawberry.type(description="The score of one dimension of an assessment.")
class Dimension:
    code: str
    name: str
    score: int
    max: int
    rationale: str | None
    stated_criteria_met: int | None = strawberry.field(
        description="The page's count of met criteria (GOALS), kept as stated."
    )
    stated_criteria_total: int | None
    adjustment_note: str | None = strawberry.field(
        description="How the page turned the criteria count into the score, verbatim."
    )
    adjustment: Adjustment | None = strawberry.field(
        description="The kind of adjustment the note states, as data (sa:adjustment); null when none is stated."
    )
    capped_at: int | None = strawberry.field(description="The cap the adjustment note states (sa:cappedAt).")
    cap_rule: CapRule | None = strawberry.field(
        description="What the rationale says of the cap rule (sa:capRule); null when it says nothing."
    )
    criteria: list[Criterion]

    @classmethod
    def of(cls, d: rm.Dimension) -> Dimension:
        return cls(
            code=d.code or "",
            name=d.label or d.code or "",
            score=d.score or 0,
            max=d.scale or 0,
            rationale=d.rationale,
            stated_criteria_met=d.stated_criteria_met,
            stated_criteria_total=d.stated_criteria_total,
            adjustment_note=d.adjustment_note,
            adjustment=enum_of(Adjustment, d.adjustment),
            capped_at=d.capped_at,
            cap_rule=enum_of(CapRule, d.cap_rule),
            criteria=[Criterion(code=c.code, met=c.met, note=c.note) for c in d.criteria],
        )


@strawberry.type(description="A vendor's score under one framework (INPACT or GOALS).")
class Assessment:
    framework: str
    total: int
    max: int
    dimensions: list[Dimension]
    graphs: Private[frozenset[str]]

    @classmethod
    def of(cls, a: rm.Assessment, framework: str) -> Assessment:
        return cls(
            framework=framework,
            total=a.total or 0,
            max=a.scale or 0,
            dimensions=[Dimension.of(d) for d in a.dimensions],
            graphs=a.graphs,
        )

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self.graphs)
