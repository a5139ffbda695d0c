"""The stack builder against a brute-force enumeration on generated catalogs (bench/generate.py).

The brute force is written apart from the builder: it enumerates every
assignment of one vendor per layer from the whole catalog, keeps those where
no vendor fails a requirement, and ranks them by the documented key. The
builder's answer must be the same list whenever its search is exact (the
product of candidates is within ``MAX_COMBINATIONS``), and when it prunes it
must say so and still return only valid stacks in rank order.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest

from stackatlas.loader import catalog_sources
from stackatlas.readmodel import reader_for
from stackatlas.store import open_store
from stackatlas.workbench import build_stacks, catalog, stacks
from stackatlas.workbench.profiles import Profile

REPO = Path(__file__).resolve().parents[1]


def generated(tmp: Path, n: int, seed: int) -> Path:
    out = tmp / f"catalog-{n}-{seed}"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), str(n), "--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("stacks")
    found = []
    for n, seed in ((24, 1), (40, 7)):
        store = open_store()
        store.load(catalog_sources([generated(tmp, n, seed)]))
        found.append(reader_for(store))
    return found


def outcome(p: Profile, req: stacks.Requirements) -> list[str]:
    """The brute force's own reading of the requirements (not the builder's code)."""
    results = []
    for code in req.certifications:
        if not p.offerings:
            results.append("UNKNOWN")
            continue
        managed = [o for o in p.offerings if o.kind != "OPEN_SOURCE"]
        statuses = [o.claims.get(code) for o in managed]
        if any(s in ("NOT_HELD", "NOT_ADVERTISED", "NOT_OFFERED") for s in statuses):
            results.append("NOT_MET")
        elif all(s == "HELD" for s in statuses):
            results.append("MET")
        else:
            results.append("UNKNOWN")
    if req.open_source_only:
        results.append("UNKNOWN" if p.open_source is None else "MET" if p.open_source else "NOT_MET")
    for key, low in req.min_scores:
        value = p.scores.get(key)
        results.append("UNKNOWN" if value is None else "MET" if value >= low else "NOT_MET")
    return results


def brute_force(reader, req: stacks.Requirements) -> list[tuple[str, ...]]:
    cat = catalog(reader)
    layers = list(req.layers) or [c.notation for c in cat.layers]
    links: dict[frozenset[str], int] = {}
    for iri, stated in cat.integrations.items():
        for _integration, target in stated:
            if target in cat.by_iri and target != iri:
                key = frozenset((iri, target))
                links[key] = links.get(key, 0) + 1
    per_layer = []
    for layer in layers:
        members = [p for p in cat.profiles if p.layer == layer and p.slug not in req.exclude]
        members = [p for p in members if "NOT_MET" not in outcome(p, req)]
        if members:
            per_layer.append(members)
    if not per_layer:
        return []  # no layer has a candidate: no stack, not one empty stack
    ranked = []
    for combo in itertools.product(*per_layer):
        unknowns = sum(outcome(p, req).count("UNKNOWN") for p in combo)
        linked = sum(links.get(frozenset((a.iri, b.iri)), 0) for a, b in itertools.combinations(combo, 2))
        score = sum(p.scores.get("INPACT", 0) + p.scores.get("GOALS", 0) for p in combo)
        key = (unknowns, -linked, -score, tuple(p.name.casefold() for p in combo), tuple(p.iri for p in combo))
        ranked.append((key, tuple(p.slug for p in combo)))
    ranked.sort()
    return [slugs for _, slugs in ranked[: req.limit]]


def random_requirements(rng: random.Random, reader) -> stacks.Requirements:
    cat = catalog(reader)
    certs = [c.notation for c in cat.certifications]
    layers = [c.notation for c in cat.layers]
    return stacks.Requirements(
        certifications=tuple(rng.sample(certs, rng.randint(0, 3))),
        layers=tuple(sorted(rng.sample(layers, rng.randint(1, 3)), key=layers.index)),
        open_source_only=rng.random() < 0.2,
        min_scores=(("INPACT", rng.randint(5, 25)),) if rng.random() < 0.4 else (),
        limit=rng.randint(1, 8),
    )


def test_exact_answers_equal_brute_force(readers):
    rng = random.Random(15)
    checked = 0
    for reader in readers:
        for _ in range(25):
            req = random_requirements(rng, reader)
            answer = build_stacks(reader, req)
            if answer.pruned:
                continue
            assert [s.slugs for s in answer.stacks] == brute_force(reader, req), req
            checked += 1
    assert checked >= 40


def test_unknown_is_never_met_and_failing_vendors_never_appear(readers):
    reader = readers[1]
    req = stacks.Requirements(certifications=("HIPAA_BAA", "SOC2_TYPE2"), layers=("L1", "L3", "L7"), limit=20)
    answer = build_stacks(reader, req)
    assert answer.stacks
    for stack in answer.stacks:
        for member in stack.members:
            mine = outcome(member.profile, req)
            assert "NOT_MET" not in mine
            assert [o.outcome for o in member.outcomes] == mine
        for n, overall in enumerate(stack.requirements):
            per = [m.outcomes[n].outcome for m in stack.members]
            assert overall.outcome == ("MET" if set(per) == {"MET"} else "UNKNOWN")
        assert stack.unknowns == sum(o.outcome == "UNKNOWN" for m in stack.members for o in m.outcomes)


def test_pruning_is_reported_and_answers_stay_valid(readers, monkeypatch):
    reader = readers[1]
    monkeypatch.setattr(stacks, "MAX_COMBINATIONS", 8)
    req = stacks.Requirements(layers=("L1", "L3", "L5", "L7"), limit=5)
    answer = build_stacks(reader, req)
    assert answer.pruned, "four layers of several candidates each exceed 8 combinations"
    assert answer.combinations <= 8
    keys = []
    for stack in answer.stacks:
        assert [m.layer for m in stack.members] == [
            layer for layer in req.layers if layer not in answer.unfilled
        ]
        keys.append(stacks.stack_rank(stack.members, len(stack.integrations)))
    assert keys == sorted(keys)


def test_includes_and_excludes(readers):
    reader = readers[0]
    cat = catalog(reader)
    chosen = next(p for p in cat.profiles if p.layer == "L3")
    banned = next(p for p in cat.profiles if p.layer == "L7")
    req = stacks.Requirements(layers=("L3", "L7"), include=(chosen.slug,), exclude=(banned.slug,), limit=10)
    answer = build_stacks(reader, req)
    assert answer.stacks
    for stack in answer.stacks:
        assert chosen.slug in stack.slugs
        assert banned.slug not in stack.slugs


def test_bad_requirements_are_one_clear_error(readers):
    reader = readers[0]
    for req, words in (
        (stacks.Requirements(certifications=("NOPE",)), "unknown certification 'NOPE'"),
        (stacks.Requirements(layers=("L9",)), "unknown layer 'L9'"),
        (stacks.Requirements(include=("no-such-vendor",)), "unknown vendor id 'no-such-vendor'"),
        (stacks.Requirements(limit=0), "limit must be between 1 and 20"),
    ):
        with pytest.raises(stacks.InputError, match=words):
            build_stacks(reader, req)
