"""Queries about source pages and the copies the repository keeps (:mod:`stackatlas.web.sources`)."""

from __future__ import annotations

from ...vocab import sparql_prologue

LOCAL_COPY = (
    sparql_prologue()
    + """
SELECT ?page ?copy WHERE { ?page a sa:SourcePage ; sa:localCopy ?copy } ORDER BY ?copy LIMIT 1
"""
)
"""The local copy of the source page bound to ``page``, if its record names one."""
