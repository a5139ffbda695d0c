"""FastAPI dependencies: how a route gets the store, the settings and who is asking.

Routes declare what they need (``store: StoreDep``) instead of reading
``request.app.state``, so the lifespan is the one place that decides what the
app holds, and a route's needs are visible in its signature.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .config import Settings
from .store import Store


def get_store(request: Request) -> Store:
    """The app's store, built by the lifespan."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was started with."""
    settings: Settings = request.app.state.settings
    return settings


def get_shapes(request: Request) -> Store | str:
    """The SHACL shapes in a store of their own, or why they could not be read."""
    shapes: Store | str = request.app.state.sparql_shapes
    return shapes


def get_client(request: Request) -> str:
    """The client's IP address, for per-client limits.

    ``X-Forwarded-For`` is believed only from an address in
    ``trusted_proxies`` (its last entry, the one that proxy added); otherwise
    anyone could claim to be many clients.
    """
    settings = get_settings(request)
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and peer in settings.trusted_proxies:
        return forwarded[-100:].rsplit(",", 1)[-1].strip() or peer
    return peer


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ShapesDep = Annotated[Store | str, Depends(get_shapes)]
ClientDep = Annotated[str, Depends(get_client)]
