"""SPARQL text of the internal queries, one module per area, owned by the store layer.

Nothing outside :mod:`stackatlas.store` writes SPARQL: consumers import a query
(or a function that builds one from bound terms, see :mod:`stackatlas.store.terms`)
from here and run it through :class:`stackatlas.store.Store`.
"""
