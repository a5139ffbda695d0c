"""What data may become when it is written into HTML, SVG, XML, DOT or CSV.

Validation (``shapes/``) refuses unsafe data, but a server started with
``--allow-invalid`` serves it anyway; these helpers are the second line, used
by every writer whatever the data says:

* :func:`safe_href` lets only ``http``/``https``/``urn`` IRIs and local paths
  become links (no ``javascript:``, ``data:`` …);
* :func:`xml_text` drops what XML 1.0 cannot carry (control characters, lone
  surrogates), so GraphML and SVG stay well-formed;
* :func:`csv_cell` keeps a spreadsheet from reading a cell as a formula;
* :func:`bounded` caps a label's length for formats that choke on long ones.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "urn"})
BLOCKED_HREF = "#unsafe-link"
"""What an unsafe link becomes: a dead fragment on the same page."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_href(value: object) -> str:
    """``value`` if a browser may follow it as a link, else :data:`BLOCKED_HREF`.

    Local paths (``/id/…``, ``#section``, ``?q=``) and absolute IRIs with a safe
    scheme pass; anything else, including schemes hidden behind whitespace or
    control characters that browsers strip, does not.
    """
    text = str(value)
    if text.startswith(("/", "#", "?")) and not text.startswith("//"):
        return text if not _NOT_XML.search(text) else BLOCKED_HREF
    match = _SCHEME.match(text)
    if match and match.group(1).lower() in SAFE_SCHEMES and text.isprintable() and " " not in text:
        return text
    return BLOCKED_HREF


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (each becomes U+FFFD)."""
    return _NOT_XML.sub("\ufffd", value)


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def bounded(value: str, limit: int = 1000) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"
