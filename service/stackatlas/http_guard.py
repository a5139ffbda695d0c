"""The HTTP front door: limits every request meets before a route runs, and headers every answer gets.

One pure ASGI middleware, so the checks cost the same for every route and
run before FastAPI parses anything:

* header count and total size (431) and URL length (414), so no route ever
  sees a megabyte header (:mod:`stackatlas.http_protocol` stops reading such a
  head in the first place);
* a request body limit per route (413 with the limit's name), enforced on the
  declared ``Content-Length`` and again on the bytes actually received;
* ``HEAD`` answered wherever ``GET`` is (the GET answer without its body);
* a ``/graphql`` POST whose JSON body is not an object or a list is refused
  with 400 before the GraphQL library sees it (it answered 500);
* one CORS policy for every route: the data is public and read-only and no
  credentials are involved, so any origin may read it (``*``), and a
  preflight is answered here;
* an unexpected exception is answered 500 with one line and logged as one
  line (with its traceback only at the ``debug`` log level);
* security headers: ``X-Content-Type-Options: nosniff`` on every answer, and
  on HTML a Content-Security-Policy that allows only our own scripts (plus,
  on the GraphiQL and OpenAPI pages, their CDN and the hashes of their
  inline scripts), ``frame-ancestors 'none'`` and a ``Referrer-Policy``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from .config import Settings
from .errors import excerpt

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CORS = [(b"access-control-allow-origin", b"*")]
PREFLIGHT = [
    *CORS,
    (b"access-control-allow-methods", b"GET, HEAD, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Content-Type"),
    (b"access-control-max-age", b"86400"),
]

log = logging.getLogger(__name__)

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
"""Inline style attributes are allowed (score bars); inline script never is."""


def script_hashes(html: str) -> list[str]:
    """CSP source expressions for the inline scripts of a page we ship unchanged."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def policy(**extra: str) -> str:
    """``BASE_POLICY`` with ``extra`` sources added per directive (``script_src="https://cdn"``)."""
    merged = dict(BASE_POLICY)
    for key, sources in extra.items():
        directive = key.replace("_", "-")
        merged[directive] = f"{merged.get(directive, '')} {sources}".strip()
    return "; ".join(f"{k} {v}" for k, v in merged.items())


def _graphiql_policy() -> str:
    """GraphiQL is served from our own copy (``static/vendor/graphiql``) with no inline script; its
    stylesheet embeds its fonts as ``data:`` URLs, which is all it needs beyond the base policy."""
    return policy(font_src="'self' data:")


def _api_docs_policies() -> dict[str, str]:
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    cdn = "https://cdn.jsdelivr.net"
    swagger = bytes(get_swagger_ui_html(openapi_url="/openapi.json", title="stackatlas - Swagger UI").body)
    redoc = bytes(get_redoc_html(openapi_url="/openapi.json", title="stackatlas - ReDoc").body)
    fonts = "https://fonts.googleapis.com"
    return {
        "/docs": policy(script_src=f"{cdn} {' '.join(script_hashes(swagger.decode()))}", style_src=cdn),
        "/redoc": policy(
            script_src=f"{cdn} blob: {' '.join(script_hashes(redoc.decode()))}",
            style_src=f"{cdn} {fonts}",
            font_src="https://fonts.gstatic.com",
            worker_src="blob:",
        ),
    }


def _plain(status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> list[Message]:
    body = f"{message}\n".encode()
    return [
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                *CORS,
                *headers,
            ],
        },
        {"type": "http.response.body", "body": body},
    ]


class _BodyTooLarge(Exception):
    pass


class RequestGuard:
    """The middleware; ``create_app`` wraps the whole app in it."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.policies: dict[str, str] = {"/graphql": _graphiql_policy()}
        if settings.api_docs:
            self.policies.update(_api_docs_policies())
        self.default_policy = policy()

    def body_limit(self, path: str) -> tuple[int, str]:
        """The largest body ``path`` accepts, and the setting that says so."""
        if path == "/sparql":
            return self.settings.sparql_max_query_bytes, "sparql_max_query_bytes"
        if path == "/graphql":
            return self.settings.graphql_max_body_bytes, "graphql_max_body_bytes"
        if path in ("/update", "/rdf-graphs", "/ingest"):
            return self.settings.write_max_body_bytes, "write_max_body_bytes"
        return self.settings.max_body_bytes, "max_body_bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refuse_headers(scope)
        if refusal is not None:
            await _send_all(send, refusal)
            return
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method") is not None:
            await _send_all(
                send,
                [
                    {"type": "http.response.start", "status": 204, "headers": PREFLIGHT},
                    {"type": "http.response.body", "body": b""},
                ],
            )
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        limit, setting = self.body_limit(scope["path"])
        path = excerpt(scope["path"])
        too_large = f"the request body is larger than the {limit:,} bytes {path} accepts ({setting})"
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_all(send, _plain(413, too_large, [(b"connection", b"close")]))
            return
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": self._with_security_headers(scope["path"], message["headers"])}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        app_receive: Receive = counted_receive
        if scope["path"] == "/graphql" and scope["method"] == "POST" and _is_json(scope):
            try:
                body = await _read_all(counted_receive)
            except _BodyTooLarge:
                await _send_all(send, _plain(413, too_large, [(b"connection", b"close")]))
                return
            problem = _graphql_body_problem(body)
            if problem is not None:
                await _send_all(send, _graphql_error(problem))
                return
            app_receive = _replay(body, receive)
        try:
            await self.app(scope, app_receive, guarded_send)
        except _BodyTooLarge:
            if not started:
                await _send_all(send, _plain(413, too_large, [(b"connection", b"close")]))
        except Exception as exc:  # a bug: one line in the log (the traceback only at debug), 500 to the client
            log.error(
                "internal error on %s %s: %s: %s",
                scope["method"],
                scope["path"],
                type(exc).__name__,
                excerpt(str(exc), 200),
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            if not started:
                await _send_all(send, _plain(500, "internal error; the server log has one line about it"))

    def _refuse_headers(self, scope: Scope) -> list[Message] | None:
        headers = scope["headers"]
        if len(headers) > self.settings.max_headers:
            return _plain(431, f"too many request headers: more than {self.settings.max_headers} (max_headers)")
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > self.settings.max_url_bytes:
            return _plain(
                414,
                f"the URL is {target:,} bytes long, at most {self.settings.max_url_bytes:,} (max_url_bytes); "
                "POST long SPARQL queries",
            )
        size = sum(len(name) + len(value) for name, value in headers)
        if size > self.settings.max_header_bytes:
            return _plain(
                431,
                f"request headers too large: {size:,} bytes, at most {self.settings.max_header_bytes:,} "
                "(max_header_bytes)",
            )
        return None

    def _with_security_headers(
        self, path: str, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        names = {name.lower() for name, _ in headers}
        added = [] if b"x-content-type-options" in names else [(b"x-content-type-options", b"nosniff")]
        if b"access-control-allow-origin" not in names:
            added += CORS
        content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        if content_type.startswith((b"text/html", b"application/xhtml+xml", b"image/svg+xml")):
            csp = self.policies.get(path, self.default_policy)
            added += [
                (b"content-security-policy", csp.encode()),
                (b"referrer-policy", b"strict-origin-when-cross-origin"),
                (b"x-frame-options", b"DENY"),
            ]
        return [*headers, *added]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return None


def _is_json(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or ""
    return content_type.split(";", 1)[0].strip().lower() in ("application/json", "application/graphql+json")


def _graphql_body_problem(body: bytes) -> str | None:
    """Why a JSON body cannot be a GraphQL request, or None (the library reports the rest)."""
    first = body.lstrip()[:1]
    if first in (b"{", b"["):
        return None
    if not first:
        return "the request body is empty; send a JSON object with a 'query' field"
    try:
        value = json.loads(body)
    except ValueError:
        return None  # not JSON at all: the GraphQL library says so itself
    return f"the request body must be a JSON object with a 'query' field, not {excerpt(json.dumps(value), 40)}"


def _graphql_error(message: str) -> list[Message]:
    body = json.dumps({"data": None, "errors": [{"message": message}]}).encode()
    return [
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                *CORS,
            ],
        },
        {"type": "http.response.body", "body": body},
    ]


async def _read_all(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that yields ``body`` once, then the real channel (for disconnects)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _send_all(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)
