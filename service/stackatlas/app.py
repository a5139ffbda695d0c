"""The web application: one store, served over GraphQL, SPARQL and linked-data pages.

Start-up loads the catalog into the store and validates it; the app refuses to
start on SHACL violations unless ``allow_invalid`` is set.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from . import __version__
from .config import Settings
from .errors import StackatlasError
from .graphql import graphql_router
from .loader import catalog_sources
from .sparql import router as sparql_router
from .store import Store, open_store
from .web import router as web_router


class StartupRefused(StackatlasError):
    """The data has SHACL violations and ``allow_invalid`` is not set."""


def build_store(settings: Settings, *, validate: bool = True) -> Store:
    """Load and (unless told the data is already checked) validate the catalog.

    Raises :class:`StartupRefused` on violations. The report goes to stderr
    first, so the operator sees what to fix; with ``allow_invalid`` it is still
    printed and the service starts anyway.
    """
    from .validation import validate_store

    sources = catalog_sources(settings.data)
    store = open_store()
    store.load(sources)
    if not validate:
        return store
    report = validate_store(store, sources)
    if not report.conforms:
        print(report.render("text"), file=sys.stderr)
        if not settings.allow_invalid:
            raise StartupRefused(
                f"refusing to start: the data has {len(report.violations)} SHACL violation(s) (report above); "
                "fix them, or start with --allow-invalid / STACKATLAS_ALLOW_INVALID=1"
            )
        print("stackatlas: starting anyway on invalid data (allow_invalid is set)", file=sys.stderr)
    elif report.warnings:
        print(
            f"stackatlas: data valid with {len(report.warnings)} warning(s); `stackatlas validate` lists them",
            file=sys.stderr,
        )
    return store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; ``store`` is an already built (and validated) store, else the lifespan builds one."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store if store is not None else build_store(settings)
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

    app.include_router(graphql_router(settings))
    app.include_router(sparql_router)
    app.include_router(web_router)
    return app
