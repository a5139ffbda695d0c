"""Run pyshacl on the store and turn its results into findings a curator can act on.

The data is loaded into the same pyoxigraph-backed store the server uses and
handed to pyshacl as a view (:meth:`Store.shacl_data_graph`): no copy into
rdflib's memory store, no inference, and the SHACL-SPARQL constraints run on
Oxigraph. The ontology is one of the loaded graphs, so ``sh:class`` and
``sh:targetClass`` see ``rdfs:subClassOf`` (a catalog entry is a vendor)
without a reasoner.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyshacl
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..loader import SourceFile
from ..store import Store, open_store, terms
from ..store.queries import validation as queries
from ..vocab import ID, ONTOLOGY_GRAPH
from .findings import Finding, render_path, render_value, shape_name
from .report import Report
from .sources import load_shapes

_VENDOR_PREFIX = str(ID["vendor/"])


class _LiteralText:
    """A bound value whose text survives use as an ``re.sub`` replacement template."""

    def __init__(self, term: object) -> None:
        self.term = term

    def __str__(self) -> str:
        return str(self.term).replace("\\", "\\\\")


def _literal_bindings(bound_vars: object) -> object:
    if isinstance(bound_vars, dict):
        return {k: _LiteralText(v) for k, v in bound_vars.items()}
    if isinstance(bound_vars, tuple | list):
        return type(bound_vars)(
            _literal_bindings(v) if isinstance(v, dict) else (None if v is None else _LiteralText(v))
            for v in bound_vars
        )
    return bound_vars


def _guard_message_templates() -> None:
    """Make pyshacl fill ``{?var}`` message templates literally.

    pyshacl substitutes each bound value with ``re.sub(pattern, str(value), msg)``,
    so a backslash in data (a label such as ``a\\b``) is read as a regex escape and
    validation dies with ``re.error`` half-way. Escaping the values once here fixes
    every SHACL-SPARQL message, whatever the shapes bind.
    """
    from pyshacl.constraints.constraint_component import ConstraintComponent

    original = ConstraintComponent._format_sparql_based_result_message
    if getattr(original, "_stackatlas_guarded", False):
        return

    def formatted(self: ConstraintComponent, msg: object, bound_vars: object) -> object:
        return original(self, msg, _literal_bindings(bound_vars))

    formatted._stackatlas_guarded = True  # type: ignore[attr-defined]
    ConstraintComponent._format_sparql_based_result_message = formatted  # type: ignore[method-assign]


_guard_message_templates()


def validate(
    sources: Sequence[SourceFile],
    shapes: rdflib.Graph | None = None,
    report_on: Sequence[SourceFile] | None = None,
) -> Report:
    """Load the sources into a fresh store and validate them.

    With ``report_on``, only findings about nodes from those files are kept
    (the others are context). Raises :class:`~stackatlas.errors.InputError` (one readable line)
    when a source cannot be read.
    """
    store = open_store()
    store.load(sources)
    return validate_store(store, sources, shapes, report_on)


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def hoist_property_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """An equivalent shapes graph in which property shapes carry their node shape's targets.

    pyshacl validates a nested ``sh:property`` once per focus node, building
    its constraint components anew each time; a property shape with targets of
    its own is validated once for all its focus nodes. Giving each property
    shape the targets of the node shapes that use it (and dropping the
    ``sh:property`` link) reports the same results several times faster, so
    the shapes file can stay idiomatic SHACL.
    """
    hoisted = rdflib.Graph()
    hoisted += shapes
    for node_shape, property_shape in shapes.subject_objects(SH.property):
        for target in _TARGETS:
            for value in shapes.objects(node_shape, target):
                hoisted.add((property_shape, target, value))
        hoisted.remove((node_shape, SH.property, property_shape))
    return hoisted


_HOISTED: list[tuple[rdflib.Graph, rdflib.Graph]] = []


def _hoisted(shapes: rdflib.Graph) -> rdflib.Graph:
    """:func:`hoist_property_shapes` of the shapes graph used last, kept: a write validates its
    neighbourhood with the same shapes every time, and hoisting costs ~10 ms per run."""
    if not _HOISTED or _HOISTED[0][0] is not shapes:
        _HOISTED[:] = [(shapes, hoist_property_shapes(shapes))]
    return _HOISTED[0][1]


def validate_store(
    store: Store,
    sources: Sequence[SourceFile],
    shapes: rdflib.Graph | None = None,
    report_on: Sequence[SourceFile] | None = None,
) -> Report:
    """Validate an already loaded store; ``sources`` map named graphs back to files."""
    shapes_graph = shapes if shapes is not None else load_shapes()
    with collector_paused():
        _conforms, results, _text = pyshacl.validate(
            store.shacl_data_graph(),
            shacl_graph=_hoisted(shapes_graph),
            inference="none",
            inplace=True,
            advanced=True,
            allow_infos=True,
            allow_warnings=True,
        )
    found = _findings(results, shapes_graph, store, sources)
    if report_on is not None:
        wanted = {_display_path(source.path) for source in report_on}
        found = {result: finding for result, finding in found.items() if finding.file in wanted}
        results = _report_graph(results, found)
    # an ordered set: two constraints of one shape may say the same
    return Report(list(dict.fromkeys(found.values())), results)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a pyshacl run.

    pyshacl holds a set of values per focus node while it checks a shape:
    hundreds of thousands of live containers on a large catalog, which every
    full pass of the collector walks again (185 passes at 10k vendors). Its
    work leaves little cyclic garbage, so pausing the collector costs no peak
    memory and saves 13% of the time at 10k vendors.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _report_graph(results: rdflib.Graph, kept: Iterable[rdflib.term.Node]) -> rdflib.Graph:
    """pyshacl's report graph with only the ``kept`` results, and ``sh:conforms`` to match."""
    graph = rdflib.Graph(namespace_manager=results.namespace_manager)
    kept = list(kept)
    conforms = Literal(not any((r, SH.resultSeverity, SH.Violation) in results for r in kept))
    for report in results.subjects(RDF.type, SH.ValidationReport):
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, conforms))
        for result in kept:
            graph.add((report, SH.result, result))
            graph += results.cbd(result)
    return graph


def _findings(
    results: rdflib.Graph, shapes: rdflib.Graph, store: Store, sources: Sequence[SourceFile]
) -> dict[rdflib.term.Node, Finding]:
    """Each validation result of the report graph with the finding it becomes."""
    rows = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        rows.append((result, focus, severity, messages, path, value, shape))

    data = store.shacl_data_graph()
    anchors: dict[rdflib.term.Node | None, URIRef | None] = {
        f: _iri_anchor(data, f) for _, f, *_ in rows if isinstance(f, BNode)
    }
    named = {str(f) for _, f, *_ in rows if isinstance(f, URIRef)} | {str(a) for a in anchors.values() if a}
    files = _files_of(store, sources, named)
    vendors = _vendors_of(store, named)
    findings: dict[rdflib.term.Node, Finding] = {}
    for result, focus, severity, messages, path, value, shape in rows:
        key = str(anchors.get(focus) or focus)
        findings[result] = Finding(
            severity=str(severity).removeprefix(str(SH)),
            focus=render_value(focus) or "",
            vendor=vendors.get(key),
            path=render_path(results, path) if path is not None else None,
            message=" ".join(messages) or "(no message)",
            # a node-level result names its focus node as the value: no news
            value=None if value == focus else render_value(value),
            source_shape=shape_name(shapes, shape),
            file=files.get(key),
        )
    return findings


def _iri_anchor(data: rdflib.Graph, node: BNode, depth: int = 5) -> URIRef | None:
    """The nearest IRI that points at a blank node: its file and vendor are the blank node's.

    Blank nodes are local to the file they are written in, so the node that
    holds one (a vendor's ``sa:strength [ … ]``) tells where it came from.
    """
    for subject in data.subjects(None, node):
        if isinstance(subject, URIRef):
            return subject
        if isinstance(subject, BNode) and depth > 1:
            anchor = _iri_anchor(data, subject, depth - 1)
            if anchor is not None:
                return anchor
    return None


def _files_of(store: Store, sources: Sequence[SourceFile], nodes: set[str]) -> dict[str, str]:
    """Focus node -> file of the graph holding its rdf:type triple (else any triple about it).

    A node typed in several files (a vendor a page mentions and one of its own)
    is attributed to a data file before the ontology, then by file name.
    """
    if not nodes:
        return {}
    file_of_graph: dict[str, str] = {}
    for source in sources:
        file_of_graph.setdefault(source.graph, _display_path(source.path))
    rows = store.select(queries.graphs_of(terms.iri(n) for n in sorted(nodes)))
    best: dict[str, tuple[bool, bool, str]] = {}
    for row in rows:
        node, graph = str(row["node"]), str(row["graph"])
        if graph not in file_of_graph:
            continue
        rank = (not row["typed"], graph == str(ONTOLOGY_GRAPH), file_of_graph[graph])
        if node not in best or rank < best[node]:
            best[node] = rank
    found = {node: rank[2] for node, rank in best.items()}
    # a graph-level finding (a file without provenance) is about the file itself
    found.update({node: file_of_graph[node] for node in nodes if node in file_of_graph})
    return found


def _vendors_of(store: Store, nodes: set[str]) -> dict[str, str]:
    """Focus node -> vendor slug: from the ``id/vendor/{slug}/…`` IRI, else a vendor pointing at it."""
    vendors: dict[str, str] = {}
    for node in nodes:
        if node.startswith(_VENDOR_PREFIX):
            slug = node[len(_VENDOR_PREFIX) :].split("/", 1)[0]
            if slug:
                vendors[node] = slug
    orphans = nodes - vendors.keys()
    if orphans:
        rows = store.select(queries.vendors_pointing_at(terms.iri(n) for n in sorted(orphans)))
        for row in rows:
            vendor = str(row["vendor"])
            if vendor.startswith(_VENDOR_PREFIX):
                vendors.setdefault(str(row["node"]), vendor[len(_VENDOR_PREFIX) :].split("/", 1)[0])
    return vendors


def _display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, as a user typed it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
