"""HTTP content negotiation shared by every route that offers several formats.

Werkzeug's Accept parser does the RFC 9110 work (q-values, wildcards); this
module only adds the two rules all our routes follow: an explicit ``format``
parameter (for links, where no Accept header can be set) wins, and a missing
Accept header means the first offered type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


class NotAcceptable(Exception):
    """No offered media type satisfies the request; carries what was offered (406)."""

    def __init__(self, requested: str, offered: Sequence[str]) -> None:
        self.requested = requested
        self.offered = list(offered)
        super().__init__(f"cannot produce {requested!r}; available: {', '.join(self.offered)}")


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
    match = parse_accept_header(accept, MIMEAccept).best_match(offered)
    if match is None:
        raise NotAcceptable(accept, offered)
    return match
