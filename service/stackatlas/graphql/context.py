"""What every resolver of one request shares: the store, settings, vocabularies, loaders."""

from __future__ import annotations

import difflib

from strawberry.fastapi import BaseContext

from ..config import Settings
from ..readmodel import Concepts, reader_for
from ..store import Store
from .errors import UserError
from .loaders import Loaders


class Catalog:
    """Process-wide access to the catalog: the store's read model, whose caches follow the store generation."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.reader = reader_for(store)

    async def concepts(self) -> Concepts:
        # Read once per store generation; when current, no trip to a worker thread.
        cached = self.reader.peek("concepts")
        if isinstance(cached, Concepts):
            return cached
        return await self.store.run(self.reader.concepts)

    async def slugs(self) -> list[str]:
        index = await self.store.run(self.reader.index)
        return index.slugs()

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
        self.loaders = Loaders(catalog.reader)
