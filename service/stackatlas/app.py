"""The web application: one store, served over GraphQL, SPARQL and linked-data pages.

Start-up loads the catalog into the store and validates it; the app refuses to
start on SHACL violations unless ``allow_invalid`` is set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from . import __version__
from .config import Settings
from .loader import catalog_sources
from .store import Store, open_store


def build_store(settings: Settings) -> Store:
    store = open_store()
    store.load(catalog_sources(settings.data))
    return store


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = build_store(settings)
        app.state.ready = True
        yield

    app = FastAPI(title="stackatlas", version=__version__, lifespan=lifespan)
    app.state.ready = False

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers. Never touches the store."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"])
    async def ready(request: Request) -> JSONResponse:
        """Readiness: the catalog is loaded and validated."""
        if not request.app.state.ready:
            return JSONResponse({"status": "starting"}, status_code=503)
        store: Store = request.app.state.store
        return JSONResponse({"status": "ready", "quads": await store.run(len, store)})

    return app
