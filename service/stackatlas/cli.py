"""The ``stackatlas`` command line.

Commands import their implementation lazily so that ``stackatlas validate``
does not pay for the web stack. Every user-facing failure is a
:class:`~stackatlas.errors.StackatlasError`, printed as one line with exit 2.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import StackatlasError

app = typer.Typer(
    name="stackatlas",
    help="Knowledge graph of AI and data-stack vendors: validate, query, export and serve it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Data files or directories (default: the shipped graph_data/)."),
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
) -> None:
    """Check data against the SHACL shapes.

    Exit 0 when there is no violation (warnings are still printed), 1 on
    violations, 2 on unreadable input.
    """
    from .validation import run_cli

    raise typer.Exit(run_cli(paths or None, format.value))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [env STACKATLAS_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port [env STACKATLAS_PORT].")] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(help="Data file or directory, repeatable [env STACKATLAS_DATA]."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes [env STACKATLAS_WORKERS].")] = None,
) -> None:
    """Serve the catalog over HTTP (GraphQL, SPARQL, linked data)."""
    from .server import run

    overrides = {"host": host, "port": port, "data": data, "workers": workers}
    run({k: v for k, v in overrides.items() if v is not None})


def main() -> None:
    try:
        app()
    except StackatlasError as exc:
        print(f"stackatlas: {exc}", file=sys.stderr)
        sys.exit(2)
