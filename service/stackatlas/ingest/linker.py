"""Link the tools a page names to the catalog's vendors, by name or alias.

Matching is case-sensitive and on word boundaries, longest name first, so
"AWS GovCloud" is not read as "AWS" and "temporal" (an adjective) is not
Temporal. A name the catalog does not know can only be recognised where the
page's structure says it is a tool (an alternative's heading); there it
becomes a stub vendor, listed in the report for a curator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocab import vendor_iri
from .catalog import Catalog


def slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@dataclass
class Linker:
    catalog: Catalog
    own: str
    """IRI of the page's own vendor, never linked to itself."""
    stubs: dict[str, str] = field(default_factory=dict)
    """Stub vendor IRI → the name the page gives it."""

    def __post_init__(self) -> None:
        self._own_names = [n for n, iri in self.catalog.vendor_names.items() if iri == self.own]

    def named_in(self, text: str) -> list[str]:
        """Vendor IRIs the text names, in order of first appearance."""
        if not text:
            return []
        index = self.catalog.name_index()
        names = self.catalog.vendor_names
        # certification and category names are in the index too, so that "Data Quality" is not read as "Data"
        found = [names[name] for _, name in index.find(text, exclude=self._own_names) if name in names]
        return list(dict.fromkeys(found))

    def resolve(self, name: str) -> str:
        """The vendor a heading names; a stub vendor when the catalog has none by that name."""
        known = self.catalog.vendor_for(name)
        if known:
            return known
        iri = str(vendor_iri(slugify(name)))
        if iri in self.catalog.vendor_labels and iri != self.own:
            return iri
        self.stubs.setdefault(iri, name)
        return iri
