"""Changes in the catalog's words: what a commit (or a change set not yet applied) means.

Quads are what the store records; people ask "what changed": *Dagster Cloud —
FEDRAMP: not advertised → held*, *alternative added: Temporal*, *INPACT C:
5 → 4*. :func:`describe` reads the quads added and removed, rebuilds the
statements before and after the change around each node they touch (the
change's own quads first, the store for the rest), and reports one
:class:`Change` per thing a catalog reader would name. What no rule covers is
still reported, as ``other`` (property by property), so a description never
hides a change.

The kinds are a fixed set (:data:`KINDS`), documented in ``docs/history.md``;
the feed filters on them and the webhooks' filters name them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from ..store import Store
from ..store.audit import canonical, touched_vendors, vendor_graphs, vendor_of_node
from ..store.changes import Change, ChangeSet, Quad
from ..store.queries import history as queries
from ..store.terms import iri
from ..vocab import SA
from .log import CommitRecord

KINDS: tuple[str, ...] = (
    "vendor-added",
    "vendor-removed",
    "claim-added",
    "claim-removed",
    "claim-changed",
    "alternative-added",
    "alternative-removed",
    "integration-added",
    "integration-removed",
    "risk-added",
    "risk-removed",
    "score-changed",
    "licence-changed",
    "reviewed",
    "other",
)
"""Every kind a :class:`Change` can have (docs/history.md explains each)."""


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _u(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_TYPE = _u(RDF.type)
_VENDOR_TYPES = {_u(SA.Vendor), _u(SA.CatalogEntry)}
_CLAIM, _CERT, _OFFERING, _STATUS = (
    _u(SA.complianceClaim),
    _u(SA.certification),
    _u(SA.claimOffering),
    _u(SA.status),
)
_ALT, _ALT_VENDOR = _u(SA.alternative), _u(SA.alternativeVendor)
_INTEGRATION, _TARGET, _DIRECTION = _u(SA.integration), _u(SA.integrationTarget), _u(SA.direction)
_RISK, _SEVERITY, _DESCRIPTION = _u(SA.trustRisk), _u(SA.severity), _u(SA.description)
_ASSESSMENT, _FRAMEWORK, _TOTAL, _DIMENSION, _CODE, _SCORE = (
    _u(SA.assessment),
    _u(SA.framework),
    _u(SA.total),
    _u(SA.dimension),
    _u(SA.code),
    _u(SA.score),
)
_LICENSE, _OFFERING_OF = _u(SA.license), _u(SA.offering)
_REVIEWED_ON, _REVIEWED_BY = _u(SA.reviewedOn), _u(SA.reviewedBy)
_DERIVED = _u(PROV.wasDerivedFrom)
_NOTATION = _u(SKOS.notation)
_LABEL_PROPERTIES = (_u(SKOS.prefLabel), _u(RDFS.label), _NOTATION)

_TEXT_LIMIT = 80
_RULED_PARTS = {_CLAIM, _ALT, _INTEGRATION, _RISK, _ASSESSMENT, _OFFERING_OF, _TYPE}
_SUMMARY_PROPERTIES = (
    _u(SA.text),
    _DESCRIPTION,
    _u(SKOS.prefLabel),
    _u(RDFS.label),
    _u(RDFS.comment),
    _u(SA.mentionedVendor),
)


class _View:
    """The statements about each node in one state (before or after), as node → property → values."""

    def __init__(self, quads: Iterable[Quad]) -> None:
        self.props: dict[Term, dict[ox.NamedNode, set[Term]]] = defaultdict(lambda: defaultdict(set))
        self.graph_of: dict[tuple[Term, ox.NamedNode], str] = {}
        for q in quads:
            self.props[q.subject][q.predicate].add(q.object)
            if isinstance(q.graph_name, ox.NamedNode):
                self.graph_of[(q.subject, q.predicate)] = q.graph_name.value

    def values(self, node: Term, prop: ox.NamedNode) -> set[Term]:
        found = self.props.get(node)
        return set(found.get(prop, ())) if found else set()

    def one(self, node: Term, prop: ox.NamedNode) -> Term | None:
        found = sorted(self.values(node, prop), key=str)
        return found[0] if found else None

    def described(self, node: Term) -> bool:
        return bool(self.props.get(node))


class _Describer:
    def __init__(
        self,
        store: Store,
        added: frozenset[Quad],
        removed: frozenset[Quad],
        graphs: Iterable[str],
        *,
        canonical_labels: bool,
    ) -> None:
        self.store = store
        self.added, self.removed = added, removed
        self.graphs = sorted(
            set(graphs) | {g.value for q in added | removed if isinstance(g := q.graph_name, ox.NamedNode)}
        )
        base = self._context(canonical_labels)
        self.before = _View((base - added) | removed)
        self.after = _View((base - removed) | added)
        self.names: dict[str, str] = {}
        self.notations: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def _context(self, canonical_labels: bool) -> set[Quad]:
        """The touched graphs and the graphs of the touched vendors, as the store holds them now.

        A commit's quads carry canonical blank node labels, so the graphs are
        put in canonical form too: a blank node the commit touched is then the
        same node in both (as long as no later commit changed that graph).
        """
        vendors = touched_vendors(self.added | self.removed, self.graphs)
        graphs = sorted(set(self.graphs) | {g for v in vendors for g in vendor_graphs(v)})
        found: set[Quad] = set()
        for graph in graphs:
            quads = self.store.graph_quads([graph])
            found |= canonical(quads) if canonical_labels else set(quads)
        return found

    # -- names ------------------------------------------------------------

    def load_names(self, terms: set[Term]) -> None:
        wanted = sorted(t.value for t in terms if isinstance(t, ox.NamedNode) and t.value not in self.names)
        own: dict[str, dict[str, str]] = defaultdict(dict)
        for q in self.added | self.removed:
            if (
                q.predicate in _LABEL_PROPERTIES
                and isinstance(q.subject, ox.NamedNode)
                and isinstance(q.object, ox.Literal)
            ):
                own[q.subject.value][q.predicate.value] = q.object.value
        found: dict[str, dict[str, str]] = defaultdict(dict)
        if wanted:
            # system_select: the nodes are the catalog's (no system graph names them), and a public
            # read of a store with system graphs first lists every public graph (catalog-sized)
            for row in self.store.system_select(queries.labels(iri(n) for n in wanted)):
                found[str(row["node"])].setdefault(str(row["p"]), str(row["label"]))
        for node in wanted:
            labels = {**found.get(node, {}), **own.get(node, {})}
            if _NOTATION.value in labels:
                self.notations[node] = labels[_NOTATION.value]
            self.names[node] = next(
                (labels[p.value] for p in _LABEL_PROPERTIES if p.value in labels), _local_name(node)
            )

    def notation(self, term: Term | None) -> str:
        """A certification by its notation (FEDRAMP, SOC2_TYPE2), as the catalog's pages write them."""
        if isinstance(term, ox.NamedNode):
            for view in (self.after, self.before):
                value = view.one(term, _NOTATION)
                if isinstance(value, ox.Literal):
                    return value.value
            if term.value in self.notations:
                return self.notations[term.value]
        return self.name(term)

    def plain(self, term: Term | None) -> str:
        """A text without quotes (shortened): where the sentence already says what it is."""
        return _short(term.value)[1:-1] if isinstance(term, ox.Literal) else self.name(term)

    def value(self, term: Term | None) -> str:
        """A number or code as written, without quotes."""
        return term.value if isinstance(term, ox.Literal) else self.name(term)

    def name(self, term: Term | None, *, prefer_label: bool = False) -> str:
        if term is None:
            return "unknown"
        if isinstance(term, ox.Literal):
            return _short(term.value)
        if isinstance(term, ox.NamedNode):
            if prefer_label:
                return self._label_only(term) or self.names.get(term.value) or _local_name(term.value)
            return self.names.get(term.value) or _local_name(term.value)
        return "a blank node"

    def role(self, node: Term) -> str:
        """A node by its name; a blank node by the property that leads to it ("strength")."""
        if not isinstance(node, ox.BlankNode):
            return self.name(node, prefer_label=True)
        for view in (self.after, self.before):
            for props in view.props.values():
                for prop, values in props.items():
                    if node in values:
                        return _local_name(prop.value)
        return "a blank node"

    def _label_only(self, term: ox.NamedNode) -> str | None:
        for view in (self.after, self.before):
            for prop in _LABEL_PROPERTIES[1:]:
                value = view.one(term, prop)
                if isinstance(value, ox.Literal):
                    return value.value
        return None

    def source_of(self, node: Term, view: _View) -> str | None:
        """What the claim rests on: its own ``prov:wasDerivedFrom``, else its graph's."""
        own = view.one(node, _DERIVED)
        if own is not None:
            return self.name(own)
        graph = view.graph_of.get((node, _STATUS))
        if graph is None:
            return None
        if graph not in self.sources:
            rows = self.store.system_select(queries.graph_sources([iri(graph)]))  # a public graph, named
            self.sources[graph] = ", ".join(
                sorted(
                    {str(r["label"]) if r["label"] is not None else _local_name(str(r["source"])) for r in rows}
                )
            )
        return self.sources[graph] or None

    # -- rules ------------------------------------------------------------

    def describe(self) -> list[Change]:
        vendors = touched_vendors(self.added | self.removed, self.graphs)
        terms: set[Term] = {_u(v) for v in vendors}
        for view in (self.before, self.after):
            for props in view.props.values():
                for values in props.values():
                    terms |= {t for t in values if isinstance(t, ox.NamedNode)}
        self.load_names(terms)
        changes: list[Change] = []
        for vendor in vendors:
            changes += self.vendor(vendor)
        return changes

    def vendor(self, vendor: str) -> list[Change]:
        v = _u(vendor)
        name = self.name(v, prefer_label=True)
        was = bool(self.before.values(v, _TYPE) & _VENDOR_TYPES)
        now = bool(self.after.values(v, _TYPE) & _VENDOR_TYPES)
        if now and not was:
            return [Change("vendor-added", vendor, f"vendor added: {name}")]
        if was and not now:
            return [Change("vendor-removed", vendor, f"vendor removed: {name}")]
        explained: set[tuple[Term, ox.NamedNode]] = set()
        changes = (
            self.claims(v, explained)
            + self.relations(v, explained, _ALT, _ALT_VENDOR, "alternative")
            + self.relations(v, explained, _INTEGRATION, _TARGET, "integration")
            + self.risks(v, explained)
            + self.scores(v, explained)
            + self.licences(v, explained)
            + self.reviewed(v, explained)
        )
        changes += self.parts(v, explained)
        return [Change(k, vendor, t) for k, t in changes] + self.other(v, vendor, explained)

    def _parts(self, v: ox.NamedNode, prop: ox.NamedNode) -> tuple[set[Term], set[Term]]:
        return self.before.values(v, prop), self.after.values(v, prop)

    def whole(self, node: Term, view: _View) -> set[tuple[Term, ox.NamedNode]]:
        """Every (node, property) of a part added or removed as a whole: the one change says it all."""
        return {(node, p) for p in view.props.get(node, {})}

    def parts(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        """Parts no other rule names (strengths, limitations, use cases …) added or removed whole."""
        changes = []
        for prop in sorted(set(self.before.props.get(v, {})) | set(self.after.props.get(v, {})), key=str):
            if prop in _RULED_PARTS or (v, prop) in explained:
                continue
            old, new = self._parts(v, prop)
            for node, view, verb in [(n, self.after, "added") for n in new - old] + [
                (n, self.before, "removed") for n in old - new
            ]:
                if isinstance(node, ox.Literal) or not view.described(node):
                    continue
                summary = next(
                    (
                        self.name(view.one(node, p))
                        for p in _SUMMARY_PROPERTIES
                        if view.one(node, p) is not None
                    ),
                    self.name(node, prefer_label=True),
                )
                changes.append(("other", f"{_local_name(prop.value)} {verb}: {summary}"))
                explained.update(self.whole(node, view))
                explained.add((v, prop))
        return changes

    def claims(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        """Claims grouped by (offering, certification): a source or curator may state several for one
        pair, and a blank-node claim whose status changed is a new node with the same pair."""
        old, new = self._parts(v, _CLAIM)

        def grouped(nodes: set[Term], view: _View) -> dict[tuple[str, str], dict[Term, str]]:
            found: dict[tuple[str, str], dict[Term, str]] = defaultdict(dict)
            for n in nodes:
                key = (self.name(view.one(n, _OFFERING), prefer_label=True), self.notation(view.one(n, _CERT)))
                found[key][n] = self.name(view.one(n, _STATUS))
            return found

        before, after = grouped(old, self.before), grouped(new, self.after)
        found: list[tuple[str, str]] = []
        for key in sorted(set(before) | set(after)):
            b, a = before.get(key, {}), after.get(key, {})
            changed = {n for n in set(b) & set(a) if b[n] != a[n]}
            gone, came = set(b) - set(a), set(a) - set(b)
            if not (changed or gone or came):
                continue
            explained.add((v, _CLAIM))
            for n in gone:
                explained.update(self.whole(n, self.before))
            for n in came:
                explained.update(self.whole(n, self.after))
            explained.update({(n, _STATUS) for n in changed})
            stated = sorted(came | changed, key=str) or sorted(a, key=str)
            was = sorted(gone | changed, key=str) or sorted(b, key=str)
            new_status = ", ".join(sorted({a[n] for n in stated}))
            old_status = ", ".join(sorted({b[n] for n in was}))
            where = self.source_of(stated[0], self.after) if stated else self.source_of(was[0], self.before)
            source = f" (source: {where})" if where else ""
            offering, cert = key
            if not b:
                found.append(("claim-added", f"{offering} — {cert}: {new_status}{source}"))
            elif not a:
                found.append(("claim-removed", f"{offering} — {cert}: {old_status} no longer stated{source}"))
            else:
                found.append(("claim-changed", f"{offering} — {cert}: {old_status} → {new_status}{source}"))
        return found

    def relations(
        self,
        v: ox.NamedNode,
        explained: set[tuple[Term, ox.NamedNode]],
        prop: ox.NamedNode,
        target: ox.NamedNode,
        kind: str,
    ) -> list[tuple[str, str]]:
        old, new = self._parts(v, prop)

        def targets(nodes: set[Term], view: _View) -> dict[str, Term]:
            found = {}
            for n in nodes:
                label = self.name(view.one(n, target), prefer_label=True)
                if kind == "integration":
                    direction = view.one(n, _DIRECTION)
                    label += f" ({self.name(direction, prefer_label=True)})" if direction is not None else ""
                found[label] = n
            return found

        before, after = targets(old, self.before), targets(new, self.after)
        changes = []
        for label in sorted(set(after) - set(before)):
            changes.append((f"{kind}-added", f"{kind} added: {label}"))
            explained.update(self.whole(after[label], self.after))
            explained.add((v, prop))
        for label in sorted(set(before) - set(after)):
            changes.append((f"{kind}-removed", f"{kind} removed: {label}"))
            explained.update(self.whole(before[label], self.before))
            explained.add((v, prop))
        if old != new and not changes:
            explained.add((v, prop))  # the same relations under other nodes
        return changes

    def risks(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        old, new = self._parts(v, _RISK)

        def texts(nodes: set[Term], view: _View) -> dict[str, Term]:
            found = {}
            for n in nodes:
                severity = view.one(n, _SEVERITY)
                text = self.plain(view.one(n, _DESCRIPTION))
                found[f"{text} ({self.name(severity, prefer_label=True)})" if severity else text] = n
            return found

        before, after = texts(old, self.before), texts(new, self.after)
        changes = []
        for text in sorted(set(after) - set(before)):
            changes.append(("risk-added", f"risk added: {text}"))
            explained.update(self.whole(after[text], self.after))
            explained.add((v, _RISK))
        for text in sorted(set(before) - set(after)):
            changes.append(("risk-removed", f"risk removed: {text}"))
            explained.update(self.whole(before[text], self.before))
            explained.add((v, _RISK))
        return changes

    def scores(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        def scores(view: _View) -> dict[tuple[str, str], tuple[Term | None, list[Term]]]:
            found: dict[tuple[str, str], tuple[Term | None, list[Term]]] = {}
            for a in view.values(v, _ASSESSMENT):
                framework = self.notation(view.one(a, _FRAMEWORK))
                found[(framework, "total")] = (view.one(a, _TOTAL), [a])
                for d in view.values(a, _DIMENSION):
                    found[(framework, self.value(view.one(d, _CODE)))] = (view.one(d, _SCORE), [d])
            return found

        before, after = scores(self.before), scores(self.after)
        changes = []
        for key in sorted(set(before) | set(after)):
            (b, nb), (a, na) = before.get(key, (None, [])), after.get(key, (None, []))
            if b == a:
                continue
            prop = _TOTAL if key[1] == "total" else _SCORE
            explained.update({(n, prop) for n in nb + na})
            framework, code = key
            changes.append(("score-changed", f"{framework} {code}: {self.value(b)} → {self.value(a)}"))
        return changes

    def licences(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        changes = []
        offerings = self.before.values(v, _OFFERING_OF) | self.after.values(v, _OFFERING_OF)
        for node in [v, *sorted(offerings, key=str)]:
            b, a = self.before.values(node, _LICENSE), self.after.values(node, _LICENSE)
            if b == a:
                continue
            explained.add((node, _LICENSE))
            old = ", ".join(sorted(self.name(t) for t in b)) or "none"
            new = ", ".join(sorted(self.name(t) for t in a)) or "none"
            who = self.name(node, prefer_label=True)
            changes.append(("licence-changed", f"{who} licence: {old} → {new}"))
        return changes

    def reviewed(self, v: ox.NamedNode, explained: set[tuple[Term, ox.NamedNode]]) -> list[tuple[str, str]]:
        b, a = self.before.values(v, _REVIEWED_ON), self.after.values(v, _REVIEWED_ON)
        if a == b or not a:
            return []
        explained.update({(v, _REVIEWED_ON), (v, _REVIEWED_BY)})
        by = self.after.one(v, _REVIEWED_BY)
        who = f" by {self.name(by, prefer_label=True)}" if by is not None else ""
        return [("reviewed", f"reviewed on {self.value(sorted(a, key=str)[-1])}{who}")]

    def other(self, v: ox.NamedNode, vendor: str, explained: set[tuple[Term, ox.NamedNode]]) -> list[Change]:
        """Every changed (node, property) no rule explained, one change each."""
        groups: dict[tuple[Term, ox.NamedNode], tuple[set[Term], set[Term]]] = {}
        for quads, side in ((self.added, 1), (self.removed, 0)):
            for q in quads:
                if (q.subject, q.predicate) in explained:
                    continue
                owner = vendor_of_node(q.subject.value) if isinstance(q.subject, ox.NamedNode) else None
                if owner is None and isinstance(q.graph_name, ox.NamedNode):
                    owner = next(iter(touched_vendors((), [q.graph_name.value])), None)
                if owner != vendor:
                    continue
                groups.setdefault((q.subject, q.predicate), (set(), set()))[side].add(q.object)
        changes = []
        for (subject, prop), (removed, added) in sorted(
            groups.items(), key=lambda i: (str(i[0][0]), str(i[0][1]))
        ):
            what = f"{self.role(subject)} {_local_name(prop.value)}"
            old = ", ".join(sorted(self.name(t) for t in removed))
            new = ", ".join(sorted(self.name(t) for t in added))
            if removed and added:
                text = f"{what}: {old} → {new}"
            elif added:
                text = f"{what} added: {new}"
            else:
                text = f"{what} removed: {old}"
            changes.append(Change("other", vendor, text))
        return changes


def _local_name(value: str) -> str:
    for sep in ("#", "/"):
        if sep in value.rstrip(sep):
            return value.rstrip(sep).rsplit(sep, 1)[1]
    return value


def _short(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= _TEXT_LIMIT else f'"{text[: _TEXT_LIMIT - 1]}…"'


def describe(store: Store, change: CommitRecord | ChangeSet) -> list[Change]:
    """The change in the catalog's words, per vendor (sorted by vendor IRI), rule by rule.

    Works for a commit (the store then holds the state after it, or later) and
    for a change set not yet applied (the store holds the state before it: the
    ingest dry-run).
    """
    if isinstance(change, CommitRecord):
        if change.descriptions is not None:
            return list(change.descriptions)  # stored when the commit was made
        return _Describer(store, change.added, change.removed, change.graphs, canonical_labels=True).describe()
    return _Describer(store, change.added, change.removed, change.graphs, canonical_labels=False).describe()


def describe_commit(store: Store, exact: ChangeSet) -> list[Change]:
    """What a commit about to be made will say, for its audit record: ``exact`` is the commit's exact
    difference (:func:`stackatlas.store.audit.exact_difference`), the store holds the state before it.

    The same words :func:`describe` gives for the commit once made: with
    canonical blank node labels, the states before and after are rebuilt the
    same way from either side of the commit.
    """
    return _Describer(store, exact.added, exact.removed, exact.graphs, canonical_labels=True).describe()


__all__ = ["KINDS", "Change", "describe", "describe_commit"]
