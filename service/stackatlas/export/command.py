"""The ``stackatlas export`` commands: build the store, select, write stdout or a file atomically."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from ..formats import GRAPH_FORMAT_NAMES, GRAPH_FORMATS
from ..store import open_catalog
from .files import write_atomic
from .formats import MAP_FORMATS
from .graph import download
from .selection import build_query, select_map


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data)


def export_map(
    format: str,
    vendors: Sequence[str],
    depth: int,
    layers: Sequence[str],
    direction: str,
    kinds: Sequence[str],
    output: Path | None,
    data: Sequence[Path] | None,
) -> None:
    fmt = MAP_FORMATS.get(format.lower())
    if fmt is None:
        raise InputError(f"unknown map format {format!r}; choose from {', '.join(MAP_FORMATS)}")
    query = build_query(vendors, depth, layers, direction, kinds)
    store = open_catalog(data)
    _emit(fmt.encode(select_map(store, query)), output)


def export_graph(format: str, output: Path | None, data: Sequence[Path] | None) -> None:
    name = GRAPH_FORMAT_NAMES.get(format.lower(), format.lower())
    fmt = GRAPH_FORMATS.get(name)
    if fmt is None:
        raise InputError(f"unknown graph format {format!r}; choose from {', '.join(GRAPH_FORMATS)}")
    store = open_catalog(data)
    _emit(download(store, fmt), output)
