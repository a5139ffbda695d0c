"""GraphQL mutations: curator edits as governed writes, each returning the new state or structured errors.

Every mutation needs a bearer token with scope ``write`` (``Authorization``
header of the GraphQL request), a ``message`` saying why, and optionally the
``expectedVersion`` of the graph it changes (the ETag ``/rdf-graphs`` and
``version`` report). It goes through :func:`stackatlas.writes.transaction.write`:
validated on the vendor's neighbourhood, committed atomically, audited.

Where a write goes: the vendor itself (create, replace, delete) is its graph
``graph/vendors/<id>``; what curators add about it (claims, alternatives,
integrations, trust risks, reviews) goes to ``graph/curation/<id>``, attributed
to the token's holder — a curator's words are marked as the curator's, apart
from what the source page said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum

import pyoxigraph as ox
import strawberry
from rdflib.namespace import PROV, RDF, SKOS, XSD

from ..auth import Principal
from ..auth.http import check
from ..errors import PreconditionFailed, StackatlasError
from ..history.log import last_sequence
from ..store import Store
from ..store.changes import ChangeSet, Quad
from ..store.queries import writes as queries
from ..store.terms import iri, literal
from ..vocab import GRAPH, ID, SA, certification_iri, layer_iri, vendor_iri
from ..writes.transaction import activity, normalised, parse_graph, replace_graph, write
from .types import ClaimStatus, Direction, Info, Severity, Vendor

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


def _term(value: Enum) -> ox.NamedNode:
    """The ontology individual for a GraphQL enum value (``NOT_HELD`` is ``sa:NotHeld``)."""
    return _n(SA["".join(part.title() for part in value.value.split("_"))])


@strawberry.type(description="Why a write was refused: one entry per SHACL violation or refusal.")
class WriteError:
    code: str = strawberry.field(
        description="UNAUTHENTICATED, FORBIDDEN, PRECONDITION_FAILED, INVALID, NOT_FOUND or BAD_INPUT."
    )
    message: str
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    shape: str | None = None


@strawberry.type(description="A write's result: the new state and the commit, or the errors (nothing changed).")
class WriteResult:
    ok: bool
    vendor: Vendor | None = None
    commit: str | None = strawberry.field(default=None, description="The commit's IRI (its audit record).")
    version: str | None = strawberry.field(default=None, description="The changed graph's new version.")
    errors: list[WriteError] = strawberry.field(default_factory=list)


_CODES = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    412: "PRECONDITION_FAILED",
    422: "INVALID",
}


def _failure(exc: StackatlasError) -> WriteResult:
    violations = getattr(exc, "violations", [])
    if violations:
        errors = [
            WriteError(
                code="INVALID",
                message=f.message,
                focus=f.focus,
                path=f.path,
                value=f.value,
                shape=f.source_shape,
            )
            for f in violations
        ]
    else:
        errors = [WriteError(code=_CODES.get(exc.status, "BAD_INPUT"), message=str(exc))]
    return WriteResult(ok=False, errors=errors)


def _n(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def vendor_graph(slug: str) -> str:
    return str(GRAPH[f"vendors/{slug}"])


def curation_graph(slug: str) -> str:
    return str(GRAPH[f"curation/{slug}"])


def _curator(principal: Principal) -> ox.NamedNode:
    return _n(ID[f"agent/token/{principal.name}"])


class _NotFound(StackatlasError):
    status = 404


def _slug(value: str, what: str = "vendor id") -> str:
    if not _SLUG.match(value):
        raise _BadInput(f"{what} {value[:80]!r}: lower-case letters, digits and '-'")
    return value


class _BadInput(StackatlasError):
    status = 400


def _exists(store: Store, slug: str) -> bool:
    return any(q.predicate == _n(RDF.type) for q in store.graph_quads([vendor_graph(slug)]))


async def _run(
    info: Info,
    slug: str,
    graph: str,
    message: str,
    expected: str | None,
    build: Callable[[Store, Principal], ChangeSet],
) -> WriteResult:
    store: Store = info.context.catalog.store
    request = info.context.request
    authorization = request.headers.get("authorization") if request is not None else None
    try:
        principal = await store.run(check, store, authorization, "write", "a mutation")
        if not message.strip():
            raise _BadInput("a write needs a message saying why (the message argument)")
        outcome = await store.run(
            lambda: write(
                store,
                lambda current: build(current, principal),
                {graph: expected} if expected is not None else {},
                activity(principal.name, message.strip(), "graphql"),
            )
        )
    except StackatlasError as exc:
        return _failure(exc)
    committed = outcome.committed
    alive = await store.run(_exists, store, slug)
    return WriteResult(
        ok=True,
        vendor=Vendor(iri=str(vendor_iri(slug))) if alive else None,
        commit=committed.commit if committed else None,
        version=outcome.versions.get(graph),
    )


def _curation_header(store: Store, slug: str, principal: Principal) -> list[Quad]:
    """The curation graph's provenance, written with its first statement."""
    graph = curation_graph(slug)
    if store.graph_quads([graph]):
        return []
    g = _n(graph)
    return [
        ox.Quad(g, _n(RDF.type), _n(SA.SourceGraph), g),
        ox.Quad(g, _n(PROV.wasAttributedTo), _curator(principal), g),
    ]


def _positions(store: Store, graphs: list[str], subject: ox.NamedNode, link: object) -> int:
    """The next free ``sa:position`` among the vendor's nodes linked by ``link``."""
    quads = store.graph_quads(graphs)
    nodes = {q.object for q in quads if q.subject == subject and q.predicate == _n(link)}
    used = [
        int(q.object.value)
        for q in quads
        if q.subject in nodes and q.predicate == _n(SA.position) and isinstance(q.object, ox.Literal)
    ]
    return max(used, default=0) + 1


def _node(slug: str, local: str) -> ox.NamedNode:
    return _n(f"{vendor_iri(slug)}/{local}")


def _add_to_curation(
    slug: str,
    node_local: str,
    link: object,
    properties: Callable[[Store, ox.NamedNode], list[tuple[object, object]]],
) -> Callable[[Store, Principal], ChangeSet]:
    """A build step that links a new node from the vendor in its curation graph."""

    def build(store: Store, principal: Principal) -> ChangeSet:
        if not _exists(store, slug):
            raise _NotFound(f"no vendor {slug!r} in the catalog")
        graph = _n(curation_graph(slug))
        node = _node(slug, node_local)
        old = [q for q in store.graph_quads([graph.value]) if q.subject == node]
        quads = [ox.Quad(_n(vendor_iri(slug)), _n(link), node, graph)]
        quads += [
            ox.Quad(node, _n(p), o if isinstance(o, ox.NamedNode | ox.Literal) else _n(o), graph)
            for p, o in properties(store, node)
        ]
        return ChangeSet.of(normalised([*quads, *_curation_header(store, slug, principal)]), old)

    return build


def _remove_from_curation(slug: str, node_local: str, link: object) -> Callable[[Store, Principal], ChangeSet]:
    def build(store: Store, principal: Principal) -> ChangeSet:
        graph = curation_graph(slug)
        node = _node(slug, node_local)
        quads = [
            q
            for q in store.graph_quads([graph])
            if q.subject == node or (q.object == node and q.predicate == _n(link))
        ]
        if not quads:
            raise _NotFound(f"{slug} has no {node_local} in its curation graph")
        return ChangeSet.of(removed=quads)

    return build


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a vendor (its own graph, attributed to you as curator).")
    async def create_vendor(
        self, info: Info, id: str, name: str, message: str, layer: str | None = None, role: str | None = None
    ) -> WriteResult:
        def build(store: Store, principal: Principal) -> ChangeSet:
            slug = _slug(id)
            if _exists(store, slug):
                raise PreconditionFailed(f"vendor {slug!r} exists; replace it with replaceVendor")
            g = _n(vendor_graph(slug))
            v = _n(vendor_iri(slug))
            quads = [
                ox.Quad(g, _n(RDF.type), _n(SA.SourceGraph), g),
                ox.Quad(g, _n(PROV.wasAttributedTo), _curator(principal), g),
                ox.Quad(v, _n(RDF.type), _n(SA.Vendor), g),
                ox.Quad(v, _n(SKOS.prefLabel), _text(name), g),
            ]
            if layer:
                quads.append(ox.Quad(v, _n(SA.layer), _n(layer_iri(layer)), g))
            if role:
                quads.append(ox.Quad(v, _n(SA.role), _text(role), g))
            return ChangeSet.of(quads)

        return await _run(info, id, vendor_graph(id), message, None, build)

    @strawberry.mutation(description="Replace a vendor's graph with Turtle (`<>` is the graph itself).")
    async def replace_vendor(
        self, info: Info, id: str, turtle: str, message: str, expected_version: str | None = None
    ) -> WriteResult:
        def build(store: Store, principal: Principal) -> ChangeSet:
            graph = vendor_graph(_slug(id))
            try:
                quads = parse_graph(turtle.encode(), ox.RdfFormat.TURTLE, graph)
            except SyntaxError as exc:
                raise _BadInput(f"malformed Turtle: {str(exc)[:160]}") from None
            return replace_graph(graph, quads)(store)

        return await _run(info, id, vendor_graph(id), message, expected_version, build)

    @strawberry.mutation(description="Delete a vendor: its graph and its curation graph.")
    async def delete_vendor(
        self, info: Info, id: str, message: str, expected_version: str | None = None
    ) -> WriteResult:
        def build(store: Store, principal: Principal) -> ChangeSet:
            quads = store.graph_quads([vendor_graph(_slug(id)), curation_graph(id)])
            if not quads:
                raise _NotFound(f"no vendor {id!r} in the catalog")
            return ChangeSet.of(removed=quads)

        return await _run(info, id, vendor_graph(id), message, expected_version, build)

    @strawberry.mutation(
        description="Set what a source says of a certification for one of the vendor's offerings "
        "(replaces an earlier curator claim for the same offering and certification)."
    )
    async def set_compliance_claim(
        self,
        info: Info,
        vendor: str,
        offering: str,
        certification: str,
        status: ClaimStatus,
        evidence: str,
        message: str,
        source: str | None = None,
        expected_version: str | None = None,
    ) -> WriteResult:
        slug, off, cert = _slug(vendor), _slug(offering, "offering"), _slug(certification, "certification")

        def props(store: Store, node: ox.NamedNode) -> list[tuple[object, object]]:
            found: list[tuple[object, object]] = [
                (SA.claimOffering, _node(slug, off)),
                (SA.certification, _n(certification_iri(cert))),
                (SA.status, _term(status)),
                (SA.evidence, _text(evidence)),
                (RDF.type, _n(SA.ComplianceClaim)),
            ]
            if source:
                found.append((PROV.wasDerivedFrom, _n(source)))
            return found

        build = _add_to_curation(slug, f"claim-{off}-{cert}", SA.complianceClaim, props)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Name another vendor as an alternative.")
    async def add_alternative(
        self,
        info: Info,
        vendor: str,
        alternative: str,
        message: str,
        choose_for: str | None = None,
        expected_version: str | None = None,
    ) -> WriteResult:
        slug, other = _slug(vendor), _slug(alternative)

        def props(store: Store, node: ox.NamedNode) -> list[tuple[object, object]]:
            found: list[tuple[object, object]] = [
                (RDF.type, _n(SA.Alternative)),
                (SA.alternativeVendor, _n(vendor_iri(other))),
                (SA.position, literal(_positions(store, _graphs(slug), _n(vendor_iri(slug)), SA.alternative))),
            ]
            if choose_for:
                found.append((SA.chooseFor, _text(choose_for)))
            return found

        build = _add_to_curation(slug, f"curated-alternative-{other}", SA.alternative, props)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Remove an alternative a curator added.")
    async def remove_alternative(
        self, info: Info, vendor: str, alternative: str, message: str, expected_version: str | None = None
    ) -> WriteResult:
        slug = _slug(vendor)
        build = _remove_from_curation(slug, f"curated-alternative-{_slug(alternative)}", SA.alternative)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Record an integration with another vendor.")
    async def add_integration(
        self,
        info: Info,
        vendor: str,
        target: str,
        direction: Direction,
        message: str,
        mechanism: str | None = None,
        description: str | None = None,
        expected_version: str | None = None,
    ) -> WriteResult:
        slug, other = _slug(vendor), _slug(target)
        local = f"integration-{direction.value.lower()}-{other}"

        def props(store: Store, node: ox.NamedNode) -> list[tuple[object, object]]:
            found: list[tuple[object, object]] = [
                (RDF.type, _n(SA.Integration)),
                (SA.integrationTarget, _n(vendor_iri(other))),
                (SA.direction, _term(direction)),
            ]
            if mechanism:
                found.append((SA.mechanism, _text(mechanism)))
            if description:
                found.append((SA.description, _text(description)))
            return found

        build = _add_to_curation(slug, local, SA.integration, props)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Remove an integration from the vendor's curation graph.")
    async def remove_integration(
        self,
        info: Info,
        vendor: str,
        target: str,
        direction: Direction,
        message: str,
        expected_version: str | None = None,
    ) -> WriteResult:
        slug = _slug(vendor)
        local = f"integration-{direction.value.lower()}-{_slug(target)}"
        build = _remove_from_curation(slug, local, SA.integration)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Add a trust risk; returns the vendor with its risks.")
    async def add_trust_risk(
        self,
        info: Info,
        vendor: str,
        severity: Severity,
        description: str,
        message: str,
        mitigation: str | None = None,
        expected_version: str | None = None,
    ) -> WriteResult:
        slug = _slug(vendor)
        holder: dict[str, int] = {}

        def props(store: Store, node: ox.NamedNode) -> list[tuple[object, object]]:
            found: list[tuple[object, object]] = [
                (RDF.type, _n(SA.TrustRisk)),
                (SA.position, literal(holder["position"])),
                (SA.severity, _term(severity)),
                (SA.description, _text(description)),
            ]
            if mitigation:
                found.append((SA.mitigation, _text(mitigation)))
            return found

        def build(store: Store, principal: Principal) -> ChangeSet:
            holder["position"] = _positions(store, _graphs(slug), _n(vendor_iri(slug)), SA.trustRisk)
            local = f"curated-risk-{holder['position']}"
            return _add_to_curation(slug, local, SA.trustRisk, props)(store, principal)

        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Remove a trust risk a curator added (by its position).")
    async def remove_trust_risk(
        self, info: Info, vendor: str, position: int, message: str, expected_version: str | None = None
    ) -> WriteResult:
        slug = _slug(vendor)
        build = _remove_from_curation(slug, f"curated-risk-{position}", SA.trustRisk)
        return await _run(info, slug, curation_graph(slug), message, expected_version, build)

    @strawberry.mutation(description="Mark the vendor reviewed today by you (sa:reviewedOn, sa:reviewedBy).")
    async def mark_reviewed(
        self, info: Info, vendor: str, message: str, expected_version: str | None = None
    ) -> WriteResult:
        slug = _slug(vendor)

        def build(store: Store, principal: Principal) -> ChangeSet:
            if not _exists(store, slug):
                raise _NotFound(f"no vendor {slug!r} in the catalog")
            graph = _n(curation_graph(slug))
            v = _n(vendor_iri(slug))
            old = [
                q
                for q in store.graph_quads([graph.value])
                if q.subject == v and q.predicate in (_n(SA.reviewedOn), _n(SA.reviewedBy))
            ]
            today = ox.Literal(datetime.now(UTC).date().isoformat(), datatype=_n(XSD.date))
            quads = [
                ox.Quad(v, _n(SA.reviewedOn), today, graph),
                ox.Quad(v, _n(SA.reviewedBy), _curator(principal), graph),
                *_curation_header(store, slug, principal),
            ]
            return ChangeSet.of(quads, old)

        return await _run(info, slug, curation_graph(slug), message, expected_version, build)


def _graphs(slug: str) -> list[str]:
    return [vendor_graph(slug), curation_graph(slug)]


# -- the audit trail, read side -----------------------------------------------


@strawberry.type(description="One governed write: who, when, why, and what it changed (a PROV-O activity).")
class Commit:
    id: str
    sequence: int
    author: str = strawberry.field(description="The name of the token that wrote it.")
    message: str
    interface: str = strawberry.field(description="graphql, sparql-update, graph-store or ingest.")
    time: str
    added: int
    removed: int
    graphs: list[str]


@strawberry.type
class CommitConnection:
    commits: list[Commit]
    end_cursor: str | None
    has_next_page: bool


def _commit_rows(store: Store, top: int, first: int) -> list[dict[str, object]]:
    """The commits numbered ``top`` and the ``first - 1`` below it, newest first."""
    numbers = range(top, max(0, top - first), -1)
    return store.system_select(queries.commits_page(literal(n) for n in numbers)) if numbers else []  # type: ignore[return-value]


def read_commits(store: Store, first: int, before: int | None) -> tuple[list[Commit], bool]:
    # numbers are gap-free: the page is the ``first`` numbers below ``before`` (or the latest)
    top = before - 1 if before is not None else last_sequence(store)
    rows = _commit_rows(store, top, first)
    if before is not None and len(rows) < min(first, max(0, top)):  # a cursor past the latest commit
        top = min(top, last_sequence(store))
        rows = _commit_rows(store, top, first)
    more = top - first > 0
    touched: dict[str, list[str]] = {}
    if rows:
        for row in store.system_select(queries.commit_graphs(iri(str(r["commit"])) for r in rows)):
            touched.setdefault(str(row["commit"]), []).append(str(row["graph"]))
    commits = [
        Commit(
            id=str(r["commit"]),
            sequence=int(str(r["sequence"])),
            author=str(r["agent"]),
            message=str(r["message"]),
            interface=str(r["interface"]),
            time=str(r["time"]),
            added=int(str(r["added"])),
            removed=int(str(r["removed"])),
            graphs=sorted(touched.get(str(r["commit"]), [])),
        )
        for r in rows
    ]
    return commits, more


async def commits(info: Info, first: int = 20, after: str | None = None) -> CommitConnection:
    """The audit trail, newest first; ``after`` is the ``endCursor`` of the previous page."""
    store: Store = info.context.catalog.store
    size = max(1, min(first, info.context.settings.graphql_max_page_size))
    before = int(after) if after and after.isdigit() else None
    found, more = await store.run(read_commits, store, size, before)
    return CommitConnection(
        commits=found, end_cursor=str(found[-1].sequence) if found else None, has_next_page=more
    )


__all__ = ["Commit", "CommitConnection", "Mutation", "WriteResult", "commits"]
