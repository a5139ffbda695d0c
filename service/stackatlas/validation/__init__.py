"""Validate catalog data against the SHACL shapes and report findings to people.

The package is split by what changes together: :mod:`.sources` (what is
loaded), :mod:`.engine` (pyshacl on the store, results back to files and
vendors), :mod:`.findings` (what a finding says), :mod:`.report` (the report
and its text, JSON and Turtle forms) and :mod:`.cli` (``stackatlas validate``).
The names below are the package's public interface; import them from here.
"""

from __future__ import annotations

from .cli import run_cli
from .engine import collector_paused, hoist_property_shapes, validate, validate_store
from .findings import SEVERITY_ORDER, Finding, compact, shape_name
from .report import FORMATS, Report, render, summary_line
from .sources import load_shapes, validation_sources, with_shared

__all__ = [
    "FORMATS",
    "SEVERITY_ORDER",
    "Finding",
    "Report",
    "collector_paused",
    "compact",
    "hoist_property_shapes",
    "load_shapes",
    "render",
    "run_cli",
    "shape_name",
    "summary_line",
    "validate",
    "validate_store",
    "validation_sources",
    "with_shared",
]
