"""Map options from query parameters, checked the same way as the CLI flags.

Unknown parameters and malformed numbers are refused with one readable line
(HTTP 400) rather than FastAPI's 422 validation document, so that a typo in a
hand-written URL says what is wrong.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams

from ..export.selection import MapQuery, SelectionError, build_query

MAP_PARAMS = {"vendor", "depth", "layer", "direction", "kind"}


def map_query(params: QueryParams, extra: frozenset[str] = frozenset()) -> MapQuery:
    unknown = sorted(set(params) - MAP_PARAMS - extra)
    if unknown:
        allowed = ", ".join(sorted(MAP_PARAMS | extra))
        raise SelectionError(f"unknown parameter {unknown[0]!r}; allowed: {allowed}")
    raw_depth = params.get("depth", "1").strip() or "1"
    try:
        depth = int(raw_depth)
    except ValueError:
        raise SelectionError(f"depth must be a whole number, got {raw_depth!r}") from None
    return build_query(
        vendors=params.getlist("vendor"),
        depth=depth,
        layers=params.getlist("layer"),
        direction=params.get("direction", "both") or "both",
        kinds=[k for k in params.getlist("kind") if k],
    )
