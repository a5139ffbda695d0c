"""Integration maps and whole-graph downloads for other tools.

:mod:`.selection` picks the subgraph; each format has its own module;
:mod:`.formats` names them for the CLI and the HTTP routes.
"""
