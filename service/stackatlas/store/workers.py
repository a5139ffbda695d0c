"""Run user SPARQL queries in worker processes that can be killed.

pyoxigraph has no query timeout and a running query cannot be interrupted
from Python, so the only hard time limit that really frees the CPU is to run
the query in a process and kill that process. A zygote process loads a
snapshot of the store (N-Quads) into an in-memory pyoxigraph store once and
forks the workers: they share the loaded store copy-on-write, query it at
in-memory speed, and a killed worker is replaced by a new fork at once. The
workers answer with bytes pyoxigraph has already serialised, cut off at a
size cap.

The event loop never blocks: each exchange with a worker runs in a thread of
the pool's own executor and is awaited with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

import pyoxigraph as ox

from .. import formats
from ..errors import (
    ClientShareExceeded,
    MalformedQuery,
    QueryError,
    QueryFailed,
    QueryTimeout,
    RefusedQuery,
    ResultTooLarge,
    UnacceptableResult,
    Unavailable,
    excerpt,
)
from ..vocab import PREFIXES
from .base import QueryAnswer, QueryRequest
from .query_safety import check

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_RETRY_FIRST, _RETRY_MAX = 1.0, 30.0  # seconds between attempts to replace a worker
_ZYGOTE_COMMAND = "from stackatlas.store.workers import zygote; zygote()"

__all__ = ["EngineCrashed", "QueryAnswer", "QueryPool", "QueryRequest", "load_snapshot", "zygote"]


class EngineCrashed(QueryFailed):
    """The engine panicked on this query; its worker is replaced (HTTP 500, one line)."""


_ERRORS: dict[str, type[QueryError]] = {
    "malformed": MalformedQuery,
    "refused": RefusedQuery,
    "unacceptable": UnacceptableResult,
    "too_large": ResultTooLarge,
    "crashed": EngineCrashed,
    "failed": QueryFailed,
}


def one_line(message: str, limit: int = 400) -> str:
    """Parser messages can list dozens of expected tokens over several lines; keep one readable line."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TooLarge(Exception):
    pass


class _CappedBuffer:
    """A binary sink for pyoxigraph's serialisers that refuses to grow past a cap.

    Raising from ``write`` aborts the serialisation (and with it the query) as
    soon as the cap is crossed, instead of building an oversized answer first.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts are joined once the serialiser is done."""


def _graphs(iris: tuple[str, ...], parameter: str) -> list[ox.NamedNode]:
    nodes = []
    for iri in iris:
        try:
            nodes.append(ox.NamedNode(iri))
        except ValueError:
            raise MalformedQuery(f"{parameter} is not a valid IRI: {excerpt(iri)!r}") from None
    return nodes


def _evaluate(store: ox.Store, request: QueryRequest) -> tuple[bytes, str]:
    found = check(request.query, request.allowlist, request.max_depth)
    options: dict[str, object] = {}
    if request.default_graph is not None:
        options["default_graph"] = _graphs(request.default_graph, "default-graph-uri")
    if request.named_graphs is not None:
        options["named_graphs"] = _graphs(request.named_graphs, "named-graph-uri")
    if not options and not found.has_dataset_clause:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(request.query, prefixes=PREFIXES, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise MalformedQuery(f"malformed SPARQL query: {one_line(str(exc))}") from exc
    if isinstance(result, ox.QueryTriples):
        media_type, kind, offered = request.graph_format, "CONSTRUCT/DESCRIBE", formats.GRAPH
        fmt: ox.RdfFormat | ox.QueryResultsFormat | None = (
            ox.RdfFormat.from_media_type(media_type) if media_type else None
        )
    else:
        media_type, kind, offered = request.solutions_format, "SELECT/ASK", formats.SOLUTIONS
        fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if media_type is None or fmt is None:
        raise UnacceptableResult(
            f"the requested format cannot carry a {kind} result; available: {', '.join(offered)}"
        )
    sink = _CappedBuffer(request.max_bytes)
    try:
        result.serialize(sink, format=fmt)  # type: ignore[arg-type]
    except _TooLarge:
        raise ResultTooLarge(
            f"the result is larger than the {request.max_bytes:,} byte limit; add a LIMIT or narrow the query"
        ) from None
    return b"".join(sink.parts), media_type


def _die_with_server(conn: Connection) -> None:
    """Exit the moment the server's end of ``conn`` closes, even mid-query.

    The server holds the only other end of the socket, so a hang-up means the
    server is gone (or dropped this worker), however it died: SIGKILL
    included. The query runs in Rust with the GIL released, so this thread
    gets to run while it does.
    """
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLRDHUP | select.POLLHUP | select.POLLERR)
    while True:
        for _, events in poller.poll():
            if events & (select.POLLRDHUP | select.POLLHUP | select.POLLERR):
                os._exit(0)


def _worker_main(conn: Connection, store: ox.Store) -> None:
    """Worker process: answer requests from the socket until it closes."""
    threading.Thread(target=_die_with_server, args=(conn,), daemon=True).start()
    conn.send("ready")
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        try:
            body, media_type = _evaluate(store, request)
        except QueryError as exc:
            kind = next(k for k, cls in _ERRORS.items() if isinstance(exc, cls))
            conn.send((kind, str(exc)))
            continue
        except Exception as exc:  # reported to the client as a 500 with this message
            conn.send(("failed", f"query evaluation failed: {type(exc).__name__}: {one_line(str(exc), 200)}"))
            continue
        except BaseException as exc:  # a Rust panic (pyo3's PanicException): the engine's state is unknown
            conn.send(("crashed", f"the query engine crashed on this query: {one_line(str(exc), 200)}"))
            os._exit(70)
        conn.send(("ok", media_type))
        conn.send_bytes(body)


def load_snapshot(snapshot: Path) -> ox.Store:
    """The in-memory store the zygote holds; ``bench/`` loads it the same way to compare."""
    store = ox.Store()
    store.load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
    return store


def zygote() -> None:
    """Entry point of the zygote process: ``argv`` is the control socket's fd, the snapshot, quiet/debug.

    It loads the snapshot into an in-memory store once, then forks a worker
    for every request. A fork is ready at once and shares the loaded store
    copy-on-write, so replacing a killed worker costs nothing even for a big
    catalog. The zygote runs no other thread, which is what makes forking it
    safe. SIGCHLD is ignored so the kernel reaps the workers the server kills.

    The zygote exits when the server's end of the control socket closes (the
    server died, however); each worker watches its own socket the same way
    (:func:`_die_with_server`). Unless ``debug``, a worker's stderr goes to
    /dev/null: an engine panic prints a Rust backtrace there, and the server
    logs one line per crashed query instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control = Connection(int(sys.argv[1]))
    store = load_snapshot(Path(sys.argv[2]))
    quiet = sys.argv[3] != "debug"
    control.send("ready")
    while True:
        try:
            control.recv()
            fd = recv_handle(control)
        except EOFError:
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            if quiet:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            code = 0
            try:
                _worker_main(Connection(fd), store)
            except BaseException:
                traceback.print_exc()  # to /dev/null unless debug
                code = 1
            os._exit(code)
        os.close(fd)
        control.send(pid)


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: Connection

    def exchange(self, request: QueryRequest) -> QueryAnswer:
        """Blocking round trip; runs in an executor thread."""
        self.conn.send(request)
        status, detail = self.conn.recv()
        if status != "ok":
            raise _ERRORS[status](detail)
        return QueryAnswer(self.conn.recv_bytes(), detail)

    def kill(self) -> None:
        """Kill the process now, without waiting; the thread in :meth:`exchange` then sees EOF."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Kill the process (it may be mid-query) and wait until it is gone."""
        self.conn.close()
        with contextlib.suppress(ProcessLookupError):  # it already exited
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.01)
        raise QueryFailed(f"SPARQL worker {self.pid} survived SIGKILL")


class _Zygote:
    """The server's handle on the zygote process: start it, ask it for workers, stop it."""

    def __init__(self, snapshot: Path, debug: bool = False) -> None:
        ours, theirs = socket.socketpair()
        package_root = Path(__file__).resolve().parents[2]
        path = os.pathsep.join(filter(None, [str(package_root), os.environ.get("PYTHONPATH")]))
        with theirs:
            # A fresh interpreter, not a multiprocessing spawn: it never re-imports
            # the parent's __main__ (which breaks unguarded scripts).
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _ZYGOTE_COMMAND,
                    str(theirs.fileno()),
                    str(snapshot),
                    "debug" if debug else "quiet",
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        self.conn = Connection(ours.detach())
        self.lock = threading.Lock()
        try:
            self._await_ready(self.conn, "the SPARQL worker zygote")
        except QueryFailed:
            self.stop()  # a zygote still loading past the limit must not linger
            raise

    def _await_ready(self, conn: Connection, what: str) -> None:
        if not conn.poll(_START_TIMEOUT):
            raise QueryFailed(f"{what} did not start within {_START_TIMEOUT:g} s")
        try:
            conn.recv()
        except EOFError:
            raise QueryFailed(f"{what} exited on start (exit code {self.process.poll()})") from None

    def fork(self) -> _Worker:
        """A new worker; blocking, runs in an executor thread."""
        ours, theirs = socket.socketpair()
        with theirs, self.lock:
            self.conn.send("fork")
            send_handle(self.conn, theirs.fileno(), self.process.pid)
            pid = self.conn.recv()
        conn = Connection(ours.detach())
        self._await_ready(conn, "a SPARQL worker")
        return _Worker(pid, conn)

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.wait()


class QueryPool:
    """A fixed number of warm worker processes, forked from a zygote holding the store.

    ``per_client`` bounds the queries one client (IP address) may have running
    or waiting at once, so no single client can hold the whole pool.
    """

    def __init__(
        self, snapshot: Path, size: int, *, per_client: int | None = None, debug: bool = False
    ) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.snapshot = snapshot
        self.size = size
        self.per_client = per_client or size
        self.debug = debug
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 1, thread_name_prefix="sparql")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._busy: set[_Worker] = set()
        self._clients: Counter[str] = Counter()
        self._replacing: set[asyncio.Task[None]] = set()
        self._zygote: _Zygote | None = None
        self._restarting = asyncio.Lock()
        self._closing: str | None = None
        self._closed = asyncio.Event()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        zygote = self._zygote = await loop.run_in_executor(self._threads, _Zygote, self.snapshot, self.debug)
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, zygote.fork) for _ in range(self.size))
        )
        for worker in workers:
            self._all.add(worker)
            self._idle.put_nowait(worker)

    def unavailable(self) -> str | None:
        """Why no query can be answered now, or None."""
        if self._closing is not None:
            return self._closing
        if not self._all:
            return "no SPARQL worker is running (they are being replaced)"
        return None

    async def execute(self, request: QueryRequest, timeout: float, client: str = "") -> QueryAnswer:
        """Run one query within ``timeout`` seconds, waiting for a free worker included.

        Raises :class:`QueryTimeout` after killing the worker (a fresh one is
        started in the background), :class:`ClientShareExceeded` when
        ``client`` already has its share of queries in flight,
        :class:`Unavailable` once the pool is closing, or the worker's error.
        Cancelling the call (the client went away) kills the worker at once.
        """
        if self._closing is not None:
            raise Unavailable(self._closing)
        if self._clients[client] >= self.per_client:
            raise ClientShareExceeded(
                f"this client already has {self._clients[client]} SPARQL queries running or waiting, "
                "its share of the endpoint (sparql_queries_per_client); wait for one to finish"
            )
        self._clients[client] += 1
        try:
            return await self._execute(request, timeout)
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]

    async def _take(self, timeout: float) -> _Worker:
        """An idle worker within ``timeout`` seconds, unless the pool closes first."""
        get = asyncio.ensure_future(self._idle.get())
        closed = asyncio.ensure_future(self._closed.wait())
        try:
            await asyncio.wait({get, closed}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled while waiting: a worker taken meanwhile goes back
            closed.cancel()
            if get.done() and not get.cancelled():
                self._idle.put_nowait(get.result())
            get.cancel()
            raise
        closed.cancel()
        if get.done():
            worker = get.result()
            if self._closing is None:
                return worker
            self._idle.put_nowait(worker)
        get.cancel()
        if self._closing is not None:
            raise Unavailable(self._closing)
        raise QueryTimeout(f"no SPARQL worker became free within the {timeout:g} s time limit; try again later")

    async def _execute(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._take(timeout)
        self._busy.add(worker)
        future = loop.run_in_executor(self._threads, worker.exchange, request)
        try:
            answer = await asyncio.wait_for(future, max(deadline - loop.time(), 0.001))
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"the query ran past its {timeout:g} s time limit and was stopped") from None
        except EngineCrashed as exc:
            self._replace(worker)
            log.warning("SPARQL worker %d crashed on a query (replaced): %s", worker.pid, exc)
            raise
        except QueryError:
            self._release(worker)
            raise
        except (EOFError, OSError) as exc:
            self._replace(worker)
            if self._closing is not None:
                raise Unavailable(f"{self._closing}; the query was stopped") from None
            log.warning("SPARQL worker %d died during a query (replaced): %r", worker.pid, exc)
            raise QueryFailed("the query crashed its SPARQL worker process (it was replaced)") from None
        except BaseException:
            self._replace(worker)  # cancelled mid-exchange (client gone): the pipe state is unknown
            raise
        self._release(worker)
        return answer

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        worker.kill()  # now, not when the replacement task gets to it
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        self._all.discard(worker)
        await loop.run_in_executor(self._threads, worker.stop)
        delay = _RETRY_FIRST
        while self._closing is None:
            zygote = self._zygote
            assert zygote is not None
            try:
                fresh = await loop.run_in_executor(self._threads, zygote.fork)
            except (QueryFailed, OSError, EOFError):
                if zygote.process.poll() is None:
                    log.exception(
                        "could not fork a SPARQL worker; %d left, retrying in %g s", len(self._all), delay
                    )
                elif await self._restart_zygote(zygote):
                    continue
                await asyncio.sleep(delay)
                delay = min(2 * delay, _RETRY_MAX)
                continue
            self._all.add(fresh)
            self._idle.put_nowait(fresh)
            return

    async def _restart_zygote(self, dead: _Zygote) -> bool:
        """Replace a zygote that exited (e.g. OOM-killed); True once a live one is in place.

        The workers it forked are separate processes and keep serving; only
        replacements need a zygote. Several respawns may notice the death at
        once: the lock lets the first restart it and the others fork from the
        new one.
        """
        async with self._restarting:
            if self._zygote is not dead:
                return True
            loop = asyncio.get_running_loop()
            log.error(
                "the SPARQL worker zygote exited with status %s; starting a new one (%d workers left)",
                dead.process.returncode,
                len(self._all),
            )
            await loop.run_in_executor(self._threads, dead.stop)
            try:
                self._zygote = await loop.run_in_executor(self._threads, _Zygote, self.snapshot, self.debug)
            except (QueryFailed, OSError):
                log.exception("could not start a new SPARQL worker zygote")
                return False
            log.info("a new SPARQL worker zygote is running (pid %d)", self._zygote.process.pid)
            return True

    def abort(self, reason: str) -> None:
        """Refuse new queries and kill the running ones: their callers get :class:`Unavailable`."""
        if self._closing is None:
            self._closing = reason
        self._closed.set()
        for worker in list(self._busy):
            worker.kill()

    async def close(self, reason: str = "the SPARQL endpoint is shutting down") -> None:
        self.abort(reason)
        for task in list(self._replacing):
            task.cancel()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.stop) for w in self._all))
        self._all.clear()
        if self._zygote is not None:
            await loop.run_in_executor(self._threads, self._zygote.stop)
        self._threads.shutdown(wait=False, cancel_futures=True)
