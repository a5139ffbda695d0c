"""HTTP content negotiation shared by every route that offers several formats.

Werkzeug's Accept parser does the RFC 9110 work (q-values, wildcards); this
module only adds the rules all our routes follow: an explicit ``format``
parameter (for links, where no Accept header can be set) wins, a missing
Accept header means the first offered type, and the header is cut to
:data:`MAX_ACCEPT` characters (at a comma) before it is parsed, so its cost on
the event loop is bounded whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import NotAcceptable

MAX_ACCEPT = 1024
"""Characters of an Accept header that are read; real browsers send under 300."""

__all__ = ["MAX_ACCEPT", "NotAcceptable", "negotiate"]


def bounded(accept: str) -> str:
    """The first :data:`MAX_ACCEPT` characters, cut back to the last whole media range."""
    if len(accept) <= MAX_ACCEPT:
        return accept
    head = accept[:MAX_ACCEPT]
    return head[: head.rfind(",")] if "," in head else head


def negotiate(
    accept: str | None,
    offered: Sequence[str],
    *,
    format_param: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """Pick the media type to answer with, or raise :class:`NotAcceptable`.

    ``aliases`` maps short ``format`` names (``json``, ``ttl``) to media types;
    a ``format`` may also be a media type itself.
    """
    if format_param:
        media_type = (aliases or {}).get(format_param.lower(), format_param)
        if media_type in offered:
            return media_type
        raise NotAcceptable(format_param, offered)
    if not accept or not accept.strip():
        return offered[0]
    match = parse_accept_header(bounded(accept), MIMEAccept).best_match(offered)
    if match is None:
        raise NotAcceptable(accept, offered)
    return match
