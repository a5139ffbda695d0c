"""HMAC-SHA256 signatures of webhook events, and how a receiver checks them.

The header is ``Stackatlas-Signature: t=<unix seconds>,v1=<hex>``, where the
hex is ``HMAC-SHA256(secret, "<t>." + body)`` over the exact bytes of the
request body. Signing the timestamp with the body lets a receiver refuse a
replayed request older than a few minutes; comparing in constant time keeps
the secret from leaking through timing. ``docs/webhooks.md`` shows the
same recipe for receivers written without stackatlas.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Stackatlas-Signature"
TOLERANCE = 300
"""Seconds a receiver should accept between the signed timestamp and its own clock."""


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Stackatlas-Signature`` header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE, now: float | None = None
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and its timestamp is within ``tolerance``."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
