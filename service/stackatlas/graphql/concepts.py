"""Client-given codes (layer "L3", certification "HIPAA_BAA") resolved against the data's vocabularies."""

from __future__ import annotations

import difflib

from ..readmodel import Concepts
from .errors import UserError


def resolve(concepts: Concepts, code: str, scheme_prefix: str, what: str) -> str:
    """The IRI of the concept with this code in the scheme, or a UserError listing the codes."""
    found = concepts.find(code, scheme_prefix)
    if found is not None:
        return found.iri
    known = [c.notation for c in concepts.in_scheme(scheme_prefix) if c.notation]
    close = difflib.get_close_matches(code, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UserError(f"unknown {what} {code!r}{hint} Known: {', '.join(known)}.")
