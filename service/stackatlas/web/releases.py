"""``/releases``: the named states of the catalog, and what changed between two of them.

``/releases?from=2026-Q2&to=2026-Q3`` compares two releases (or any two points:
dates, commit numbers) for the whole catalog — vendors added and removed,
claims changed, scores moved, the rest — with the descriptions of
:mod:`stackatlas.history.describe` (docs/history.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..dependencies import StoreDep
from ..errors import InputError
from ..history import asof
from ..history.describe import Change
from ..history.releases import Release, catalog_diff, releases
from ..store import Store
from .errors import bad_request
from .templating import render

router = APIRouter(tags=["web"])

SECTIONS = (
    ("Vendors added", ("vendor-added",)),
    ("Vendors removed", ("vendor-removed",)),
    ("Claims changed", ("claim-added", "claim-removed", "claim-changed")),
    ("Scores moved", ("score-changed",)),
    (
        "Alternatives, integrations, risks",
        tuple(f"{k}-{v}" for k in ("alternative", "integration", "risk") for v in ("added", "removed")),
    ),
    ("Other changes", ("licence-changed", "reviewed", "other")),
)


@dataclass(frozen=True)
class Comparison:
    start: asof.Point
    end: asof.Point
    sections: list[tuple[str, list[Change]]]


def compare(store: Store, start: str, end: str) -> Comparison:
    a, b = asof.resolve(store, start), asof.resolve(store, end)
    changes = catalog_diff(store, a.sequence, b.sequence).changes
    sections = [(title, [c for c in changes if c.kind in kinds]) for title, kinds in SECTIONS]
    return Comparison(a, b, sections)


@router.get("/releases", include_in_schema=False)
async def releases_page(request: Request, store: StoreDep) -> Response:
    """The releases; with ``from`` and ``to``, the difference between the two points."""
    found: list[Release] = await store.run(releases, store)
    start, end = request.query_params.get("from"), request.query_params.get("to")
    context: dict[str, object] = {"releases": found, "start": start or "", "end": end or ""}
    if not start and not end:
        return render(request, "releases.html", error=None, comparison=None, releases=found, start="", end="")
    try:
        if not start or not end:
            raise InputError("compare needs both from= and to= (release tags, dates or commit numbers)")
        comparison = await store.run(compare, store, start, end)
    except InputError as exc:
        return bad_request(request, str(exc), "releases.html", comparison=None, **context)
    return render(
        request, "releases.html", error=None, comparison=comparison, releases=found, start=start, end=end
    )
