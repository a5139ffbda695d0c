"""Validation findings of one vendor, for readers: the shapes run on the vendor's own graphs.

Validating the whole catalog costs minutes at 10,000 vendors; a reader comparing
three vendors needs only theirs. The vendor's named graphs are copied out of
the store into a fresh one with the ontology and the shared vocabularies (the
``stackatlas validate --context`` arrangement) plus the types and names of the
vendors its page names, and only findings about this vendor are kept. Cached
per vendor and store generation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from .. import readmodel as rm
from ..loader import SourceFile
from ..store import Store
from ..store.queries import workbench as q
from ..store.terms import iri as iri_term
from ..validation import Finding
from ..validation.engine import validate
from ..validation.sources import with_shared
from ..vocab import GRAPH


def findings(reader: rm.Reader, record: rm.Vendor) -> tuple[Finding, ...]:
    """Violations, warnings and infos about the vendor (its own nodes), worst first."""
    key = ("workbench-findings", record.iri)
    return reader.cached(key, lambda: _validate(reader.store, record))


def _validate(store: Store, record: rm.Vendor) -> tuple[Finding, ...]:
    graphs = sorted({s.graph for s in record.sources} | set(record.core.graphs))
    graphs = [g for g in graphs if g.startswith(str(GRAPH))]
    with tempfile.TemporaryDirectory(prefix="stackatlas-check-") as tmp:
        given = []
        for n, graph in enumerate(graphs):
            path = Path(tmp) / f"graph-{n}.nt"
            path.write_bytes(store.dump("application/n-triples", graph))
            given.append(SourceFile(path, graph, ox.RdfFormat.N_TRIPLES))
        context = Path(tmp) / "context.nt"
        named = sorted({*record.related, *record.names} - {record.iri})
        context.write_bytes(
            store.construct(q.named_vendor_context(iri_term(i) for i in named)) if named else b""
        )
        sources = [
            *with_shared(given),
            SourceFile(context, str(GRAPH) + "workbench-context", ox.RdfFormat.N_TRIPLES),
        ]
        report = validate(sources, report_on=given)
    return tuple(f for f in report.findings if f.vendor == record.core.slug)
