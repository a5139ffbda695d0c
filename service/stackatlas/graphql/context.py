"""What every resolver of one request shares: the store, settings, vocabularies, loaders."""

from __future__ import annotations

import difflib

import anyio
from strawberry.fastapi import BaseContext

from ..config import Settings
from ..store import Store
from ..vocab import slug_of
from . import sparql
from .concepts import Concepts
from .errors import UserError
from .loaders import Loaders


class Catalog:
    """Process-wide facts read once from the (read-only) store: vocabularies and vendor ids."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._concepts: Concepts | None = None
        self._slugs: list[str] | None = None
        self._lock = anyio.Lock()

    async def concepts(self) -> Concepts:
        if self._concepts is None:
            async with self._lock:
                if self._concepts is None:
                    rows = await self.store.run(self.store.select, sparql.concepts())
                    self._concepts = Concepts(rows)
        return self._concepts

    async def slugs(self) -> list[str]:
        if self._slugs is None:
            rows = await self.store.run(self.store.select, sparql.vendor_slugs())
            self._slugs = sorted({s for r in rows if (s := slug_of(str(r["v"]))) is not None})
        return self._slugs

    async def unknown_vendor(self, slug: str, what: str = "vendor") -> UserError:
        """An error naming the closest known ids, so a typo is one retry away."""
        close = difflib.get_close_matches(slug.lower(), await self.slugs(), n=3, cutoff=0.6)
        hint = (
            f"; closest known ids: {', '.join(close)}"
            if close
            else "; no known id is close (vendors(search: ...) finds ids by name)"
        )
        return UserError(f"unknown {what} id {slug!r}{hint}")


class Context(BaseContext):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.settings = catalog.settings
        self.loaders = Loaders(catalog.store)
