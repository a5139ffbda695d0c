"""Example queries for the catalog's main questions, preloaded in YASGUI and documented.

They are user-facing data rather than internal queries, but they are SPARQL
text, so they live with the other queries in the store layer. Each query body
uses prefixed names only; :func:`with_prologue` adds the PREFIX lines it needs
from :data:`stackatlas.vocab.PREFIXES`, so no namespace is spelt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...vocab import PREFIXES


@dataclass(frozen=True)
class Example:
    name: str
    body: str

    @property
    def query(self) -> str:
        return with_prologue(self.body)


def with_prologue(body: str) -> str:
    used = [p for p in PREFIXES if re.search(rf"(?<![\w:?$]){re.escape(p)}:", body)]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used) + "\n" + body


EXAMPLES = [
    Example(
        "Alternatives to Dagster with a HIPAA BAA",
        """\
# Vendors Dagster's page suggests as alternatives whose offerings hold a HIPAA BAA.
SELECT DISTINCT ?alternative ?name ?offering ?evidence WHERE {
  vendor:dagster sa:alternative/sa:alternativeVendor ?alternative .
  ?alternative skos:prefLabel ?name ;
               sa:complianceClaim ?claim .
  ?claim sa:certification cert:hipaa-baa ;
         sa:status sa:Held .
  OPTIONAL { ?claim sa:claimOffering ?offering }
  OPTIONAL { ?claim sa:evidence ?evidence }
}
ORDER BY ?name
""",
    ),
    Example(
        "L3 catalogs Dagster feeds, and how",
        """\
# Downstream integrations of Dagster whose target plays in layer L3, with the mechanism.
SELECT DISTINCT ?target ?name ?mechanism ?description WHERE {
  vendor:dagster sa:integration ?integration .
  ?integration sa:direction sa:Downstream ;
               sa:integrationTarget ?target .
  { ?integration sa:layer layer:L3 } UNION { ?target sa:layer layer:L3 }
  ?target skos:prefLabel ?name .
  OPTIONAL { ?integration sa:mechanism ?mechanism }
  OPTIONAL { ?integration sa:description ?description }
}
ORDER BY ?name
""",
    ),
    Example(
        "High-severity risks and their mitigation",
        """\
# Trust risks rated high, with what the page says to do about them.
SELECT ?vendorName ?risk ?description ?mitigation WHERE {
  ?vendor sa:trustRisk ?risk ;
          skos:prefLabel ?vendorName .
  ?risk sa:severity sa:High .
  OPTIONAL { ?risk sa:description ?description }
  OPTIONAL { ?risk sa:mitigation ?mitigation }
}
ORDER BY ?vendorName ?risk
""",
    ),
    Example(
        "Who integrates with DataHub",
        """\
# Vendors with a stated integration whose target is DataHub, and in which direction.
SELECT DISTINCT ?vendor ?name ?direction ?mechanism WHERE {
  ?vendor sa:integration ?integration ;
          skos:prefLabel ?name .
  ?integration sa:integrationTarget vendor:datahub .
  OPTIONAL { ?integration sa:direction/skos:prefLabel ?direction }
  OPTIONAL { ?integration sa:mechanism ?mechanism }
}
ORDER BY ?name
""",
    ),
    Example(
        "How Dagster and Marquez are connected",
        """\
# Every stated relation between the two vendors, in either direction.
SELECT ?from ?relation ?to ?node ?direction ?mechanism ?evidence WHERE {
  VALUES (?from ?to) { (vendor:dagster vendor:marquez) (vendor:marquez vendor:dagster) }
  {
    ?from sa:integration ?node . ?node sa:integrationTarget ?to .
    BIND("integration" AS ?relation)
    OPTIONAL { ?node sa:direction/skos:prefLabel ?direction }
    OPTIONAL { ?node sa:mechanism ?mechanism }
  } UNION {
    ?from sa:mention ?node . ?node sa:mentionedVendor ?to .
    BIND("mention" AS ?relation)
    OPTIONAL { ?node sa:evidence ?evidence }
  } UNION {
    ?from sa:alternative ?node . ?node sa:alternativeVendor ?to .
    BIND("alternative" AS ?relation)
  }
}
""",
    ),
]
