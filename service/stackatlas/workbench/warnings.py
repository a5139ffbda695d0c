"""Validation findings of one vendor, for readers: the shapes run on the vendor's own graphs.

Validating the whole catalog costs minutes at 10,000 vendors; a reader comparing
three vendors needs only theirs. The vendor's named graphs are copied out of
the store into a fresh one with the store's shared graphs (ontology,
vocabularies, source pages: the ``stackatlas validate --context`` arrangement) plus the types and names of the
vendors its page names, and only findings about this vendor are kept. Cached
per vendor and store generation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from .. import readmodel as rm
from ..loader import SourceFile
from ..store.queries import workbench as q
from ..store.terms import iri as iri_term
from ..validation import Finding
from ..validation.engine import validate
from ..vocab import GRAPH

VENDOR_GRAPHS = ("vendors/", "curation/", "external/")
"""Graphs (under the graph namespace) that state vendors; every other graph is shared context."""


def findings(reader: rm.Reader, record: rm.Vendor) -> tuple[Finding, ...]:
    """Violations, warnings and infos about the vendor (its own nodes), worst first."""
    key = ("workbench-findings", record.iri)
    return reader.cached(key, lambda: _validate(reader, record))


def _shared(reader: rm.Reader) -> tuple[tuple[str, bytes], ...]:
    """The store's shared graphs (ontology, vocabularies, source pages) as N-Triples, once per generation:
    the catalog being served, not the shipped files, so a vocabulary of its own is context too."""

    def compute() -> tuple[tuple[str, bytes], ...]:
        store = reader.store
        prefixes = tuple(str(GRAPH) + p for p in VENDOR_GRAPHS)
        graphs = [g for g in store.named_graphs() if not g.startswith(prefixes)]
        return tuple((g, store.dump("application/n-triples", g)) for g in sorted(graphs))

    return reader.cached("workbench-shared-graphs", compute)


def _validate(reader: rm.Reader, record: rm.Vendor) -> tuple[Finding, ...]:
    store = reader.store
    shared = _shared(reader)
    own = {g for g, _ in shared}
    graphs = sorted(g for g in {s.graph for s in record.sources} | set(record.core.graphs) if g not in own)
    with tempfile.TemporaryDirectory(prefix="stackatlas-check-") as tmp:

        def written(name: str, graph: str, body: bytes) -> SourceFile:
            path = Path(tmp) / name
            path.write_bytes(body)
            return SourceFile(path, graph, ox.RdfFormat.N_TRIPLES)

        given = [
            written(f"own-{n}.nt", g, store.dump("application/n-triples", g)) for n, g in enumerate(graphs)
        ]
        context = [written(f"shared-{n}.nt", g, body) for n, (g, body) in enumerate(shared)]
        named = sorted({*record.related, *record.names} - {record.iri})
        query = q.named_vendor_context(iri_term(i) for i in named)
        context.append(
            written("named.nt", str(GRAPH) + "workbench-context", store.construct(query) if named else b"")
        )
        report = validate([*context, *given], report_on=given)
    return tuple(f for f in report.findings if f.vendor == record.core.slug)
