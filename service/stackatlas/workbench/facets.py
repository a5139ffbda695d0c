"""The faceted vendor list: filters, counts per facet value, sort and the permalink that keeps them.

A :class:`FacetQuery` is parsed from query parameters (the web page's and the
GraphQL field's arguments map onto the same fields), so a permalink is the
query string itself. Counts follow the usual rule of faceted search: the
count next to a value of one facet is the number of vendors that match every
*other* active filter and have that value, so ticking it yields that many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import InputError
from .profiles import STALE_AFTER_DAYS, STATUS_LABELS, STATUSES, UNKNOWN, Catalog, Profile
from .search import TextIndex

SORTS = ("name", "inpact", "goals", "layer", "relevance")
FRESHNESS = ("fresh", "stale", "unknown")
OPEN_SOURCE = ("yes", "no", "unknown")
MAX_PAGE = 200


@dataclass(frozen=True)
class ScoreRange:
    key: str
    """"INPACT", "GOALS" or a dimension, "INPACT.I", "GOALS.G"."""
    low: int | None
    high: int | None

    def param(self) -> str:
        return f"{self.key}:{'' if self.low is None else self.low}:{'' if self.high is None else self.high}"

    def holds(self, p: Profile) -> bool:
        """A vendor without the score is outside every range (unknown is not in range)."""
        value = p.scores.get(self.key)
        if value is None:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class FacetQuery:
    text: str = ""
    layers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    open_source: tuple[str, ...] = ()
    certifications: tuple[tuple[str, str], ...] = ()
    """(certification code, status) pairs; a vendor matches when some offering has that status for it."""
    scores: tuple[ScoreRange, ...] = ()
    freshness: tuple[str, ...] = ()
    sort: str = "name"
    offset: int = 0
    limit: int = 50

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """The query as URL parameters: the permalink (``changes`` replace fields first)."""
        q = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        out: list[tuple[str, str]] = []
        if q.text:
            out.append(("q", q.text))
        out += [("layer", v) for v in q.layers]
        out += [("category", v) for v in q.categories]
        out += [("license", v) for v in q.licenses]
        out += [("open_source", v) for v in q.open_source]
        out += [("cert", f"{c}:{s}") for c, s in q.certifications]
        out += [("score", r.param()) for r in q.scores]
        out += [("freshness", v) for v in q.freshness]
        if q.sort != ("relevance" if q.text else "name"):
            out.append(("sort", q.sort))
        if q.offset:
            out.append(("offset", str(q.offset)))
        if q.limit != 50:
            out.append(("limit", str(q.limit)))
        return out

    def toggled(self, name: str, value: object) -> list[tuple[str, str]]:
        """The permalink with one facet value added, or removed when already chosen (offset reset)."""
        current: tuple[object, ...] = getattr(self, name)
        chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.params(**{name: chosen, "offset": 0})


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}, got {value}")
    return value


def parse(params: Iterable[tuple[str, str]]) -> FacetQuery:
    """A query from URL parameters; an unknown value is an :class:`InputError` naming the parameter."""
    got: dict[str, list[str]] = {}
    for k, v in params:
        got.setdefault(k, []).append(v.strip())
    certs = []
    for raw in got.get("cert", []):
        code, _, status = raw.partition(":")
        status = (status or "HELD").upper()
        if not code or status not in STATUSES:
            raise InputError(
                f"cert must be CODE:STATUS with STATUS one of {', '.join(STATUSES)} "
                f"(e.g. HIPAA_BAA:HELD), got {raw!r}"
            )
        certs.append((code.upper(), status))
    scores = []
    for raw in got.get("score", []):
        parts = raw.split(":")
        if len(parts) != 3 or not parts[0]:
            raise InputError(f"score must be KEY:LOW:HIGH (e.g. INPACT:20:30 or GOALS.G:3:), got {raw!r}")
        low = _int("score low", parts[1], 0, 1000) if parts[1] else None
        high = _int("score high", parts[2], 0, 1000) if parts[2] else None
        scores.append(ScoreRange(parts[0].upper(), low, high))
    key = (got.get("score_key") or [""])[-1]
    if key:
        low_raw, high_raw = (got.get("score_min") or [""])[-1], (got.get("score_max") or [""])[-1]
        scores.append(
            ScoreRange(
                key.upper(),
                _int("score_min", low_raw, 0, 1000) if low_raw else None,
                _int("score_max", high_raw, 0, 1000) if high_raw else None,
            )
        )
    for name, allowed in (("open_source", OPEN_SOURCE), ("freshness", FRESHNESS)):
        for v in got.get(name, []):
            if v not in allowed:
                raise InputError(f"{name} must be one of {', '.join(allowed)}, got {v!r}")
    text = " ".join((got.get("q") or [""])[-1].split())[:200]
    sort = (got.get("sort") or [""])[-1] or ("relevance" if text else "name")
    if sort not in SORTS:
        raise InputError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    return FacetQuery(
        text=text,
        layers=tuple(dict.fromkeys(v.upper() for v in got.get("layer", []) if v)),
        categories=tuple(dict.fromkeys(v for v in got.get("category", []) if v)),
        licenses=tuple(dict.fromkeys(v for v in got.get("license", []) if v)),
        open_source=tuple(dict.fromkeys(got.get("open_source", []))),
        certifications=tuple(dict.fromkeys(certs)),
        scores=tuple(scores),
        freshness=tuple(dict.fromkeys(got.get("freshness", []))),
        sort=sort,
        offset=_int("offset", (got.get("offset") or ["0"])[-1] or "0", 0, 1_000_000),
        limit=_int("limit", (got.get("limit") or ["50"])[-1] or "50", 1, MAX_PAGE),
    )


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    """The URL parameter ("layer", "cert:HIPAA_BAA" …)."""
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Row:
    profile: Profile
    relevance: float = 0.0
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacetResult:
    query: FacetQuery
    total: int
    rows: tuple[Row, ...]
    facets: tuple[Facet, ...]
    catalog_size: int
    score_keys: tuple[str, ...] = field(default=())


def _open_source(p: Profile) -> str:
    return "unknown" if p.open_source is None else "yes" if p.open_source else "no"


def run(
    cat: Catalog,
    index: TextIndex,
    query: FacetQuery,
    today: date | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
) -> FacetResult:
    """Filter, count and sort the catalog's profiles for one query (no store access)."""
    profiles = cat.profiles
    known = {c.notation for c in cat.certifications}
    for code, _ in query.certifications:
        if code not in known:
            raise InputError(
                f"unknown certification {code!r} in cert; known: {', '.join(sorted(c for c in known if c))}"
            )
    freshness = {p.iri: p.freshness(today, stale_after_days) for p in profiles}
    relevance: dict[str, tuple[float, tuple[str, ...]]] = {}
    if query.text:
        relevance = {m.iri: (m.score, m.matched) for m in index.search(query.text)}

    tests: dict[str, Callable[[Profile], bool]] = {}
    if query.text:
        tests["q"] = lambda p: p.iri in relevance
    if query.layers:
        tests["layer"] = lambda p: (p.layer or UNKNOWN) in query.layers
    if query.categories:
        tests["category"] = lambda p: (p.category or UNKNOWN) in query.categories
    if query.licenses:
        tests["license"] = lambda p: (p.license or UNKNOWN) in query.licenses
    if query.open_source:
        tests["open_source"] = lambda p: _open_source(p) in query.open_source
    by_cert: dict[str, set[str]] = {}
    for code, status in query.certifications:
        by_cert.setdefault(code, set()).add(status)
    for code, wanted in by_cert.items():
        tests[f"cert:{code}"] = lambda p, c=code, w=frozenset(wanted): bool(p.statuses(c) & w)  # type: ignore[misc]
    for r in query.scores:
        tests[f"score:{r.key}"] = r.holds
    if query.freshness:
        tests["freshness"] = lambda p: freshness[p.iri] in query.freshness

    passes = {name: frozenset(i for i, p in enumerate(profiles) if test(p)) for name, test in tests.items()}
    everyone = frozenset(range(len(profiles)))

    def others(name: str) -> frozenset[int]:
        found = everyone
        for other, members in passes.items():
            if other != name:
                found = found & members
        return found

    def facet(
        name: str,
        label: str,
        value_of: Callable[[Profile], Iterable[str]],
        chosen: Sequence[str],
        labels: Mapping[str, str] | None = None,
        order: Sequence[str] | None = None,
    ) -> Facet:
        counts: Counter[str] = Counter()
        for i in others(name):
            counts.update(set(value_of(profiles[i])))
        keys = list(order) if order is not None else sorted(counts, key=lambda k: (k == UNKNOWN, k.casefold()))
        keys += [k for k in chosen if k not in keys]
        return Facet(
            name,
            label,
            tuple(
                FacetValue(k, (labels or {}).get(k, k), counts.get(k, 0), k in chosen)
                for k in keys
                if counts.get(k, 0) or k in chosen
            ),
        )

    layer_labels = {c.notation or "": f"{c.notation} {c.label or ''}".strip() for c in cat.layers}
    layer_labels[UNKNOWN] = "layer not stated"
    category_labels = {p.category: p.category_label or p.category for p in profiles if p.category}
    category_labels[UNKNOWN] = "category not stated"
    facets = [
        facet(
            "layer",
            "Layer",
            lambda p: [p.layer or UNKNOWN],
            query.layers,
            layer_labels,
            [*(c.notation or "" for c in cat.layers), UNKNOWN],
        ),
        facet("category", "Category", lambda p: [p.category or UNKNOWN], query.categories, category_labels),
        facet(
            "license",
            "Licence",
            lambda p: [p.license or UNKNOWN],
            query.licenses,
            {UNKNOWN: "licence not stated"},
        ),
        facet("open_source", "Open source", lambda p: [_open_source(p)], query.open_source, None, OPEN_SOURCE),
    ]
    for cert in cat.certifications:
        code = cert.notation or ""
        chosen = [s for c, s in query.certifications if c == code]
        facets.append(
            facet(
                f"cert:{code}",
                cert.label or code,
                _statuses_of(code),
                chosen,
                STATUS_LABELS,
                STATUSES,
            )
        )
    facets.append(
        facet("freshness", "Review freshness", lambda p: [freshness[p.iri]], query.freshness, None, FRESHNESS)
    )

    kept = [profiles[i] for i in sorted(others(""))]
    rows = [Row(p, *relevance.get(p.iri, (0.0, ()))) for p in kept]
    rows.sort(key=_sort_key(query.sort))
    page = rows[query.offset : query.offset + query.limit]
    keys = sorted({k for p in profiles[:1000] for k in p.scores}, key=lambda k: ("." in k, k))
    return FacetResult(query, len(rows), tuple(page), tuple(facets), len(profiles), tuple(keys))


def _statuses_of(code: str) -> Callable[[Profile], Iterable[str]]:
    return lambda p: p.statuses(code)


def _sort_key(sort: str) -> Callable[[Row], tuple[object, ...]]:
    def name(r: Row) -> tuple[object, ...]:
        return (r.profile.name.casefold(), r.profile.iri)

    if sort == "inpact" or sort == "goals":
        key = sort.upper()
        return lambda r: (r.profile.scores.get(key) is None, -(r.profile.scores.get(key) or 0), *name(r))
    if sort == "layer":
        return lambda r: (r.profile.layer_rank, *name(r))
    if sort == "relevance":
        return lambda r: (-r.relevance, *name(r))
    return name


def catalog_search(cat: Catalog, index: TextIndex, text: str, limit: int = 20) -> list[Row]:
    """The text search alone, best first (the search box's "texts too" results)."""
    found = index.search(text)[:limit]
    return [Row(cat.by_iri[m.iri], m.score, m.matched) for m in found if m.iri in cat.by_iri]


__all__ = ["Facet", "FacetQuery", "FacetResult", "FacetValue", "Row", "ScoreRange", "parse", "run"]
