"""The webhook dispatcher: the commit log is the queue, each webhook's cursor says how far it got.

Nothing is enqueued when a write commits: the commit is already in the log
(``graph/audit``), numbered. The dispatcher wakes when the store's generation
moves (or a retry is due, or every ``webhook_poll_interval`` seconds), reads
each webhook's commits after its cursor (``stackatlas.history.log.commits_after``)
and sends them **one at a time, in commit order**; a webhook whose receiver
fails gets nothing newer until that commit is delivered, retried with
exponential backoff (``webhook_retry_base`` doubling up to
``webhook_retry_max`` seconds). So every commit is delivered at least once and
in order, per vendor and overall.

Before a round sends anything, ``sa:attemptedThrough`` is moved to the last
commit it may send (one commit); after it, the cursor, the log entries and the
mark (back to the last commit really sent) are written in one more commit. A
commit at or below the mark may have reached the receiver already (a failed
attempt, or a crash between sending and recording), so it is sent again
marked ``redelivery``: duplicates happen only then, and always say so. A
restart loses nothing: the cursor is in the store, and the next round starts
after it.

**One dispatcher per store.** Only the process holding the store's dispatcher
lock (``DIR/dispatcher.lock``, a ``flock`` the kernel drops when the process
dies) delivers; with ``--workers N`` the first worker to take it does, and
another takes over when it dies. An in-memory store (no tokens, so no
webhooks) has no dispatcher.

Only hosts in ``webhook_hosts`` are contacted (checked again before every
send), redirects are not followed, proxies from the environment are not used,
and every request has the ``webhook_timeout``.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import anyio.to_thread
import httpx

from .. import __version__
from ..config import Settings
from ..history.describe import Change, describe
from ..history.log import CommitRecord, commits_after
from ..store import Store
from .events import event_body, matching
from .registry import Delivery, Progress, Webhook, allowed, attempts, record, webhooks
from .signing import HEADER, signature

log = logging.getLogger(__name__)

BATCH = 50
"""Commits read per webhook per round."""
LOCK_NAME = "dispatcher.lock"


class DispatcherLock:
    """The ``flock`` on ``DIR/dispatcher.lock`` that makes one process per store the dispatcher."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class _Backoff:
    failures: int = 0
    due: float = 0.0


@dataclass
class Dispatcher:
    """Delivers the commit log to the registered webhooks; :meth:`round` is one pass (synchronous)."""

    store: Store
    settings: Settings
    stopping: threading.Event = field(default_factory=threading.Event)
    _backoff: dict[str, _Backoff] = field(default_factory=dict)
    _client: httpx.Client | None = None
    _described: Callable[[CommitRecord], list[Change]] = field(default=lambda commit: [])

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=False,
                trust_env=False,
                timeout=self.settings.webhook_timeout,
                headers={"User-Agent": f"stackatlas-webhooks/{__version__}"},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def next_due(self) -> float | None:
        """When the earliest retry is due (monotonic seconds), or None when no webhook is waiting."""
        waiting = [b.due for b in self._backoff.values() if b.failures]
        return min(waiting) if waiting else None

    def round(self) -> int:
        """Deliver what is due to every webhook; the number of deliveries attempted.

        A commit is described once per round, whichever webhooks want it.
        """
        sent = 0
        cache: dict[int, list[Change]] = {}

        def described(commit: CommitRecord) -> list[Change]:
            if commit.sequence not in cache:
                cache[commit.sequence] = describe(self.store, commit)
            return cache[commit.sequence]

        self._described = described
        for hook in webhooks(self.store):
            if self.stopping.is_set():
                break
            backoff = self._backoff.get(hook.id)
            if backoff and backoff.failures and time.monotonic() < backoff.due:
                continue
            sent += self._deliver(hook)
        return sent

    def _deliver(self, hook: Webhook) -> int:
        records = commits_after(self.store, hook.delivered_through, BATCH)
        if not records:
            return 0
        wanted = [
            (r, found) for r in records if (found := matching(self.store, hook, r, self._described)) is not None
        ]
        progress = Progress(hook)
        if not wanted:  # nothing for this webhook: move the cursor past what was looked at
            progress.delivered_through = records[-1].sequence
            record(self.store, progress, self.settings.webhook_log_keep)
            return 0
        last = wanted[-1][0].sequence
        if last > hook.attempted_through:
            record(self.store, Progress(hook, attempted_through=last), self.settings.webhook_log_keep)
        tried = attempts(self.store, hook) if hook.attempted_through > hook.delivered_through else {}
        matched = {r.sequence for r, _ in wanted}
        entries = dict(wanted)
        sent = 0
        highest = hook.attempted_through
        for commit in records:
            if commit.sequence not in matched:
                progress.delivered_through = commit.sequence
                continue
            if self.stopping.is_set():
                break
            attempt = tried.get(commit.sequence, 0) + 1
            redelivery = commit.sequence <= hook.attempted_through
            result = self._send(hook, event_body(hook, entries[commit], attempt, redelivery), commit.sequence)
            sent += 1
            highest = max(highest, commit.sequence)
            progress.log.append(
                Delivery(
                    sequence=commit.sequence,
                    attempt=attempt,
                    at=datetime.now(UTC).isoformat(timespec="milliseconds"),
                    status=result.status,
                    redelivery=redelivery,
                    http_status=result.http_status,
                    error=result.error,
                )
            )
            if result.status != "delivered":
                self._failed(hook, result)
                break
            self._backoff.pop(hook.id, None)
            progress.delivered_through = commit.sequence
        # the mark goes back to what was really sent: a commit the round never reached is not a redelivery
        progress.attempted_through = highest
        record(self.store, progress, self.settings.webhook_log_keep)
        return sent

    def _failed(self, hook: Webhook, result: _Result) -> None:
        backoff = self._backoff.setdefault(hook.id, _Backoff())
        backoff.failures += 1
        delay = min(
            self.settings.webhook_retry_base * 2 ** (backoff.failures - 1), self.settings.webhook_retry_max
        )
        backoff.due = time.monotonic() + delay
        log.warning(
            "webhook %s: delivery failed (%s); retry %d in %.1f s",
            hook.id,
            result.error or result.http_status,
            backoff.failures,
            delay,
        )

    def _send(self, hook: Webhook, body: bytes, sequence: int) -> _Result:
        refused = allowed(hook.url, self.settings.webhook_hosts)
        if refused is not None:
            return _Result("refused", None, refused)
        headers = {
            "Content-Type": "application/json",
            "Stackatlas-Event": "commit",
            "Stackatlas-Delivery": f"{hook.id}/{sequence}",
            HEADER: signature(hook.secret, body, int(time.time())),
        }
        try:
            response = self.client().post(hook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return _Result("failed", None, f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__)
        if 200 <= response.status_code < 300:
            return _Result("delivered", response.status_code, None)
        why = "a redirect (not followed)" if 300 <= response.status_code < 400 else "not a 2xx answer"
        return _Result("failed", response.status_code, f"HTTP {response.status_code}: {why}")


@dataclass(frozen=True)
class _Result:
    status: str
    http_status: int | None
    error: str | None


async def serve(store: Store, settings: Settings, dispatcher: Dispatcher) -> None:
    """Run the dispatcher for the app's lifetime, if this process gets the store's dispatcher lock.

    Only an on-disk store has a dispatcher (``DIR/dispatcher.lock``); a process
    that does not get the lock asks again every few seconds, so another worker
    takes over when the dispatcher's process dies.
    """
    directory = getattr(store, "directory", None)
    if not isinstance(directory, Path):
        return
    lock = DispatcherLock(directory)
    try:
        while not dispatcher.stopping.is_set():
            if not lock.try_acquire():
                await asyncio.sleep(5.0)
                continue
            try:
                await anyio.to_thread.run_sync(dispatcher.round)
            except Exception as exc:  # a broken round must not end deliveries for good
                log.error("webhook dispatcher: %s: %s", type(exc).__name__, exc)
            seen = store.generation
            wake = time.monotonic() + settings.webhook_poll_interval
            due = dispatcher.next_due()
            if due is not None:
                wake = min(wake, due)
            while time.monotonic() < wake and store.generation == seen and not dispatcher.stopping.is_set():
                await asyncio.sleep(0.05)
    finally:
        await anyio.to_thread.run_sync(dispatcher.close)
        lock.release()
