"""Jinja2 set-up for the server-rendered pages: autoescaping, and filters that turn IRIs into local links."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates

from ..safety import safe_href
from ..vocab import ID, PREFIXES, SA

TEMPLATES = Path(__file__).resolve().parent / "templates"


def local_url(iri: object) -> str:
    """Where a browser reads about ``iri`` here: ``/id/…`` for instances, the ontology page for terms.

    Any other IRI is linked as it is, if its scheme is safe (:func:`safe_href`).
    """
    text = str(iri)
    if text.startswith(str(ID)):
        return safe_href("/id/" + text[len(str(ID)) :])
    if text.startswith(str(SA)):
        return safe_href("/ontology.html#" + text[len(str(SA)) :])
    return safe_href(text)


def curie(iri: object) -> str:
    """``sa:Vendor`` for a term in a known namespace; the IRI itself otherwise."""
    text = str(iri)
    best = max((p for p in PREFIXES.items() if text.startswith(p[1])), key=lambda p: len(p[1]), default=None)
    if best is None:
        return text
    rest = text[len(best[1]) :]
    return f"{best[0]}:{rest}" if rest and "/" not in rest and "#" not in rest else text


def query_string(params: list[tuple[str, str]], **extra: str) -> str:
    return urlencode([*params, *extra.items()])


def repeated(name: str, values: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """``[(name, v) for v in values]``: one parameter given several times (Jinja has no comprehensions)."""
    return [(name, str(v)) for v in values]


def slug(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(local_url=local_url, curie=curie, slug=slug, safe_href=safe_href)
    env.globals.update(query_string=query_string, repeated=repeated)
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


templates = _templates()


def render(
    request: Any, name: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Any:
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)
