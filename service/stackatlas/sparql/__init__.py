"""The SPARQL 1.1 endpoint, its service description and YASGUI, and the graph downloads.

One router for the app to include. The queries themselves run through the
store (:meth:`stackatlas.store.Store.run_user_query`), which the app's
lifespan starts and stops.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import description, downloads, protocol

router = APIRouter()
router.include_router(protocol.router)
router.include_router(downloads.router)
router.include_router(description.static_router)

__all__ = ["router"]
