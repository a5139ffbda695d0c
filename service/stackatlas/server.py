"""Run the app under uvicorn with settings from flags and environment.

The catalog is loaded and validated before the socket is bound, so invalid
data stops ``stackatlas serve`` with the report and one line instead of a
server that starts and then dies in its lifespan.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from .app import build_store, create_app
from .config import Settings

ENV_PREFIX = Settings.model_config["env_prefix"]


def run(overrides: dict[str, Any]) -> None:
    settings = Settings(**overrides)
    if settings.workers > 1:
        # Validate once here so invalid data stops before any worker starts; the
        # store is dropped, each worker loads its own without validating again. Workers import the factory
        # and read their settings from the environment, so the flags go through it.
        build_store(settings)
        os.environ.update(_as_environment(overrides))
        uvicorn.run(
            "stackatlas.server:worker_app",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            **_logging(settings),
        )
        return
    store = build_store(settings)
    uvicorn.run(create_app(settings, store=store), host=settings.host, port=settings.port, **_logging(settings))


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
