"""What a finding is, and how its nodes, paths and shapes are written for a curator.

A finding carries what a curator needs to fix it without reading SHACL: the
vendor the node hangs off, the file its ``rdf:type`` triple came from, the
path, the value and the shape's own message. IRIs are compacted with the
project prefixes so a finding reads like the Turtle the curator wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..vocab import PREFIXES, SHAPES

SEVERITY_ORDER = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Finding:
    severity: str
    """"Violation", "Warning" or "Info"."""
    focus: str
    """IRI of the node the finding is about (``_:id`` for a blank node)."""
    vendor: str | None
    """Slug of the vendor the focus node belongs to, None for shared vocabulary."""
    path: str | None
    """The property path, compacted with the project prefixes (``sa:layer``, ``^sa:assessment``)."""
    message: str
    value: str | None
    """The offending value: an IRI or a literal's lexical form."""
    source_shape: str
    """The shape that reported it; ``shapes:X/name`` for a property shape inside ``shapes:X``."""
    file: str | None
    """The data file holding the focus node's rdf:type triple (for a blank node, its holder's)."""


def sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    """Worst first, then by vendor (vocabulary findings after the vendors'), node, path and message."""
    return (
        SEVERITY_ORDER.index(finding.severity),
        finding.vendor or "~",
        finding.focus,
        finding.path or "",
        finding.message,
    )


def compact(iri: str) -> str:
    """``sa:layer`` for an IRI under a project prefix, else the IRI itself."""
    best = ("", "")
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best[1]):
            best = (prefix, namespace)
    if best[0]:
        return f"{best[0]}:{iri[len(best[1]) :]}"
    if iri.startswith(str(SHAPES)):
        return f"shapes:{iri[len(SHAPES) :]}"
    return iri


def render_path(graph: rdflib.Graph, path: rdflib.term.Node) -> str:
    """A SHACL path node as a SPARQL property path (``^sa:offering``, ``a|b``, ``a/b``)."""
    if isinstance(path, URIRef):
        return compact(str(path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{render_path(graph, inverse)}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(render_path(graph, p) for p in rdflib.collection.Collection(graph, alternatives))
    for quantifier, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, quantifier)
        if inner is not None:
            return f"({render_path(graph, inner)}){suffix}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(render_path(graph, p) for p in rdflib.collection.Collection(graph, path))
    return str(path)


def render_value(value: rdflib.term.Node | None) -> str | None:
    """A literal's lexical form, ``_:id`` for a blank node, an IRI as it is."""
    if value is None:
        return None
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """``shapes:AssessmentShape``; an anonymous property shape as ``parent/name``."""
    if shape is None:
        return "(unknown shape)"
    if isinstance(shape, URIRef):
        return compact(str(shape))
    parent = shapes.value(predicate=SH.property, object=shape)
    name = shapes.value(shape, SH.name)
    path = shapes.value(shape, SH.path)
    label = str(name) if name is not None else (render_path(shapes, path) if path is not None else "?")
    return f"{shape_name(shapes, parent)}/{label}" if parent is not None else label
