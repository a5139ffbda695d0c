"""Linked data: every IRI under ``https://w3id.org/stackatlas/id/`` answers at ``/id/…``.

Content negotiation (the shared :mod:`stackatlas.negotiation`) picks HTML for
browsers, or Turtle, JSON-LD or N-Triples for RDF clients; ``?format=ttl``
does the same for links. The RDF is the resource's own triples and, for a
vendor, those of its sub-resources (``id/vendor/dagster/risk-1`` …), so one
request gets the whole analysis. An unknown id gets a 404 page with a search
box and the closest known ids. ``?asOf=`` (a date, a commit number or a
release tag) shows a vendor as it was then (docs/history.md).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from .. import formats
from ..dependencies import SettingsDep, StoreDep
from ..errors import InputError
from ..export.formats import MAP_FORMATS
from ..export.graph import serialise_triples
from ..history import asof
from ..negotiation import negotiate
from ..readmodel.freshness import vendor_freshness
from ..store import OxigraphStore, Store, terms
from ..store.audit import vendor_of_node
from ..store.queries import linked_data as queries
from ..vocab import ID, SCHEMA
from . import catalog
from .sources import copy_of, copy_urls
from .templating import render

router = APIRouter(tags=["linked data"])


# Characters allowed in an id path (those of an IRI path); anything else names no resource. The IRI
# reaches queries as a bound term, so this is a cheap early 404, not what keeps queries safe.
_PATH = re.compile(r"^[A-Za-z0-9._~:@!$'()*+,;=%/-]+$")


def resource_triples(store: Store, iri: str, with_parts: bool) -> bytes:
    """N-Triples of the resource (and of its sub-resources when ``with_parts``)."""
    if with_parts:
        return store.construct(
            queries.RESOURCE_WITH_PARTS,
            bindings={"this": terms.iri(iri), "parts": terms.literal(f"{iri}/")},
        )
    return store.construct(queries.RESOURCE, bindings={"this": terms.iri(iri)})


@router.get("/id/", include_in_schema=False)
async def id_root() -> RedirectResponse:
    return RedirectResponse("/", status_code=303)


@router.get("/id/{path:path}")
async def resource(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The resource ``https://w3id.org/stackatlas/id/{path}`` as HTML, Turtle, JSON-LD or N-Triples."""
    media_type = negotiate(
        request.headers.get("accept"),
        formats.LINKED_DATA,
        format_param=request.query_params.get("format"),
        aliases=formats.LINKED_DATA_ALIASES,
    )
    iri = f"{ID}{path}"
    headers = {"Vary": "Accept"}
    when = request.query_params.get("asOf")
    if when is not None and _PATH.match(path):
        store, headers["X-Stackatlas-As-Of"] = await _as_of(store, iri, when)
    known = bool(_PATH.match(path)) and await store.run(catalog.exists, store, iri)
    if not known:
        return await _not_found(request, store, path, media_type, headers)
    is_vendor = await store.run(catalog.is_catalog_vendor, store, iri)
    if media_type in (formats.HTML, formats.XHTML):
        if is_vendor:
            page = await store.run(catalog.vendor, store, iri)
            pages = [s.page for s in page.record.sources if s.page]
            copies = await store.run(copy_urls, store, settings, pages)
            fresh = vendor_freshness(page.core, page.record.sources, settings.stale_after_days)
            return render(
                request,
                "vendor.html",
                headers=headers,
                v=page,
                map_formats=MAP_FORMATS,
                copies=copies,
                fresh=fresh,
                stale_after_days=settings.stale_after_days,
            )
        label = await store.run(catalog.label_of, store, iri)
        rows = await store.run(catalog.statements, store, iri)
        refs = await store.run(catalog.referrers, store, iri)
        sources = await store.run(catalog.sources_of, store, iri)
        pages = [str(s["page"]) for s in sources if s["page"]]
        copies = await store.run(copy_urls, store, settings, [iri, *pages])
        return render(
            request,
            "resource.html",
            headers=headers,
            iri=iri,
            label=label,
            statements=rows,
            referrers=refs,
            sources=sources,
            copies=copies,
        )
    fmt = formats.RDF_BY_MEDIA_TYPE[media_type]
    ntriples = await store.run(resource_triples, store, iri, is_vendor)
    copy = None if is_vendor else await store.run(copy_of, store, settings, iri)
    if copy is not None:
        # where the copy is served depends on the deployment, so it is said in the response, not stored
        archived = terms.iri(str(request.url_for("source_copy", name=copy.name)))
        ntriples += f"{terms.iri(iri)} {terms.iri(SCHEMA.archivedAt)} {archived} .\n".encode()
    body = await store.run(serialise_triples, ntriples, fmt)
    return Response(body, media_type=media_type, headers=headers)


async def _as_of(store: Store, iri: str, when: str) -> tuple[Store, str]:
    """A scratch store holding the vendor ``iri`` belongs to as it was at ``when`` (docs/history.md)."""
    vendor = vendor_of_node(iri)
    if vendor is None:
        raise InputError(f"asOf applies to vendors and their parts (/id/vendor/…), not to {iri}")

    def build() -> tuple[Store, str]:
        point = asof.resolve(store, when, vendor=vendor)
        # a vendor that did not exist yet reads from an empty store: the ordinary 404
        past = asof.vendor_store(store, vendor, point) or OxigraphStore()
        return past, f"{point.label} (commit {point.sequence})"

    return await store.run(build)


async def _not_found(
    request: Request, store: Store, path: str, media_type: str, headers: dict[str, str]
) -> Response:
    closest = await store.run(catalog.closest_ids, store, path) if _PATH.match(path) else []
    if media_type in (formats.HTML, formats.XHTML):
        words = " ".join(re.split(r"[/_.-]+", path.rsplit("/", 1)[-1])).strip()
        return render(
            request,
            "not_found.html",
            status_code=404,
            headers=headers,
            iri=f"{ID}{path}",
            closest=closest,
            query=words,
        )
    lines = [f"not found: no resource {ID}{path}"]
    lines += [f"did you mean {iri}" for iri in closest]
    return PlainTextResponse("\n".join(lines) + "\n", status_code=404, headers=headers)
