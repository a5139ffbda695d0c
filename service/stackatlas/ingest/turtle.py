"""Deterministic Turtle for an ingested vendor: same page, same bytes.

pyoxigraph serialises; this module only fixes the order (the page's, section
by section), the prefixes, and puts a comment naming each section and its page
line above its triples, so a re-ingest of a changed page reviews as a small
diff. The file's own graph is written ``<>`` (the loader parses each file with
its graph IRI as base).
"""

from __future__ import annotations

import pyoxigraph as ox

from ..vocab import PREFIXES
from .build import Built

_PREFIXES = ("sa", "vendor", "layer", "cert", "category", "source", "skos", "prov", "dcterms", "rdfs", "xsd")


def prefixes_for(built: Built) -> dict[str, str]:
    prefixes = {p: PREFIXES[p] for p in _PREFIXES}
    own = built.slug if built.slug[:1].isalpha() and built.slug.replace("-", "").isalnum() else "entry"
    if own not in prefixes:
        prefixes[own] = f"{built.vendor}/"
    return prefixes


def _grouped(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Triples grouped by subject, subjects in order of first appearance, so each node is written once."""
    order: dict[ox.NamedNode | ox.BlankNode | ox.Triple, list[ox.Triple]] = {}
    for triple in triples:
        order.setdefault(triple.subject, []).append(triple)
    return [triple for group in order.values() for triple in group]


def _body(triples: list[ox.Triple], prefixes: dict[str, str]) -> str:
    text = (ox.serialize(_grouped(triples), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"").decode()
    return "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))


def to_turtle(built: Built, page_name: str) -> bytes:
    prefixes = prefixes_for(built)
    head = "\n".join(f"@prefix {name}: <{iri}> ." for name, iri in prefixes.items())
    out = [
        f"# {built.name}: written by `stackatlas ingest` from the catalog analysis page {page_name}.",
        "# Do not edit by hand: change the page and ingest it again. What curators add",
        "# that the page does not say belongs in graph_data/curation/ (docs/ingest.md).",
        "",
        head,
    ]
    for block in built.triples.blocks:
        if not block.triples:
            continue
        out += ["", f"# --- {block.section} (page line {block.line})", ""]
        body = _body(block.triples, prefixes).strip("\n")
        # every line that starts without indentation opens a subject block: space them out
        lines = body.splitlines()
        spaced = [
            ("\n" + line if i and not line.startswith(("\t", " ")) else line) for i, line in enumerate(lines)
        ]
        out.append("\n".join(spaced))
    text = "\n".join(out) + "\n"
    return text.replace(f"<{built.graph}>", "<>").encode()
