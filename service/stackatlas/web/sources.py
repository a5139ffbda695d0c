"""The source pages the data is derived from, served as text at ``/sources/<name>.<ext>``.

A ``sa:SourcePage`` record (``source:dagster``) names the copy the repository
keeps with ``sa:localCopy``, a path relative to the data root
(``sources/dagster.txt``). Its stable URL is made from the record, not the
path: ``/sources/dagster.txt`` is the copy of ``source:dagster``. So a
request never names a file: the name only picks a record, the record's path
must stay inside a data root, and a file no record names is never served.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse, Response

from ..config import Settings
from ..dependencies import SettingsDep, StoreDep
from ..errors import QueryError
from ..store import Store
from ..store.queries import sources as queries
from ..store.terms import iri
from ..vocab import ID, slug_of

router = APIRouter(tags=["sources"])

MEDIA_TYPE = "text/plain; charset=utf-8"
"""Source copies are scraped text; served as text whatever they contain, so nothing in them runs."""


@dataclass(frozen=True)
class SourceCopy:
    page: str
    """IRI of the ``sa:SourcePage`` record."""
    name: str
    """The file name in the URL: the record's slug and the copy's suffix (``dagster.txt``)."""
    path: Path
    """The file, inside one of the data roots."""

    @property
    def url(self) -> str:
        return f"/sources/{self.name}"


def data_roots(settings: Settings) -> list[Path]:
    """What ``sa:localCopy`` paths are relative to: each data directory (a data file's own directory)."""
    roots = [path if path.is_dir() else path.parent for path in settings.data]
    return list(dict.fromkeys(root.resolve() for root in roots))


def _inside(roots: list[Path], relative: str) -> Path | None:
    """The file ``relative`` names under the first root holding it; None for a path leaving its root."""
    written = PurePosixPath(relative)
    if written.is_absolute() or ".." in written.parts or "\\" in relative:
        return None
    for root in roots:
        candidate = (root / written).resolve()  # resolves symbolic links too
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def copy_of(store: Store, settings: Settings, page: str) -> SourceCopy | None:
    """The copy the repository keeps of the source page ``page``, when its record names one that exists."""
    slug = slug_of(page, "source")
    if slug is None:
        return None
    try:
        rows = store.select(queries.LOCAL_COPY, bindings={"page": iri(page)})
    except QueryError:  # not an IRI: no record can name it
        return None
    if not rows:
        return None
    copy = str(rows[0]["copy"])
    path = _inside(data_roots(settings), copy)
    if path is None:
        return None
    return SourceCopy(page, slug + PurePosixPath(copy).suffix, path)


def copy_urls(store: Store, settings: Settings, pages: list[str]) -> dict[str, str]:
    """Page IRI → URL of its copy, for those of ``pages`` that are source pages with a copy here."""
    found = {page: copy_of(store, settings, page) for page in dict.fromkeys(pages)}
    return {page: copy.url for page, copy in found.items() if copy is not None}


def copy_named(store: Store, settings: Settings, name: str) -> SourceCopy | None:
    """The copy served as ``/sources/{name}``: ``name`` is a record's slug with its copy's suffix."""
    slug, dot, _suffix = name.rpartition(".")
    if not dot or not slug or "/" in name:
        return None
    found = copy_of(store, settings, f"{ID}source/{slug}")
    return found if found is not None and found.name == name else None


@router.get("/sources/{name}")
async def source_copy(name: str, store: StoreDep, settings: SettingsDep) -> Response:
    """The repository's copy of a source page, as UTF-8 text."""
    found = await store.run(copy_named, store, settings, name)
    if found is None:
        return PlainTextResponse(f"not found: no source page copy named {name!r}\n", status_code=404)
    return FileResponse(
        found.path,
        media_type=MEDIA_TYPE,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Link": f'<{found.page}>; rel="describedby"',
        },
        content_disposition_type="inline",
        filename=found.name,
    )
