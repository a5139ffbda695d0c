"""Split list items the scraper glued together, and strip list markers.

"…core requirementsAI agent stacks…" splits where a capital follows a
lower-case letter or a closing bracket; letter case alone cannot split
"…first-class assetsdbt-heavy stacks…" nor tell "FedRAMP" or "ClickHouse"
from two items, so the catalog's known names decide those.
"""

from __future__ import annotations

import re

from .names import NameIndex

_MARKER = re.compile(r"^(?:[•·▪◦*☐□✓✔]|\[[ xX]?\]|\d+[.)])?\s*(?:[+\-]\s+)?")


def strip_marker(text: str) -> str:
    """The item without its bullet ("• +", "• -", "☐", "1.") and the space after it."""
    return _MARKER.sub("", text, count=1).strip()


class Splitter:
    """Splits glued items, protecting the known names that mix letter cases."""

    def __init__(self, names: NameIndex) -> None:
        self.names = names

    def split(self, text: str) -> list[str]:
        cuts: list[int] = []
        for i in range(1, len(text)):
            prev, cur = text[i - 1], text[i]
            if not cur.isupper() or not (prev.islower() or prev.isdigit() or prev in ")]'’\"”."):
                continue
            if prev.islower() and self.names.inside_name(text, i):
                continue  # "FedRAMP", "ClickHouse"
            word_start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
            if text[word_start].isupper() and not text[word_start:i].endswith((")", "]")):
                continue  # a CamelCase word such as "AssetSpec"
            if prev.isdigit() and text[word_start:i].isdigit():
                continue  # "2FA"
            cuts.append(i)
        cuts.extend(self.names.glued_lower_initial(text))
        items, last = [], 0
        for cut in sorted(set(cuts)):
            items.append(text[last:cut])
            last = cut
        items.append(text[last:])
        return [item for item in items if item.strip()]
