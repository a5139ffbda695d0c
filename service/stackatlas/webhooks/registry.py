"""Webhook registrations, cursors and the delivery log, kept in the system graph ``graph/system/webhooks``.

Why a system graph: it lives in the store, so it is as durable as the commits
it points into (a restart loses no registration, no cursor, no log entry), it
is written with the same atomic :meth:`Store.commit` as everything else, it is
hidden from every read (``/sparql``, dumps, linked data: the secrets never
leave the service) and a store over a remote engine (issue 14) carries it
along. Bookkeeping commits are not audited (no activity): the audit graph is
public and must never hold a secret.

A webhook is ``id:webhook/<id>`` with its URL, its signing secret (kept as it
is: the service needs it to sign), its filter, ``sa:deliveredThrough`` (the
sequence of the last commit delivered or skipped by the filter: the cursor)
and ``sa:attemptedThrough`` (the highest sequence ever sent: an event at or
below it may have reached the receiver before, so it goes out marked as a
redelivery). The delivery log has one node per attempt.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..errors import InputError, NotFound
from ..store import Store
from ..store.changes import ChangeSet, Quad
from ..store.queries import webhooks as queries
from ..store.terms import iri
from ..vocab import ID, SA, SERVICE_AGENT, WEBHOOKS_GRAPH, certification_iri, slug_of, vendor_iri

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_KIND = re.compile(r"^[a-z][a-z-]{0,63}$")
MAX_URL = 2048


def _n(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD.integer))


def _now() -> ox.Literal:
    return ox.Literal(datetime.now(UTC).isoformat(timespec="milliseconds"), datatype=_n(XSD.dateTime))


@dataclass(frozen=True)
class Filter:
    """Which commits a webhook wants: any of these vendors, certifications, change kinds (empty: any)."""

    vendors: tuple[str, ...] = ()
    """Vendor slugs."""
    certifications: tuple[str, ...] = ()
    """Certification slugs (``soc-2-type-ii`` …) as in the certification IRIs."""
    kinds: tuple[str, ...] = ()
    """Change kinds (``stackatlas.history.describe``)."""

    def as_json(self) -> dict[str, list[str]]:
        return {
            "vendors": list(self.vendors),
            "certifications": list(self.certifications),
            "kinds": list(self.kinds),
        }


@dataclass(frozen=True)
class Webhook:
    id: str
    url: str
    secret: str
    created: str
    filter: Filter
    delivered_through: int
    """The cursor: every commit up to this sequence was delivered (or did not match the filter)."""
    attempted_through: int
    """The highest sequence ever sent: at or below it an event may have reached the receiver already."""

    @property
    def node(self) -> str:
        return str(ID[f"webhook/{self.id}"])

    def as_json(self, *, secret: bool = False) -> dict[str, object]:
        found: dict[str, object] = {
            "id": self.id,
            "url": self.url,
            "created": self.created,
            "filter": self.filter.as_json(),
            "deliveredThrough": self.delivered_through,
        }
        if secret:
            found["secret"] = self.secret
        return found


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver one commit to one webhook."""

    sequence: int
    attempt: int
    at: str
    status: str
    """``delivered``, ``failed`` (another answer, or none in time) or ``refused`` (host not allowed)."""
    redelivery: bool
    http_status: int | None = None
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "sequence": self.sequence,
            "attempt": self.attempt,
            "at": self.at,
            "status": self.status,
            "redelivery": self.redelivery,
            "httpStatus": self.http_status,
            "error": self.error,
        }


def allowed(url: str, hosts: Sequence[str]) -> str | None:
    """None when the operator's allow-list lets the service call ``url``, else why not (one line).

    An entry is a host name (any port) or ``host:port``; the URL must be
    ``http``/``https`` without user info. Checked when a webhook is registered
    and again before every delivery (the list may have shrunk since).
    """
    if len(url) > MAX_URL:
        return f"the URL is longer than {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the URL must be http:// or https:// with a host"
    if parts.username is not None or parts.password is not None:
        return "the URL must not carry a user name or password"
    if not hosts:
        return "no webhook host is allowed: the operator sets webhook_hosts (STACKATLAS_WEBHOOK_HOSTS)"
    host = parts.hostname.lower()
    port = port or (443 if parts.scheme == "https" else 80)
    for entry in hosts:
        name, _, only = entry.lower().rpartition(":") if entry.count(":") == 1 else (entry.lower(), "", "")
        if name == host and (not only or only == str(port)):
            return None
    return f"the host {host}:{port} is not in the operator's webhook allow-list (webhook_hosts)"


def _checked_filter(vendors: Iterable[str], certifications: Iterable[str], kinds: Iterable[str]) -> Filter:
    clean = Filter(tuple(sorted(set(vendors))), tuple(sorted(set(certifications))), tuple(sorted(set(kinds))))
    for what, values, pattern in (
        ("vendor", clean.vendors, _SLUG),
        ("certification", clean.certifications, _SLUG),
        ("kind", clean.kinds, _KIND),
    ):
        for value in values:
            if not pattern.match(value):
                raise InputError(f"filter {what} {value!r}: not a valid {what} id")
    return clean


def register(
    store: Store,
    url: str,
    hosts: Sequence[str],
    *,
    vendors: Iterable[str] = (),
    certifications: Iterable[str] = (),
    kinds: Iterable[str] = (),
    after: int,
) -> Webhook:
    """Register ``url``; it receives the commits after sequence ``after`` (the latest at registration)."""
    refused = allowed(url, hosts)
    if refused is not None:
        raise InputError(f"webhook {url!r} refused: {refused}")
    wanted = _checked_filter(vendors, certifications, kinds)
    ident = uuid.uuid4().hex[:12]
    secret = "whsec_" + secrets.token_urlsafe(32)
    graph, node = _n(WEBHOOKS_GRAPH), _n(ID[f"webhook/{ident}"])
    created = _now()

    def q(p: object, o: ox.NamedNode | ox.Literal) -> Quad:
        return ox.Quad(node, _n(p), o, graph)

    quads = [
        ox.Quad(graph, _n(PROV.wasAttributedTo), _n(SERVICE_AGENT), graph),
        q(RDF.type, _n(SA.Webhook)),
        q(SA.webhookUrl, ox.Literal(url)),
        q(SA.webhookSecret, ox.Literal(secret)),
        q(DCTERMS.created, created),
        q(SA.deliveredThrough, _int(after)),
        q(SA.attemptedThrough, _int(after)),
    ]
    quads += [q(SA.filterVendor, _n(vendor_iri(v))) for v in wanted.vendors]
    quads += [q(SA.filterCertification, _n(certification_iri(c))) for c in wanted.certifications]
    quads += [q(SA.filterKind, ox.Literal(k)) for k in wanted.kinds]
    store.commit(ChangeSet.of(quads), {}, None)
    return Webhook(ident, url, secret, created.value, wanted, after, after)


def webhooks(store: Store) -> list[Webhook]:
    """Every registered webhook, oldest first."""
    filters: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.system_select(queries.FILTERS):
        p, value = str(row["p"]), str(row["value"])
        if p == str(SA.filterVendor):
            filters[str(row["webhook"])]["vendors"].append(slug_of(value) or value)
        elif p == str(SA.filterCertification):
            filters[str(row["webhook"])]["certifications"].append(slug_of(value, "certification") or value)
        else:
            filters[str(row["webhook"])]["kinds"].append(value)
    found = []
    for row in store.system_select(queries.WEBHOOKS):
        node = str(row["webhook"])
        f = filters.get(node, {})
        found.append(
            Webhook(
                id=node.rsplit("/", 1)[-1],
                url=str(row["url"]),
                secret=str(row["secret"]),
                created=str(row["created"]),
                filter=Filter(
                    tuple(sorted(f.get("vendors", []))),
                    tuple(sorted(f.get("certifications", []))),
                    tuple(sorted(f.get("kinds", []))),
                ),
                delivered_through=int(str(row["delivered"] or 0)),
                attempted_through=int(str(row["attempted"] or 0)),
            )
        )
    return found


def webhook(store: Store, ident: str) -> Webhook:
    for found in webhooks(store):
        if found.id == ident:
            return found
    raise NotFound(f"no webhook {ident!r} (`stackatlas webhook list` or GET /webhooks lists them)")


def _owned(quads: Iterable[Quad], node: ox.NamedNode) -> list[Quad]:
    """The webhook's own quads and those of its delivery log."""
    found = list(quads)
    deliveries = {q.subject for q in found if q.predicate == _n(SA.deliveryOf) and q.object == node}
    return [q for q in found if q.subject == node or q.subject in deliveries]


def remove(store: Store, ident: str) -> None:
    """Forget the webhook, its cursor and its delivery log; nothing is sent to it any more."""
    node = _n(ID[f"webhook/{ident}"])
    quads = _owned(store.graph_quads([str(WEBHOOKS_GRAPH)]), node)
    if not any(q.predicate == _n(RDF.type) for q in quads if q.subject == node):
        raise NotFound(f"no webhook {ident!r} (`stackatlas webhook list` or GET /webhooks lists them)")
    store.commit(ChangeSet.of(removed=quads), {}, None)


def deliveries(store: Store, ident: str, limit: int = 100) -> list[Delivery]:
    """The webhook's delivery log, newest first."""
    node = webhook(store, ident).node
    rows = store.system_select(queries.deliveries(limit), {"webhook": iri(node)})
    return [
        Delivery(
            sequence=int(r["sequence"]),  # type: ignore[arg-type]
            attempt=int(r["attempt"]),  # type: ignore[arg-type]
            at=str(r["at"]),
            status=str(r["status"]),
            redelivery=bool(r["redelivery"]),
            http_status=int(r["code"]) if r.get("code") is not None else None,  # type: ignore[arg-type]
            error=str(r["error"]) if r.get("error") is not None else None,
        )
        for r in rows
    ]


@dataclass
class Progress:
    """What one dispatch round did for one webhook: recorded in one commit."""

    webhook: Webhook
    attempted_through: int | None = None
    delivered_through: int | None = None
    log: list[Delivery] = field(default_factory=list)


def attempts(store: Store, hook: Webhook) -> dict[int, int]:
    """How many attempts of each commit to this webhook the log holds (the next attempt's number follows)."""
    current = store.graph_quads([str(WEBHOOKS_GRAPH)])
    mine = _entries(current, _n(hook.node))
    counts: dict[int, int] = defaultdict(int)
    for quad in current:
        if quad.subject in mine and quad.predicate == _n(SA.deliveredSequence):
            counts[int(_text(quad.object))] += 1
    return counts


def _entries(current: list[Quad], node: ox.NamedNode) -> set[object]:
    return {q.subject for q in current if q.predicate == _n(SA.deliveryOf) and q.object == node}


def record(store: Store, progress: Progress, keep: int) -> None:
    """Move the webhook's marks and append its log entries in one commit; the oldest entries beyond
    ``keep`` are dropped so the graph (rewritten whole by each commit) stays small."""
    hook = progress.webhook
    graph, node = _n(WEBHOOKS_GRAPH), _n(hook.node)
    current = store.graph_quads([graph.value])
    if not any(q.subject == node and q.predicate == _n(RDF.type) for q in current):
        return  # removed while it was being delivered to: nothing to record
    added: list[Quad] = []
    removed: list[Quad] = []
    for mark, value in (
        (SA.attemptedThrough, progress.attempted_through),
        (SA.deliveredThrough, progress.delivered_through),
    ):
        if value is None:
            continue
        removed += [q for q in current if q.subject == node and q.predicate == _n(mark)]
        added.append(ox.Quad(node, _n(mark), _int(value), graph))
    for entry in progress.log:
        # unique even when trimming the log let an attempt number come round again
        d = _n(ID[f"webhook/{hook.id}/delivery/{entry.sequence}-{entry.attempt}-{uuid.uuid4().hex[:8]}"])

        def q(p: object, o: ox.NamedNode | ox.Literal, d: ox.NamedNode = d) -> Quad:
            return ox.Quad(d, _n(p), o, graph)

        added += [
            q(RDF.type, _n(SA.Delivery)),
            q(SA.deliveryOf, node),
            q(SA.deliveredSequence, _int(entry.sequence)),
            q(SA.attempt, _int(entry.attempt)),
            q(PROV.endedAtTime, ox.Literal(entry.at, datatype=_n(XSD.dateTime))),
            q(SA.deliveryStatus, ox.Literal(entry.status)),
            q(SA.redelivery, ox.Literal("true" if entry.redelivery else "false", datatype=_n(XSD.boolean))),
        ]
        if entry.http_status is not None:
            added.append(q(SA.httpStatus, _int(entry.http_status)))
        if entry.error:
            added.append(q(SA.deliveryError, ox.Literal(entry.error)))
    removed += _overflow(current, node, keep - len(progress.log))
    store.commit(ChangeSet.of(added, removed), {}, None)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, ox.Literal) else str(term)


def _overflow(current: list[Quad], node: ox.NamedNode, room: int) -> list[Quad]:
    """The quads of the webhook's oldest log entries beyond ``room``."""
    mine = _entries(current, node)
    stamped = sorted(
        (_text(q.object), str(q.subject))
        for q in current
        if q.subject in mine and q.predicate == _n(PROV.endedAtTime)
    )
    drop = {name for _, name in stamped[: max(0, len(stamped) - max(room, 0))]}
    return [q for q in current if str(q.subject) in drop]
