"""The SPARQL 1.1 endpoint, its service description and YASGUI, and the graph downloads.

One router for the app to include; its lifespan starts the query worker
processes once the app's store is built and stops them on shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI

from . import description, downloads, protocol
from .execution import query_pool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = app.state.settings
    app.state.sparql_shapes = await anyio.to_thread.run_sync(downloads.load_shapes)
    async with query_pool(app.state.store, settings.sparql_workers) as pool:
        app.state.sparql_pool = pool
        yield


router = APIRouter(lifespan=lifespan)
router.include_router(protocol.router)
router.include_router(downloads.router)
router.include_router(description.static_router)

__all__ = ["router"]
