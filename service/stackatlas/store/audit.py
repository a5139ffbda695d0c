"""The audit record of a commit, as PROV-O quads in the audit graph.

Each commit is a ``prov:Activity`` (``sa:Commit``) associated with the agent
named by the token that wrote it (the name, never the token or its hash), with
its time, the writer's message, the graphs it touched, how many quads it added
and removed, and those quads themselves as N-Quads text — so a later history
view can replay or revert a commit without a second log.

Blank nodes: a commit rewrites each touched graph with ``INSERT DATA``, which
gives every blank node a fresh label (a remote engine does the same), so labels
in the store never match the labels a writer used. Given the touched graphs'
contents before the commit, :func:`record` therefore stores the *exact
difference between the graph before and after*, both with their blank nodes
labelled by RDFC-1.0 (the W3C canonical labelling, per graph): reversing a
commit is then plain set arithmetic on the canonical form of the graph after
it (see ``docs/history.md``). Graphs without blank nodes are unaffected: their
canonical form is themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..vocab import AUDIT_GRAPH, GRAPH, ID, SA, SERVICE_AGENT
from .changes import Activity, Change, ChangeSet, Quad

_VENDOR_PREFIX = f"{ID}vendor/"
_VENDOR_GRAPH_KINDS = ("vendors", "curation", "external")
"""Graph folders named after the vendor they describe: ``graph/<kind>/<slug>``."""


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def agent_iri(name: str) -> ox.NamedNode:
    """The agent a token name stands for (token names are restricted to IRI-safe characters)."""
    return _n(ID[f"agent/token/{name}"])


def nquads(quads: frozenset[Quad]) -> str:
    """The quads as sorted N-Quads lines (a deterministic text for the record)."""
    return "".join(sorted(f"{q} .\n" for q in quads))


def has_blank_nodes(quads: Iterable[Quad]) -> bool:
    return any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


def canonical(quads: Iterable[Quad]) -> set[Quad]:
    """The quads with their blank nodes relabelled by RDFC-1.0 (unchanged when there are none).

    Isomorphic inputs give identical outputs, so two states of a graph can be
    compared (and a recorded difference applied) label by label.
    """
    found = list(quads)
    if not has_blank_nodes(found):
        return set(found)
    dataset = ox.Dataset(found)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def exact_difference(before: Collection[Quad], changes: ChangeSet) -> ChangeSet:
    """What ``changes`` really does to the graphs whose contents were ``before``, per graph, with blank
    nodes in canonical labels: the change that turns canon(before) into canon(after)."""
    added: set[Quad] = set()
    removed: set[Quad] = set()
    for graph in changes.graphs:
        old = {q for q in before if _graph_value(q) == graph}
        new = (old - changes.removed) | {q for q in changes.added if _graph_value(q) == graph}
        if has_blank_nodes(old) or has_blank_nodes(new):
            old, new = canonical(old), canonical(new)
        added |= new - old
        removed |= old - new
    return ChangeSet(frozenset(added), frozenset(removed))


def _graph_value(quad: Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""


def vendor_of_node(node: str) -> str | None:
    """The vendor a node belongs to: the vendor itself or a node minted under its IRI
    (``id/vendor/dagster/claim-…``); None for anything else."""
    if not node.startswith(_VENDOR_PREFIX):
        return None
    slug = node[len(_VENDOR_PREFIX) :].split("/", 1)[0]
    return f"{_VENDOR_PREFIX}{slug}" if slug else None


def vendor_of_graph(graph: str) -> str | None:
    """The vendor a graph is named after (``graph/vendors/<slug>``, ``graph/curation/<slug>`` …)."""
    for kind in _VENDOR_GRAPH_KINDS:
        prefix = f"{GRAPH}{kind}/"
        if graph.startswith(prefix) and "/" not in graph[len(prefix) :]:
            return f"{_VENDOR_PREFIX}{graph[len(prefix) :]}"
    return None


def vendor_graphs(vendor: str) -> list[str]:
    """The graphs conventionally named after a vendor (whether or not they exist)."""
    slug = vendor[len(_VENDOR_PREFIX) :] if vendor.startswith(_VENDOR_PREFIX) else ""
    return [f"{GRAPH}{kind}/{slug}" for kind in _VENDOR_GRAPH_KINDS] if slug and "/" not in slug else []


def touched_vendors(quads: Iterable[Quad], graphs: Iterable[str] = ()) -> list[str]:
    """The vendors a change is about: subjects that are a vendor or one of its nodes, and the vendors
    the touched graphs are named after; sorted."""
    found = {vendor_of_graph(g) for g in graphs}
    found |= {vendor_of_node(q.subject.value) for q in quads if isinstance(q.subject, ox.NamedNode)}
    return sorted(v for v in found if v)


def record(
    activity: Activity,
    changes: ChangeSet,
    sequence: int,
    before: Collection[Quad] | None = None,
    *,
    descriptions: Sequence[Change] | None = None,
) -> tuple[str, list[Quad]]:
    """The commit's IRI and its audit quads.

    ``before`` is every quad of the touched graphs before the commit: with it
    the record holds the exact, canonically labelled difference (see the
    module's docstring); without it, the writer's change set as given.

    ``descriptions`` (default: the activity's) is the change in the catalog's
    words, worked out by the writer before the commit: stored with the record
    (:func:`description_quads`), so the feed, the webhooks and the history read
    text instead of describing the commit again on every read.
    """
    if before is not None:
        changes = exact_difference(before, changes)
    commit = _n(ID[f"commit/{uuid.uuid4().hex}"])
    graph = _n(AUDIT_GRAPH)
    agent = agent_iri(activity.agent)
    stamp = ox.Literal(activity.started.isoformat(), datatype=_n(XSD.dateTime))

    def q(s: ox.NamedNode, p: object, o: ox.NamedNode | ox.Literal) -> Quad:
        return ox.Quad(s, _n(p), o, graph)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=_n(XSD.integer))

    quads = [
        # the audit graph says where its statements come from, like every graph
        q(graph, PROV.wasAttributedTo, _n(SERVICE_AGENT)),
        q(agent, RDF.type, _n(PROV.Agent)),
        q(agent, RDFS.label, ox.Literal(activity.agent)),
        q(commit, RDF.type, _n(SA.Commit)),
        q(commit, RDF.type, _n(PROV.Activity)),
        q(commit, SA.sequence, count(sequence)),
        q(commit, PROV.wasAssociatedWith, agent),
        q(commit, PROV.startedAtTime, stamp),
        q(commit, PROV.endedAtTime, stamp),
        q(commit, SA.commitMessage, ox.Literal(activity.message)),
        q(commit, SA.interface, ox.Literal(activity.interface)),
        q(commit, SA.quadsAdded, count(len(changes.added))),
        q(commit, SA.quadsRemoved, count(len(changes.removed))),
        q(commit, SA.addedQuads, ox.Literal(nquads(changes.added))),
        q(commit, SA.removedQuads, ox.Literal(nquads(changes.removed))),
    ]
    quads += [q(commit, SA.touchedGraph, _n(g)) for g in changes.graphs]
    quads += [
        q(commit, SA.touchedVendor, _n(v))
        for v in touched_vendors(changes.added | changes.removed, changes.graphs)
    ]
    found = descriptions if descriptions is not None else activity.descriptions
    if found is not None:
        quads += description_quads(commit.value, found)
    return commit.value, quads


def description_quads(commit: str, descriptions: Sequence[Change]) -> list[Quad]:
    """A commit's changes in the catalog's words as ``sa:ChangeDescription`` nodes, in order.

    ``sa:changeCount`` is written even when it is 0: it tells a commit described
    when it was made (perhaps with no change a reader would name) from one
    recorded before descriptions were stored, which is described when read.
    """
    graph, node = _n(AUDIT_GRAPH), _n(commit)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=_n(XSD.integer))

    quads = [ox.Quad(node, _n(SA.changeCount), count(len(descriptions)), graph)]
    for i, change in enumerate(descriptions, start=1):
        item = _n(f"{commit}/change/{i}")
        quads += [
            ox.Quad(node, _n(SA.describedChange), item, graph),
            ox.Quad(item, _n(RDF.type), _n(SA.ChangeDescription), graph),
            ox.Quad(item, _n(SA.changeOrder), count(i), graph),
            ox.Quad(item, _n(SA.changeKind), ox.Literal(change.kind), graph),
            ox.Quad(item, _n(SA.changeVendor), _n(change.vendor), graph),
            ox.Quad(item, _n(SA.changeText), ox.Literal(change.text), graph),
        ]
    return quads
