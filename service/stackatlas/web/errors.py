"""Errors outside ``/id/`` as people and programs want them: an HTML page for a browser, JSON otherwise.

A browser is a client whose Accept header prefers ``text/html`` (what browsers
send for a page); everything else (curl's ``*/*``, ``application/json``, no
header) gets ``{"error": …, "status": …}``. Linked-data 404s under ``/id/``
keep their own page with suggestions (:mod:`.linked_data`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import NotAcceptable
from ..negotiation import negotiate
from .templating import render

TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 413: "Too large", 422: "Bad request"}


def wants_html(request: Request) -> bool:
    """True when the client prefers HTML to JSON (a browser asking for a page)."""
    accept = request.headers.get("accept")
    if not accept or "text/html" not in accept:
        return False
    try:
        return negotiate(accept, ["application/json", "text/html"]) == "text/html"
    except NotAcceptable:
        return False


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    vary = {**(headers or {}), "Vary": "Accept"}
    if wants_html(request):
        title = TITLES.get(status, "Error")
        return render(
            request, "error.html", status_code=status, headers=vary, status=status, title=title, message=message
        )
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=vary)


def bad_request(request: Request, message: str, template: str | None = None, **context: object) -> Response:
    """A 400. A browser gets the page's own form again with the message, so the reader can correct it
    (or the error page when the route has no form); any other client gets JSON."""
    if template is not None and wants_html(request):
        return render(request, template, status_code=400, headers={"Vary": "Accept"}, error=message, **context)
    return error_response(request, 400, message)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (an unknown path, a method not allowed …)."""
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"no page at {request.url.path[:200]}"
    return error_response(request, exc.status_code, message, dict(exc.headers or {}))
