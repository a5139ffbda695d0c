"""Which commits a webhook wants, and the JSON event it is sent.

The event is the change feed's entry of the commit (``stackatlas.feed``: the
same fields, the same words) plus the delivery's own facts: which webhook,
which attempt, and whether it is a **redelivery** — an event at or below the
highest commit ever sent to this webhook, which the receiver may have seen
before (a previous attempt failed or was cut short). Receivers deduplicate on
``sequence``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pyoxigraph as ox

from ..feed.entries import Entry, entry
from ..history.describe import Change
from ..history.log import CommitRecord
from ..store import Store
from ..vocab import certification_iri, vendor_iri
from .registry import Webhook


def _mentions(record: CommitRecord, iris: frozenset[str]) -> bool:
    for quad in record.added | record.removed:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value in iris:
                return True
    return False


def matching(
    store: Store, hook: Webhook, record: CommitRecord, described: Callable[[CommitRecord], Sequence[Change]]
) -> Entry | None:
    """The commit's entry for this webhook, or None when its filter leaves nothing.

    Vendors: the commit touched one of them. Certifications: a quad it added
    or removed names one of them (a claim about it). Kinds: a change of one of
    them (and only those changes are sent). Several filters must all match.
    ``described`` gives the commit's changes (cached by the dispatcher for the round).
    """
    f = hook.filter
    vendors = frozenset(str(vendor_iri(v)) for v in f.vendors)
    if vendors and not vendors & set(record.vendors):
        return None
    if f.certifications and not _mentions(
        record, frozenset(str(certification_iri(c)) for c in f.certifications)
    ):
        return None
    return entry(store, record, vendors=vendors, kinds=f.kinds, described=described(record))


def event_body(hook: Webhook, found: Entry, attempt: int, redelivery: bool) -> bytes:
    """The JSON body of one delivery (UTF-8, keys in a fixed order: the bytes that are signed)."""
    event = {
        "type": "commit",
        "webhook": hook.id,
        **found.as_json(),
        "attempt": attempt,
        "redelivery": redelivery,
    }
    return json.dumps(event, ensure_ascii=False).encode()
