"""The one place where namespace IRIs are spelt.

Every other module builds IRIs from these constants so that a change of base
(for example a deployment mapping the w3id prefix elsewhere) happens here once.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, DOAP, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

SA = Namespace("https://w3id.org/stackatlas/ontology#")
"""Ontology terms (classes, properties, closed value sets such as severities)."""

ID = Namespace("https://w3id.org/stackatlas/id/")
"""Instance data: vendors and everything hanging off them."""

GRAPH = Namespace("https://w3id.org/stackatlas/graph/")
"""Named graphs: one per source file, ``graph/<path without .ttl>``."""

SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SPDX_LICENSE = Namespace("http://spdx.org/licenses/")

ONTOLOGY_IRI = URIRef("https://w3id.org/stackatlas/ontology")
ONTOLOGY_GRAPH = GRAPH["ontology"]
SHAPES_GRAPH = GRAPH["shapes"]
SYSTEM_GRAPHS = GRAPH["system/"]
"""Prefix of the graphs the service keeps for itself (commits, state): never part of what reads see."""
TOKENS_GRAPH = URIRef(f"{SYSTEM_GRAPHS}tokens")
"""Bearer tokens, as hashes (``stackatlas token add``)."""
VERSIONS_GRAPH = URIRef(f"{SYSTEM_GRAPHS}versions")
"""Each vendor graph's version (the ETag a write names in If-Match)."""
WEBHOOKS_GRAPH = URIRef(f"{SYSTEM_GRAPHS}webhooks")
"""Webhook registrations (with their signing secrets), each one's delivery cursor and its delivery log."""

AUDIT_GRAPH = GRAPH["audit"]
"""The commits (PROV-O activities) of governed writes: public, it holds token names, never hashes."""
RELEASES_GRAPH = GRAPH["releases"]
"""Named states of the catalog (``stackatlas release TAG``): each release names a commit number."""
SERVICE_AGENT = ID["agent/stackatlas-service"]
"""The service itself, to which its bookkeeping graphs (the audit) are attributed."""
WRITABLE_GRAPH_PREFIXES = (f"{GRAPH}vendors/", f"{GRAPH}curation/", f"{GRAPH}external/")
"""The vendor graphs a ``write`` token may change; everything else needs ``admin``."""

PREFIXES: dict[str, str] = {
    "sa": str(SA),
    "id": str(ID),
    "vendor": str(ID["vendor/"]),
    "layer": str(ID["layer/"]),
    "cert": str(ID["certification/"]),
    "category": str(ID["category/"]),
    "source": str(ID["source/"]),
    "schema": str(SCHEMA),
    "doap": str(DOAP),
    "spdx": str(SPDX),
    "license": str(SPDX_LICENSE),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "xsd": str(XSD),
}
"""Prefixes offered to SPARQL users and used when serialising Turtle."""


def sparql_prologue() -> str:
    """PREFIX lines for internal queries, so queries never repeat namespace IRIs."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def vendor_iri(slug: str) -> URIRef:
    return ID[f"vendor/{slug}"]


def layer_iri(code: str) -> URIRef:
    return ID[f"layer/{code}"]


def certification_iri(slug: str) -> URIRef:
    return ID[f"certification/{slug}"]


def slug_of(iri: str, kind: str = "vendor") -> str | None:
    """The slug of an instance IRI of the given kind, or None if it is not one."""
    prefix = f"{ID}{kind}/"
    if not iri.startswith(prefix):
        return None
    rest = iri[len(prefix) :]
    return rest if rest and "/" not in rest else None


def graph_for(relative_path: str) -> URIRef:
    """Named-graph IRI of a source file, from its path relative to the data root."""
    stem = relative_path[:-4] if relative_path.endswith(".ttl") else relative_path
    return GRAPH[stem]


BASE = "https://w3id.org/stackatlas/"
"""The w3id prefix every stackatlas IRI starts with; a deployment maps it to its own host."""

MAP_SCHEMA_IRI = URIRef(f"{BASE}export/map.schema.json")
"""JSON Schema of the integration-map JSON export (served at ``/export/map.schema.json``)."""

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
"""SPARQL 1.1 Service Description, for what ``GET /sparql`` tells machines."""

FORMATS = Namespace("http://www.w3.org/ns/formats/")
"""W3C unique identifiers for file formats (sd:resultFormat values)."""

SHAPES = Namespace("https://w3id.org/stackatlas/shapes#")
"""The SHACL shapes (``shapes/*.ttl``); validation reports name shapes as ``shapes:…``."""
