"""Run the app under uvicorn with settings from flags and environment."""

from __future__ import annotations

from typing import Any

import uvicorn

from .app import create_app
from .config import Settings


def run(overrides: dict[str, Any]) -> None:
    settings = Settings(**overrides)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
    )
