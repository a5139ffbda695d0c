"""Run the app under uvicorn with settings from flags and environment.

The catalog is loaded and validated before the socket is bound, so invalid
data stops ``stackatlas serve`` with the report and one line instead of a
server that starts and then dies in its lifespan.

SIGTERM (or Ctrl-C) stops the server within ``shutdown_grace`` seconds even
with runaway queries in flight: the store's user queries are stopped at once
(their clients get 503), other requests get the grace period to finish.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

from .app import build_store, create_app
from .config import Settings
from .http_protocol import BoundedHttpToolsProtocol, head_limit
from .store import Store
from .store.persistent import PersistentStore

ENV_PREFIX = Settings.model_config["env_prefix"]


def run(overrides: dict[str, Any]) -> None:
    settings = Settings(**overrides)
    if settings.workers > 1:
        # Validate once here so invalid data stops before any worker starts; the
        # store is dropped, each worker loads its own without validating again. Workers import the factory
        # and read their settings from the environment, so the flags go through it.
        store = build_store(settings)
        if isinstance(store, PersistentStore):
            store.close()  # the workers share the store on disk; each takes the writer lock per write
        del store
        os.environ.update(_as_environment(overrides))
        uvicorn.run(
            "stackatlas.server:worker_app",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            **_uvicorn_options(settings),
        )
        return
    store = build_store(settings)
    BoundedHttpToolsProtocol.limit = head_limit(settings)
    config = uvicorn.Config(
        create_app(settings, store=store), host=settings.host, port=settings.port, **_uvicorn_options(settings)
    )
    _Server(config, store).run()


class _Server(uvicorn.Server):
    """uvicorn's server, which also stops the store's user queries the moment it is told to exit.

    uvicorn waits for requests in flight before the app's lifespan shuts
    down; a query running for a minute would hold the shutdown that long.
    """

    def __init__(self, config: uvicorn.Config, store: Store) -> None:
        super().__init__(config)
        self.store = store
        self._stopping: asyncio.Task[None] | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.call_soon_threadsafe(self._stop_queries, loop)

    def _stop_queries(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._stopping is None:
            self._stopping = loop.create_task(self.store.stop_user_queries("the server is shutting down"))


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Logging, the shutdown grace, a bounded request head, no trust in X-Forwarded-For (trusted_proxies)."""
    return {
        **_logging(settings),
        "http": "stackatlas.http_protocol:BoundedHttpToolsProtocol",
        "timeout_graceful_shutdown": settings.shutdown_grace,
        "proxy_headers": False,
    }


def _logging(settings: Settings) -> dict[str, Any]:
    """uvicorn's logging, with stackatlas' own loggers on its handler and at the same level.

    Without a handler of their own, stackatlas' log lines would reach stderr
    only through Python's last-resort handler: warnings and errors unformatted,
    info lines (a SPARQL worker zygote restarted) not at all.
    """
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["stackatlas"] = {
        "handlers": ["default"],
        "level": settings.log_level.upper(),
        "propagate": False,
    }
    return {"log_config": config, "log_level": settings.log_level}


def worker_app() -> FastAPI:
    """The app of one worker process: it loads its own copy of the data.

    The parent validated the same data before starting the workers (see
    :func:`run`), so a worker does not validate it again.
    """
    settings = Settings()
    if settings.store_url is not None:
        return create_app(settings)  # the lifespan opens the engine: nothing to load or validate
    if settings.store is not None:
        return create_app(settings, store=PersistentStore(settings.store, writer=False))
    return create_app(settings, store=build_store(settings, validate=False))


def _as_environment(overrides: dict[str, Any]) -> dict[str, str]:
    env = {}
    for key, value in overrides.items():
        if isinstance(value, list):
            text = json.dumps([str(v) if isinstance(v, Path) else v for v in value])
        elif isinstance(value, bool):
            text = "1" if value else "0"
        else:
            text = str(value)
        env[f"{ENV_PREFIX}{key.upper()}"] = text
    return env
