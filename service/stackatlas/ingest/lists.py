"""Split list items the scraper glued together, and strip list markers.

"…core requirementsAI agent stacks…" splits where a capital follows a
lower-case letter or a closing bracket; letter case alone cannot split
"…first-class assetsdbt-heavy stacks…" nor tell "FedRAMP" or "ClickHouse"
from two items, so the catalog's known names decide those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MARKER = re.compile(r"^(?:[•·▪◦*☐□✓✔]|\[[ xX]?\]|\d+[.)])?\s*(?:[+\-]\s+)?")


def strip_marker(text: str) -> str:
    """The item without its bullet ("• +", "• -", "☐", "1.") and the space after it."""
    return _MARKER.sub("", text, count=1).strip()


class Splitter:
    """Splits glued items, protecting the known names that mix letter cases."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted({n for n in names if n}, key=len, reverse=True)
        self.lower_initial = [n for n in self.names if n[0].islower() and len(n) >= 2]

    def _protected(self, text: str) -> set[int]:
        """Positions inside a known name (never a split point)."""
        inside: set[int] = set()
        for name in self.names:
            if not any(c.isupper() for c in name[1:]):
                continue
            start = text.find(name)
            while start != -1:
                inside.update(range(start + 1, start + len(name)))
                start = text.find(name, start + 1)
        return inside

    def split(self, text: str) -> list[str]:
        protected = self._protected(text)
        cuts: list[int] = []
        for i in range(1, len(text)):
            if i in protected:
                continue
            prev, cur = text[i - 1], text[i]
            if (
                cur.isupper()
                and (prev.islower() or prev.isdigit() or prev in ")]'’\"”.")
                and not text[i - 1].isspace()
            ):
                word_start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
                if text[word_start].isupper() and not text[word_start:i].endswith((")", "]")):
                    continue  # CamelCase word such as "AssetSpec"
                if prev.isdigit() and text[word_start:i].isdigit():
                    continue
                cuts.append(i)
        for name in self.lower_initial:
            start = text.find(name)
            while start != -1:
                end = start + len(name)
                if start > 0 and text[start - 1].isalpha() and (end == len(text) or not text[end].isalpha()):
                    cuts.append(start)
                start = text.find(name, start + 1)
        items, last = [], 0
        for cut in sorted(set(cuts)):
            items.append(text[last:cut])
            last = cut
        items.append(text[last:])
        return [item for item in items if item.strip()]
