"""CSV edge list, one row per relation, written by the stdlib ``csv`` module.

Every cell goes through :func:`~stackatlas.safety.csv_cell`: a label such as
``=HYPERLINK(…)`` stays text when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from ..safety import csv_cell
from .selection import IntegrationMap

COLUMNS = [
    "id",
    "source",
    "source_label",
    "source_layer",
    "target",
    "target_label",
    "target_layer",
    "kind",
    "direction",
    "label",
    "layer",
    "provenance",
]


def render(graph: IntegrationMap) -> str:
    nodes = {n.id: n for n in graph.nodes}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in graph.edges:
        source, target = nodes[e.source], nodes[e.target]
        writer.writerow(
            csv_cell(cell)
            for cell in [
                e.id,
                e.source,
                source.label,
                source.layer or "",
                e.target,
                target.label,
                target.layer or "",
                e.kind,
                e.direction or "",
                e.label,
                e.layer or "",
                " ".join(e.provenance),
            ]
        )
    return buffer.getvalue()
