"""The web view and the HTTP side of exports, linked data and source pages, as one router for ``create_app``."""

from __future__ import annotations

from fastapi import APIRouter

from . import exports, linked_data, pages, releases, sources, workbench

router = APIRouter()
router.include_router(pages.router)
router.include_router(exports.router)
router.include_router(linked_data.router)
router.include_router(sources.router)
router.include_router(workbench.router)
router.include_router(releases.router)
