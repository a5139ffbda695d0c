"""stackatlas: the catalog of AI and data-stack vendors as a validated knowledge graph."""

__version__ = "0.1.0"
