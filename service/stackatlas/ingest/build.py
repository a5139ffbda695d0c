"""A parsed page → the triples of its vendor file, section by section.

Every value is the page's text, verbatim, or a structure the page states
(a score, a Y/N, a status); nothing is paraphrased and nothing is taken from
anywhere but the page. IRIs follow docs/model.md ("IRI conventions"), so the
same page always gives the same IRIs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NoReturn

from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD

from ..vocab import SA, SPDX_LICENSE, layer_iri, vendor_iri
from .catalog import Catalog, source_fallback
from .compliance import CertificationFinder, Claim, read_claims
from .errors import PageError
from .header import Header, resolve_header
from .linker import Linker, slugify
from .lists import Splitter, strip_marker
from .page import DASH, Line, Page, Section, joined
from .triples import Origin, Triples

_DIMENSION = re.compile(rf"^([A-Z])\s*{DASH}\s*(\S.*)$")
_SCORE = re.compile(r"^(\d+)\s*/\s*(\d+)$")
_CRITERION = re.compile(r"\b([A-Z]\d+)\s*=\s*([YN])\b")
_ADJUSTMENT = re.compile(r"(\d+)\s*/\s*(\d+)\s*(?:->|→)\s*(\d+)\b.*$")
_CAPPED = re.compile(r"\bcapped (?:to|at) (\d+)\b", re.IGNORECASE)
_CAP_NA = re.compile(r"\bCap rule N/?A\b", re.IGNORECASE)
_CAP_APPLIED = re.compile(r"\bCap rule applied\b", re.IGNORECASE)
_RISK = re.compile(r"^(high|medium|low)\s+(\S.*)$", re.IGNORECASE)
_FIT = re.compile(r"^(strong|weak)\s+(\S.*)$", re.IGNORECASE)
_IMPACT = re.compile(r"^(L\d+)\s+(\S.*)$")
_LEAD_IN = re.compile(r"^(Role|Upstream|Downstream|Mitigation)\s*:\s*(.*)$")
_VIEW = re.compile(r"^View analysis\b")
_FIRST_SENTENCE = re.compile(r"^(.*?[.!?])\s+(?=[A-Z\"“'])(.*)$", re.DOTALL)

SEVERITIES = {"high": SA.High, "medium": SA.Medium, "low": SA.Low}
FITS = {"strong": SA.StrongFit, "weak": SA.WeakFit}

INDUSTRY_FIT = ("Best suited for", "Compliance certifications", "Use with caution for")


@dataclass
class Built:
    slug: str
    vendor: str
    name: str
    graph: str
    triples: Triples
    stubs: dict[str, str] = field(default_factory=dict)

    @property
    def origins(self) -> dict[str, Origin]:
        return self.triples.origins

    @property
    def triple_sections(self) -> dict[tuple[str, str, str], str]:
        """(subject, predicate, object as N-Triples term) → the page section that stated it."""
        return {
            (t.subject.value, t.predicate.value, str(t.object)): block.section  # type: ignore[union-attr]
            for block in self.triples.blocks
            for t in block.triples
        }


class Builder:
    def __init__(self, page: Page, catalog: Catalog, graph: str, raw: bytes) -> None:
        self.page = page
        self.raw = raw
        self.catalog = catalog
        self.graph = graph
        self.name = page.title.text
        self.slug = slugify(self.name)
        self.me = str(vendor_iri(self.slug))
        self.base = f"{self.me}/"
        self.t = Triples()
        self.linker = Linker(catalog, self.me)
        self.splitter = Splitter(catalog.name_index())

    def part(self, key: str) -> str:
        return self.base + key

    def link_names(self, node: str, *texts: str | None) -> None:
        """sa:namesVendor for every catalog vendor the node's texts name."""
        for vendor in self.linker.named_in("\n".join(t for t in texts if t)):
            self.t.iri(node, str(SA.namesVendor), vendor)

    # -- sections ---------------------------------------------------------

    def build(self) -> Built:
        header = resolve_header(self.page, self.catalog)
        self.provenance()
        offerings = self.header(header)
        self.text_section("AI Analysis", str(SA.analysis))
        self.text_section("Trust Before Intelligence", str(SA.trustAnalysis))
        self.assessment("INPACT Score", "inpact", str(SA.INPACT))
        self.assessment("GOALS Score", "goals", str(SA.GOALS))
        self.items("AI-Identified Strengths", "strength", str(SA.strength), str(SA.Strength))
        self.items("AI-Identified Limitations", "limitation", str(SA.limitation), str(SA.Limitation))
        self.industry_fit(offerings)
        self.alternatives()
        self.integration()
        self.risks()
        self.use_cases()
        self.stack_impact()
        self.optional_items(
            "Watch For", "watch-for", str(SA.watchFor), str(SA.WatchForItem), str(SA.WatchForSection)
        )
        self.optional_items(
            "2-Week POC Checklist",
            "poc",
            str(SA.pocChecklistItem),
            str(SA.PocChecklistItem),
            str(SA.PocChecklistSection),
        )
        self.stubs()
        return Built(self.slug, self.me, self.name, self.graph, self.t, dict(self.linker.stubs))

    def provenance(self) -> None:
        """The file's own graph: the page it is derived from, the page's checksum and date.

        The time is the retrieval date of the page copy (from the source page's
        description), not the time of the run, so that re-ingesting an
        unchanged page writes a byte-identical file.
        """
        t, page = self.t, self.page
        t.section("provenance", page.title.number)
        source = self.catalog.sources.get(self.me)
        t.type(self.graph, str(SA.SourceGraph))
        t.iri(self.graph, str(PROV.wasDerivedFrom), source.iri if source else source_fallback(self.slug))
        t.text(self.graph, str(SA.sourceChecksum), f"sha256:{hashlib.sha256(self.raw).hexdigest()}")
        if source and source.retrieved_on:
            t.typed(
                self.graph, str(PROV.generatedAtTime), f"{source.retrieved_on}T00:00:00Z", str(XSD.dateTime)
            )
        if source is None:
            iri = source_fallback(self.slug)
            t.type(iri, str(SA.SourcePage))
            t.text(iri, str(DCTERMS.title), f"{self.name} — catalog analysis page", language="en")
            t.text(iri, str(SA.localCopy), page.path.name)
            t.iri(iri, str(DCTERMS.subject), self.me)

    def header(self, header: Header) -> dict[str, str]:
        t, me, page = self.t, self.me, self.page
        t.section("header", page.title.number)
        t.at(page.title.number)
        t.type(me, str(SA.CatalogEntry), str(SA.Vendor))
        t.text(me, str(SKOS.prefLabel), self.name)
        t.iri(me, str(SA.layer), str(layer_iri(header.layer)))
        t.iri(me, str(SA.category), header.category_iri)
        t.iri(me, str(SA.license), str(SPDX_LICENSE[header.licence]))
        t.text(me, str(SA.pricing), header.pricing)
        t.boolean(me, str(SA.openSource), header.open_source)
        summary = joined(page.summary)
        t.text(me, str(SA.summary), summary)
        self.link_names(me, summary)
        return self.offerings(header)

    def offerings(self, header: Header) -> dict[str, str]:
        """Offerings the header's pricing names: "Free (OSS)" and the vendor's managed products."""
        t, me = self.t, self.me
        names: dict[str, str] = {}
        managed = 0
        for part in (p.strip() for p in (header.pricing or "").split(" / ")):
            oss = re.fullmatch(r"(.*?)\s*\(OSS\)", part)
            if oss and header.open_source:
                key, name, kind = "oss", f"{self.name} (OSS)", SA.OpenSourceOffering
            elif part.startswith(self.name + " ") or part.endswith(" Cloud"):
                managed += 1
                key = "cloud" if managed == 1 else slugify(part.removeprefix(self.name))
                name, kind = part, SA.ManagedOffering
            else:
                continue
            node = self.part(f"offering-{key}")
            t.iri(me, str(SA.offering), node)
            t.type(node, str(kind))
            t.text(node, str(SKOS.prefLabel), name)
            t.iri(node, str(SA.offeringOf), me)
            if key == "oss":
                t.iri(node, str(SA.license), str(SPDX_LICENSE[header.licence]))
                t.text(node, str(SA.pricing), oss.group(1) if oss and oss.group(1) else None)
            names[name] = key
        return names

    def text_section(self, name: str, prop: str) -> None:
        section = self.page.section(name)
        if section is None or not section.paragraphs():
            return
        self.t.section(name, section.heading.number)
        text = joined(section.body)
        self.t.at(section.paragraphs()[0].number).text(self.me, prop, text)
        self.link_names(self.me, text)

    def assessment(self, name: str, key: str, framework: str) -> None:
        section = self.page.section(name)
        if section is None:
            return
        t, lines = self.t, section.paragraphs()
        t.section(name, section.heading.number)
        node = self.part(key)
        total = _SCORE.match(lines[0].text) if lines else None
        t.at(section.heading.number)
        t.iri(self.me, str(SA.assessment), node)
        t.type(node, str(SA.Assessment))
        t.iri(node, str(SA.framework), framework)
        if total:
            t.integer(node, str(SA.total), int(total.group(1)))
            t.integer(node, str(SA.scale), int(total.group(2)))
        dims: list[tuple[Line, str, str, re.Match[str] | None, list[Line]]] = []
        for line in lines[1 if total else 0 :]:
            head = _DIMENSION.match(line.text)
            if head and not _CRITERION.search(line.text):
                dims.append((line, head.group(1), head.group(2), None, []))
            elif dims and dims[-1][3] is None and not dims[-1][4] and _SCORE.match(line.text):
                dims[-1] = (*dims[-1][:3], _SCORE.match(line.text), [])
            elif dims:
                dims[-1][4].append(line)
        seen: set[str] = set()
        for position, (line, code, label, score, body) in enumerate(dims, start=1):
            if code in seen:
                raise_error(self.page, line, f"{name}: dimension {code} appears twice")
            seen.add(code)
            dim = self.part(f"{key}-{code}")
            t.at(line.number)
            t.iri(node, str(SA.dimension), dim)
            t.type(dim, str(SA.Dimension))
            t.text(dim, str(SA.code), code)
            t.text(dim, str(RDFS.label), label)
            if score:
                t.integer(dim, str(SA.score), int(score.group(1)))
                t.integer(dim, str(SA.scale), int(score.group(2)))
            t.position(dim, position)
            rationale = joined(body)
            t.text(dim, str(SA.rationale), rationale)
            self.adjustment(dim, rationale)
            self.criteria(dim, key, code, rationale, body[0].number if body else line.number)
            # criterion codes ("S3=Y") are not the tools they spell
            self.link_names(dim, _CRITERION.sub("", rationale))

    def adjustment(self, dim: str, rationale: str) -> None:
        t = self.t
        notes = list(_ADJUSTMENT.finditer(rationale))
        note = notes[-1] if notes else None  # the last "n/m -> s" is the page's count
        if note:
            t.integer(dim, str(SA.statedCriteriaMet), int(note.group(1)))
            t.integer(dim, str(SA.statedCriteriaTotal), int(note.group(2)))
            t.text(dim, str(SA.adjustmentNote), note.group(0))
            capped = _CAPPED.search(note.group(0))
            if re.search(r"\blenient\b", note.group(0), re.IGNORECASE):
                t.iri(dim, str(SA.adjustment), str(SA.LenientAdjustment))
            if capped:
                t.iri(dim, str(SA.adjustment), str(SA.CapAdjustment))
                t.integer(dim, str(SA.cappedAt), int(capped.group(1)))
        if _CAP_NA.search(rationale):
            t.iri(dim, str(SA.capRule), str(SA.CapRuleNotApplicable))
        if _CAP_APPLIED.search(rationale):
            t.iri(dim, str(SA.capRule), str(SA.CapRuleApplied))

    def criteria(self, dim: str, key: str, letter: str, rationale: str, line: int) -> None:
        t = self.t
        position = 0
        for match in _CRITERION.finditer(rationale):
            code = match.group(1)
            if not code.startswith(letter):
                continue
            position += 1
            crit = self.part(f"{key}-{code}")
            t.at(line)
            t.iri(dim, str(SA.criterion), crit)
            t.type(crit, str(SA.Criterion))
            t.text(crit, str(SA.code), code)
            t.boolean(crit, str(SA.met), match.group(2) == "Y")
            t.position(crit, int(code[1:]) if code[1:].isdigit() and int(code[1:]) > 0 else position)
            note = _parenthesised(rationale, match.end())
            t.text(crit, str(SA.note), note)

    def items(
        self, name: str, key: str, prop: str, cls: str, lines: list[Line] | None = None, line0: int = 0
    ) -> None:
        if lines is None:
            section = self.page.section(name)
            if section is None:
                return
            self.t.section(name, section.heading.number)
            lines = section.paragraphs()
        position = 0
        for line in lines:
            text = strip_marker(line.text)
            if not text:
                continue
            position += 1
            self._item(key, prop, cls, position, text, line.number)

    def _item(self, key: str, prop: str, cls: str, position: int, text: str, line: int) -> None:
        t = self.t
        node = self.part(f"{key}-{position}")
        t.at(line)
        t.iri(self.me, prop, node)
        t.type(node, cls)
        t.position(node, position)
        t.text(node, str(SA.text), text)
        self.link_names(node, text)

    def industry_fit(self, offerings: dict[str, str]) -> None:
        section = self.page.section("Industry Fit")
        if section is None:
            return
        parts = _subsections(section, INDUSTRY_FIT)
        for sub, lines in parts.items():
            if sub == "Compliance certifications":
                self.compliance(lines, offerings)
                continue
            key, prop, cls = (
                ("best-suited-for", str(SA.bestSuitedFor), str(SA.BestSuitedFor))
                if sub == "Best suited for"
                else ("use-with-caution", str(SA.useWithCautionFor), str(SA.UseWithCautionFor))
            )
            self.t.section(f"Industry Fit: {sub}", lines[0].number if lines else section.heading.number)
            position = 0
            for line in lines:
                if not line.text:
                    continue
                for item in self.splitter.split(strip_marker(line.text)):
                    position += 1
                    self._item(key, prop, cls, position, item, line.number)

    def compliance(self, lines: list[Line], offerings: dict[str, str]) -> None:
        body = [line for line in lines if line.text]
        if not body:
            return
        t = self.t
        t.section("Industry Fit: Compliance certifications", body[0].number)
        text = joined(body)
        t.at(body[0].number).text(self.me, str(SA.complianceText), text)
        finder = CertificationFinder(self.catalog.certifications)
        claims, _unread = read_claims(" ".join(line.text for line in body), offerings, finder)
        used: dict[str, int] = {}
        for claim in claims:
            self._claim(claim, used)

    def _claim(self, claim: Claim, used: dict[str, int]) -> None:
        t = self.t
        cert_slug = claim.certification.rsplit("/", 1)[-1]
        key = f"claim-{claim.offering}-{cert_slug}"
        used[key] = used.get(key, 0) + 1
        node = self.part(key if used[key] == 1 else f"{key}-{used[key]}")
        t.iri(self.me, str(SA.complianceClaim), node)
        t.type(node, str(SA.ComplianceClaim))
        t.iri(node, str(SA.claimOffering), self.part(f"offering-{claim.offering}"))
        t.iri(node, str(SA.certification), claim.certification)
        t.iri(node, str(SA.status), claim.status)
        t.text(node, str(SA.evidence), claim.evidence)

    def alternatives(self) -> None:
        section = self.page.section("AI-Suggested Alternatives")
        if section is None:
            return
        t = self.t
        t.section(section.name, section.heading.number)
        blocks: list[list[Line]] = [[]]
        for line in section.paragraphs():
            if _VIEW.match(line.text):
                blocks.append([])
            else:
                blocks[-1].append(line)
        position = 0
        seen: set[str] = set()
        for block in blocks:
            if not block:
                continue
            heading, rest = block[0], block[1:]
            other = self.linker.resolve(heading.text)
            if other in seen:
                raise_error(self.page, heading, f"alternative '{heading.text}' appears twice")
            seen.add(other)
            position += 1
            node = self.part(f"alternative-{other.rsplit('/', 1)[-1]}")
            t.at(heading.number)
            t.iri(self.me, str(SA.alternative), node)
            t.type(node, str(SA.Alternative))
            t.iri(node, str(SA.alternativeVendor), other)
            t.position(node, position)
            text = " ".join(line.text for line in rest)
            first = _FIRST_SENTENCE.match(text)
            choose, comparison = (first.group(1), first.group(2)) if first else (text, "")
            if not choose.startswith("Choose"):
                choose, comparison = "", text
            t.text(node, str(SA.chooseFor), choose)
            t.text(node, str(SA.comparison), comparison)
            self.link_names(node, text)

    def integration(self) -> None:
        section = self.page.section("Integration in 7-Layer Architecture")
        if section is None:
            return
        t = self.t
        t.section(section.name, section.heading.number)
        props = {
            "Role": SA.architectureRole,
            "Upstream": SA.upstreamSummary,
            "Downstream": SA.downstreamSummary,
        }
        texts: dict[str, list[Line]] = {}
        current = None
        for line in section.paragraphs():
            lead = _LEAD_IN.match(line.text)
            if lead and lead.group(1) in props:
                current = lead.group(1)
                texts.setdefault(current, []).append(Line(line.number, lead.group(2)))
            elif current:
                texts[current].append(line)
        for name, lines in texts.items():
            text = joined(lines)
            t.at(lines[0].number).text(self.me, str(props[name]), text)
            self.link_names(self.me, text)

    def risks(self) -> None:
        section = self.page.section("Trust Risks")
        if section is None:
            return
        t = self.t
        t.section(section.name, section.heading.number)
        position = 0
        node = None
        for line in section.paragraphs():
            risk = _RISK.match(line.text)
            lead = _LEAD_IN.match(line.text)
            if risk:
                position += 1
                node = self.part(f"risk-{position}")
                t.at(line.number)
                t.iri(self.me, str(SA.trustRisk), node)
                t.type(node, str(SA.TrustRisk))
                t.position(node, position)
                t.iri(node, str(SA.severity), str(SEVERITIES[risk.group(1).lower()]))
                t.text(node, str(SA.description), risk.group(2))
                self.link_names(node, risk.group(2))
            elif lead and lead.group(1) == "Mitigation" and node:
                t.text(node, str(SA.mitigation), lead.group(2))
                self.link_names(node, lead.group(2))
            else:
                raise_error(
                    self.page, line, "Trust Risks: expected 'high|medium|low <risk>' or 'Mitigation: …'"
                )

    def use_cases(self) -> None:
        section = self.page.section("Use Case Scenarios")
        if section is None:
            return
        t = self.t
        t.section(section.name, section.heading.number)
        cases: list[tuple[Line, re.Match[str], list[Line]]] = []
        for line in section.paragraphs():
            fit = _FIT.match(line.text)
            if fit:
                cases.append((line, fit, []))
            elif cases:
                cases[-1][2].append(line)
            else:
                raise_error(self.page, line, "Use Case Scenarios: expected 'strong|weak <scenario>'")
        for position, (line, fit, body) in enumerate(cases, start=1):
            node = self.part(f"use-case-{position}")
            t.at(line.number)
            t.iri(self.me, str(SA.useCase), node)
            t.type(node, str(SA.UseCase))
            t.position(node, position)
            t.iri(node, str(SA.fit), str(FITS[fit.group(1).lower()]))
            t.text(node, str(SA.title), fit.group(2))
            description = joined(body)
            t.text(node, str(SA.description), description)
            self.link_names(node, fit.group(2), description)

    def stack_impact(self) -> None:
        section = self.page.section("Stack Impact")
        if section is None:
            return
        t = self.t
        t.section(section.name, section.heading.number)
        seen: set[str] = set()
        for line in section.paragraphs():
            impact = _IMPACT.match(line.text)
            if not impact or impact.group(1) not in self.catalog.layers:
                raise_error(
                    self.page, line, "Stack Impact: expected 'Lx <impact>' with a layer of the layer scheme"
                )
            layer = impact.group(1)
            if layer in seen:
                raise_error(self.page, line, f"Stack Impact: layer {layer} appears twice")
            seen.add(layer)
            node = self.part(f"impact-{layer}")
            t.at(line.number)
            t.iri(self.me, str(SA.stackImpact), node)
            t.type(node, str(SA.StackImpact))
            t.iri(node, str(SA.layer), str(layer_iri(layer)))
            t.text(node, str(SA.description), impact.group(2))
            self.link_names(node, impact.group(2))

    def optional_items(self, name: str, key: str, prop: str, cls: str, concept: str) -> None:
        section = self.page.section(name)
        if section is None:
            return
        self.t.section(name, section.heading.number)
        lines = section.paragraphs()
        if not lines:
            self.t.at(section.heading.number).iri(self.me, str(SA.statesNone), concept)
            return
        self.items(name, key, prop, cls, lines)

    def stubs(self) -> None:
        if not self.linker.stubs:
            return
        t = self.t
        t.section("stub vendors", self.page.title.number)
        t.at(self.page.title.number)
        for iri, name in sorted(self.linker.stubs.items()):
            t.type(iri, str(SA.Vendor))
            t.text(iri, str(SKOS.prefLabel), name)


def _parenthesised(text: str, start: int) -> str | None:
    """The balanced "( … )" right after ``start`` (a criterion's note), without the brackets."""
    i = start
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text) or text[i] != "(":
        return None
    depth = 0
    for j in range(i, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j].strip() or None
    return None


def _subsections(section: Section, names: tuple[str, ...]) -> dict[str, list[Line]]:
    found: dict[str, list[Line]] = {}
    current = None
    for line in section.body:
        bare = line.text.casefold()
        match = next((n for n in names if bare == n.casefold()), None)
        if match:
            current = match
            found.setdefault(current, [])
        elif current:
            found[current].append(line)
    return {name: [line for line in lines if line.text] for name, lines in found.items()}


def raise_error(page: Page, line: Line, message: str) -> NoReturn:
    raise PageError(page.path, line.number, message)


def build(page: Page, catalog: Catalog, graph: str, raw: bytes) -> Built:
    return Builder(page, catalog, graph, raw).build()
