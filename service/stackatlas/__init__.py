"""stackatlas: the catalog of AI and data-stack vendors as a validated knowledge graph."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _version() -> str:
    """The version ``pyproject.toml`` declares: its one source.

    An installed package (editable or not) reads it from its metadata; a
    checkout used without installing reads ``pyproject.toml`` itself.
    """
    try:
        return version("stackatlas")
    except PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


__version__ = _version()
