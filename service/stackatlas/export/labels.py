"""Label shortening shared by the drawing formats (Mermaid, DOT, the SVG map).

Data formats (GraphML, Cytoscape, JSON, CSV) keep labels whole; a diagram
would be unreadable with a 300-character box, so drawings shorten them and
keep the full text where the format has room for it (DOT tooltips, SVG titles).
"""

from __future__ import annotations

DRAWN_LABEL_MAX = 60


def shorten(label: str, limit: int = DRAWN_LABEL_MAX) -> str:
    """One line of at most ``limit`` characters, ending in an ellipsis when cut."""
    flat = " ".join(label.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
