"""Property test: mutated analysis pages never make ingest fail unexpectedly.

Hypothesis mutates the shipped Dagster page and the fictional fixture pages —
lines dropped, duplicated, swapped, truncated, blanked, rewritten with CRLF,
unicode dashes and quotes or random text — and builds the vendor graph. The
only acceptable failure is the clear input error (:class:`PageError`, which the
command prints as one line with exit 2); anything else is a bug.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackatlas.ingest.build import build
from stackatlas.ingest.catalog import load_catalog
from stackatlas.ingest.errors import PageError
from stackatlas.ingest.page import read_page
from stackatlas.ingest.turtle import to_turtle
from stackatlas.resources import data_dir

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    REPO / "graph_data" / "sources" / "dagster.txt",
    REPO / "tests" / "fixtures" / "ingest" / "pages" / "orbitflow.txt",
]
CATALOG = load_catalog(data_dir())
NOISE = st.lists(
    st.sampled_from([*"abcXYZ019 ()/=-—–·•+:.\t\"'’“", "L7 — ", "G1=Y (", "high ", "Role: ", "4/6", " -> "]),
    max_size=12,
).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "blank", "noise", "dash", "quote"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "blank":
            lines.insert(i, "")
        elif op == "noise":
            lines[i] = draw(NOISE)
        elif op == "dash":
            lines[i] = lines[i].replace("—", draw(st.sampled_from(["-", "–", "--", ""])))
        else:
            lines[i] = lines[i].replace("'", "’").replace('"', "“")
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_pages_build_or_fail_with_the_clear_input_error(raw: bytes):
    path = Path("mutated.txt")
    try:
        page = read_page(path, raw)
        built = build(page, CATALOG, "https://w3id.org/stackatlas/graph/vendors/x", raw)
    except PageError as exc:
        assert str(exc).startswith("mutated.txt")
        assert "\n" not in str(exc)
        return
    turtle = to_turtle(built, path.name)
    assert turtle == to_turtle(build(read_page(path, raw), CATALOG, built.graph, raw), path.name)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_the_clear_input_error_or_a_page(raw: bytes):
    try:
        read_page(Path("blob.txt"), raw)
    except PageError as exc:
        assert str(exc).startswith("blob.txt")
