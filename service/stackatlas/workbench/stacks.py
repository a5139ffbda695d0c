"""The stack builder: candidate stacks, at most one vendor per layer, ranked, each with why.

Requirements are checked per vendor with three outcomes: met, not met and
unknown. Unknown (no claim, a claim that needs review, a score or licence the
page does not state) is never counted as met: a vendor with an unknown
outcome stays a candidate, but every stack says which requirement it could
not confirm and ranks below stacks that confirm more.

The search is bounded. Candidates of each layer are the vendors of that layer
with no "not met" outcome. When the product of the candidate lists is at most
:data:`MAX_COMBINATIONS`, every combination is ranked (exact: the tests compare
with a brute-force enumeration). Above that, each layer keeps its best
``k = floor(MAX_COMBINATIONS ** (1 / layers))`` candidates by the vendor's own
rank (fewest unknowns, highest scores, most integrations with other
candidates, name), and the answer says which layers were pruned.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import readmodel as rm
from ..errors import InputError
from .profiles import UNKNOWN, Catalog, Profile

MET, NOT_MET = "MET", "NOT_MET"
MAX_COMBINATIONS = 20_000
MAX_STACKS = 20
MAX_VENDORS_NAMED = 50
FAILING = {"NOT_HELD", "NOT_ADVERTISED", "NOT_OFFERED"}
"""Claim statuses that fail a certification requirement; HELD meets it; NEEDS_REVIEW and no claim: unknown."""


@dataclass(frozen=True)
class Requirements:
    certifications: tuple[str, ...] = ()
    """Codes every managed offering of every vendor must hold (e.g. "HIPAA_BAA")."""
    layers: tuple[str, ...] = ()
    """Layers to fill; every layer of the architecture when empty."""
    include: tuple[str, ...] = ()
    """Vendor slugs that must be in the stack."""
    exclude: tuple[str, ...] = ()
    open_source_only: bool = False
    min_scores: tuple[tuple[str, int], ...] = ()
    """("INPACT", 20), ("GOALS.G", 3) …: the vendor's score must be at least this."""
    limit: int = 5

    def params(self) -> list[tuple[str, str]]:
        """The requirements as URL parameters: the shareable link of the answer."""
        out = [("cert", c) for c in self.certifications]
        out += [("layer", v) for v in self.layers]
        out += [("include", v) for v in self.include]
        out += [("exclude", v) for v in self.exclude]
        if self.open_source_only:
            out.append(("open_source", "1"))
        out += [("min", f"{k}:{v}") for k, v in self.min_scores]
        if self.limit != 5:
            out.append(("limit", str(self.limit)))
        return out


def parse(params: Iterable[tuple[str, str]]) -> Requirements:
    got: dict[str, list[str]] = {}
    for k, v in params:
        if v.strip():
            got.setdefault(k, []).append(v.strip())
    mins = []
    for raw in got.get("min", []):
        key, _, value = raw.partition(":")
        try:
            mins.append((key.upper(), int(value)))
        except ValueError:
            raise InputError(f"min must be KEY:NUMBER (e.g. INPACT:20 or GOALS.G:3), got {raw!r}") from None
    raw_limit = (got.get("limit") or ["5"])[-1]
    try:
        limit = int(raw_limit)
    except ValueError:
        raise InputError(f"limit must be a whole number, got {raw_limit!r}") from None
    return Requirements(
        certifications=tuple(dict.fromkeys(c.upper() for c in got.get("cert", []))),
        layers=tuple(dict.fromkeys(v.upper() for v in got.get("layer", []))),
        include=tuple(dict.fromkeys(got.get("include", []))),
        exclude=tuple(dict.fromkeys(got.get("exclude", []))),
        open_source_only=(got.get("open_source") or [""])[-1].lower() in {"1", "true", "yes", "on"},
        min_scores=tuple(dict.fromkeys(mins)),
        limit=limit,
    )


@dataclass(frozen=True)
class Outcome:
    requirement: str
    """"HIPAA_BAA", "open source", "INPACT ≥ 20"."""
    outcome: str
    """MET, NOT_MET or UNKNOWN."""
    detail: str


def certification_outcome(p: Profile, code: str) -> Outcome:
    """Every managed offering must hold it. An offering of unstated kind counts as managed (it may be)."""
    if not p.offerings:
        return Outcome(code, UNKNOWN, "the page states no offerings")
    managed = [o for o in p.offerings if o.kind != "OPEN_SOURCE"]
    if not managed:
        return Outcome(code, MET, "no managed offering (self-hosted: compliance is the deployer's)")
    failing = [o for o in managed if o.claims.get(code) in FAILING]
    if failing:
        said = "; ".join(f"{o.name}: {o.claims[code].replace('_', ' ').lower()}" for o in failing)
        return Outcome(code, NOT_MET, said)
    unsure = [o for o in managed if o.claims.get(code) != "HELD"]
    if unsure:
        said = "; ".join(
            f"{o.name}: {'needs review' if o.claims.get(code) == 'NEEDS_REVIEW' else 'no claim'}"
            for o in unsure
        )
        return Outcome(code, UNKNOWN, said)
    return Outcome(code, MET, "; ".join(f"{o.name}: held" for o in managed))


def outcomes(p: Profile, req: Requirements) -> tuple[Outcome, ...]:
    found = [certification_outcome(p, c) for c in req.certifications]
    if req.open_source_only:
        if p.open_source is None:
            found.append(Outcome("open source", UNKNOWN, "the page does not say"))
        else:
            found.append(
                Outcome("open source", MET if p.open_source else NOT_MET, "yes" if p.open_source else "no")
            )
    for key, low in req.min_scores:
        value = p.scores.get(key)
        name = f"{key} ≥ {low}"
        if value is None:
            found.append(Outcome(name, UNKNOWN, f"no {key} score stated"))
        else:
            found.append(Outcome(name, MET if value >= low else NOT_MET, f"{key} {value}"))
    return tuple(found)


@dataclass(frozen=True)
class Member:
    profile: Profile
    layer: str
    outcomes: tuple[Outcome, ...]

    @property
    def unknowns(self) -> int:
        return sum(o.outcome == UNKNOWN for o in self.outcomes)

    @property
    def score(self) -> int:
        return self.profile.scores.get("INPACT", 0) + self.profile.scores.get("GOALS", 0)


@dataclass(frozen=True)
class StackRisk:
    vendor: Profile
    severity: rm.Concept | None
    description: str | None
    mitigation: str | None


@dataclass(frozen=True)
class StackIntegration:
    record: rm.Integration
    subject: Profile
    target: Profile
    sources: tuple[rm.Source, ...]


@dataclass(frozen=True)
class Stack:
    members: tuple[Member, ...]
    """In layer order (L1 first)."""
    integrations: tuple[StackIntegration, ...]
    requirements: tuple[Outcome, ...]
    """Per requirement, over the whole stack: NOT_MET if a vendor fails it, UNKNOWN if one cannot confirm it."""
    risks: tuple[StackRisk, ...]
    unknowns: int
    score: int

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(m.profile.slug for m in self.members)


@dataclass(frozen=True)
class StackAnswer:
    requirements: Requirements
    stacks: tuple[Stack, ...]
    layers: tuple[str, ...]
    """The layers filled (those asked, or every layer)."""
    unfilled: tuple[str, ...]
    """Asked layers without any candidate: no stack fills them."""
    candidates: Mapping[str, int]
    """Per layer, how many vendors passed the requirements."""
    pruned: Mapping[str, tuple[int, int]]
    """Per pruned layer: (kept, candidates). Empty when the ranking is exact."""
    combinations: int
    """How many combinations were ranked."""


Adjacency = Mapping[str, Mapping[str, list[str]]]
"""Vendor → other vendor → the IRIs of the integrations stated between them (either page)."""

Read = Callable[[list[str]], Mapping[str, rm.Vendor]]
"""Full records of a few vendors (the stacks' members): ``Reader.read``."""


def _adjacency(cat: Catalog) -> dict[str, dict[str, list[str]]]:
    """Integrations between catalog vendors, both ways, by (one end, other end)."""
    found: dict[str, dict[str, list[str]]] = {}
    for iri, links in cat.integrations.items():
        for integration, target in links:
            if target in cat.by_iri and target != iri:
                found.setdefault(iri, {}).setdefault(target, []).append(integration)
                found.setdefault(target, {}).setdefault(iri, []).append(integration)
    return found


def stack_rank(members: Sequence[Member], links: int) -> tuple[object, ...]:
    """Lower is better: fewest unknown outcomes, most integrations between its vendors, top scores, names."""
    return (
        sum(m.unknowns for m in members),
        -links,
        -sum(m.score for m in members),
        tuple(m.profile.name.casefold() for m in members),
        tuple(m.profile.iri for m in members),
    )


def build(cat: Catalog, req: Requirements, read: Read, adjacency: Adjacency | None = None) -> StackAnswer:
    """Ranked candidate stacks for the requirements: the search reads only the cached catalog; ``read``
    then gives the records of the returned stacks' members (their risks, integrations and sources)."""
    known_layers = [c.notation or "" for c in cat.layers]
    known_certs = {c.notation for c in cat.certifications}
    for code in req.certifications:
        if code not in known_certs:
            raise InputError(
                f"unknown certification {code!r}; known: {', '.join(sorted(c for c in known_certs if c))}"
            )
    for code in req.layers:
        if code not in known_layers:
            raise InputError(f"unknown layer {code!r}; known: {', '.join(known_layers)}")
    if not 1 <= req.limit <= MAX_STACKS:
        raise InputError(f"limit must be between 1 and {MAX_STACKS}, got {req.limit}")
    if len(req.include) + len(req.exclude) > MAX_VENDORS_NAMED:
        raise InputError(f"name at most {MAX_VENDORS_NAMED} vendors to include or exclude")
    by_slug = {p.slug: p for p in cat.profiles}
    for slug in (*req.include, *req.exclude):
        if slug not in by_slug:
            raise InputError(f"unknown vendor id {slug!r} (only vendors with their own page can be in a stack)")
    if set(req.include) & set(req.exclude):
        raise InputError("a vendor cannot be both included and excluded")
    adjacency = adjacency if adjacency is not None else _adjacency(cat)

    forced: dict[str, Profile] = {}
    for slug in req.include:
        p = by_slug[slug]
        if p.layer is None:
            raise InputError(f"{slug} states no layer, so it cannot fill one")
        if p.layer in forced:
            raise InputError(
                f"{forced[p.layer].slug} and {slug} are both in {p.layer}: a stack has one vendor per layer"
            )
        forced[p.layer] = p
    layers = list(req.layers or known_layers)
    layers += [layer for layer in forced if layer not in layers]
    layers.sort(key=known_layers.index)

    excluded = set(req.exclude)
    candidates: dict[str, list[Member]] = {layer: [] for layer in layers}
    for p in cat.profiles:
        if p.layer not in candidates or p.slug in excluded:
            continue
        if p.layer in forced and forced[p.layer].iri != p.iri:
            continue
        member = Member(p, p.layer, outcomes(p, req))
        if p.layer in forced or all(o.outcome != NOT_MET for o in member.outcomes):
            candidates[p.layer].append(member)
    unfilled = tuple(layer for layer in layers if not candidates[layer])
    filled = [layer for layer in layers if candidates[layer]]
    counts = {layer: len(candidates[layer]) for layer in layers}

    pruned: dict[str, tuple[int, int]] = {}
    total = math.prod(len(candidates[layer]) for layer in filled) if filled else 0
    if total > MAX_COMBINATIONS:
        keep = max(1, int(MAX_COMBINATIONS ** (1 / len(filled))))
        pool = {m.profile.iri for layer in filled for m in candidates[layer]}
        for layer in filled:
            found = candidates[layer]
            if len(found) > keep:
                found.sort(
                    key=lambda m: (
                        m.unknowns,
                        -m.score,
                        -sum(o in pool for o in adjacency.get(m.profile.iri, {})),
                        m.profile.name.casefold(),
                        m.profile.iri,
                    )
                )
                candidates[layer] = found[:keep]
                pruned[layer] = (keep, len(found))
    lists = [candidates[layer] for layer in filled]
    combos = math.prod(len(x) for x in lists) if lists else 0

    ranked: list[tuple[tuple[object, ...], tuple[Member, ...]]] = []
    if lists:
        for combo in itertools.product(*lists):
            iris = [m.profile.iri for m in combo]
            links = sum(len(adjacency.get(a, {}).get(b, ())) for a, b in itertools.combinations(iris, 2))
            ranked.append((stack_rank(combo, links), combo))
        ranked.sort(key=lambda pair: pair[0])
    chosen = [combo for _, combo in ranked[: req.limit]]
    records = read(sorted({m.profile.iri for combo in chosen for m in combo})) if chosen else {}
    stacks = tuple(_stack(combo, adjacency, records) for combo in chosen)
    return StackAnswer(req, stacks, tuple(filled), unfilled, counts, pruned, combos)


def _stack(members: tuple[Member, ...], adjacency: Adjacency, records: Mapping[str, rm.Vendor]) -> Stack:
    by_iri = {m.profile.iri: m.profile for m in members}
    wanted = {i for a, b in itertools.combinations(by_iri, 2) for i in adjacency.get(a, {}).get(b, ())}
    stated = {i.iri: i for iri in by_iri for i in records[iri].relations.integrations if i.iri in wanted}
    integrations = []
    for i in sorted(
        stated.values(), key=lambda i: (by_iri[i.subject].layer_rank, by_iri[i.subject].name.casefold(), i.iri)
    ):
        sources = {s.page: s for s in records[i.subject].sources if s.graph in i.graphs and s.page}
        integrations.append(StackIntegration(i, by_iri[i.subject], by_iri[i.target], tuple(sources.values())))
    overall = []
    names = [o.requirement for o in (members[0].outcomes if members else ())]
    for n, name in enumerate(names):
        per = [m.outcomes[n] for m in members]
        worst = (
            NOT_MET
            if any(o.outcome == NOT_MET for o in per)
            else UNKNOWN
            if any(o.outcome == UNKNOWN for o in per)
            else MET
        )
        detail = "; ".join(
            f"{m.profile.name}: {m.outcomes[n].outcome.replace('_', ' ').lower()}" for m in members
        )
        overall.append(Outcome(name, worst, detail))
    risks = [
        StackRisk(m.profile, r.severity, r.description, r.mitigation)
        for m in members
        for r in records[m.profile.iri].risks
    ]
    risks.sort(key=lambda r: (-(r.severity.rank or 0) if r.severity else 0, r.vendor.layer_rank))
    return Stack(
        members=members,
        integrations=tuple(integrations),
        requirements=tuple(overall),
        risks=tuple(risks),
        unknowns=sum(m.unknowns for m in members),
        score=sum(m.score for m in members),
    )


def adjacency_of(reader: rm.Reader, cat: Catalog) -> Adjacency:
    """The catalog's integration adjacency, cached per store generation with the catalog."""
    return reader.cached("workbench-adjacency", lambda: _adjacency(cat))
