"""GraphQL over the catalog: typed schema, batched store access, request limits."""

from .context import Catalog, Context
from .router import graphql_router
from .schema import build_schema

__all__ = ["Catalog", "Context", "build_schema", "graphql_router"]
