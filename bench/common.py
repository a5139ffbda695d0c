"""Helpers shared by the bench scripts.

Each measurement runs in a fresh interpreter so that its time and peak memory
belong to that one step alone: nothing cached by an earlier step, no memory
high-water mark left behind by it. Scripts import this module as ``common``
(``python bench/<script>.py`` puts ``bench/`` on ``sys.path``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from generate import write_catalog

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
BENCHMARKS_DOC = REPO_ROOT / "docs" / "benchmarks.md"

DOC_TITLE = "# Benchmarks"
DOC_INTRO = """\
Every figure here comes from a script in `bench/`, never from a timed test. Each
script measures stackatlas and a baseline side by side in the same run and on the
same input, and reports the ratio baseline / stackatlas (above 1 means stackatlas is
better: faster, or smaller). Inputs are synthetic catalogs written by
`bench/generate.py` (deterministic by seed, cached under `bench/out/`, which git
ignores; see `bench/README.md`). The machine has 2 cores and was shared with other
work during the runs, so timings carry noise; each section gives the command that
reproduces it, the machine and the date.
"""

CHILD = """\
import json, resource, sys, time, importlib
sys.path.insert(0, sys.argv[1])
module, function = sys.argv[2].split(":")
step = getattr(importlib.import_module(module), function)
start = time.perf_counter()
info = step(*sys.argv[3:])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_kib": peak, "info": info}))
"""


def catalog(n: int, seed: int) -> Path:
    """The generated catalog for (n, seed), written on first use and reused after.

    ``write_catalog`` renames a complete directory into place, so an existing
    directory is always a finished catalog.
    """
    path = OUT_DIR / f"catalog-{n}-seed{seed}"
    if not path.exists():
        write_catalog(n, seed, path)
    return path


@dataclass
class Measurement:
    """One step's outcome: seconds and peak RSS, or why there are none."""

    seconds: float | None = None
    peak_rss_mib: float | None = None
    info: dict[str, object] = field(default_factory=dict)
    failure: str | None = None

    def time_cell(self) -> str:
        return self.failure if self.seconds is None else f"{self.seconds:.2f}"

    def memory_cell(self) -> str:
        return "—" if self.peak_rss_mib is None else f"{self.peak_rss_mib:,.0f}"


def measure(target: str, *args: str, timeout: float) -> Measurement:
    """Run ``module:function(*args)`` of a bench module in a fresh interpreter.

    The function returns a JSON-able dict of facts about its result (quad
    count, violations …) that go into ``info``. A step still running after
    ``timeout`` seconds is killed and reported as not finished, not retried.
    """
    command = [sys.executable, "-c", CHILD, str(BENCH_DIR), target, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Measurement(failure=f"did not finish in {timeout:.0f} s")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        return Measurement(failure=f"failed (exit {done.returncode}): {last}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(result["seconds"], result["peak_rss_kib"] / 1024, result["info"])


def ratio(baseline: float | None, ours: float | None) -> str:
    """baseline / stackatlas, or a dash when either side has no figure."""
    if baseline is None or ours is None or ours == 0:
        return "—"
    return f"{baseline / ours:.1f}×"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """A Markdown line describing where the figures were taken."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("stackatlas", "pyoxigraph", "rdflib", "pyshacl")
    )
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {ram:.0f} GiB RAM, "
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}; "
        f"{versions}; run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def catalog_parser(
    description: str, sizes: list[int], budget_help: str | None = None
) -> argparse.ArgumentParser:
    """The options every benchmark over generated catalogs takes, so that they read alike."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes, help="catalog sizes")
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    if budget_help:
        parser.add_argument("--budget", type=float, default=900.0, help=budget_help)
    parser.add_argument("--no-doc", action="store_true", help="print the figures only; leave docs/ alone")
    return parser


def command_line(script: str, args: argparse.Namespace, *options: str) -> str:
    """The command that reruns ``script`` as ``args`` ran it: sizes, seed and the named options."""
    parts = [f"python bench/{script}", f"--sizes {' '.join(map(str, args.sizes))}", f"--seed {args.seed}"]
    parts += [f"--{option.replace('_', '-')} {getattr(args, option):g}" for option in options]
    return " ".join(parts)


def reproduce_footer(command: str) -> str:
    """The closing lines every section has: how to rerun it and on what it ran."""
    return (
        "Command (from the repository root, with the project's virtualenv):\n\n"
        f"```\n{command}\n```\n\nMachine: {machine()}.\n"
    )


def write_section(heading: str, body: str, doc: Path = BENCHMARKS_DOC) -> None:
    """Replace the ``## heading`` section of the benchmarks doc, leaving the others alone.

    The section runs to the next ``## `` heading. A missing doc is created with
    the title and method intro; a missing section is appended. The file is
    replaced in one rename so that a reader never sees half of it.
    """
    text = doc.read_text() if doc.exists() else f"{DOC_TITLE}\n\n{DOC_INTRO}"
    marker = f"## {heading}\n"
    section = f"{marker}\n{body.strip()}\n"
    lines = text.splitlines(keepends=True)
    if marker in lines:
        start = lines.index(marker)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        text = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=doc.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(text)
    Path(tmp.name).replace(doc)
