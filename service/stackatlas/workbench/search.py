"""Text search over vendor names and page texts that forgives typos ("dagstr" finds Dagster).

An inverted index from words to vendors, built once per store generation (the
reader's cache). A query word matches an indexed word exactly, as a prefix
(three letters or more), or within an edit distance of 1 (2 for words of eight
letters or more) found through a deletion index: every word with one letter
deleted points back at the word, so a lookup touches the query's own
deletions only, never the whole vocabulary. Every bound is a constant here:
at most :data:`MAX_WORDS` query words, :data:`MAX_EXPANSIONS` indexed words
per query word, :data:`MAX_QUERY` characters.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .profiles import Profile

MAX_QUERY = 200
MAX_WORDS = 8
MAX_EXPANSIONS = 40

FIELD_WEIGHTS = {"name": 8.0, "alias": 6.0, "category": 2.0, "certification": 2.0}
"""How much a word found in a field counts; any other field (page texts) counts 1."""

REPEAT_BONUS = 0.25
"""What each further text of the vendor using a word adds to its weight (a page about lineage says it often)."""

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, giving up (limit + 1) once past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Match:
    iri: str
    score: float
    matched: tuple[str, ...]
    """The indexed words the query's words matched (what the page shows as "matched")."""


class TextIndex:
    """Words of every profile's texts → {vendor IRI: weight}; immutable once built."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        postings: dict[str, dict[str, float]] = defaultdict(dict)
        for p in profiles:
            best: dict[str, float] = {}
            texts: dict[str, int] = defaultdict(int)
            for field, text in p.texts:
                weight = FIELD_WEIGHTS.get(field, 1.0)
                for w in set(words(text)):
                    best[w] = max(best.get(w, 0.0), weight)
                    texts[w] += 1
            for w, weight in best.items():
                # The best field counts; each further text using the word adds a little (at most 1).
                postings[w][p.iri] = weight + REPEAT_BONUS * min(texts[w] - 1, 4)
        self.postings: Mapping[str, Mapping[str, float]] = dict(postings)
        self.vocabulary = sorted(self.postings)
        deletions: dict[str, set[str]] = defaultdict(set)
        for w in self.vocabulary:
            if len(w) >= 4:
                for d in _deletions(w):
                    deletions[d].add(w)
        self.deletions: Mapping[str, frozenset[str]] = {k: frozenset(v) for k, v in deletions.items()}

    def expand(self, word: str) -> dict[str, float]:
        """Indexed words a query word stands for, each with how close it is (1 exact … 0.5 a typo away)."""
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = 1.0
        if len(word) >= 3:
            start = bisect.bisect_left(self.vocabulary, word)
            for w in self.vocabulary[start : start + MAX_EXPANSIONS]:
                if not w.startswith(word):
                    break
                found.setdefault(w, 0.8)
        limit = allowed_typos(word)
        if limit:
            candidates: set[str] = set(self.deletions.get(word, ()))
            for d in _deletions(word):
                if d in self.postings:
                    candidates.add(d)
                candidates.update(self.deletions.get(d, ()))
            for w in sorted(candidates)[: MAX_EXPANSIONS * 4]:
                if w not in found and distance(word, w, limit) <= limit:
                    found[w] = 0.5
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_EXPANSIONS])

    def search(self, text: str) -> list[Match]:
        """Vendors matching every query word (in any field), best first; ties by IRI."""
        query = list(dict.fromkeys(words(text[:MAX_QUERY])))[:MAX_WORDS]
        if not query:
            return []
        totals: dict[str, float] | None = None
        matched: dict[str, list[str]] = defaultdict(list)
        for q in query:
            per_vendor: dict[str, float] = {}
            for w, closeness in self.expand(q).items():
                for iri, weight in self.postings[w].items():
                    score = closeness * weight
                    if score > per_vendor.get(iri, 0.0):
                        per_vendor[iri] = score
                        matched[iri].append(w)
            if totals is None:
                totals = per_vendor
            else:
                totals = {i: s + per_vendor[i] for i, s in totals.items() if i in per_vendor}
            if not totals:
                return []
        assert totals is not None
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Match(i, s, tuple(dict.fromkeys(matched[i]))) for i, s in ranked]
