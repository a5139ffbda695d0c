"""The audit record of a commit, as PROV-O quads in the audit graph.

Each commit is a ``prov:Activity`` (``sa:Commit``) associated with the agent
named by the token that wrote it (the name, never the token or its hash), with
its time, the writer's message, the graphs it touched, how many quads it added
and removed, and those quads themselves as N-Quads text — so a later history
view can replay or revert a commit without a second log.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..vocab import AUDIT_GRAPH, ID, SA, SERVICE_AGENT
from .changes import Activity, ChangeSet, Quad


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def agent_iri(name: str) -> ox.NamedNode:
    """The agent a token name stands for (token names are restricted to IRI-safe characters)."""
    return _n(ID[f"agent/token/{name}"])


def nquads(quads: frozenset[Quad]) -> str:
    """The quads as sorted N-Quads lines (a deterministic text for the record)."""
    return "".join(sorted(f"{q} .\n" for q in quads))


def record(activity: Activity, changes: ChangeSet, sequence: int) -> tuple[str, list[Quad]]:
    """The commit's IRI and its audit quads."""
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
    return commit.value, quads
