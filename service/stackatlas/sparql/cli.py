"""``stackatlas query``: a SPARQL query on local data, with the endpoint's formats and limits.

It goes through the same checks (read-only, SERVICE allow-list) and the same
killable worker process as the HTTP endpoint, so ``--timeout`` really stops
a runaway query.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from .. import formats
from ..config import Settings
from ..errors import InputError
from ..store import open_catalog
from ..store.base import QueryAnswer, UserQueryLimits
from .execution import query_request, time_limit


def read_query(query: str | None, file: Path | None) -> str:
    if (query is None) == (file is None):
        raise InputError("give a query either as an argument or with --file, not both or neither")
    if query is not None:
        return query
    assert file is not None
    try:
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _formats(name: str | None) -> tuple[str | None, str | None]:
    """Media types for SELECT/ASK and for CONSTRUCT/DESCRIBE results."""
    if name is None:
        return formats.SOLUTIONS[0], formats.GRAPH[0]
    solutions = formats.ALIASES.get(name)
    graph = formats.GRAPH_ALIASES.get(name)
    return (
        solutions if solutions in formats.SOLUTIONS else None,
        graph if graph in formats.GRAPH else None,
    )


async def _execute(settings: Settings, query: str, fmt: str | None, timeout: float) -> QueryAnswer:
    store = open_catalog(settings.data)
    solutions, graph = _formats(fmt)
    request = query_request(settings, query, solutions_format=solutions, graph_format=graph)
    await store.start_user_queries(UserQueryLimits(workers=1, debug=settings.log_level == "debug"))
    try:
        return await store.run_user_query(request, timeout, "cli")
    finally:
        await store.stop_user_queries()


def run(
    query: str | None, file: Path | None, fmt: str | None, data: list[Path] | None, timeout: float | None
) -> None:
    """Print the answer to stdout; every failure is a one-line :class:`~stackatlas.errors.StackatlasError`."""
    text = read_query(query, file)
    settings = Settings(data=data) if data else Settings()
    limit = time_limit(timeout, settings)
    answer = asyncio.run(_execute(settings, text, fmt, limit))
    sys.stdout.buffer.write(answer.body)
    if sys.stdout.isatty() and not answer.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()
