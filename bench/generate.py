"""Write a synthetic stackatlas catalog of N vendors for benchmarks and tests.

The catalog has the shape of the real one (see ``graph_data/vendors/dagster.ttl``):
one Turtle file per vendor, each its own named graph derived from a generated
source page, with offerings, compliance claims, INPACT and GOALS assessments,
page lists, qualified alternatives and integrations between the generated
vendors, trust risks, use cases and stack impact. Everything in it is invented,
so every file says so and points at a source page marked synthetic.

The output is a pure function of ``(N, seed)``: one ``random.Random(seed)``
drives every choice, in a fixed order, so two runs give byte-identical files.
The shipped vocabularies (layers, certifications, categories, source pages) are
copied verbatim because the generated vendors point at the real layer and
certification IRIs; only the categories and source pages the generated vendors
add are new.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from stackatlas.resources import data_dir
from stackatlas.vocab import GRAPH, ID, PREFIXES, SA, SPDX_LICENSE, certification_iri, layer_iri, vendor_iri

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "out"

# The shipped files the generated vendors depend on: the closed vocabularies
# (layer and certification IRIs) and the description of the page they cite.
SHIPPED_FILES = ("vocab/layers.ttl", "vocab/certifications.ttl", "vocab/categories.ttl", "sources.ttl")
SYNTHETIC_CATEGORIES_FILE = "vocab/synthetic-categories.ttl"
SYNTHETIC_SOURCES_FILE = "synthetic-sources.ttl"
GENERATOR_AGENT = "agent/stackatlas-bench-generator"

LAYERS = ("L1", "L2", "L3", "L4", "L5", "L6", "L7")
LAYER_WEIGHTS = (20, 12, 14, 16, 12, 12, 14)

# Categories the synthetic pages assign, by the layer a vendor sits in.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "L1": ("Relational Database", "Analytical Database", "Object Storage", "Lakehouse Format"),
    "L2": ("Stream Processing", "Data Integration", "Change Data Capture"),
    "L3": ("Data Catalog", "Data Lineage", "Semantic Layer"),
    "L4": ("Vector Database", "Feature Store", "Embedding Service"),
    "L5": ("Model Serving", "LLM Gateway", "Inference Runtime"),
    "L6": ("Observability Platform", "Data Quality", "LLM Evaluation"),
    "L7": ("Agent Framework", "Pipeline Scheduling", "Agent Orchestration"),
}

LICENCES = (
    ("Apache-2.0", True),
    ("MIT", True),
    ("BSD-3-Clause", True),
    ("MPL-2.0", True),
    ("AGPL-3.0-only", True),
    ("Elastic-2.0", False),
    ("BUSL-1.1", False),
)
LICENCE_WEIGHTS = (30, 20, 8, 6, 8, 6, 8)

CERTIFICATIONS = ("hipaa-baa", "soc2", "soc2-type2", "fedramp", "pci-dss")
CERT_NAMES = {
    "hipaa-baa": "HIPAA BAA",
    "soc2": "SOC 2",
    "soc2-type2": "SOC 2 Type II",
    "fedramp": "FedRAMP",
    "pci-dss": "PCI DSS",
}

INPACT = (
    ("I", "Instant"),
    ("N", "Natural"),
    ("P", "Permitted"),
    ("A", "Adaptive"),
    ("C", "Contextual"),
    ("T", "Transparent"),
)
GOALS = (("G", "Governance"), ("O", "Observability"), ("A", "Availability"), ("L", "Lexicon"), ("S", "Solid"))
DIMENSION_SCALE = 6
CRITERIA_PER_DIMENSION = 6

NAME_HEADS = (
    "Aero",
    "Amber",
    "Apex",
    "Arc",
    "Astra",
    "Aurora",
    "Basalt",
    "Beacon",
    "Birch",
    "Bolt",
    "Cedar",
    "Cinder",
    "Cobalt",
    "Comet",
    "Coral",
    "Crest",
    "Delta",
    "Drift",
    "Ember",
    "Falcon",
    "Fern",
    "Flint",
    "Gale",
    "Garnet",
    "Glacier",
    "Granite",
    "Harbor",
    "Helix",
    "Ion",
    "Iris",
    "Jade",
    "Juniper",
    "Kelp",
    "Kite",
    "Lark",
    "Lumen",
    "Lynx",
    "Maple",
    "Meridian",
    "Mica",
    "Nebula",
    "Nimbus",
    "Nova",
    "Onyx",
    "Orbit",
    "Otter",
    "Pico",
    "Pine",
    "Prism",
    "Pulse",
    "Quartz",
    "Quill",
    "Raven",
    "Ridge",
    "Sable",
    "Sage",
    "Slate",
    "Sol",
    "Spruce",
    "Tidal",
    "Topaz",
    "Umber",
    "Vale",
    "Vertex",
    "Willow",
    "Zephyr",
)
NAME_TAILS = (
    "base",
    "bench",
    "bridge",
    "cast",
    "core",
    "craft",
    "deck",
    "dock",
    "flow",
    "forge",
    "frame",
    "gate",
    "graph",
    "grid",
    "hive",
    "hub",
    "lake",
    "lens",
    "line",
    "loop",
    "mesh",
    "mind",
    "ops",
    "path",
    "pipe",
    "plane",
    "port",
    "scope",
    "sense",
    "shift",
    "stack",
    "store",
    "stream",
    "sync",
    "vault",
    "verse",
    "wave",
    "works",
    "yard",
)

CAPABILITIES = (
    "columnar scans",
    "incremental materialisation",
    "schema evolution",
    "vector similarity search",
    "streaming ingestion",
    "row-level security",
    "lineage capture",
    "semantic caching",
    "prompt routing",
    "feature freshness tracking",
    "multi-tenant isolation",
    "point-in-time recovery",
    "cost attribution",
    "declarative pipelines",
    "hybrid search",
    "model version pinning",
    "event replay",
    "fine-grained audit logging",
    "autoscaling workers",
    "typed connectors",
    "policy-as-code access",
    "zero-copy cloning",
    "data contracts",
    "drift detection",
)
AUDIENCES = (
    "platform teams",
    "data engineers",
    "ML engineers",
    "analytics engineers",
    "agent builders",
    "regulated enterprises",
    "start-ups",
    "SRE teams",
    "research groups",
)
WORKLOADS = (
    "retrieval-augmented generation",
    "batch analytics",
    "real-time feature serving",
    "customer-facing agents",
    "regulated healthcare records",
    "financial reporting",
    "log analytics",
    "model evaluation pipelines",
    "event-driven microservices",
    "embedding refresh jobs",
    "multi-region deployments",
    "edge inference",
)
WEAKNESSES = (
    "operational overhead when self-hosted",
    "a smaller connector ecosystem",
    "opaque enterprise pricing",
    "limited support for on-premises deployments",
    "a steep learning curve",
    "young documentation",
    "no native multi-region replication",
    "coarse-grained permissions in the open-source edition",
    "memory-hungry defaults",
    "a single-vendor governance model",
)
MECHANISMS = (
    "OpenLineage",
    "webhooks",
    "JDBC",
    "REST API",
    "gRPC",
    "Kafka topics",
    "S3 event notifications",
    "Python SDK",
    "OpenTelemetry",
    "Arrow Flight",
    "change data capture",
    "sensor patterns",
    "Prometheus exporter",
    "native connector",
)
RISKS = (
    (
        "Defaults expose an unauthenticated admin endpoint",
        "Enable authentication and bind the admin port to a private network before go-live.",
    ),
    (
        "Silent schema drift breaks downstream consumers",
        "Pin schemas with data contracts and fail runs on incompatible changes.",
    ),
    (
        "Open-source deployment assumed to inherit the managed offering's certifications",
        "Treat self-hosted compliance as your own; use the managed offering where an attestation is required.",
    ),
    (
        "Cost grows faster than usage under bursty workloads",
        "Set budgets and alerts per workspace and cap autoscaling.",
    ),
    (
        "Stale indices serve outdated answers to agents",
        "Track freshness per asset and block serving past the SLA.",
    ),
    (
        "Single-region deployment becomes an availability bottleneck",
        "Deploy across two regions and rehearse fail-over quarterly.",
    ),
    (
        "Vendor lock-in through proprietary extensions",
        "Stay on the open interfaces and export data in open formats regularly.",
    ),
    (
        "Credentials for connected systems stored in plain configuration",
        "Move secrets into a vault and rotate them automatically.",
    ),
    ("Concurrent writers corrupt shared state", "Use idempotent writes and configure concurrency limits."),
)
POSITIVE_INTEGER = ox.NamedNode(str(XSD.positiveInteger))
SEVERITY_WEIGHTS = {SA.High: 3, SA.Medium: 5, SA.Low: 2}
SEVERITY_RANK = {SA.High: 3, SA.Medium: 2, SA.Low: 1}


@dataclass(frozen=True)
class Vendor:
    slug: str
    name: str
    alias: str
    layer: str
    category: str


def _slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """N distinct product-like (name, alias) pairs; numbered once the combinations run out."""
    combos = [(head, tail) for head in NAME_HEADS for tail in NAME_TAILS]
    rng.shuffle(combos)
    names = []
    for i in range(n):
        head, tail = combos[i % len(combos)]
        suffix = f" {i // len(combos) + 1}" if i >= len(combos) else ""
        names.append((f"{head}{tail}{suffix}", f"{head} {tail.capitalize()}{suffix}"))
    return names


def plan_vendors(rng: random.Random, n: int) -> list[Vendor]:
    vendors = []
    for name, alias in _names(rng, n):
        layer = rng.choices(LAYERS, LAYER_WEIGHTS)[0]
        vendors.append(Vendor(_slugify(name), name, alias, layer, rng.choice(CATEGORIES[layer])))
    return vendors


class TripleList:
    """Triples of one file in the order they are added, so output order is fixed."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = o if isinstance(o, ox.NamedNode | ox.Literal) else ox.NamedNode(o)
        self.triples.append(ox.Triple(s, ox.NamedNode(p), obj))

    def text(self, s: ox.NamedNode, p: str, value: str) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), ox.Literal(value)))

    def en(self, s: ox.NamedNode, p: str, value: str) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), ox.Literal(value, language="en")))

    def integer(self, s: ox.NamedNode, p: str, value: int) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), ox.Literal(value)))

    def boolean(self, s: ox.NamedNode, p: str, value: bool) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), ox.Literal(value)))

    def position(self, s: ox.NamedNode, value: int) -> None:
        literal = ox.Literal(str(value), datatype=POSITIVE_INTEGER)
        self.triples.append(ox.Triple(s, ox.NamedNode(str(SA.position)), literal))

    def grouped(self) -> list[ox.Triple]:
        """The triples grouped by subject, subjects in order of first appearance.

        Grouping lets the serialiser write each node once, which is what makes
        the file read like the hand-written data.
        """
        order: dict[ox.NamedNode, list[ox.Triple]] = {}
        for triple in self.triples:
            order.setdefault(triple.subject, []).append(triple)
        return [triple for group in order.values() for triple in group]


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _serialise(triples: TripleList, graph: str, prefixes: dict[str, str], header: str) -> bytes:
    """Turtle through pyoxigraph's serialiser, with the file's graph written as ``<>``.

    No ``@base`` is written: the loader parses each file with its graph IRI as
    base, which is what makes ``<>`` name the graph wherever the catalog is copied.
    """
    body = ox.serialize(triples.grouped(), format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode()
    # The serialiser escapes line breaks inside literals, so every line that
    # starts without indentation opens a new subject block: space them out.
    lines = [("\n" + line if not line.startswith(("\t", "@")) else line) for line in body.splitlines()]
    return (header + "\n".join(lines).replace(f"<{graph}>", "<>", 1) + "\n").encode()


def _header(what: str, seed: int) -> str:
    return (
        f"# SYNTHETIC DATA: {what}, written by bench/generate.py (seed {seed}).\n"
        "# Invented for benchmarks and tests; it describes no real product.\n\n"
    )


def _sentence(rng: random.Random, name: str) -> str:
    return (
        f"{name} offers {rng.choice(CAPABILITIES)} and {rng.choice(CAPABILITIES)} "
        f"for {rng.choice(AUDIENCES)} running {rng.choice(WORKLOADS)}."
    )


def _file_prefixes(vendor: Vendor) -> dict[str, str]:
    names = ("sa", "vendor", "layer", "cert", "category", "source", "license", "prov", "rdfs", "skos", "xsd")
    prefixes = {p: PREFIXES[p] for p in names}
    prefixes[vendor.slug] = f"{vendor_iri(vendor.slug)}/"
    return prefixes


class VendorWriter:
    """Builds one vendor's triples; ``rng`` calls happen in a fixed order."""

    def __init__(
        self, rng: random.Random, vendor: Vendor, catalog: Sequence[Vendor], by_layer: dict[str, list[Vendor]]
    ) -> None:
        self.rng = rng
        self.v = vendor
        self.catalog = catalog
        self.by_layer = by_layer
        self.t = TripleList()
        self.iri = _node(vendor_iri(vendor.slug))
        self.base = f"{vendor_iri(vendor.slug)}/"

    def part(self, key: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + key)

    def build(self) -> TripleList:
        rng, v, t, me = self.rng, self.v, self.t, self.iri
        graph = _node(GRAPH[f"vendors/{v.slug}"])
        t.add(graph, str(RDF.type), str(SA.SourceGraph))
        t.add(graph, str(PROV.wasDerivedFrom), str(source_iri(v.slug)))

        licence, open_source = rng.choices(LICENCES, LICENCE_WEIGHTS)[0]
        t.add(me, str(RDF.type), str(SA.CatalogEntry))
        t.add(me, str(RDF.type), str(SA.Vendor))
        t.text(me, str(SKOS.prefLabel), v.name)
        if rng.random() < 0.3:
            t.text(me, str(SKOS.altLabel), v.alias)
        t.add(me, str(SA.layer), str(layer_iri(v.layer)))
        t.add(me, str(SA.category), str(category_iri(v.category)))
        t.add(me, str(SA.license), str(SPDX_LICENSE[licence]))
        t.boolean(me, str(SA.openSource), open_source)
        t.text(me, str(SA.summary), f"{_sentence(rng, v.name)} {licence}. {_sentence(rng, v.name)}")
        t.text(me, str(SA.analysis), " ".join(_sentence(rng, v.name) for _ in range(4)))
        t.text(me, str(SA.trustAnalysis), " ".join(_sentence(rng, v.name) for _ in range(3)))
        t.text(
            me,
            str(SA.architectureRole),
            f"{v.layer} {v.category} for {rng.choice(AUDIENCES)}; {_sentence(rng, v.name)}",
        )
        t.text(
            me,
            str(SA.upstreamSummary),
            f"Receives data through {rng.choice(MECHANISMS)} and {rng.choice(MECHANISMS)}.",
        )
        t.text(me, str(SA.downstreamSummary), f"Writes results out through {rng.choice(MECHANISMS)}.")

        offerings = self.offerings(licence, open_source)
        self.pricing(offerings)
        self.claims(offerings)
        self.assessment("inpact", SA.INPACT, INPACT, criteria=False)
        self.assessment("goals", SA.GOALS, GOALS, criteria=True)
        self.page_list("strength", SA.strength, SA.Strength, 3, 8, self.strength_text)
        self.page_list("limitation", SA.limitation, SA.Limitation, 3, 8, self.limitation_text)
        self.page_list(
            "best-suited-for",
            SA.bestSuitedFor,
            SA.BestSuitedFor,
            1,
            5,
            lambda: f"{rng.choice(WORKLOADS).capitalize()} for {rng.choice(AUDIENCES)}",
        )
        self.page_list(
            "use-with-caution",
            SA.useWithCautionFor,
            SA.UseWithCautionFor,
            1,
            4,
            lambda: f"{rng.choice(WORKLOADS).capitalize()} — {rng.choice(WEAKNESSES)}",
        )
        self.alternatives()
        self.integrations()
        self.risks()
        self.use_cases()
        self.stack_impact()
        return t

    def offerings(self, licence: str, open_source: bool) -> list[tuple[str, ox.NamedNode]]:
        rng, t, me = self.rng, self.t, self.iri
        both = rng.random() < 0.6
        kinds = (["oss", "cloud"] if both else ["oss"]) if open_source else ["cloud"]
        made = []
        for kind in kinds:
            node = self.part(f"offering-{kind}")
            t.add(me, str(SA.offering), node)
            t.add(node, str(RDF.type), str(SA.OpenSourceOffering if kind == "oss" else SA.ManagedOffering))
            t.text(node, str(SKOS.prefLabel), offering_name(self.v.name, kind))
            t.add(node, str(SA.offeringOf), me)
            if kind == "oss":
                t.add(node, str(SA.license), str(SPDX_LICENSE[licence]))
                t.text(node, str(SA.pricing), "Free")
            made.append((kind, node))
        return made

    def pricing(self, offerings: list[tuple[str, ox.NamedNode]]) -> None:
        kinds = [k for k, _ in offerings]
        parts = (["Free (OSS)"] if "oss" in kinds else []) + (
            [offering_name(self.v.name, "cloud")] if "cloud" in kinds else []
        )
        self.t.text(self.iri, str(SA.pricing), " / ".join(parts))

    def claims(self, offerings: list[tuple[str, ox.NamedNode]]) -> None:
        """Managed offerings get a mix of statuses; absent claims are the 'unknown' case."""
        rng, t, me, name = self.rng, self.t, self.iri, self.v.name
        sentences: list[str] = []
        for kind, offering in offerings:
            for cert in CERTIFICATIONS:
                if kind == "oss":
                    status = SA.NotHeld if rng.random() < 0.25 else None
                else:
                    status = rng.choices((SA.Held, SA.NotAdvertised, SA.NotHeld, None), (40, 25, 10, 25))[0]
                if status is None:
                    continue
                node = self.part(f"claim-{kind}-{cert}")
                t.add(me, str(SA.complianceClaim), node)
                t.add(node, str(RDF.type), str(SA.ComplianceClaim))
                t.add(node, str(SA.claimOffering), offering)
                t.add(node, str(SA.certification), str(certification_iri(cert)))
                t.add(node, str(SA.status), str(status))
                evidence = {
                    SA.Held: f"{offering_name(name, kind)} holds {CERT_NAMES[cert]}.",
                    SA.NotAdvertised: (
                        f"{offering_name(name, kind)}: {CERT_NAMES[cert]} not advertised — verify with sales."
                    ),
                    SA.NotHeld: f"{offering_name(name, kind)} holds no {CERT_NAMES[cert]}.",
                }[status]
                t.text(node, str(SA.evidence), evidence)
                sentences.append(evidence)
        if sentences:
            t.text(me, str(SA.complianceText), " ".join(sentences))

    def assessment(
        self, key: str, framework: URIRef, dimensions: Sequence[tuple[str, str]], *, criteria: bool
    ) -> None:
        rng, t = self.rng, self.t
        node = self.part(key)
        t.add(self.iri, str(SA.assessment), node)
        t.add(node, str(RDF.type), str(SA.Assessment))
        t.add(node, str(SA.framework), str(framework))
        dims = []
        for code, label in dimensions:
            dim = self.part(f"{key}-{code}")
            if criteria:
                met = [rng.random() < 0.6 for _ in range(CRITERIA_PER_DIMENSION)]
                score = sum(met)
            else:
                met = []
                score = rng.choices(range(DIMENSION_SCALE + 1), (1, 2, 4, 8, 10, 8, 3))[0]
            dims.append((dim, code, label, score, met))
        t.integer(node, str(SA.total), sum(d[3] for d in dims))
        t.integer(node, str(SA.scale), DIMENSION_SCALE * len(dims))
        for dim, *_ in dims:
            t.add(node, str(SA.dimension), dim)
        for position, (dim, code, label, score, met) in enumerate(dims, start=1):
            t.add(dim, str(RDF.type), str(SA.Dimension))
            t.text(dim, str(SA.code), code)
            t.text(dim, str(RDFS.label), label)
            t.integer(dim, str(SA.score), score)
            t.position(dim, position)
            t.integer(dim, str(SA.scale), DIMENSION_SCALE)
            if not criteria:
                t.text(dim, str(SA.rationale), _sentence(rng, self.v.name))
                continue
            # As a page writes it: the criteria with their notes, then the adjustment note.
            notes = [f"{'has' if ok else 'lacks'} {rng.choice(CAPABILITIES)}" for ok in met]
            adjustment = f"{score}/{CRITERIA_PER_DIMENSION} -> {score}."
            listed = ", ".join(
                f"{code}{i}={'Y' if ok else 'N'} ({note})"
                for i, (ok, note) in enumerate(zip(met, notes, strict=True), 1)
            )
            t.text(dim, str(SA.rationale), f"{listed}. {adjustment}")
            t.integer(dim, str(SA.statedCriteriaMet), score)
            t.integer(dim, str(SA.statedCriteriaTotal), CRITERIA_PER_DIMENSION)
            t.text(dim, str(SA.adjustmentNote), adjustment)
            for i, (ok, note) in enumerate(zip(met, notes, strict=True), start=1):
                crit = self.part(f"{key}-{code}{i}")
                t.add(dim, str(SA.criterion), crit)
                t.add(crit, str(RDF.type), str(SA.Criterion))
                t.text(crit, str(SA.code), f"{code}{i}")
                t.boolean(crit, str(SA.met), ok)
                t.position(crit, i)
                t.text(crit, str(SA.note), note)

    def strength_text(self) -> str:
        return f"{self.rng.choice(CAPABILITIES).capitalize()} suited to {self.rng.choice(WORKLOADS)}"

    def limitation_text(self) -> str:
        return f"{self.rng.choice(WEAKNESSES).capitalize()} compared with peers in {self.v.layer}"

    def page_list(
        self, key: str, prop: URIRef, cls: URIRef, low: int, high: int, text: Callable[[], str]
    ) -> None:
        t = self.t
        for i in range(1, self.rng.randint(low, high) + 1):
            node = self.part(f"{key}-{i}")
            t.add(self.iri, str(prop), node)
            t.add(node, str(RDF.type), str(cls))
            t.position(node, i)
            t.text(node, str(SA.text), text())

    def _others(self, pool: Sequence[Vendor], k: int) -> list[Vendor]:
        """k distinct vendors other than this one, drawn from pool then the whole catalog."""
        picked: list[Vendor] = []
        seen = {self.v.slug}
        for source in (pool, self.catalog):
            candidates = [c for c in self.rng.sample(source, min(len(source), k + 1)) if c.slug not in seen]
            for c in candidates[: k - len(picked)]:
                picked.append(c)
                seen.add(c.slug)
            if len(picked) == k:
                break
        return sorted(picked, key=lambda c: c.slug)

    def alternatives(self) -> None:
        rng, t, name = self.rng, self.t, self.v.name
        k = min(rng.randint(3, 8), len(self.catalog) - 1)
        for position, other in enumerate(self._others(self.by_layer[self.v.layer], k), start=1):
            node = self.part(f"alternative-{other.slug}")
            t.add(self.iri, str(SA.alternative), node)
            t.add(node, str(RDF.type), str(SA.Alternative))
            t.add(node, str(SA.alternativeVendor), str(vendor_iri(other.slug)))
            t.position(node, position)
            t.text(
                node,
                str(SA.chooseFor),
                f"Choose {other.name} for {rng.choice(WORKLOADS)} and {rng.choice(CAPABILITIES)}.",
            )
            t.text(
                node,
                str(SA.comparison),
                f"{name} wins on {rng.choice(CAPABILITIES)}; {other.name} wins on {rng.choice(CAPABILITIES)}.",
            )
            t.add(node, str(SA.namesVendor), str(vendor_iri(other.slug)))

    def integrations(self) -> None:
        rng, t = self.rng, self.t
        k = min(rng.randint(5, 15), len(self.catalog) - 1)
        for other in self._others(self.catalog, k):
            direction = rng.choice(("upstream", "downstream"))
            mechanism = rng.choice(MECHANISMS)
            node = self.part(f"integration-{direction}-{other.slug}")
            t.add(self.iri, str(SA.integration), node)
            t.add(node, str(RDF.type), str(SA.Integration))
            t.add(node, str(SA.direction), str(SA.Upstream if direction == "upstream" else SA.Downstream))
            t.add(node, str(SA.integrationTarget), str(vendor_iri(other.slug)))
            t.add(node, str(SA.layer), str(layer_iri(other.layer)))
            t.text(node, str(SA.mechanism), mechanism)
            verb = "Receives from" if direction == "upstream" else "Writes to"
            t.text(
                node,
                str(SA.description),
                f"{verb} {other.layer} {other.category.lower()} ({other.name}) via {mechanism}.",
            )

    def risks(self) -> None:
        rng, t = self.rng, self.t
        chosen = rng.sample(RISKS, rng.randint(3, 6))
        drawn = rng.choices(list(SEVERITY_WEIGHTS), list(SEVERITY_WEIGHTS.values()), k=len(chosen))
        severities = sorted(drawn, key=lambda s: -SEVERITY_RANK[s])
        for i, ((description, mitigation), severity) in enumerate(zip(chosen, severities, strict=True), 1):
            node = self.part(f"risk-{i}")
            t.add(self.iri, str(SA.trustRisk), node)
            t.add(node, str(RDF.type), str(SA.TrustRisk))
            t.position(node, i)
            t.add(node, str(SA.severity), str(severity))
            t.text(node, str(SA.description), f"{description} in {self.v.name} deployments.")
            t.text(node, str(SA.mitigation), mitigation)

    def use_cases(self) -> None:
        rng, t = self.rng, self.t
        for i in range(1, rng.randint(1, 4) + 1):
            node = self.part(f"use-case-{i}")
            strong = rng.random() < 0.7
            t.add(self.iri, str(SA.useCase), node)
            t.add(node, str(RDF.type), str(SA.UseCase))
            t.position(node, i)
            t.add(node, str(SA.fit), str(SA.StrongFit if strong else SA.WeakFit))
            t.text(node, str(SA.title), f"{rng.choice(WORKLOADS).capitalize()} for {rng.choice(AUDIENCES)}")
            t.text(node, str(SA.description), _sentence(rng, self.v.name))

    def stack_impact(self) -> None:
        rng, t = self.rng, self.t
        for layer in sorted(rng.sample(LAYERS, rng.randint(1, 4))):
            node = self.part(f"impact-{layer}")
            t.add(self.iri, str(SA.stackImpact), node)
            t.add(node, str(RDF.type), str(SA.StackImpact))
            t.add(node, str(SA.layer), str(layer_iri(layer)))
            t.text(node, str(SA.description), f"In {layer}, {_sentence(rng, self.v.name)}")


def offering_name(name: str, kind: str) -> str:
    return f"{name} (OSS)" if kind == "oss" else f"{name} Cloud"


def source_iri(slug: str) -> str:
    return str(ID[f"source/synthetic-{slug}"])


def category_iri(label: str) -> str:
    return str(ID[f"category/{_slugify(label)}"])


def _sources_file(vendors: Iterable[Vendor], seed: int) -> bytes:
    """The generated source pages, attributed to the generator rather than derived from a page."""
    graph = _node(GRAPH[SYNTHETIC_SOURCES_FILE.removesuffix(".ttl")])
    agent = _node(ID[GENERATOR_AGENT])
    t = TripleList()
    t.add(graph, str(RDF.type), str(SA.SourceGraph))
    t.add(graph, str(PROV.wasAttributedTo), agent)
    t.add(agent, str(RDF.type), str(PROV.SoftwareAgent))
    t.en(agent, str(RDFS.label), "stackatlas synthetic catalog generator (bench/generate.py)")
    for v in sorted(vendors, key=lambda v: v.slug):
        page = _node(source_iri(v.slug))
        t.add(page, str(RDF.type), str(SA.SourcePage))
        t.en(page, str(RDFS.label), f"Synthetic analysis page for {v.name}")
        t.en(page, str(DCTERMS.title), f"{v.name} — synthetic analysis page (generated, not a real source)")
        t.add(page, str(DCTERMS.subject), str(vendor_iri(v.slug)))
        t.en(
            page,
            str(RDFS.comment),
            f"Invented by bench/generate.py with seed {seed} for benchmarks and "
            "tests; it is no published page and its facts describe no real product.",
        )
        t.add(page, str(PROV.wasAttributedTo), agent)
    prefixes = {p: PREFIXES[p] for p in ("sa", "id", "vendor", "source", "prov", "rdfs", "dcterms")}
    return _serialise(t, graph.value, prefixes, _header("source pages of the synthetic catalog", seed))


def _categories_file(seed: int) -> bytes:
    graph = _node(GRAPH[SYNTHETIC_CATEGORIES_FILE.removesuffix(".ttl")])
    scheme = _node(ID["category"])
    t = TripleList()
    t.add(graph, str(RDF.type), str(SA.SourceGraph))
    t.add(graph, str(PROV.wasAttributedTo), str(ID[GENERATOR_AGENT]))
    labels = sorted({label for group in CATEGORIES.values() for label in group})
    for label in labels:
        t.add(scheme, str(SKOS.hasTopConcept), category_iri(label))
    for label in labels:
        node = _node(category_iri(label))
        t.add(node, str(RDF.type), str(SA.Category))
        t.add(node, str(SKOS.inScheme), scheme)
        t.en(node, str(SKOS.prefLabel), label)
    prefixes = {p: PREFIXES[p] for p in ("sa", "id", "category", "prov", "skos")}
    return _serialise(t, graph.value, prefixes, _header("categories of the synthetic catalog", seed))


# ---------------------------------------------------------------------------
# --pages: each vendor also as an analysis page in the catalog's page format
# ---------------------------------------------------------------------------

PAGES_DIR = "pages"
CURATION_DIR = "curation"
DISCLAIMER = (
    'This analysis is AI-generated using the INPACT and GOALS frameworks from "Trust Before Intelligence." '
    "Scores and assessments are algorithmic and may not reflect the vendor's complete capabilities. "
    "Always validate with your own evaluation."
)
_CURATED = {str(SA.integration), str(SKOS.altLabel)}


class _Index:
    """The triples of one vendor by subject and predicate, objects in the order they were added."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.by: dict[tuple[str, str], list[ox.NamedNode | ox.Literal]] = {}
        for t in triples:
            self.by.setdefault((t.subject.value, t.predicate.value), []).append(t.object)  # type: ignore[arg-type]

    def all(self, s: str, p: URIRef) -> list[str]:
        return [o.value for o in self.by.get((s, str(p)), [])]

    def one(self, s: str, p: URIRef) -> str:
        values = self.all(s, p)
        return values[0] if values else ""


def layer_names() -> dict[str, str]:
    """Layer code → the name the shipped layer scheme gives it (only where a source names it)."""
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    layers_file = data_dir() / "vocab" / "layers.ttl"
    for q in ox.parse(path=str(layers_file), format=ox.RdfFormat.TURTLE, base_iri=str(GRAPH["vocab/layers"])):
        if q.predicate.value == str(SKOS.notation):
            codes[q.subject.value] = q.object.value
        elif q.predicate.value == str(SKOS.prefLabel):
            names[q.subject.value] = q.object.value
    return {code: names[iri] for iri, code in codes.items() if iri in names}


def render_page(triples: TripleList, v: Vendor, layers: dict[str, str]) -> str:
    """The vendor as the catalog's page format states it: what `stackatlas ingest` reads back."""
    x = _Index(triples.triples)
    me = str(vendor_iri(v.slug))
    licence = x.one(me, SA.license).rsplit("/", 1)[1]
    oss = " · OSS" if x.one(me, SA.openSource) == "true" else ""
    layer_name = f"{layers[v.layer]} " if v.layer in layers else ""
    out = [v.name, "", f"{v.layer} — {layer_name}{v.category} {x.one(me, SA.pricing)} {licence}{oss}", ""]
    out += [x.one(me, SA.summary), "", "AI Analysis", "", x.one(me, SA.analysis), ""]
    out += ["Trust Before Intelligence", "", x.one(me, SA.trustAnalysis), ""]
    for assessment in x.all(me, SA.assessment):
        framework = x.one(assessment, SA.framework).rsplit("#", 1)[1]
        out += [f"{framework} Score", "", f"{x.one(assessment, SA.total)}/{x.one(assessment, SA.scale)}"]
        for dim in x.all(assessment, SA.dimension):
            out += [
                f"{x.one(dim, SA.code)} — {x.one(dim, RDFS.label)}",
                f"{x.one(dim, SA.score)}/{x.one(dim, SA.scale)}",
            ]
            out += ["", x.one(dim, SA.rationale), ""]
    out += ["AI-Identified Strengths", ""]
    out += [f"  • + {x.one(n, SA.text)}" for n in x.all(me, SA.strength)] + [""]
    out += ["AI-Identified Limitations", ""]
    out += [f"  • - {x.one(n, SA.text)}" for n in x.all(me, SA.limitation)] + [""]
    out += ["Industry Fit", "", "Best suited for", ""]
    out += ["".join(x.one(n, SA.text) for n in x.all(me, SA.bestSuitedFor)), ""]
    if x.one(me, SA.complianceText):
        out += ["Compliance certifications", "", x.one(me, SA.complianceText), ""]
    out += ["Use with caution for", ""]
    out += ["".join(x.one(n, SA.text) for n in x.all(me, SA.useWithCautionFor)), ""]
    out += ["AI-Suggested Alternatives", ""]
    for alt in x.all(me, SA.alternative):
        other = x.one(alt, SA.alternativeVendor)
        name = next(c.name for c in _by_iri(other))
        out += [name, "", f"{x.one(alt, SA.chooseFor)} {x.one(alt, SA.comparison)}", "", "View analysis →"]
    out += ["", "Integration in 7-Layer Architecture", ""]
    out += [f"Role: {x.one(me, SA.architectureRole)}", "", f"Upstream: {x.one(me, SA.upstreamSummary)}", ""]
    out += [f"Downstream: {x.one(me, SA.downstreamSummary)}", "", "⚡ Trust Risks", ""]
    for risk in x.all(me, SA.trustRisk):
        severity = x.one(risk, SA.severity).rsplit("#", 1)[1].lower()
        out += [
            f"{severity} {x.one(risk, SA.description)}",
            "",
            f"Mitigation: {x.one(risk, SA.mitigation)}",
            "",
        ]
    out += ["Use Case Scenarios", ""]
    for case in x.all(me, SA.useCase):
        fit = "strong" if x.one(case, SA.fit) == str(SA.StrongFit) else "weak"
        out += [f"{fit} {x.one(case, SA.title)}", "", x.one(case, SA.description), ""]
    out += ["Stack Impact", ""]
    for impact in x.all(me, SA.stackImpact):
        out += [f"{x.one(impact, SA.layer).rsplit('/', 1)[1]} {x.one(impact, SA.description)}"]
    out += ["", f"Visit {v.name} website →", "", DISCLAIMER, ""]
    return "\n".join(out)


_VENDORS_BY_IRI: dict[str, Vendor] = {}


def _by_iri(iri: str) -> list[Vendor]:
    return [_VENDORS_BY_IRI[iri]]


def split_for_pages(triples: TripleList, v: Vendor, page: bytes) -> tuple[TripleList, TripleList]:
    """What the page states (its ingest) and what it does not (a curation file).

    The page has no field for an alias or for integration nodes; those go to
    ``curation/<slug>.ttl``, attributed to the generator. The page's graph
    also records the page's checksum, as `stackatlas ingest` does.
    """
    page_part, curated = TripleList(), TripleList()
    integration_nodes = {t.object.value for t in triples.triples if t.predicate.value == str(SA.integration)}
    for t in triples.triples:
        target = curated if t.predicate.value in _CURATED or t.subject.value in integration_nodes else page_part
        target.triples.append(t)
    graph = _node(GRAPH[f"vendors/{v.slug}"])
    page_part.text(graph, str(SA.sourceChecksum), f"sha256:{hashlib.sha256(page).hexdigest()}")
    own = _node(GRAPH[f"{CURATION_DIR}/{v.slug}"])
    head = TripleList()
    head.add(own, str(RDF.type), str(SA.SourceGraph))
    head.add(own, str(PROV.wasAttributedTo), str(ID[GENERATOR_AGENT]))
    head.add(own, str(PROV.wasDerivedFrom), source_iri(v.slug))
    curated.triples[:0] = head.triples
    return page_part, curated


def write_catalog(n: int, seed: int, out: Path, pages: bool = False) -> Path:
    """Write the catalog into ``out``, which must not exist yet; all or nothing.

    Files are written into a temporary sibling directory that is renamed into
    place at the end, so an interrupted run never leaves a half-written catalog.
    With ``pages``, each vendor is also written as an analysis page
    (``pages/<slug>.txt``); its file in ``vendors/`` is then exactly what
    ``stackatlas ingest`` makes of the page, and what the page cannot state
    (aliases, integration nodes) is in ``curation/<slug>.ttl``.
    """
    if n < 2:
        raise ValueError("a catalog needs at least 2 vendors (alternatives point at other vendors)")
    if out.exists():
        raise FileExistsError(f"{out} already exists; remove it or choose another --out")
    rng = random.Random(seed)
    vendors = plan_vendors(rng, n)
    by_layer: dict[str, list[Vendor]] = {layer: [] for layer in LAYERS}
    for v in vendors:
        by_layer[v.layer].append(v)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's private 0700 would make the catalog unreadable to others
    try:
        shipped = data_dir()
        for rel in SHIPPED_FILES:
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shipped / rel, staging / rel)
        (staging / SYNTHETIC_CATEGORIES_FILE).write_bytes(_categories_file(seed))
        (staging / SYNTHETIC_SOURCES_FILE).write_bytes(_sources_file(vendors, seed))
        (staging / "vendors").mkdir()
        layers = layer_names()
        _VENDORS_BY_IRI.update({str(vendor_iri(v.slug)): v for v in vendors})
        if pages:
            (staging / PAGES_DIR).mkdir()
            (staging / CURATION_DIR).mkdir()
        for v in vendors:
            triples = VendorWriter(rng, v, vendors, by_layer).build()
            if pages:
                page = render_page(triples, v, layers).encode()
                (staging / PAGES_DIR / f"{v.slug}.txt").write_bytes(page)
                triples, curated = split_for_pages(triples, v, page)
                curation = _serialise(
                    curated,
                    str(GRAPH[f"{CURATION_DIR}/{v.slug}"]),
                    _file_prefixes(v) | {"id": PREFIXES["id"]},
                    _header(f"what the page of the synthetic vendor {v.name} does not state", seed),
                )
                (staging / CURATION_DIR / f"{v.slug}.ttl").write_bytes(curation)
            text = _serialise(
                triples,
                str(GRAPH[f"vendors/{v.slug}"]),
                _file_prefixes(v),
                _header(f"the synthetic vendor {v.name}", seed),
            )
            (staging / "vendors" / f"{v.slug}.ttl").write_bytes(text)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic stackatlas catalog of N vendors (one Turtle file per vendor plus "
        "the vocabularies it needs), deterministic by seed."
    )
    parser.add_argument("n", type=int, help="number of vendors (at least 2)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output directory, must not exist (default bench/out/catalog-N-seedS)",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="also write each vendor as an analysis page (pages/<slug>.txt) in the catalog's page format; "
        "vendors/ then holds what `stackatlas ingest` makes of each page, curation/ the rest",
    )
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_OUT / f"catalog-{args.n}-seed{args.seed}"
    try:
        write_catalog(args.n, args.seed, out, pages=args.pages)
    except (ValueError, FileExistsError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
