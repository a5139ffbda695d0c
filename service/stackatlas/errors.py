"""Errors meant for people: each carries one readable line, never a traceback."""

from __future__ import annotations


class StackatlasError(Exception):
    """Base of every error whose message is shown to the user as it is."""


class InputError(StackatlasError):
    """Input could not be read: missing file, empty directory, malformed RDF."""


class QueryError(StackatlasError):
    """A query was refused or could not be parsed or run."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


class ResultTooLarge(QueryError):
    """A query produced more results than the configured cap."""
