"""Locate the ontology, shapes and shipped data.

An installed wheel carries them under ``stackatlas/_data``; a checkout (or an
editable install) has them at the repository root. Looking in the package first
means an installed ``stackatlas`` never depends on the current directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "_data"
_REPO_ROOT = Path(__file__).resolve().parents[2]


def _locate(name: str) -> Path:
    for base in (_PACKAGE_DATA, _REPO_ROOT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"stackatlas cannot find its '{name}' directory (looked in {_PACKAGE_DATA} and "
        f"{_REPO_ROOT}); the installation is incomplete"
    )


def ontology_dir() -> Path:
    return _locate("ontology")


def shapes_dir() -> Path:
    return _locate("shapes")


def data_dir() -> Path:
    return _locate("graph_data")
