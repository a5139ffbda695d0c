"""The sidecar file of an on-disk store (which copy to read, what it was validated with) and its reader.

A store directory keeps this small JSON file (``stackatlas-store.json``)
beside the RocksDB data rather than in a graph of the store, because every
process reads it before every read (to notice a commit made by another
process) and a file's metadata is the cheapest thing to check; reading a graph
would first need the very refresh the file decides on. It is replaced
atomically (write, fsync, rename), so a reader sees the old or the new file,
never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

MARKER_NAME = "stackatlas-store.json"
FORMAT = 1
"""Layout version of a store directory; a store written by a newer layout is refused, not guessed at."""


@dataclass
class Validation:
    """The shapes and ontology a store was last fully validated with, and the outcome.

    Every commit is validated before it lands (targeted validation, see
    ``docs/persistence.md``), so a store that conformed keeps conforming while
    the shapes and the ontology stay the same: a restart need not validate again.
    """

    shapes: str
    ontology: str
    conforms: bool
    generation: int
    """The generation the full validation ran at (later commits were validated one by one)."""


@dataclass
class Marker:
    generation: int = 0
    """Bumped by every commit; readers reopen their copy when it moves."""
    checkpoint: str | None = None
    """Directory (relative to the store) of the read-only copy published at ``generation``."""
    public: str | None = None
    """The same copy without the system graphs, which the catalog's reads and ``/sparql`` open
    (Oxigraph's fast union of all graphs then leaves nothing out); the checkpoint itself when the
    store has no system graph."""
    sources: str | None = None
    """Digest of the files the store was imported from (informational: later commits change the data)."""
    validation: Validation | None = None
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, data: bytes, where: Path) -> Marker:
        try:
            raw = json.loads(data)
            validation = raw.get("validation")
            marker = cls(
                generation=int(raw["generation"]),
                checkpoint=raw.get("checkpoint"),
                public=raw.get("public"),
                sources=raw.get("sources"),
                validation=Validation(**validation) if validation else None,
                format=int(raw.get("format", FORMAT)),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{where}: not a stackatlas store marker ({exc})") from exc
        if marker.format > FORMAT:
            raise InputError(f"{where}: store layout {marker.format} is newer than this stackatlas ({FORMAT})")
        return marker


class EmptyStore(InputError):
    """The directory holds no store yet (no marker): nothing to read."""


def read_marker(directory: Path) -> Marker | None:
    path = directory / MARKER_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    return Marker.from_json(data, path)


def write_marker(directory: Path, marker: Marker) -> None:
    """Replace the marker atomically and durably (the rename is what readers notice)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{MARKER_NAME}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(marker.to_json())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, directory / MARKER_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def digest_files(paths: list[Path]) -> str:
    """One SHA-256 over the files' names and bytes, in a fixed order: equal digests mean equal files."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def digest_tree(directory: Path, suffixes: tuple[str, ...] = (".ttl",)) -> str:
    """Digest of every file below ``directory`` with one of ``suffixes`` (the shapes, the ontology)."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in suffixes):
        h.update(path.relative_to(directory).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class CheckpointReader:
    """The read-only copy a process reads, reopened whenever the marker names a newer one.

    Checking costs one ``stat`` of the marker per read; opening a new
    checkpoint read-only costs milliseconds (no data is copied). Thread-safe:
    a query in flight keeps the handle it started with.
    """

    def __init__(self, directory: Path, *, public: bool = False) -> None:
        self.directory = directory
        self.public = public
        """Follow the copy without system graphs (``Marker.public``) rather than the full checkpoint."""
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._marker: Marker | None = None
        self._store: ox.Store | None = None
        self._name: str | None = None

    def current(self) -> tuple[ox.Store, Marker]:
        path = self.directory / MARKER_NAME
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise EmptyStore(f"{self.directory}: no stackatlas store here (import one first)") from None
        key = (st.st_ino, st.st_mtime_ns)
        with self._lock:
            if key != self._seen or self._store is None or self._marker is None:
                marker = read_marker(self.directory)
                if marker is None or marker.checkpoint is None:
                    raise EmptyStore(f"{self.directory}: no stackatlas store here (import one first)")
                name = (marker.public or marker.checkpoint) if self.public else marker.checkpoint
                if name != self._name or self._store is None:
                    self._store = ox.Store.read_only(str(self.directory / name))
                    self._name = name
                self._marker, self._seen = marker, key
            return self._store, self._marker
