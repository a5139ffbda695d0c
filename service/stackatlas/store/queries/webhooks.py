"""Queries of the webhook registry and delivery log, kept in the system graph ``graph/system/webhooks``.

They name a system graph, so they run through ``Store.system_select`` (never
for user input); the webhook and anything else a caller picks arrive as bound
terms.
"""

from __future__ import annotations

from ...vocab import WEBHOOKS_GRAPH, sparql_prologue
from ..terms import iri, sparql_term

_GRAPH = sparql_term(iri(WEBHOOKS_GRAPH))

WEBHOOKS = (
    sparql_prologue()
    + f"""SELECT ?webhook ?url ?secret ?created ?delivered ?attempted WHERE {{
    GRAPH {_GRAPH} {{
        ?webhook a sa:Webhook ; sa:webhookUrl ?url ; sa:webhookSecret ?secret ; dcterms:created ?created .
        OPTIONAL {{ ?webhook sa:deliveredThrough ?delivered }}
        OPTIONAL {{ ?webhook sa:attemptedThrough ?attempted }}
    }}
}} ORDER BY ?created ?webhook"""
)
"""Every registered webhook with its cursor (last delivered commit) and the last commit ever attempted."""

FILTERS = (
    sparql_prologue()
    + f"""SELECT ?webhook ?p ?value WHERE {{
    VALUES ?p {{ sa:filterVendor sa:filterCertification sa:filterKind }}
    GRAPH {_GRAPH} {{ ?webhook a sa:Webhook ; ?p ?value }}
}}"""
)
"""The filter values of every webhook (vendors, certifications, change kinds)."""


def deliveries(limit: int) -> str:
    """The delivery log of ``?webhook`` (bind it), newest first."""
    return (
        sparql_prologue()
        + f"""SELECT ?webhook ?delivery ?sequence ?attempt ?at ?status ?code ?error ?redelivery WHERE {{
    GRAPH {_GRAPH} {{
        ?delivery sa:deliveryOf ?webhook ; sa:deliveredSequence ?sequence ; sa:attempt ?attempt ;
            prov:endedAtTime ?at ; sa:deliveryStatus ?status ; sa:redelivery ?redelivery .
        OPTIONAL {{ ?delivery sa:httpStatus ?code }}
        OPTIONAL {{ ?delivery sa:deliveryError ?error }}
    }}
}} ORDER BY DESC(?sequence) DESC(?attempt) LIMIT {int(limit)}"""
    )
