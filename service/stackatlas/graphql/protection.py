"""Limits on what one GraphQL document may ask, and error hygiene.

Depth, aliases and tokens are checked before execution (validation rules), so
an abusive document costs a parse and nothing else; parse and validation
results are cached because clients repeat the same documents. Errors a client
caused keep their message; anything else is replaced by a fixed message and
logged here with its traceback, so no internals reach a response body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from ..config import Settings
from ..errors import Unavailable
from .errors import UserError

log = logging.getLogger("stackatlas.graphql")

MASKED_MESSAGE = "Internal error; it has been logged on the server."
CACHE_SIZE = 256


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors a client did not cause: those are masked and logged."""
    original = error.original_error
    return original is not None and not isinstance(original, UserError | GraphQLError | Unavailable)


class GuardedSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                log.error("GraphQL resolver failed at %s", error.path, exc_info=error.original_error)
            else:
                log.info("GraphQL request refused: %s", error.message)


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Extension factories: a fresh instance per request, sharing the parse and validation caches.

    The depth and alias rules are built once and handed to every request's
    ``AddValidationRules``: the validation cache is keyed by the rule classes,
    and the limiters would otherwise make new classes per request (never a hit).
    """
    limits = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
    ]
    return [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(AddValidationRules, limits),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        partial(MaskErrors, should_mask_error=is_unexpected, error_message=MASKED_MESSAGE),
    ]
