"""The one registry of media types every negotiating route reads: SPARQL, downloads, linked data.

Lists name what a kind of answer can be given as (the first is the default
for a client that sends no Accept); ``ALIASES``/``GRAPH_ALIASES`` are the
short ``format`` names for links; ``SYNONYMS`` the older names clients send;
``EXTENSIONS`` the file name a download gets.
"""

from __future__ import annotations

from dataclasses import dataclass

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
TRIG = "application/trig"
N_QUADS = "application/n-quads"
HTML = "text/html"

SOLUTIONS = [SPARQL_JSON, SPARQL_XML, CSV, TSV]
"""SELECT and ASK results."""
GRAPH = [TURTLE, N_TRIPLES, JSON_LD, RDF_XML]
"""CONSTRUCT and DESCRIBE results, graph downloads."""
DATASET = [TRIG, N_QUADS]
"""Whole-dataset dumps."""

ALIASES = {
    "json": SPARQL_JSON,
    "xml": SPARQL_XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": TURTLE,
    "turtle": TURTLE,
    "nt": N_TRIPLES,
    "ntriples": N_TRIPLES,
    "jsonld": JSON_LD,
    "json-ld": JSON_LD,
    "rdfxml": RDF_XML,
    "rdf+xml": RDF_XML,
    "rdf": RDF_XML,
    "n3": TURTLE,
    "trig": TRIG,
    "nq": N_QUADS,
    "nquads": N_QUADS,
}

GRAPH_ALIASES = {**ALIASES, "json": JSON_LD, "xml": RDF_XML}
"""For CONSTRUCT/DESCRIBE and downloads, ``json`` and ``xml`` mean the RDF syntaxes."""

JSON_LINES = "application/x-ndjson"
ATOM = "application/atom+xml"
FEED = [JSON_LINES, ATOM]
"""The change feed (``/changes``): one JSON object per commit and line, or an Atom feed."""
FEED_ALIASES = {"jsonl": JSON_LINES, "ndjson": JSON_LINES, "atom": ATOM}

XHTML = "application/xhtml+xml"
LINKED_DATA = [HTML, XHTML, TURTLE, JSON_LD, N_TRIPLES]
"""What ``/id/…`` answers with: a page for browsers, the resource's triples for RDF clients."""
LINKED_DATA_ALIASES = {**GRAPH_ALIASES, "html": HTML}

EXTENSIONS = {TURTLE: "ttl", N_TRIPLES: "nt", JSON_LD: "jsonld", RDF_XML: "rdf", TRIG: "trig", N_QUADS: "nq"}


@dataclass(frozen=True)
class GraphFormat:
    """A whole-catalog download (``/export/graph``, ``stackatlas export graph``) by its name."""

    name: str
    media_type: str
    extension: str
    title: str
    dataset: bool
    """One named graph per source file (TriG, N-Quads) rather than the deduplicated union."""


GRAPH_FORMATS: dict[str, GraphFormat] = {
    f.name: f
    for f in (
        GraphFormat("turtle", TURTLE, EXTENSIONS[TURTLE], "Turtle", False),
        GraphFormat("ntriples", N_TRIPLES, EXTENSIONS[N_TRIPLES], "N-Triples", False),
        GraphFormat("jsonld", JSON_LD, EXTENSIONS[JSON_LD], "JSON-LD", False),
        GraphFormat("trig", TRIG, EXTENSIONS[TRIG], "TriG (one graph per source file)", True),
        GraphFormat("nquads", N_QUADS, EXTENSIONS[N_QUADS], "N-Quads (one graph per source file)", True),
    )
}

GRAPH_FORMAT_NAMES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "nq": "nquads"}
"""Other names of the downloads' ``format`` (by download name, unlike ``GRAPH_ALIASES``, by media type)."""

RDF_BY_MEDIA_TYPE = {f.media_type: f for f in GRAPH_FORMATS.values() if not f.dataset}
"""The triple formats a single resource is given in (linked data)."""

SYNONYMS = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "text/plain": N_TRIPLES,
    "application/x-json+ld": JSON_LD,
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "application/n3": TURTLE,
    "application/jsonl": JSON_LINES,
    "application/json-lines": JSON_LINES,
}
"""Older or generic names some clients send (SPARQLWrapper, rdflib's SPARQLStore).

N3 is answered with Turtle, which every N3 parser reads."""


def with_synonyms(offered: list[str]) -> list[str]:
    """``offered`` followed by the synonyms of its types, for matching an Accept header."""
    return offered + [alias for alias, canonical in SYNONYMS.items() if canonical in offered]


def canonical(media_type: str) -> str:
    return SYNONYMS.get(media_type, media_type)
