"""``stackatlas validate``: exit codes and messages for a person at a terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from ..loader import discover
from ..resources import data_dir
from ..store import open_store
from .engine import validate, validate_store
from .freshness import with_freshness
from .report import FORMATS
from .sources import validation_sources, with_shared


def run_cli(
    paths: list[Path] | None, fmt: str, context: Sequence[Path] = (), stale_after_days: int | None = None
) -> int:
    """Body of ``stackatlas validate``: 0 conforms, 1 violations, 2 unreadable input.

    With ``stale_after_days`` (and no ``context``), stale vendors are added as warnings.
    """
    if fmt not in FORMATS:
        print(f"stackatlas: unknown report format {fmt!r} (expected {', '.join(FORMATS)})", file=sys.stderr)
        return 2
    try:
        if context:
            if not paths:
                raise InputError("--context only makes sense with files to check")
            given = discover(paths, graph_root=data_dir())
            report = validate(with_shared(given, context), report_on=given)
        else:
            sources = validation_sources(paths)
            store = open_store()
            store.load(sources)
            report = validate_store(store, sources)
            if stale_after_days is not None:
                report = with_freshness(report, store, stale_after_days)
    except InputError as exc:
        print(f"stackatlas: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report.render(fmt))
    return 0 if report.conforms else 1
