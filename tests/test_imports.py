"""The package's import structure: every module imports on its own, no cycles, no upward imports.

A cycle shows up only when a module happens to be imported first (``import
stackatlas.linked_data`` used to fail on a fresh interpreter while the server,
which imported ``stackatlas.web`` first, worked), so (a) imports each module in
a fresh interpreter and (b) checks the import graph itself, read from the
source with ``ast``, against the layer table of ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "service" / "stackatlas"

# Lowest first: a module may import from its own layer and the layers before it, never from a later one.
# Names are modules or packages (a package covers everything under it). Modules still being written on
# other branches (``readmodel``, ``ingest``, ``formats``, ``safety``, ``http_guard``) are placed already,
# so the test is strict the moment they land; a module that is in no layer fails the test until it is
# placed here and in docs/architecture.md.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "stackatlas",
            "stackatlas.vocab",
            "stackatlas.errors",
            "stackatlas.resources",
            "stackatlas.config",
            "stackatlas.formats",
            "stackatlas.negotiation",
            "stackatlas.safety",
        ),
    ),
    ("store", ("stackatlas.store", "stackatlas.loader")),
    (
        "model",
        (
            "stackatlas.validation",
            "stackatlas.readmodel",
            "stackatlas.workbench",
            "stackatlas.dependencies",
            "stackatlas.http_guard",
            "stackatlas.http_protocol",
            "stackatlas.auth",
            "stackatlas.history",
        ),
    ),
    (
        "interfaces",
        (
            "stackatlas.graphql",
            "stackatlas.sparql",
            "stackatlas.export",
            "stackatlas.web",
            "stackatlas.ingest",
            "stackatlas.writes",
            "stackatlas.feed",
            "stackatlas.webhooks",
        ),
    ),
    ("app", ("stackatlas.app", "stackatlas.server", "stackatlas.persistence", "stackatlas.remote_import")),
    ("cli", ("stackatlas.cli", "stackatlas.__main__")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def layer_of(module: str) -> int | None:
    """Index of the layer the module belongs to; the root package matches only itself."""
    best: tuple[int, int] | None = None  # (length of the matching name, layer)
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            covers = module == name or (name != "stackatlas" and module.startswith(name + "."))
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return best[1] if best else None


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, lazy ones in functions included; ``if TYPE_CHECKING:`` blocks excluded.

    Those blocks never run, and they are how mutually referring types (strawberry's lazy types)
    name each other for the type checker.
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(module: str) -> list[Import]:
    """The package modules ``module`` makes Python execute, each with the line that does it.

    ``from .x import y`` imports ``x`` (and ``x.y`` when that is a module); importing a module
    first runs the ``__init__`` of each package above it that the importer is not itself inside,
    which is how ``linked_data`` → ``web.catalog`` closed a cycle through ``web/__init__``.
    """
    path = MODULES[module]
    package = module if module in PACKAGES else module.rpartition(".")[0]
    found: dict[str, Import] = {}  # the first line that imports each target
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - node.level + 1])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            targets = [origin] + [f"{origin}.{alias.name}" for alias in node.names]
        for target in targets:
            if target not in MODULES:
                continue
            for name in [*_ancestors(target), target]:
                if name in MODULES and name != module and name not in _ancestors(module):
                    found.setdefault(name, Import(module, name, node.lineno))
    return sorted(found.values(), key=lambda edge: (edge.line, edge.target))


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, list[Import]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for edge in graph.get(v, []):
            w = edge.target
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_on_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, f"import {module} fails on a fresh interpreter:\n{done.stderr[-3000:]}"


def test_the_walk_sees_the_package() -> None:
    """Guards the test itself: the module list and the edges it checks are the real ones."""
    known = {"stackatlas", "stackatlas.app", "stackatlas.store.base", "stackatlas.web.linked_data"}
    assert known <= set(MODULES)
    app_imports = {edge.target for edge in GRAPH["stackatlas.app"]}
    assert {"stackatlas.config", "stackatlas.web", "stackatlas.store"} <= app_imports
    # a lazy import inside a function counts
    assert "stackatlas.validation.cli" in {edge.target for edge in GRAPH["stackatlas.cli"]}


def test_no_import_cycles() -> None:
    found = cycles(GRAPH)
    details = []
    for component in found:
        members = set(component)
        edges = [e for m in component for e in GRAPH[m] if e.target in members]
        details.append(
            " ⇄ ".join(component)
            + "".join(f"\n    {e.source} (line {e.line}) imports {e.target}" for e in edges)
        )
    assert not found, "import cycles:\n" + "\n".join(details)


def test_cycle_detection_catches_a_cycle_through_a_package_init() -> None:
    """The old ``linked_data`` cycle, as a graph, is reported; an acyclic graph is not."""
    graph = {
        "p.web": [Import("p.web", "p.linked_data", 1)],
        "p.linked_data": [Import("p.linked_data", "p.web.catalog", 2), Import("p.linked_data", "p.web", 2)],
        "p.web.catalog": [Import("p.web.catalog", "p.vocab", 3)],
        "p.vocab": [],
    }
    assert cycles(graph) == [["p.linked_data", "p.web"]]
    del graph["p.web"]
    assert cycles(graph) == []


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in MODULES if layer_of(m) is None)
    assert not missing, f"place these in LAYERS (tests/test_imports.py) and docs/architecture.md: {missing}"


def test_no_upward_imports() -> None:
    upward = []
    for module, edges in GRAPH.items():
        own = layer_of(module)
        for edge in edges:
            theirs = layer_of(edge.target)
            if own is not None and theirs is not None and theirs > own:
                upward.append(
                    f"{module} ({LAYERS[own][0]}) imports {edge.target} ({LAYERS[theirs][0]}) "
                    f"at {MODULES[module].relative_to(REPO)}:{edge.line}"
                )
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_the_layer_table_is_documented() -> None:
    """docs/architecture.md names every layer and every entry of this test's table, in the same order."""
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(LAYERS), "one table row per layer in docs/architecture.md"
    for row, (layer, names) in zip(rows, LAYERS, strict=True):
        assert f"| {layer} |" in row, row
        for name in names:
            assert f"`{name.removeprefix('stackatlas.') if name != 'stackatlas' else name}`" in row, (
                f"docs/architecture.md: {name} missing from the {layer} row"
            )


def test_one_version() -> None:
    """``stackatlas --version`` and ``stackatlas.__version__`` say what pyproject.toml says."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-m", "stackatlas", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"stackatlas {declared}"
    import stackatlas

    assert stackatlas.__version__ == declared
    # a checkout that is not installed (no site-packages, so no metadata) reads pyproject.toml
    uninstalled = subprocess.run(
        [sys.executable, "-S", "-c", "import stackatlas; print(stackatlas.__version__)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO / "service",
    )
    assert uninstalled.stdout.strip() == declared, uninstalled.stderr
    # nobody spells the version a second time
    spelled = [
        p.relative_to(REPO)
        for p in PACKAGE.rglob("*.py")
        if re.search(rf"""["']{re.escape(declared)}["']""", p.read_text(encoding="utf-8"))
    ]
    assert not spelled, f"the version is written out in {spelled}; read stackatlas.__version__"
