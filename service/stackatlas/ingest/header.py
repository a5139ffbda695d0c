"""Resolve the header line, which the scraped page runs together without separators.

"L7 — Multi-Agent Orchestration Workflow Orchestration Free (OSS) / Dagster
Cloud Apache-2.0 · OSS" is layer code, layer name, category, pricing and
licence in a row. The layer scheme gives the possible layer names, the
category scheme the categories, the SPDX list the licences; pricing is what
is left between the category and the licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Catalog
from .errors import PageError
from .page import HEADER, Line, Page

SPDX_IDS = frozenset(
    [
        "0BSD",
        "AFL-3.0",
        "AGPL-3.0",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "Apache-1.1",
        "Apache-2.0",
        "APSL-2.0",
        "Artistic-2.0",
        "BlueOak-1.0.0",
        "BSD-1-Clause",
        "BSD-2-Clause",
        "BSD-2-Clause-Patent",
        "BSD-3-Clause",
        "BSD-3-Clause-Clear",
        "BSD-4-Clause",
        "BSL-1.0",
        "BUSL-1.1",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "CDDL-1.0",
        "CDDL-1.1",
        "CPAL-1.0",
        "CPL-1.0",
        "ECL-2.0",
        "EFL-2.0",
        "Elastic-2.0",
        "EPL-1.0",
        "EPL-2.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "GPL-2.0",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "ISC",
        "LGPL-2.0-only",
        "LGPL-2.1",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "MIT",
        "MIT-0",
        "MPL-1.1",
        "MPL-2.0",
        "MPL-2.0-no-copyleft-exception",
        "MS-PL",
        "MS-RL",
        "NCSA",
        "ODbL-1.0",
        "OFL-1.1",
        "OpenSSL",
        "OSL-3.0",
        "PostgreSQL",
        "PSF-2.0",
        "Python-2.0",
        "SSPL-1.0",
        "Unlicense",
        "UPL-1.0",
        "Vim",
        "W3C",
        "Zlib",
        "ZPL-2.1",
    ]
)
"""SPDX licence identifiers the catalog's pages may state (a curated subset of spdx.org/licenses)."""

_OSS_MARK = re.compile(r"\s*[·•|]\s*OSS\s*$")


@dataclass(frozen=True)
class Header:
    layer: str
    category_iri: str
    category: str
    pricing: str | None
    licence: str
    open_source: bool
    line: Line


def resolve_header(page: Page, catalog: Catalog) -> Header:
    line = page.header
    match = HEADER.match(line.text)
    assert match  # read_page checked it
    layer = f"L{match.group(1)}"
    if layer not in catalog.layers:
        known = ", ".join(sorted(catalog.layers)) or "none"
        raise PageError(page.path, line.number, f"header: unknown layer {layer} (the layer scheme has {known})")
    rest = match.group(2).strip()
    for name in sorted(catalog.layers[layer], key=len, reverse=True):
        if rest.startswith(name + " "):
            rest = rest[len(name) :].lstrip()
            break
    category = next(
        (name for name in sorted(catalog.categories, key=len, reverse=True) if rest.startswith(name)), None
    )
    if category is None:
        raise PageError(
            page.path,
            line.number,
            f"header: no known category at {rest[:40]!r} (add it to the category scheme, vocab/categories.ttl)",
        )
    rest = rest[len(category) :].strip()
    open_source = bool(_OSS_MARK.search(rest))
    rest = _OSS_MARK.sub("", rest).strip()
    pricing, _, licence = rest.rpartition(" ")
    if licence not in SPDX_IDS:
        raise PageError(
            page.path,
            line.number,
            f"header: unknown licence {licence!r} (expected an SPDX id such as Apache-2.0)",
        )
    return Header(
        layer, catalog.categories[category], category, pricing.strip() or None, licence, open_source, line
    )
