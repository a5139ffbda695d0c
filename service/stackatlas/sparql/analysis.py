"""The pre-flight reading of a user query, as the SPARQL layer names it.

The check itself lives in the store layer (:mod:`stackatlas.store.query_safety`)
because it runs inside the query worker, under the query's time limit.
"""

from ..errors import RefusedQuery
from ..store.query_safety import QueryShape, check, shape

__all__ = ["QueryShape", "RefusedQuery", "check", "shape"]
