"""Errors a GraphQL client is meant to read; every other exception is masked."""

from __future__ import annotations


class UserError(Exception):
    """A request the catalog cannot answer as asked (unknown id, code or page size).

    Its message is shown to the client verbatim, so it names what was wrong and
    what would be accepted.
    """
