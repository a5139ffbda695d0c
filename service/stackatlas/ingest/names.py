"""Find known names in text in time linear in the text, whatever the size of the catalog.

A regular expression alternating over every vendor name costs time in
proportion to the number of names at every position of every text, which is
quadratic over a batch of pages that all become names. Here names are
indexed by their first word (and, for names that mix letter cases, by each
lower→upper transition inside them), so a lookup costs a dictionary access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"\w+")


def _boundary(text: str, end: int) -> bool:
    return end == len(text) or not (text[end].isalnum() or text[end] == "_")


class NameIndex:
    def __init__(self, names: Iterable[str]) -> None:
        self.by_first: dict[str, list[str]] = {}
        self.by_transition: dict[str, list[tuple[str, int]]] = {}
        self.lower_initial: list[str] = []
        for name in sorted(set(names), key=lambda n: (-len(n), n)):
            first = _WORD.match(name)
            if first is None:
                continue
            self.by_first.setdefault(first.group(0), []).append(name)
            for i in range(1, len(name)):
                if name[i].isupper() and name[i - 1].islower():
                    self.by_transition.setdefault(name[i - 1 : i + 1], []).append((name, i))
            if name[0].islower() and len(name) >= 2:
                self.lower_initial.append(name)

    def find(self, text: str, exclude: Iterable[str] = ()) -> Iterator[tuple[int, str]]:
        """(position, name) of each known name standing as words in the text, longest first, no overlaps."""
        skip = set(exclude)
        last_end = 0
        for word in _WORD.finditer(text):
            start = word.start()
            if start < last_end:
                continue
            for name in self.by_first.get(word.group(0), ()):
                end = start + len(name)
                if name not in skip and text.startswith(name, start) and _boundary(text, end):
                    yield start, name
                    last_end = end
                    break

    def inside_name(self, text: str, i: int) -> bool:
        """Whether position ``i`` (an upper-case letter after a lower-case one) is inside a known name."""
        for name, offset in self.by_transition.get(text[i - 1 : i + 1], ()):
            if text.startswith(name, i - offset):
                return True
        return False

    def glued_lower_initial(self, text: str) -> Iterator[int]:
        """Where a known lower-case-initial name ("dbt") starts glued to the previous word."""
        for name in self.lower_initial:
            start = text.find(name)
            while start != -1:
                end = start + len(name)
                if start > 0 and text[start - 1].isalpha() and (end == len(text) or not text[end].isalpha()):
                    yield start
                start = text.find(name, start + 1)
