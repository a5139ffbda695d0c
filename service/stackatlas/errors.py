"""Errors meant for people: each carries one readable line, never a traceback.

Each class names the HTTP status it is answered with (``status``); the app
registers one handler for :class:`StackatlasError`, so no route maps errors to
statuses itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def excerpt(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters of client input, on one line, for an error message.

    Errors never echo a whole header or query back: a megabyte of input must
    not become a megabyte of error (or of log).
    """
    flat = " ".join(text[: limit * 4].split())
    return flat if len(flat) <= limit and len(text) <= limit * 4 else flat[: limit - 1] + "…"


class StackatlasError(Exception):
    """Base of every error whose message is shown to the user as it is."""

    status = 500


class InputError(StackatlasError):
    """Input could not be read: missing file, empty directory, malformed RDF."""

    status = 400


class QueryError(StackatlasError):
    """A query was refused or could not be parsed or run."""

    status = 400


class MalformedQuery(QueryError):
    """The query does not parse, or is nested deeper than allowed (HTTP 400)."""


class RefusedQuery(QueryError):
    """The query is understood but not allowed here (HTTP 403)."""

    status = 403


class NotAcceptable(StackatlasError):
    """No offered media type satisfies the request; carries what was offered (406)."""

    status = 406

    def __init__(self, requested: str, offered: Sequence[str]) -> None:
        self.requested = requested
        self.offered = list(offered)
        super().__init__(f"cannot produce {excerpt(requested)!r}; available: {', '.join(self.offered)}")


class UnacceptableResult(QueryError):
    """The query's result kind cannot be given in any of the requested formats (HTTP 406)."""

    status = 406


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped (HTTP 503)."""

    status = 503


class Unavailable(QueryError):
    """No worker can take the query now: starting, shutting down (HTTP 503)."""

    status = 503


class ClientShareExceeded(QueryError):
    """This client already holds its share of the query workers (HTTP 429)."""

    status = 429


class ResultTooLarge(QueryError):
    """A query produced more results than the configured cap (HTTP 413)."""

    status = 413


class QueryFailed(QueryError):
    """The query could not be evaluated, or crashed the engine (HTTP 500 with one line)."""

    status = 500


class BodyTooLarge(StackatlasError):
    """A request body is larger than the route accepts (HTTP 413)."""

    status = 413


class Unauthorized(StackatlasError):
    """A write (or a closed read) without a valid bearer token (HTTP 401, with ``WWW-Authenticate``)."""

    status = 401


class Forbidden(StackatlasError):
    """The token is valid but its scope does not allow this (HTTP 403)."""

    status = 403


class WritesDisabled(StackatlasError):
    """The server has no tokens, so it accepts no writes at all (HTTP 403)."""

    status = 403


class NotFound(StackatlasError):
    """A thing named in the request (a webhook) does not exist."""

    status = 404


class PreconditionFailed(StackatlasError):
    """A write named a version (``If-Match``, ``expectedVersion``) that is no longer current (HTTP 412)."""

    status = 412


class InvalidWrite(StackatlasError):
    """A write would leave the catalog with SHACL violations; it was not applied (HTTP 422).

    ``violations`` are the findings in curator words (see :class:`stackatlas.validation.Finding`).
    """

    status = 422

    def __init__(self, message: str, violations: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.violations = list(violations)
