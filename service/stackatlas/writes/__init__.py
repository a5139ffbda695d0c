"""Governed writes: every change to the catalog is a validated, versioned, audited transaction.

:mod:`.transaction` is the one path (change set → local SHACL check → atomic
commit with its audit record); :mod:`.update` turns SPARQL Update into change
sets, :mod:`.routes` serves ``/update`` and the Graph Store Protocol,
:mod:`.ingest_page` serves ``POST /ingest``; GraphQL mutations
(:mod:`stackatlas.graphql.mutations`) use the same path.
"""

from __future__ import annotations

from .routes import router

__all__ = ["router"]
