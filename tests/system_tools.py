"""The external consumers the export and browser tests check against.

``tests/setup_system_deps.sh`` (run by ``make test``) installs them. Outside CI
a missing tool skips the test with the command to run; in CI (``CI`` set) it
fails, so a broken set-up can never pass as a green run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MERMAID_JS = REPO / "tests" / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
ARTIFACTS = REPO / "test-artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str) -> None:
    message = f"{what} is not installed; run `bash tests/setup_system_deps.sh` (make test does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing(tool)
    return str(path)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        missing(what)
    return path


def run_dot(source: str, output_format: str = "json") -> str:
    """Lay ``source`` out with Graphviz ``dot``; a syntax error fails the test with dot's message."""
    result = subprocess.run(
        [require("dot"), f"-T{output_format}"],
        input=source.encode(),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert not result.stderr.strip(), result.stderr.decode()
    return result.stdout.decode()


def chromium_path() -> str:
    return require("chromium")
