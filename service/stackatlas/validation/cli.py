"""``stackatlas validate``: exit codes and messages for a person at a terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from ..loader import discover
from ..resources import data_dir
from .engine import validate
from .report import FORMATS
from .sources import validation_sources, with_shared


def run_cli(paths: list[Path] | None, fmt: str, context: Sequence[Path] = ()) -> int:
    """Body of ``stackatlas validate``: 0 conforms, 1 violations, 2 unreadable input."""
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
            report = validate(validation_sources(paths))
    except InputError as exc:
        print(f"stackatlas: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report.render(fmt))
    return 0 if report.conforms else 1
