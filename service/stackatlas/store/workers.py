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
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, QueryTimeout, ResultTooLarge
from ..vocab import PREFIXES

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_RETRY_FIRST, _RETRY_MAX = 1.0, 30.0  # seconds between attempts to replace a worker
_ZYGOTE_COMMAND = "from stackatlas.store.workers import zygote; zygote()"


class MalformedQuery(QueryError):
    """The query does not parse; the message carries the parser's position (HTTP 400)."""


class UnacceptableResult(QueryError):
    """The query's result kind cannot be given in any of the requested formats (HTTP 406)."""


class QueryFailed(QueryError):
    """The query could not be evaluated (HTTP 500 with the message)."""


_ERRORS: dict[str, type[QueryError]] = {
    "malformed": MalformedQuery,
    "unacceptable": UnacceptableResult,
    "too_large": ResultTooLarge,
    "failed": QueryFailed,
}


@dataclass(frozen=True)
class QueryRequest:
    """One query as the protocol layer resolved it.

    ``solutions_format`` (SELECT/ASK) and ``graph_format`` (CONSTRUCT/DESCRIBE)
    are media types, or None when the client accepts no format for that kind
    of result: the worker learns the kind only once the query is parsed.
    ``default_graph``/``named_graphs`` are the protocol's explicit dataset;
    ``union_default_graph`` is used only when neither they nor a FROM clause
    define one.
    """

    query: str
    solutions_format: str | None
    graph_format: str | None
    max_bytes: int
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    media_type: str


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


def _evaluate(store: ox.Store, request: QueryRequest) -> tuple[bytes, str]:
    options: dict[str, object] = {}
    if request.default_graph is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graph]
    if request.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    if not options and request.union_default_graph:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(request.query, prefixes=PREFIXES, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise MalformedQuery(f"malformed SPARQL query: {one_line(str(exc))}") from exc
    if isinstance(result, ox.QueryTriples):
        media_type, kind = request.graph_format, "CONSTRUCT/DESCRIBE"
        fmt: ox.RdfFormat | ox.QueryResultsFormat | None = (
            ox.RdfFormat.from_media_type(media_type) if media_type else None
        )
    else:
        media_type, kind = request.solutions_format, "SELECT/ASK"
        fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if media_type is None or fmt is None:
        raise UnacceptableResult(f"the requested format cannot carry a {kind} result")
    sink = _CappedBuffer(request.max_bytes)
    try:
        result.serialize(sink, format=fmt)  # type: ignore[arg-type]
    except _TooLarge:
        raise ResultTooLarge(
            f"the result is larger than the {request.max_bytes:,} byte limit; add a LIMIT or narrow the query"
        ) from None
    return b"".join(sink.parts), media_type


def _worker_main(conn: Connection, store: ox.Store) -> None:
    """Worker process: answer requests from the socket until it closes."""
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
            conn.send(("failed", f"query evaluation failed: {type(exc).__name__}: {exc}"))
            continue
        conn.send(("ok", media_type))
        conn.send_bytes(body)


def load_snapshot(snapshot: Path) -> ox.Store:
    """The in-memory store the zygote holds; ``bench/`` loads it the same way to compare."""
    store = ox.Store()
    store.load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
    return store


def zygote() -> None:
    """Entry point of the zygote process: ``argv`` is the control socket's fd and the snapshot.

    It loads the snapshot into an in-memory store once, then forks a worker
    for every request. A fork is ready at once and shares the loaded store
    copy-on-write, so replacing a killed worker costs nothing even for a big
    catalog. The zygote runs no other thread, which is what makes forking it
    safe. SIGCHLD is ignored so the kernel reaps the workers the server kills.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control = Connection(int(sys.argv[1]))
    store = load_snapshot(Path(sys.argv[2]))
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
            code = 0
            try:
                _worker_main(Connection(fd), store)
            except BaseException:
                traceback.print_exc()
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

    def __init__(self, snapshot: Path) -> None:
        ours, theirs = socket.socketpair()
        package_root = Path(__file__).resolve().parents[2]
        path = os.pathsep.join(filter(None, [str(package_root), os.environ.get("PYTHONPATH")]))
        with theirs:
            # A fresh interpreter, not a multiprocessing spawn: it never re-imports
            # the parent's __main__ (which breaks unguarded scripts).
            self.process = subprocess.Popen(
                [sys.executable, "-c", _ZYGOTE_COMMAND, str(theirs.fileno()), str(snapshot)],
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
    """A fixed number of warm worker processes, forked from a zygote holding the store."""

    def __init__(self, snapshot: Path, size: int) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.snapshot = snapshot
        self.size = size
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 1, thread_name_prefix="sparql")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._replacing: set[asyncio.Task[None]] = set()
        self._zygote: _Zygote | None = None
        self._restarting = asyncio.Lock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        zygote = self._zygote = await loop.run_in_executor(self._threads, _Zygote, self.snapshot)
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, zygote.fork) for _ in range(self.size))
        )
        for worker in workers:
            self._all.add(worker)
            self._idle.put_nowait(worker)

    async def execute(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        """Run one query within ``timeout`` seconds, waiting for a free worker included.

        Raises :class:`QueryTimeout` after killing the worker (a fresh one is
        started in the background), or the worker's error.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise QueryTimeout(
                f"no SPARQL worker became free within the {timeout:g} s time limit; try again later"
            ) from None
        future = loop.run_in_executor(self._threads, worker.exchange, request)
        try:
            answer = await asyncio.wait_for(future, max(deadline - loop.time(), 0.001))
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"the query ran past its {timeout:g} s time limit and was stopped") from None
        except QueryError:
            self._idle.put_nowait(worker)
            raise
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryFailed(f"the SPARQL worker stopped unexpectedly ({exc!r})") from exc
        except BaseException:
            self._replace(worker)  # cancelled mid-exchange: the pipe state is unknown
            raise
        self._idle.put_nowait(worker)
        return answer

    def _replace(self, worker: _Worker) -> None:
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _respawn(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        self._all.discard(worker)
        await loop.run_in_executor(self._threads, worker.stop)
        delay = _RETRY_FIRST
        while True:
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
                self._zygote = await loop.run_in_executor(self._threads, _Zygote, self.snapshot)
            except (QueryFailed, OSError):
                log.exception("could not start a new SPARQL worker zygote")
                return False
            log.info("a new SPARQL worker zygote is running (pid %d)", self._zygote.process.pid)
            return True

    async def close(self) -> None:
        for task in list(self._replacing):
            task.cancel()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.stop) for w in self._all))
        self._all.clear()
        if self._zygote is not None:
            await loop.run_in_executor(self._threads, self._zygote.stop)
        self._threads.shutdown(wait=False, cancel_futures=True)
