"""uvicorn's httptools protocol with a bound on how much of a request head it reads.

uvicorn reads a request's head (request line and headers) whatever its size
(up to 16 MB was measured) before the app sees any of it, all on the event
loop. This protocol counts the bytes received while a head is incomplete and,
past ``max_header_bytes + max_url_bytes``, answers 431 and closes the
connection without reading the rest. The ASGI guard
(:mod:`stackatlas.http_guard`) then checks the exact limits on what got
through; this is the part that keeps a megabyte header from being read at all.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .config import Settings


def head_limit(settings: Settings) -> int:
    """Bytes a request head may take: the headers' limit plus the URL's, plus room for the framing."""
    return settings.max_header_bytes + settings.max_url_bytes + 4_096


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """Answers 431 as soon as a request head grows past :attr:`limit` bytes."""

    limit: int | None = None
    """Set by the server from its settings; ``None`` reads them from the environment (uvicorn workers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if BoundedHttpToolsProtocol.limit is None:
            BoundedHttpToolsProtocol.limit = head_limit(Settings())
        self._head_bytes = 0
        self._in_head = True
        self._heads_completed = 0

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True  # the next bytes on this connection start a new head

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        self._heads_completed += 1
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        was_in_head, completed = self._in_head, self._heads_completed
        super().data_received(data)
        if (
            was_in_head
            and self._in_head
            and self._heads_completed == completed
            and not self.transport.is_closing()
        ):
            # the chunk continued a head and did not complete it (a body, even one that
            # ends a message and re-arms _in_head, never counts): count it
            self._head_bytes += len(data)
            if self._head_bytes > (self.limit or 0):
                self._refuse()

    def _refuse(self) -> None:
        message = b"request head too large (max_header_bytes, max_url_bytes)\n"
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(message)).encode() + b"\r\n"
            b"connection: close\r\n\r\n" + message
        )
        self.transport.close()
