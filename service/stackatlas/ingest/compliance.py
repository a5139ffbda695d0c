"""Compliance text → claims per offering.

Each sentence is read on its own. It is about the offering it names first
(the longest offering name at its start, "Dagster Cloud (commercial managed
offering) holds …"); a sentence that names none ("FedRAMP not advertised —
verify with sales …") continues the previous sentence's offering, or the only
offering. What a sentence states:

- "holds X + Y" → HELD for each named certification;
- "holds no compliance certifications" → NOT_HELD for every certification the
  paragraph names; "holds no X" / "does not hold X" → NOT_HELD for X;
- "X not advertised" → NOT_ADVERTISED; "X not offered" → NOT_OFFERED;
- anything else that names a certification — in particular a scoped
  statement ("a SOC 2 Type II report for its own development process only")
  → NEEDS_REVIEW, with the sentence as evidence. It is never read as HELD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocab import SA

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"'])")
_SCOPE = re.compile(
    r"\b(only|limited to|for its own|scoped|scope|excluding|except|covers? only"
    r"|in progress|pending|planned|roadmap)\b",
    re.IGNORECASE,
)
_NOT_ADVERTISED = re.compile(r"\bnot (?:currently )?advertised\b", re.IGNORECASE)
_NOT_OFFERED = re.compile(r"\bnot offered\b", re.IGNORECASE)
_HOLDS_NONE = re.compile(r"\bholds? no (?:compliance )?certifications?\b", re.IGNORECASE)
_HOLDS_NO = re.compile(r"\b(?:holds? no|does not hold|doesn't hold|do not hold)\b", re.IGNORECASE)
_HOLDS = re.compile(r"\bholds?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    offering: str
    """Key of the offering ("oss", "cloud" …)."""
    certification: str
    """Certification IRI."""
    status: str
    """Status IRI (sa:Held …)."""
    evidence: str
    sentence: int
    """0-based index of the evidence sentence in the paragraph."""


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class CertificationFinder:
    def __init__(self, names: dict[str, str]) -> None:
        ordered = sorted(names, key=len, reverse=True)
        self.names = names
        self.pattern = (
            re.compile("|".join(rf"(?<![\w]){re.escape(n)}(?![\w])" for n in ordered)) if ordered else None
        )

    def find(self, text: str) -> list[str]:
        """Certification IRIs named in the text, in order, each once."""
        if self.pattern is None:
            return []
        found = [self.names[m.group(0)] for m in self.pattern.finditer(text)]
        return list(dict.fromkeys(found))


def read_claims(
    paragraph: str, offerings: dict[str, str], finder: CertificationFinder
) -> tuple[list[Claim], list[str]]:
    """Claims the paragraph states, and the sentences that state none (kept as text only).

    ``offerings`` maps each offering's name as the page writes it to its key.
    """
    parts = sentences(paragraph)
    named_anywhere = finder.find(paragraph)
    claims: list[Claim] = []
    unread: list[str] = []
    by_length = sorted(offerings, key=len, reverse=True)
    current = next(iter(offerings.values())) if len(set(offerings.values())) == 1 else None
    for index, sentence in enumerate(parts):
        subject = next((name for name in by_length if sentence.startswith(name)), None)
        if subject is not None:
            current = offerings[subject]
        certs = finder.find(sentence)
        if current is None or (not certs and not _HOLDS_NONE.search(sentence)):
            unread.append(sentence)
            continue
        if _HOLDS_NONE.search(sentence):
            status, certs = str(SA.NotHeld), certs or named_anywhere
        elif _SCOPE.search(sentence):
            status = str(SA.NeedsReview)
        elif _NOT_ADVERTISED.search(sentence):
            status = str(SA.NotAdvertised)
        elif _NOT_OFFERED.search(sentence):
            status = str(SA.NotOffered)
        elif _HOLDS_NO.search(sentence):
            status = str(SA.NotHeld)
        elif _HOLDS.search(sentence):
            status = str(SA.Held)
        else:
            status = str(SA.NeedsReview)
        claims.extend(Claim(current, cert, status, sentence, index) for cert in certs)
    return claims, unread
