"""Every GraphQL and SPARQL example in README.md and docs/ that shows its output gives that output.

An example is a fenced block followed by the block of its output:

- a ```graphql block, then a ```json block: POSTed to ``/graphql``, the answer compared as data;
- a ``curl … /sparql`` command (```sh) or a ```sparql block, then a ```csv, ```tsv or ```json block:
  sent to ``/sparql`` asking for that format (a curl's own ``Accept`` header wins), CSV and TSV
  compared as rows (in order when the query has ``ORDER BY``), JSON as data.

All run against the real server on the shipped data (the session's ``live_server``).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

FENCE = re.compile(r"^```([\w+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
OUTPUTS = {"json", "csv", "tsv"}
SPARQL_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass(frozen=True)
class Block:
    language: str
    text: str
    line: int


@dataclass(frozen=True)
class Example:
    kind: str
    """"graphql" or "sparql"."""
    request: str
    """The GraphQL document or the SPARQL query."""
    accept: str | None
    """The media type a curl example asks for, if it sets one."""
    output: Block


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [Block(m[1].lower(), m[2], text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


def _curl_sparql(command: str) -> tuple[str, str | None] | None:
    """The query and Accept header of a ``curl … /sparql`` command, or None for any other command."""
    try:
        words = shlex.split(command.replace("\\\n", " "))
    except ValueError:
        return None
    if not words or words[0] != "curl" or not any(re.search(r"/sparql(\?|$)", w) for w in words):
        return None
    query, accept = None, None
    for flag, value in itertools.pairwise(words):
        if flag in ("--data-urlencode", "-d", "--data") and value.startswith("query="):
            query = value.removeprefix("query=")
        if flag in ("-H", "--header") and value.lower().startswith("accept:"):
            accept = value.split(":", 1)[1].strip()
    return (query, accept) if query else None


def examples(path: Path) -> list[Example]:
    found = []
    found_blocks = blocks(path)
    for block, following in itertools.pairwise(found_blocks):
        if following.language not in OUTPUTS:
            continue
        if block.language == "graphql" and following.language == "json":
            found.append(Example("graphql", block.text, None, following))
        elif block.language == "sparql":
            found.append(Example("sparql", block.text, None, following))
        elif block.language in ("sh", "bash", "shell", ""):
            curl = _curl_sparql(block.text)
            if curl is not None:
                found.append(Example("sparql", curl[0], curl[1], following))
    return found


EXAMPLES = [(path, example) for path in DOCS for example in examples(path)]


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text.strip()), delimiter=delimiter) if row]


def _sparql_rows(text: str, delimiter: str, ordered: bool) -> list[list[str]]:
    head, *rows = _rows(text, delimiter)
    return [head, *(rows if ordered else sorted(rows))]


def test_the_docs_have_examples_of_both_kinds():
    """Guards the collector: if it stopped finding examples, the tests below would pass vacuously."""
    kinds = {(path.name, e.kind) for path, e in EXAMPLES}
    assert {("README.md", "graphql"), ("README.md", "sparql"), ("graphql.md", "graphql")} <= kinds
    assert sum(1 for _, e in EXAMPLES if e.kind == "graphql") >= 15


def test_the_collector_reads_curl_commands():
    command = """curl -s localhost:8000/sparql -H 'Accept: text/csv' --data-urlencode 'query=
  SELECT ?x WHERE { ?x ?p ?o }'"""
    assert _curl_sparql(command) == ("\n  SELECT ?x WHERE { ?x ?p ?o }", "text/csv")
    assert _curl_sparql("curl -s localhost:8000/graphql -d '{}'") is None


def test_the_collector_pairs_each_example_with_its_output(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(
        "\n".join(
            [
                "```graphql",
                "{ layers { code } }",
                "```",
                "Some prose.",
                "```json",
                '{"data": {}}',
                "```",
                "```sparql",
                "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
                "```",
                "```tsv",
                "?s",
                "```",
                "```graphql",
                "type Query { a: Int }",
                "```",
                "```sh",
                "stackatlas serve",
                "```",
                "```csv",
                "a,b",
                "```",
            ]
        ),
        encoding="utf-8",
    )
    found = examples(doc)
    assert [(e.kind, e.output.language, e.output.line) for e in found] == [
        ("graphql", "json", 5),
        ("sparql", "tsv", 11),
    ]
    assert found[1].request.strip() == "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[f"{p.name}:{e.output.line}" for p, e in EXAMPLES])
def test_the_example_gives_the_output_shown(live_server, path, example):
    where = f"{path.relative_to(REPO)}:{example.output.line}"
    if example.kind == "graphql":
        response = httpx.post(f"{live_server.url}/graphql", json={"query": example.request}, timeout=30)
        assert response.json() == json.loads(example.output.text), (
            f"{where}: the answer is\n{json.dumps(response.json(), indent=2, ensure_ascii=False)}"
        )
        return
    fmt = example.output.language
    accept = example.accept or SPARQL_MEDIA_TYPES[fmt]
    response = httpx.post(
        f"{live_server.url}/sparql", data={"query": example.request}, headers={"Accept": accept}, timeout=30
    )
    assert response.status_code == 200, f"{where}: {response.status_code} {response.text}"
    if fmt == "json":
        assert response.json() == json.loads(example.output.text), f"{where}: the answer is\n{response.text}"
        return
    ordered = bool(re.search(r"\bORDER\s+BY\b", example.request, re.IGNORECASE))
    delimiter = "," if fmt == "csv" else "\t"
    shown = _sparql_rows(example.output.text, delimiter, ordered)
    assert _sparql_rows(response.text, delimiter, ordered) == shown, f"{where}: the answer is\n{response.text}"
