"""The compare page's INPACT / GOALS chart: grouped bars per dimension, as server-rendered SVG.

No script: the page's CSP allows none inline, and a chart of a few dozen bars
needs none. Each bar has a ``<title>`` (read by screen readers and shown on
hover) and the numbers are also in the table beside the chart.
"""

from __future__ import annotations

from html import escape

from .compare import Comparison

BAR, GAP, GROUP_GAP, HEIGHT, LEFT, TOP = 10, 2, 14, 120, 28, 16
PALETTE = ("c1", "c2", "c3", "c4")
"""CSS classes of the vendors' bars (colours in web.css, light and dark)."""


def svg(comparison: Comparison, framework: str) -> str:
    """One chart for one framework; empty string when no compared vendor has that assessment."""
    dims = dict(comparison.dimensions).get(framework)
    if not dims:
        return ""
    n = len(comparison.columns)
    scale = (
        max(
            (
                d.scale or 0
                for col in comparison.columns
                if (a := col.assessment(framework))
                for d in a.dimensions
            ),
            default=0,
        )
        or 10
    )
    group = n * (BAR + GAP) + GROUP_GAP
    width = LEFT + len(dims) * group + 8
    height = TOP + HEIGHT + 24
    names = ", ".join(col.core.name for col in comparison.columns)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="chart-{framework}-title"><title id="chart-{framework}-title">'
        f"{escape(framework)} per dimension: {escape(names)} (scale 0–{scale})</title>"
    ]
    for tick in (0, scale // 2, scale):
        y = TOP + HEIGHT - HEIGHT * tick / scale
        out.append(f'<line class="grid" x1="{LEFT - 4}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    for g, code in enumerate(dims):
        x0 = LEFT + g * group
        for k, col in enumerate(comparison.columns):
            value = col.score(framework, code)
            x = x0 + k * (BAR + GAP)
            label = f"{col.core.name}, {framework} {code}: {value if value is not None else 'not stated'}"
            if value is None:
                out.append(
                    f'<rect class="chart-bar missing" x="{x}" y="{TOP + HEIGHT - 2}" width="{BAR}" height="2">'
                    f"<title>{escape(label)}</title></rect>"
                )
                continue
            h = HEIGHT * min(value, scale) / scale
            out.append(
                f'<rect class="chart-bar {PALETTE[k % len(PALETTE)]}" x="{x}" y="{TOP + HEIGHT - h:.1f}" '
                f'width="{BAR}" '
                f'height="{h:.1f}"><title>{escape(label)}</title></rect>'
            )
        out.append(
            f'<text class="axis" x="{x0 + (n * (BAR + GAP)) / 2:.1f}" y="{TOP + HEIGHT + 14}" '
            f'text-anchor="middle">{escape(code)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
