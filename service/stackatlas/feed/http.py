"""``GET /changes``: the change feed a client polls with the last cursor it was given.

JSON lines or Atom, chosen through the formats registry (``Accept`` or
``?format=jsonl|atom``). The answer's ``Stackatlas-Cursor`` header (and the
Atom feed's ``rel="next"`` link) is what to send as ``since`` next time; it
moves past commits a filter left out, so a filtered client does not read
them again. ``Stackatlas-More: true`` says the page was full: ask again now.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import formats
from ..dependencies import StoreDep
from ..errors import InputError
from ..negotiation import negotiate
from ..vocab import slug_of, vendor_iri
from . import entries, render

router = APIRouter(tags=["changes"])

CURSOR_HEADER = "Stackatlas-Cursor"


def vendor_filter(vendor: str | None) -> str | None:
    """The vendor IRI a ``vendor`` slug names (slugs only: a filter never takes a URL)."""
    if vendor is None:
        return None
    iri = str(vendor_iri(vendor))
    if slug_of(iri) != vendor:
        raise InputError(f"vendor {vendor!r}: give the vendor's id (slug), e.g. dagster")
    return iri


@router.get("/changes")
async def changes(
    request: Request,
    store: StoreDep,
    since: str | None = None,
    vendor: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> Response:
    """The commits after ``since`` (a cursor; none: from the first), oldest first, with their changes."""
    media_type = formats.canonical(
        negotiate(
            request.headers.get("accept"),
            formats.with_synonyms(formats.FEED),
            format_param=request.query_params.get("format"),
            aliases=formats.FEED_ALIASES,
        )
    )
    start = entries.parse_cursor(since)
    entries.check_kind(kind)
    entries.check_limit(limit)
    vendor_iri_ = vendor_filter(vendor)
    page = await store.run(lambda: entries.page(store, start, limit, vendor=vendor_iri_, kind=kind))
    params = {"vendor": vendor, "kind": kind, "limit": str(limit) if limit != 100 else None}
    if "format" in request.query_params:
        params["format"] = request.query_params["format"]
    next_url = render.next_link(request.url.path, page, params)
    headers = {
        CURSOR_HEADER: str(page.cursor),
        "Stackatlas-More": "true" if page.more else "false",
        "Link": f'<{next_url}>; rel="next"',
        "Vary": "Accept",
        "Cache-Control": "no-cache",
    }
    if media_type == formats.ATOM:
        body = render.atom(page, str(request.url), str(request.base_url).rstrip("/") + next_url)
        return Response(body, media_type=formats.ATOM, headers=headers)
    return Response(render.json_lines(page), media_type=formats.JSON_LINES, headers=headers)
