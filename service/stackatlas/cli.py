"""The ``stackatlas`` command line.

Commands import their implementation lazily so that ``stackatlas validate``
does not pay for the web stack. Every user-facing failure is a
:class:`~stackatlas.errors.StackatlasError`, printed as one line with exit 2.
"""

from __future__ import annotations

import os
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


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"stackatlas {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Knowledge graph of AI and data-stack vendors: validate, query, export and serve it."""


class LogLevel(StrEnum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


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
    context: Annotated[
        list[Path] | None,
        typer.Option(help="Files or directories the PATHS point into (repeatable); loaded, not reported on."),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="Check this on-disk store (or SPARQL engine URL) as it is instead of files "
            "(a server may be running on it)."
        ),
    ] = None,
) -> None:
    """Check data against the SHACL shapes, and vendors against the freshness rule.

    Exit 0 when there is no violation (warnings, stale vendors among them, are
    still printed), 1 on violations, 2 on unreadable input. A vendor last
    checked more than STACKATLAS_STALE_AFTER_DAYS days ago is a warning.
    """
    from .config import Settings
    from .validation.cli import run_cli

    days = Settings().stale_after_days
    if store is not None:
        if paths or context:
            raise StackatlasError("validate: give either --store or data PATHS, not both")
        from .persistence import validate_persisted
        from .store.remote import is_remote

        if is_remote(store):
            from .remote_import import validate_remote

            report = validate_remote(store, stale_after_days=days)
        else:
            report = validate_persisted(Path(store), stale_after_days=days)
        print(report.render(format.value), end="")
        raise typer.Exit(0 if report.conforms else 1)

    raise typer.Exit(run_cli(paths or None, format.value, context or (), stale_after_days=days))


class IngestFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def ingest(
    pages: Annotated[list[Path], typer.Argument(help="Analysis pages (*.txt) or directories of pages.")],
    data: Annotated[
        Path | None, typer.Option(help="The catalog the pages go into (default: the shipped graph_data/).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where the vendor files are written (default: the catalog's vendors/).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change and the SHACL report; write nothing.")
    ] = False,
    format: Annotated[IngestFormat, typer.Option("--format", "-f", help="Report format.")] = IngestFormat.text,
) -> None:
    """Turn catalog analysis pages into validated vendor files, one per page.

    The new files are validated with the rest of the catalog first; on
    violations nothing is written. Exit 0 when written (or unchanged), 1 on
    violations, 2 when a file is not an analysis page or cannot be read.
    """
    from .ingest import run_cli

    raise typer.Exit(run_cli(pages, data, out, dry_run, format.value))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (env STACKATLAS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (env STACKATLAS_PORT).")] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(help="Data file or directory, repeatable (env STACKATLAS_DATA)."),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="On-disk store directory; the first start imports --data into it; or a SPARQL engine's "
            "http:// URL to serve as a stateless replica (env STACKATLAS_STORE)."
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (env STACKATLAS_WORKERS).")] = None,
    allow_invalid: Annotated[
        bool | None,
        typer.Option(
            "--allow-invalid/--refuse-invalid",
            help="Start even when the data has SHACL violations (env STACKATLAS_ALLOW_INVALID).",
            show_default=False,
        ),
    ] = None,
    log_level: Annotated[
        LogLevel | None, typer.Option(help="Least severe log line printed (env STACKATLAS_LOG_LEVEL).")
    ] = None,
) -> None:
    """Serve the catalog over HTTP (GraphQL at /graphql, SPARQL, linked data).

    Loads and validates the data first and refuses to start on SHACL
    violations, printing the report, unless --allow-invalid is given. With
    --store, the first start imports the data into the store that way and
    later starts open the store as it is (docs/persistence.md).
    """
    from .server import run

    overrides = {
        "host": host,
        "port": port,
        "data": data,
        "store": store,
        "workers": workers,
        "allow_invalid": allow_invalid,
        "log_level": log_level and log_level.value,
    }
    run({k: v for k, v in overrides.items() if v is not None})


@app.command("import")
def import_(
    data: Annotated[list[Path], typer.Argument(help="Data files or directories (the graph_data/ layout).")],
    store: Annotated[
        str | None,
        typer.Option(
            help="Store directory, created if missing, or an empty SPARQL engine's URL (env STACKATLAS_STORE)."
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite a store that already holds data (stop its server first)."),
    ] = False,
    allow_invalid: Annotated[
        bool, typer.Option("--allow-invalid", help="Import even when the data has SHACL violations.")
    ] = False,
) -> None:
    """Import the catalog from files into an on-disk store, validated first.

    Refuses a store that already holds data unless --replace. Exit 0 when
    imported, 2 on unreadable input, violations or a busy store.
    """
    from .loader import catalog_sources
    from .persistence import default_store, import_store, say
    from .store.remote import is_remote

    if store is None:
        from .config import Settings

        store = Settings().store_url
    if is_remote(store):
        from .remote_import import import_remote

        assert store is not None
        import_remote(store, catalog_sources(data), allow_invalid=allow_invalid)
        return
    directory = default_store(Path(store) if store is not None else None)
    imported = import_store(directory, catalog_sources(data), replace=replace, allow_invalid=allow_invalid)
    say(f"store {directory}: imported {len(imported):,} quads at generation {imported.generation}")
    imported.close()


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL) that `serve` exposes at /graphql."""
    from .config import Settings
    from .graphql import build_schema

    print(build_schema(Settings()).as_str())


export_app = typer.Typer(help="Write the catalog for other tools: integration maps and whole-graph files.")
app.add_typer(export_app, name="export")


@export_app.command("map")
def export_map(
    format: Annotated[
        str, typer.Option("--format", "-f", help="mermaid, dot, graphml, cytoscape, json or csv.")
    ],
    vendor: Annotated[
        list[str] | None, typer.Option("--vendor", "-v", help="Start from this vendor slug (repeatable).")
    ] = None,
    depth: Annotated[int, typer.Option(help="Hops from the vendors (0-10).")] = 1,
    layer: Annotated[
        list[str] | None, typer.Option(help="Keep only vendors in this layer, L1-L7 (repeatable).")
    ] = None,
    direction: Annotated[str, typer.Option(help="upstream, downstream or both (integrations only).")] = "both",
    kind: Annotated[
        list[str] | None,
        typer.Option(help="integration, alternative or mention (repeatable; default integration+alternative)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write, else stdout.")] = None,
    data: Annotated[
        list[Path] | None, typer.Option(help="Data file or directory, repeatable (default the shipped data).")
    ] = None,
) -> None:
    """Export an integration map of the selected vendors and relations."""
    from .export.command import export_map as run

    run(format, vendor or [], depth, layer or [], direction, kind or [], output, data or None)


@export_app.command("graph")
def export_graph(
    format: Annotated[
        str, typer.Option("--format", "-f", help="turtle, ntriples, jsonld, trig or nquads.")
    ] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write, else stdout.")] = None,
    data: Annotated[
        list[Path] | None, typer.Option(help="Data file or directory, repeatable (default the shipped data).")
    ] = None,
) -> None:
    """Export the whole graph (union graph, or the dataset with one graph per source file)."""
    from .export.command import export_graph as run

    run(format, output, data or None)


@export_app.command("files")
def export_files(
    directory: Annotated[Path, typer.Argument(help="Directory to write (the graph_data/ layout).")],
    store: Annotated[Path | None, typer.Option(help="Store directory (env STACKATLAS_STORE).")] = None,
) -> None:
    """Write the store as files, one Turtle file per named graph, for review in git.

    RDF files in DIRECTORY that no graph maps to are removed, so importing
    DIRECTORY gives the same store back.
    """
    from .export.files import export_files as run
    from .persistence import default_store, open_reader, say

    written, removed = run(open_reader(default_store(store)), directory)
    say(f"wrote {len(written)} files to {directory}" + (f", removed {len(removed)}" if removed else ""))


class QueryFormat(StrEnum):
    json = "json"
    xml = "xml"
    csv = "csv"
    tsv = "tsv"
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


@app.command()
def query(
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The SPARQL query.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from this file.")] = None,
    format: Annotated[
        QueryFormat | None,
        typer.Option("--format", "-f", help="Result format (default json for SELECT/ASK, ttl for graphs)."),
    ] = None,
    data: Annotated[
        list[Path] | None, typer.Option(help="Data file or directory, repeatable (default the shipped data).")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Time limit in seconds (default: env STACKATLAS_SPARQL_TIMEOUT, else 10)."),
    ] = None,
) -> None:
    """Run a read-only SPARQL query on the local data and print the result."""
    from .sparql.cli import run

    run(text, file, format.value if format else None, data or None, timeout)


token_app = typer.Typer(help="Bearer tokens for writes (kept in the store as hashes; docs/writes.md).")
app.add_typer(token_app, name="token")


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


StoreOption = Annotated[
    str, typer.Option("--store", help="The on-disk store directory (serve --store DIR) or SPARQL engine URL.")
]
DirectoryOption = Annotated[
    Path, typer.Option("--store", help="The on-disk store directory (serve --store DIR).")
]


@token_app.command("add")
def token_add(
    name: Annotated[str, typer.Argument(help="Who the token is for; recorded as the author of its writes.")],
    store: StoreOption,
    scope: Annotated[
        Scope, typer.Option("--scope", help="read, write (vendor graphs) or admin.")
    ] = Scope.write,
) -> None:
    """Create a token and print it once; only its hash is kept."""
    from .auth.cli import add

    add(store, name, scope.value)


@token_app.command("list")
def token_list(store: StoreOption) -> None:
    """List the tokens' names, scopes and creation times (never the tokens)."""
    from .auth.cli import show

    show(store)


@token_app.command("revoke")
def token_revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")],
    store: StoreOption,
) -> None:
    """Revoke a token at once: requests carrying it get 401."""
    from .auth.cli import revoke

    raise typer.Exit(revoke(store, name))


class FeedFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


@app.command()
def changes(
    store: DirectoryOption,
    since: Annotated[str, typer.Option(help="The cursor: show the commits after this number (0: all).")] = "0",
    vendor: Annotated[str | None, typer.Option(help="Only commits touching this vendor (id).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only changes of this kind (docs/history.md).")] = None,
    limit: Annotated[int, typer.Option(help="Commits looked at, at most (1-1000).")] = 100,
    format: Annotated[FeedFormat, typer.Option("--format", "-f", help="text or jsonl.")] = FeedFormat.text,
) -> None:
    """The change feed: commits after --since with their changes; the next cursor goes to stderr."""
    from .feed.cli import run

    run(store, since, vendor, kind, limit, format.value)


webhook_app = typer.Typer(help="Webhooks: signed commit events sent to the operator's URLs (docs/webhooks.md).")
app.add_typer(webhook_app, name="webhook")


@webhook_app.command("add")
def webhook_add(
    url: Annotated[str, typer.Argument(help="Where to POST the events; its host must be in webhook_hosts.")],
    store: DirectoryOption,
    vendor: Annotated[
        list[str] | None, typer.Option(help="Only commits touching this vendor (repeatable).")
    ] = None,
    certification: Annotated[
        list[str] | None, typer.Option(help="Only commits naming this certification (repeatable).")
    ] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only changes of this kind (repeatable).")] = None,
) -> None:
    """Register a webhook; prints it with its signing secret, shown only this once."""
    from .config import Settings
    from .webhooks.cli import add

    add(store, url, vendor or [], certification or [], kind or [], Settings())


@webhook_app.command("list")
def webhook_list(store: DirectoryOption) -> None:
    """List the webhooks: id, URL, how far delivered, filter (never the secret)."""
    from .webhooks.cli import show

    show(store)


@webhook_app.command("remove")
def webhook_remove(
    ident: Annotated[str, typer.Argument(help="The webhook's id.")], store: DirectoryOption
) -> None:
    """Remove a webhook with its cursor and delivery log."""
    from .webhooks.cli import remove

    remove(store, ident)


@webhook_app.command("deliveries")
def webhook_deliveries(
    ident: Annotated[str, typer.Argument(help="The webhook's id.")],
    store: DirectoryOption,
    limit: Annotated[int, typer.Option(help="Entries, newest first.")] = 50,
) -> None:
    """The webhook's delivery log: one line per attempt, newest first."""
    from .webhooks.cli import deliveries

    deliveries(store, ident, limit)


@app.command()
def history(
    vendor: Annotated[str, typer.Argument(help="The vendor's id (slug), e.g. dagster.")],
    store: StoreOption,
    limit: Annotated[int, typer.Option(help="How many commits, newest first.")] = 20,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Print the vendor's graphs as of this point instead (N-Quads, canonical, sorted)."
        ),
    ] = None,
) -> None:
    """The commits that changed a vendor, newest first, with the changes in the catalog's words."""
    from .history.cli import history as show

    show(store, vendor, limit, as_of)


@app.command()
def diff(
    store: StoreOption,
    start: Annotated[str, typer.Option("--from", help="A date, date-time, commit number or release tag.")],
    end: Annotated[str, typer.Option("--to", help="A date, date-time, commit number or release tag.")],
    vendor: Annotated[str | None, typer.Argument(help="A vendor's id; without it, the whole catalog.")] = None,
) -> None:
    """What changed between two points of the history, for one vendor or the whole catalog."""
    from .history.cli import diff as show

    show(store, vendor, start, end)


@app.command()
def release(
    store: StoreOption,
    tag: Annotated[str | None, typer.Argument(help="The release's name, e.g. 2026-Q3.")] = None,
    message: Annotated[str | None, typer.Option(help="Why this state is named.")] = None,
    by: Annotated[str, typer.Option(help="Who names it (recorded as the commit's agent).")] = "operator",
    list_: Annotated[bool, typer.Option("--list", help="List the releases instead.")] = False,
    dump: Annotated[
        bool, typer.Option("--dump", help="Print the release's reproducible N-Quads dump.")
    ] = False,
) -> None:
    """Name the catalog's current state TAG (a commit in the store), list releases, or dump one."""
    from .history.cli import release as run

    run(store, tag, by=by, message=message, show=list_, dump=dump)


def main() -> None:
    try:
        app()
    except StackatlasError as exc:
        print(f"stackatlas: {exc}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:
        # A bug, not bad input: still one line for the user, the traceback on
        # request so it can be reported.
        if os.environ.get("STACKATLAS_DEBUG"):
            raise
        print(
            f"stackatlas: internal error: {type(exc).__name__}: {exc} "
            "(set STACKATLAS_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        sys.exit(70)
