"""The catalog's main questions, as GraphQL: the tabs GraphiQL opens with (and docs/graphql.md's examples).

User-facing data, like the SPARQL examples of YASGUI; each is a complete query
that runs on the shipped catalog.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    name: str
    query: str


EXAMPLES: tuple[Example, ...] = (
    Example(
        "Dagster at a glance",
        """# A vendor's page: layer, licence, scores, claims per offering.
query DagsterAtAGlance {
  vendor(id: "dagster") {
    name
    layer { code name }
    license
    inpact { total max }
    goals { total max dimensions { code score adjustment cappedAt } }
    offerings { name kind claims { certification status evidence } }
  }
}
""",
    ),
    Example(
        "Who holds a HIPAA BAA?",
        """# Faceted list: vendors with an offering whose HIPAA BAA claim is HELD, with counts per facet.
query WhoHoldsAHipaaBaa {
  facetedVendors(certifications: [{certification: "HIPAA_BAA", statuses: [HELD]}]) {
    totalCount
    vendors { id name layer { code } }
    facets { name values { value count } }
  }
}
""",
    ),
    Example(
        "Search that forgives typos",
        """# "dagstr" still finds Dagster; words are matched in names and page texts.
query SearchThatForgivesTypos {
  facetedVendors(search: "dagstr lineage") { totalCount vendors { id name } }
}
""",
    ),
    Example(
        "A compliant stack",
        """# Stacks whose managed offerings hold a HIPAA BAA; UNKNOWN is never MET.
query ACompliantStack {
  stacks(requirements: {certifications: ["HIPAA_BAA"], layers: ["L7"]}) {
    combinations
    stacks {
      members { layer vendor { id name } outcomes { requirement outcome detail } }
      requirements { requirement outcome }
      risks { vendor { name } severity description mitigation }
      shareUrl
    }
  }
}
""",
    ),
    Example(
        "Integrations and alternatives",
        """# What Dagster connects to, and what it is compared with, both ways.
query IntegrationsAndAlternatives {
  vendor(id: "dagster") {
    integrations { target { id name } direction layer { code } mechanisms }
    alternatives { vendor { id name } rationale }
    alternativeOf { listedBy { id name } }
  }
}
""",
    ),
)
