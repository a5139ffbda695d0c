"""A validation report, and how it reads as text, JSON or Turtle.

Text is for a curator at a terminal: one block per finding, worst first, then
by vendor, and a summary line at the end where the eye lands. JSON is for
tools (the same fields, plus the summary). Turtle is pyshacl's own SHACL
validation report graph, for SHACL tooling.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import rdflib

from ..vocab import PREFIXES, SHAPES
from .findings import Finding, compact, sort_key

FORMATS = ("text", "json", "turtle")

_LABELS = {"Violation": "VIOLATION", "Warning": "WARNING", "Info": "INFO"}


@dataclass
class Report:
    findings: list[Finding]
    results_graph: rdflib.Graph = field(default_factory=rdflib.Graph, repr=False)
    """pyshacl's validation report graph, rendered by the ``turtle`` format."""

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=sort_key)

    def _of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def violations(self) -> list[Finding]:
        return self._of("Violation")

    @property
    def warnings(self) -> list[Finding]:
        return self._of("Warning")

    @property
    def infos(self) -> list[Finding]:
        return self._of("Info")

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> dict[str, int | bool]:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
        }

    def render(self, fmt: str) -> str:
        """The report in one of :data:`FORMATS`."""
        return render(self, fmt)


def render(report: Report, fmt: str) -> str:
    if fmt == "text":
        return _text(report)
    if fmt == "json":
        return (
            json.dumps(
                {"summary": report.summary(), "findings": [asdict(f) for f in report.findings]},
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "turtle":
        for prefix, namespace in PREFIXES.items():
            report.results_graph.bind(prefix, namespace, override=False)
        report.results_graph.bind("shapes", SHAPES, override=False)
        return report.results_graph.serialize(format="turtle")
    raise ValueError(f"unknown report format {fmt!r}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    counts = ", ".join(
        (
            _plural(len(report.violations), "violation"),
            _plural(len(report.warnings), "warning"),
            _plural(len(report.infos), "info"),
        )
    )
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{counts} — {verdict}"


def _block(finding: Finding) -> str:
    head = f"{_LABELS[finding.severity]:<9} {finding.vendor or '-'}: {finding.message}"
    where = [f"node {compact(finding.focus)}"]
    if finding.path:
        where.append(f"path {finding.path}")
    if finding.value is not None:
        value = finding.value if len(finding.value) <= 60 else finding.value[:57] + "..."
        where.append(f"value {value!r}")
    details = [" · ".join(where), f"file {finding.file or '-'} · shape {finding.source_shape}"]
    return "\n".join([head, *(f"          {line}" for line in details)])


def _text(report: Report) -> str:
    blocks = [_block(f) for f in report.findings]
    if blocks:
        blocks.append("")  # a blank line between the findings and the summary
    return "\n".join([*blocks, summary_line(report)]) + "\n"
