"""SPARQL of the GraphQL root fields that are not "read these vendors" (lists, filters, paths).

Client values (a search string, a layer or certification resolved to its IRI)
reach these queries only as bound variables, which the queries project
because pyoxigraph substitutes projected variables only; lists of IRIs go in
through :func:`~stackatlas.store.terms.values_clause`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...vocab import sparql_prologue
from ..terms import Term, values_clause

PROLOGUE = sparql_prologue()

IS_VENDOR = "?v a/rdfs:subClassOf* sa:Vendor ."

FRAMEWORK_VARIABLES = ("inpact", "goals")
"""Sort keys :func:`vendor_list` returns: the assessment total under the framework bound to ``?fw_<name>``."""


def vendor_list(*, layer: bool, search: bool, frameworks: Iterable[str]) -> str:
    """Named vendors with their sort keys; bind ``?layer``, ``?search`` and ``?fw_<framework>`` when used."""
    lines = [IS_VENDOR, "?v skos:prefLabel ?name ."]
    select = ["?v", "?name"]
    if layer:
        lines.append("?v sa:layer ?layer .")
        select.append("?layer")
    if search:
        lines.append(
            "FILTER EXISTS { ?v skos:prefLabel|skos:altLabel ?label . "
            "FILTER(CONTAINS(LCASE(STR(?label)), LCASE(?search))) }"
        )
        select.append("?search")
    for var in frameworks:
        if var not in FRAMEWORK_VARIABLES:
            raise ValueError(f"unknown framework variable {var!r}")
        select += [f"?{var}", f"?fw_{var}"]
        lines.append(
            f"OPTIONAL {{ ?v sa:assessment ?a_{var} . ?a_{var} sa:framework ?fw_{var} ; sa:total ?{var} }}"
        )
    return PROLOGUE + f"SELECT DISTINCT {' '.join(select)} WHERE {{ {' '.join(lines)} }}"


_HELD = (
    "?v sa:complianceClaim ?claim . ?claim sa:certification ?cert ; "
    'sa:claimOffering ?offering ; sa:status ?status . ?status skos:notation "HELD" .'
)

HOLDERS = PROLOGUE + f"SELECT DISTINCT ?v ?cert WHERE {{ {_HELD} }}"
"""Every vendor with a HELD claim for the certification bound to ``?cert``."""


def keep(vendors: Iterable[Term], *, layer: bool, certification: bool) -> str:
    """The given vendors in the layer bound to ``?layer`` that hold the certification bound to ``?cert``.

    Asked of a known set of vendors (VALUES first) rather than as a FILTER EXISTS
    inside a larger query: the store then starts from the few vendors instead of
    from every claim, which is what keeps a filtered query fast at 10k vendors.
    """
    lines = [values_clause("v", vendors)]
    select = ["?v"]
    if layer:
        lines.append("?v sa:layer ?layer .")
        select.append("?layer")
    if certification:
        lines.append(_HELD)
        select.append("?cert")
    return PROLOGUE + f"SELECT DISTINCT {' '.join(select)} WHERE {{ {' '.join(lines)} }}"


def layer_members(layers: Iterable[Term]) -> str:
    """Vendors placed in each of the layers (their own sa:layer)."""
    return (
        PROLOGUE
        + f"SELECT DISTINCT ?t ?v WHERE {{ {values_clause('t', layers)} ?v sa:layer ?t . {IS_VENDOR} }}"
    )


def integration_edges(frontier: list[Term]) -> str:
    """Integrations touching the frontier in either direction (one level of a breadth-first search)."""
    return PROLOGUE + (
        "SELECT DISTINCT ?rel ?s ?t WHERE { "
        f"{{ {values_clause('s', frontier)} ?s sa:integration ?rel . ?rel sa:integrationTarget ?t }} UNION "
        f"{{ {values_clause('t', frontier)} ?s sa:integration ?rel . ?rel sa:integrationTarget ?t }} }}"
    )
