"""The feed page as JSON lines or as an Atom feed (RFC 4287).

JSON lines: one commit per line, the object of :meth:`Entry.as_json`. Atom:
one ``<entry>`` per commit (id: the commit's IRI; title: the writer's message;
author: the token's name; one ``<category>`` per change kind; content: the
changes in the catalog's words, one per line) and a ``rel="next"`` link that
asks for the commits after the page. ElementTree writes the XML, so every
text is escaped by the library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from .. import __version__
from ..vocab import BASE
from .entries import Page

_ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = f"{BASE}changes"


def json_lines(page: Page) -> bytes:
    return b"".join(json.dumps(e.as_json(), ensure_ascii=False).encode() + b"\n" for e in page.entries)


def next_link(path: str, page: Page, params: Mapping[str, str | None]) -> str:
    """The URL (path and query) of the page after ``page``: the same filters, ``since`` its cursor."""
    query = {k: v for k, v in params.items() if v is not None and k != "since"}
    return f"{path}?{urlencode({'since': str(page.cursor), **query})}"


def atom(page: Page, self_url: str, next_url: str) -> bytes:
    ET.register_namespace("", _ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{_ATOM}}}feed")
    el(feed, "id", FEED_ID)
    el(feed, "title", "stackatlas: changes to the catalog")
    updated = page.entries[-1].record.at if page.entries else datetime.now(UTC)
    el(feed, "updated", updated.isoformat())
    el(feed, "generator", "stackatlas", version=__version__)
    el(feed, "link", rel="self", href=self_url)
    el(feed, "link", rel="next", href=next_url)
    for found in page.entries:
        r = found.record
        entry = el(feed, "entry")
        el(entry, "id", r.iri)
        el(entry, "title", f"#{r.sequence}: {r.message}")
        el(entry, "updated", r.at.isoformat())
        author = el(entry, "author")
        el(author, "name", r.by)
        for kind in sorted({c.kind for c in found.changes}):
            el(entry, "category", term=kind)
        el(entry, "content", "\n".join(c.text for c in found.changes), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
