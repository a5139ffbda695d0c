"""The change feed: the commit log as pages of commits with their changes, after a stable cursor.

:mod:`.entries` builds the pages (on :mod:`stackatlas.history`), :mod:`.render`
writes them as JSON lines or Atom, :mod:`.http` serves ``GET /changes`` and
:mod:`.cli` ``stackatlas changes``. See ``docs/feed.md``.
"""
