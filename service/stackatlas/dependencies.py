"""FastAPI dependencies: how a route gets the store and the settings.

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


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
