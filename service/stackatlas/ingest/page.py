"""Read a catalog analysis page and cut it into its sections, keeping line numbers.

The catalog's pages are scraped text: no markup, headings on lines of their
own, sometimes an icon in front ("⚡ Trust Risks"). Everything downstream works
on :class:`Line` values so that any finding can name the page line it came
from. Texts are kept verbatim; only structure matching tolerates CRLF, a BOM,
non-breaking spaces and the different dashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PageError

DASH = "[—–-]"
"""Em dash, en dash or hyphen: scraped headings use all three."""

SECTIONS = (
    "AI Analysis",
    "Trust Before Intelligence",
    "INPACT Score",
    "GOALS Score",
    "AI-Identified Strengths",
    "AI-Identified Limitations",
    "Industry Fit",
    "AI-Suggested Alternatives",
    "Integration in 7-Layer Architecture",
    "Trust Risks",
    "Use Case Scenarios",
    "Stack Impact",
    "Watch For",
    "2-Week POC Checklist",
)
"""The page format's headings, in the order pages give them."""

FOOTER = re.compile(r"^(Explore in Interactive Stack Builder|Visit .* website|This analysis is AI-generated)")
HEADER = re.compile(rf"^L(\d+)\s*{DASH}\s*(.*)$")
_ICON = re.compile(r"^[^\w(\"'“‘]+")


@dataclass(frozen=True)
class Line:
    number: int
    """1-based line number in the page file."""
    text: str
    """The line without surrounding white space, verbatim otherwise."""


@dataclass
class Section:
    name: str
    heading: Line
    body: list[Line] = field(default_factory=list)

    def paragraphs(self) -> list[Line]:
        """Non-empty body lines (the page puts one paragraph on each line)."""
        return [line for line in self.body if line.text]


@dataclass
class Page:
    path: Path
    text: str
    title: Line
    header: Line
    summary: list[Line]
    sections: dict[str, Section]
    footer: list[Line]

    def section(self, name: str) -> Section | None:
        return self.sections.get(name)


def heading_name(text: str) -> str | None:
    """The section a line opens, if it is a heading (icons and case ignored)."""
    bare = _ICON.sub("", text).strip().casefold()
    for name in SECTIONS:
        if bare == name.casefold():
            return name
    return None


def decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageError(path, None, f"not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise PageError(path, None, "binary data, not an analysis page")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_page(path: Path, raw: bytes | None = None) -> Page:
    """Parse the page at ``path`` (or its ``raw`` bytes) into sections.

    Raises :class:`PageError` when the file is not an analysis page: no
    vendor name, or no header line ``Lx — …`` right after it.
    """
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise PageError(path, None, f"cannot read ({exc.strerror})") from exc
    text = decode(raw, path)
    lines = [Line(i, line.strip()) for i, line in enumerate(text.split("\n"), start=1)]
    content = [line for line in lines if line.text]
    if len(content) < 2:
        raise PageError(
            path, None, "not an analysis page: expected the vendor's name and a header line 'Lx — …'"
        )
    title, header = content[0], content[1]
    if heading_name(title.text) or not HEADER.match(header.text):
        raise PageError(
            path,
            header.number,
            "not an analysis page: the line after the vendor's name must be the header "
            f"'Lx — layer category pricing licence', found {header.text[:60]!r}",
        )
    sections: dict[str, Section] = {}
    summary: list[Line] = []
    footer: list[Line] = []
    current: Section | None = None
    for line in lines[header.number :]:
        name = heading_name(line.text) if line.text else None
        if name:
            if name in sections:
                first = sections[name].heading.number
                raise PageError(
                    path, line.number, f"section '{name}' appears twice (lines {first} and {line.number})"
                )
            current = sections[name] = Section(name, line)
        elif line.text and FOOTER.match(line.text):
            footer.append(line)
            current = None
        elif current is not None:
            current.body.append(line)
        elif line.text and not footer:
            summary.append(line)
    if not summary:
        raise PageError(path, header.number, "not an analysis page: no summary paragraph after the header")
    return Page(path, text, title, header, summary, sections, footer)


def joined(lines: list[Line]) -> str:
    """Paragraph lines as one text, one paragraph per line."""
    return "\n".join(line.text for line in lines if line.text)
