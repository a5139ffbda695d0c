"""The on-disk store: one RocksDB store in a directory, shared by every process that serves it.

Layout of a store directory (see ``docs/persistence.md``)::

    stackatlas-store.json   the marker: generation, published copy, validation record
    writer.lock             flock(2) held by the one process that may write
    primary/                the read-write RocksDB store (only the lock holder opens it)
    public/                 the primary without the system graphs, kept in step by the writer
    checkpoints/NNNNNNNNNN/ read-only copies, one per published generation (and NNNNNNNNNN.public/)

RocksDB lets one process open a store read-write, and reading a store that
another process writes is undefined behaviour in pyoxigraph (it has no
secondary mode). So the writer publishes: after each commit it makes a
RocksDB checkpoint of the primary (hard links, milliseconds) and then
replaces the marker, naming the new copy and the next generation. Every
other process (uvicorn workers, SPARQL workers, ``stackatlas validate --store``)
reads a checkpoint read-only and, before each read, looks at the marker's
file metadata: when it moved, it opens the new checkpoint. A checkpoint never
changes, so readers see either the old or the new state, never half a write.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph  # for annotations inside classes, where `ox` names the store property
import pyoxigraph as ox

from ..errors import InputError
from ..loader import SourceFile
from .base import UserQueryLimits
from .changes import Quad
from .dataset import is_system_graph
from .marker import CheckpointReader, Marker, read_marker, write_marker
from .oxigraph import OxigraphStore
from .workers import QueryPool

PRIMARY = "primary"
MIRROR = "public"
CHECKPOINTS = "checkpoints"
LOCK_NAME = "writer.lock"
_KEEP_SUPERSEDED = 600.0
"""Seconds a superseded checkpoint is kept: longer than any query may run on it (sparql_timeout_cap)."""


class StoreBusy(InputError):
    """Another process holds the store's writer lock (a running server, an import)."""


class WriterLock:
    """The exclusive ``flock`` on ``writer.lock``: who holds it may open the primary store.

    The kernel drops the lock when its holder dies, however it dies
    (``kill -9`` included), so a crashed writer never blocks the next one.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, *, wait: bool) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreBusy(
                f"{self.path.parent}: the store is in use by another writer (pid {holder}); "
                "stop that server or command first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


_OPEN_RETRY = 10.0


def _open_primary(directory: Path) -> pyoxigraph.Store:
    """Open the read-write store; retried briefly, because a writer that has just released the lock
    may not have dropped its last reference to the primary yet (RocksDB keeps its own LOCK until then).

    An import that replaced the primary and died between its two renames left
    it as ``primary.old``: that is put back rather than a new empty store made.
    """
    primary, old = directory / PRIMARY, directory / f"{PRIMARY}.old"
    if not primary.exists() and old.exists():
        old.rename(primary)
    deadline = time.monotonic() + _OPEN_RETRY
    while True:
        try:
            return ox.Store(str(directory / PRIMARY))
        except OSError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise StoreBusy(f"{directory}: cannot open the store for writing ({exc})") from exc
            time.sleep(0.05)


class PersistentStore(OxigraphStore):
    """An on-disk store; ``writer=True`` takes the writer lock and opens the primary for the process' lifetime.

    A reader (``writer=False``) reads the published checkpoints and can still
    write through :meth:`exclusive`, which takes the lock and opens the
    primary for the length of one write: that is how a uvicorn worker of a
    ``--workers N`` server commits (see ``docs/persistence.md``).
    """

    def __init__(self, directory: Path | str, *, writer: bool, lock: WriterLock | None = None) -> None:
        self.directory = Path(directory)
        super().__init__()
        self.path = self.directory
        self._lock = lock or WriterLock(self.directory)
        self._sizes: tuple[int, int] | None = None
        self._primary: ox.Store | None = None
        self._reader = CheckpointReader(self.directory)
        self._public_reader = CheckpointReader(self.directory, public=True)
        self._marker = read_marker(self.directory) or Marker()
        self._holds = writer
        self._mirror: ox.Store | None = None
        """The long-lived writer's copy of the primary without the system graphs (``public/``)."""
        self._pending: list[tuple[list[str], list[Quad]]] | None = None
        """What the primary got since the last publish, as commits to replay on the mirror (graphs
        replaced, quads inserted); ``None`` when unknown, and then the mirror is rebuilt."""
        self._told: bool | None = None
        """Whether the exclusive block in progress said what it did (a commit); ``None`` outside one."""
        if writer:
            if not self._lock.held:
                self._lock.acquire(wait=False)
            self._primary = _open_primary(self.directory)

    # -- reads -------------------------------------------------------------

    @property
    def ox(self) -> pyoxigraph.Store:
        """The full store (system graphs included) for the write paths: the primary in the process that
        holds it, else the latest full checkpoint, even while this process writes (the primary it opens
        for one write must close again the moment the write ends)."""
        if self._holds and self._primary is not None:
            return self._primary
        store, self._marker = self._reader.current()
        return store

    @property
    def reads(self) -> pyoxigraph.Store:
        # Every process, the writer included, reads the published copy without the
        # system graphs: a commit is published before it is acknowledged, so this
        # is read-your-writes, and Oxigraph's union of all graphs needs no filter.
        return self._public_reader.current()[0]

    def _dataset(self, store: pyoxigraph.Store) -> dict[str, object]:
        # The public copy holds no system graph by construction, so the union of its graphs is the
        # public dataset: no list of graphs to compute at every generation (tens of ms at 10k vendors).
        return {"use_default_graph_as_union": True}

    @property
    def generation(self) -> int:
        if not self._holds:
            self._marker = self._reader.current()[1]
        return self._marker.generation

    @property
    def marker(self) -> Marker:
        """The marker as this process last saw it (the writer's is always current)."""
        if not self._holds:
            self._marker = self._reader.current()[1]
        return self._marker

    # -- writes ------------------------------------------------------------

    @contextmanager
    def exclusive(self) -> Iterator[pyoxigraph.Store]:
        with self._writing:
            if self._primary is not None and self._lock.held:
                self._told = False
                try:
                    yield self._primary
                finally:
                    if not self._told:  # a change the mirror cannot replay, or none: rebuild to be sure
                        self._pending = None
                    self._told = None
                return
            self._lock.acquire(wait=True)
            try:
                self._marker = read_marker(self.directory) or Marker()
                self._primary = _open_primary(self.directory)
                try:
                    yield self._primary
                finally:
                    self._primary = None  # RocksDB closes when the last reference goes
            finally:
                self._lock.release()

    def bump_generation(self) -> None:
        """Publish the primary's state: a new checkpoint, then the marker naming it."""
        if self._primary is None:
            raise RuntimeError("bump_generation outside exclusive(): only the writer publishes")
        self.publish()

    def publish(self, **changes: object) -> Marker:
        """Checkpoint the primary as the next generation and point the marker at it (writer only)."""
        assert self._primary is not None
        # Replay on the mirror only what a commit told (else a rebuild: a change made some other way,
        # or a publish outside a write such as a start's).
        replay, self._pending = (self._pending if self._told else None), None
        generation = self._marker.generation + 1
        name = f"{CHECKPOINTS}/{generation:010d}"
        (self.directory / CHECKPOINTS).mkdir(exist_ok=True)
        target = self.directory / name
        staging = self.directory / CHECKPOINTS / f".{generation:010d}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)  # left by a writer that died before its marker
        try:
            self._primary.flush()
            self._primary.backup(str(staging))
            os.rename(staging, target)
            public = self._publish_public(name, replay)
        except BaseException:
            self._mirror = None  # it may have missed this commit: the next publish rebuilds it
            raise
        marker = Marker(
            generation=generation,
            checkpoint=name,
            public=public,
            sources=self._marker.sources,
            validation=self._marker.validation,
        )
        for key, value in changes.items():
            setattr(marker, key, value)
        write_marker(self.directory, marker)
        self._marker = marker
        self._pending = []  # the mirror is the primary without its system graphs again
        self._collect_checkpoints(keep=name)
        return marker

    def _applied(self, graphs: list[str], quads: list[Quad]) -> None:
        # The commit in progress replaced ``graphs`` with ``quads`` in the primary (nothing, when it
        # stopped before its update); the publish that follows applies the same to the mirror.
        self._told = True
        if self._pending is not None and graphs:
            self._pending.append((graphs, quads))

    def _system_graphs(self) -> list[pyoxigraph.NamedNode]:
        """The system graphs the primary holds (lists every graph: tens of ms at 10k vendors)."""
        assert self._primary is not None
        return [
            g for g in self._primary.named_graphs() if isinstance(g, ox.NamedNode) and is_system_graph(g.value)
        ]

    def _publish_public(self, name: str, replay: list[tuple[list[str], list[Quad]]] | None) -> str:
        """The copy of checkpoint ``name`` without the system graphs (the checkpoint itself without any).

        The long-lived writer keeps a mirror of the primary without the system
        graphs (``public/``, read-write, open as long as the primary): a commit
        replaces the same public graphs in it with the same quads, and its
        checkpoint is the public copy — a flush and hard links, no store
        opened. Any other publish (a start, an import, the ontology reloaded,
        an exclusive block that was not a commit) drops the mirror and is
        published the other way (below); the next commit then rebuilds the
        mirror from a checkpoint of the primary (~0.5 s at 10,000 vendors,
        once, paid by that commit rather than by the start), so it is never
        trusted across processes or restarts. A writer that opens the primary
        for one write only (``--workers N``) and every publish that is not a
        replayed commit make a second checkpoint of the primary and remove the
        system graphs from it.
        """
        assert self._primary is not None
        if self._holds and replay:
            if self._mirror is None:
                self._rebuild_mirror()  # from the primary as it is now, this commit included
            else:
                for graphs, quads in replay:
                    for replaced in graphs:
                        if not is_system_graph(replaced):
                            self._mirror.remove_graph(ox.NamedNode(replaced))
                    self._mirror.extend(
                        q
                        for q in quads
                        if not (isinstance(q.graph_name, ox.NamedNode) and is_system_graph(q.graph_name.value))
                    )
            assert self._mirror is not None
            return self._checkpoint(self._mirror, f"{name}.public")
        self._mirror = None  # behind whatever this publish is for: the next commit rebuilds it
        system = self._system_graphs()
        if not system:
            return name
        target = self.directory / f"{name}.public"
        staging = target.with_name(f".{target.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        self._primary.backup(str(staging))
        copy = ox.Store(str(staging))
        for graph in system:
            copy.remove_graph(graph)
        copy.flush()
        del copy
        os.rename(staging, target)
        return f"{name}.public"

    def _rebuild_mirror(self) -> None:
        """Make ``public/`` a fresh copy of the primary without the system graphs, and keep it open."""
        assert self._primary is not None
        self._mirror = None  # RocksDB closes it when the last reference goes
        path = self.directory / MIRROR
        shutil.rmtree(path, ignore_errors=True)
        self._primary.backup(str(path))
        mirror = ox.Store(str(path))
        for graph in self._system_graphs():
            mirror.remove_graph(graph)
        self._mirror = mirror

    def _checkpoint(self, store: pyoxigraph.Store, name: str) -> str:
        target = self.directory / name
        staging = target.with_name(f".{target.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        store.flush()
        store.backup(str(staging))
        os.rename(staging, target)
        return name

    def record(self, **changes: object) -> None:
        """Change the marker's fields (the validation record) without a new checkpoint (writer only)."""
        assert self._primary is not None
        for key, value in changes.items():
            setattr(self._marker, key, value)
        write_marker(self.directory, self._marker)

    def _collect_checkpoints(self, keep: str) -> None:
        """Remove checkpoints superseded long enough ago that no query can still be reading them."""
        now = time.time()
        for path in (self.directory / CHECKPOINTS).iterdir():
            if path.name.startswith(".") or f"{CHECKPOINTS}/{path.name}" in (keep, f"{keep}.public"):
                continue
            if now - path.stat().st_mtime > _KEEP_SUPERSEDED:
                shutil.rmtree(path, ignore_errors=True)

    def load(self, sources: Sequence[SourceFile]) -> None:
        staging = self.parse(sources)
        with self.exclusive() as primary:
            if len(primary) == 0:
                primary.bulk_extend(staging)
                primary.optimize()  # compact the bulk-loaded files now, not during the first commits
            else:
                primary.extend(staging)
            self.bump_generation()

    def __len__(self) -> int:
        # Counting quads scans the store: once per generation, not per /ready.
        generation = self.generation
        if self._sizes is None or self._sizes[0] != generation:
            self._sizes = (generation, len(self.ox))
        return self._sizes[1]

    async def start_user_queries(self, limits: UserQueryLimits) -> None:
        """The SPARQL workers read the published checkpoints themselves: no snapshot, no copy."""
        pool = QueryPool(
            self.directory, limits.workers, per_client=limits.per_client, debug=limits.debug, on_disk=True
        )
        await pool.start()
        self._pool = pool

    def close(self) -> None:
        """Close the primary and its mirror and drop the writer lock (the next writer may start)."""
        self._primary = None
        self._mirror = None
        self._lock.release()
