"""Graphviz DOT: layers as clusters ranked L7 at the top to L1 at the bottom.

The ``graphviz`` package writes the syntax and quotes identifiers; every
label goes through :func:`graphviz.escape` so backslashes and ``<…>`` in a
vendor name are text, not DOT escapes or HTML-like labels. The layer order is
held by an invisible chain of one anchor node per layer, and every relation
edge is written from the higher layer to the lower one (``dir=back`` keeps an
upward data flow's arrowhead right), so no edge pulls the layers out of order.
"""

from __future__ import annotations

import graphviz

from ..safety import bounded, safe_href, xml_text
from .labels import shorten
from .selection import IntegrationMap, Kind

_MAX_ATTRIBUTE = 2000
"""Longest attribute value written (full labels go into tooltips)."""

_STYLE = {
    Kind.integration: {"style": "solid", "color": "#1f5fa8"},
    Kind.alternative: {"style": "dashed", "color": "#b5651d", "dir": "none"},
    Kind.mention: {"style": "dotted", "color": "#666666", "dir": "none"},
}


def _text(value: str) -> str:
    """Escaped for DOT, without control characters, and bounded: Graphviz rejects very long strings."""
    return graphviz.escape(bounded(xml_text(value), _MAX_ATTRIBUTE))


def render(graph: IntegrationMap) -> str:
    dot = graphviz.Digraph(
        "stackatlas",
        graph_attr={
            "newrank": "true",
            "rankdir": "TB",
            "fontname": "DejaVu Sans",
            "label": "stackatlas integration map",
        },
        node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "white", "fontname": "DejaVu Sans"},
        edge_attr={"fontname": "DejaVu Sans", "fontsize": "10"},
    )
    ids = {node.id: f"n{i}" for i, node in enumerate(graph.nodes)}
    bands = [(layer.code, layer.title) for layer in graph.layers]
    if any(graph.layer_of(n.layer) is None for n in graph.nodes):
        bands.append(("unplaced", "layer not stated"))
    previous = None
    for code, title in bands:
        members = [
            n
            for n in graph.nodes
            if (n.layer == code) or (code == "unplaced" and graph.layer_of(n.layer) is None)
        ]
        anchor = f"layer_{code}"
        with dot.subgraph(name=f"cluster_{code}") as cluster:
            cluster.attr(
                label=_text(title),
                style="filled",
                fillcolor="#f3f6fa",
                color="#c8d3e0",
                layer_code=code,
            )
            with cluster.subgraph() as row:
                row.attr(rank="same")
                row.node(anchor, label="", shape="point", style="invis", width="0")
                for node in members:
                    row.node(
                        ids[node.id],
                        label=_text(shorten(node.label)),
                        tooltip=_text(node.label),
                        URL=_text(safe_href(node.id)),
                        iri=_text(node.id),
                        layer=code,
                        catalog_entry=str(node.catalog_entry).lower(),
                        seed=str(node.seed).lower(),
                        relations=",".join(node.relations),
                        provenance=_text(" ".join(node.provenance)),
                        penwidth="3" if node.seed else "1",
                    )
        if previous is not None:
            dot.edge(previous, anchor, style="invis", weight="100")
        previous = anchor
    rank = {n.id: (layer.rank if (layer := graph.layer_of(n.layer)) else 0) for n in graph.nodes}
    for edge in graph.edges:
        start, end = edge.flow()
        attrs = {"direction": edge.direction, "layer": edge.layer}
        if rank[start] < rank[end]:
            # Written top-down so the edge agrees with the layer order; the
            # arrowhead is put back at the end data flows into.
            start, end = end, start
            attrs["dir"] = "back" if edge.kind == Kind.integration else None
        if rank[start] == rank[end]:
            attrs["constraint"] = "false"
        dot.edge(
            ids[start],
            ids[end],
            label=_text(shorten(edge.label, 40)),
            tooltip=_text(edge.label),
            iri=_text(edge.id),
            kind=edge.kind,
            provenance=_text(" ".join(edge.provenance)),
            **_STYLE[Kind(edge.kind)],
            **{k: v for k, v in attrs.items() if v},
        )
    return dot.source
