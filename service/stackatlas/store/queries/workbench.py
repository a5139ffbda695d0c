"""SPARQL of the workbench (:mod:`stackatlas.workbench`): the context a vendor's own graphs are validated in."""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import sparql_prologue
from ..terms import Term, values_clause

PROLOGUE = sparql_prologue()


def named_vendor_context(vendors: Iterable[Term]) -> str:
    """Types, names and layers of the vendors a page names: what shapes about references look at.

    Validating a vendor's own graphs alone would report every vendor it names
    as untyped; these statements stand in for the rest of the catalog.
    """
    return PROLOGUE + (
        "CONSTRUCT { ?v a ?type ; skos:prefLabel ?label ; sa:layer ?layer } WHERE { "
        f"{values_clause('v', vendors)} ?v a ?type . "
        "OPTIONAL { ?v skos:prefLabel ?label } OPTIONAL { ?v sa:layer ?layer } }"
    )
