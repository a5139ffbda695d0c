"""The web application: one store, served over GraphQL, SPARQL and linked-data pages.

Start-up loads the catalog into the store and validates it; the app refuses to
start on SHACL violations unless ``allow_invalid`` is set.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .auth.http import read_gate
from .config import Settings
from .dependencies import StoreDep
from .errors import InvalidWrite, StackatlasError, excerpt
from .feed.http import router as feed_router
from .graphql import graphql_router
from .http_guard import RequestGuard
from .loader import catalog_sources
from .sparql import router as sparql_router
from .sparql.downloads import load_shapes
from .store import Store, open_store
from .store.base import UserQueryLimits
from .web import router as web_router
from .web.errors import error_response, http_error
from .webhooks.dispatcher import Dispatcher
from .webhooks.dispatcher import serve as serve_webhooks
from .webhooks.http import router as webhooks_router
from .writes import router as writes_router

log = logging.getLogger(__name__)


class StartupRefused(StackatlasError):
    """The data has SHACL violations and ``allow_invalid`` is not set."""


def build_store(settings: Settings, *, validate: bool = True) -> Store:
    """Load and (unless told the data is already checked) validate the catalog.

    With ``settings.store``, open the on-disk store as its writer instead
    (importing ``data`` into it on the first start); see :mod:`stackatlas.persistence`.
    With ``settings.store_url``, the store is that SPARQL engine (docs/deployment.md).

    Raises :class:`StartupRefused` on violations. The report goes to stderr
    first, so the operator sees what to fix; with ``allow_invalid`` it is still
    printed and the service starts anyway.
    """
    from .validation import validate_store

    if settings.store_url is not None:  # a SPARQL engine: the replica loads and validates nothing
        from .store.remote import open_remote

        return open_remote(
            settings.store_url,
            timeout=settings.store_timeout,
            generation_ttl=settings.store_generation_ttl,
            timeout_parameter=settings.store_timeout_parameter,
        )
    sources = catalog_sources(settings.data)
    if settings.store is not None:
        from .persistence import open_served_store

        return open_served_store(settings.store, sources, allow_invalid=settings.allow_invalid)
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


def user_query_limits(settings: Settings) -> UserQueryLimits:
    return UserQueryLimits(
        workers=settings.sparql_workers,
        per_client=settings.sparql_queries_per_client,
        debug=settings.log_level == "debug",
    )


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; ``store`` is an already built (and validated) store, else the lifespan builds one.

    The one lifespan of the app: it holds the store, the shapes served at
    ``/shapes``, and starts the store's user-query machinery (the SPARQL
    workers) in the background; ``/ready`` answers 503 with the reason until
    that is done.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store if store is not None else await anyio.to_thread.run_sync(build_store, settings)
        app.state.sparql_shapes = await anyio.to_thread.run_sync(load_shapes)
        app.state.startup_error = None
        starting = asyncio.create_task(_start_user_queries(app, app.state.store))
        dispatcher = Dispatcher(app.state.store, settings)
        delivering = asyncio.create_task(serve_webhooks(app.state.store, settings, dispatcher))
        try:
            yield
        finally:
            starting.cancel()
            dispatcher.stopping.set()  # a delivery in flight ends within webhook_timeout
            await asyncio.wait([delivering], timeout=settings.webhook_timeout + 1)
            await app.state.store.stop_user_queries("the server is shutting down")

    async def _start_user_queries(app: FastAPI, store: Store) -> None:
        try:
            await store.start_user_queries(user_query_limits(settings))
        except Exception as exc:
            log.error("the SPARQL workers could not start: %s", exc)
            app.state.startup_error = f"the SPARQL workers could not start: {exc}"

    docs = settings.api_docs
    app = FastAPI(
        title="stackatlas",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        dependencies=[Depends(read_gate)],
    )

    @app.exception_handler(StackatlasError)
    async def stackatlas_error(request: Request, exc: StackatlasError) -> Response:
        """Every error meant for people: one line, the status its class names.

        A browser gets a page, any other client JSON (``web.errors``), as for a 404.

        A refused write (422) lists its violations as JSON, one object per finding; 401/403 carry
        their ``WWW-Authenticate`` header.
        """
        if isinstance(exc, InvalidWrite):
            from .writes.http import finding_json

            return JSONResponse(
                {"error": str(exc), "violations": [finding_json(f) for f in exc.violations]},
                status_code=exc.status,
            )
        return error_response(request, exc.status, str(exc), getattr(exc, "headers", None))

    app.add_exception_handler(StarletteHTTPException, http_error)

    @app.exception_handler(UnicodeError)
    async def unicode_error(request: Request, exc: UnicodeError) -> Response:
        """Text a client sent that cannot be encoded (lone surrogates) or decoded is the client's error."""
        return error_response(
            request, 400, f"the request holds text that is not valid Unicode ({excerpt(str(exc), 120)})"
        )

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers. Never touches the store."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"])
    async def ready(request: Request, store: StoreDep) -> JSONResponse:
        """Readiness: the catalog is loaded and validated and user queries can be answered."""
        reason = request.app.state.startup_error or store.user_queries_ready()
        if reason is not None:
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready", "quads": await store.run(len, store)})

    app.include_router(graphql_router(settings))
    app.include_router(sparql_router)
    app.include_router(web_router)
    app.include_router(writes_router)
    app.include_router(feed_router)
    app.include_router(webhooks_router)
    app.add_middleware(RequestGuard, settings=settings)
    return app
