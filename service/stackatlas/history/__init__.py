"""The catalog's history: the commit log, changes in the catalog's words, states as of a date, releases.

Everything here reads the audit graph (``graph/audit``, written by
:mod:`stackatlas.store.audit`) through the store seam; see ``docs/history.md``.
"""
