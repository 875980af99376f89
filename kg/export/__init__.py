"""Export stage: writers registered by name, run into a staging folder, then moved in place."""

from kg.export.registry import EXPORTERS, register_exporter, write_exports

# Import the writers so they register themselves.
from kg.export import gephi, html, jsonl, neo4j, rdf  # noqa: F401  isort: skip

__all__ = ["EXPORTERS", "register_exporter", "write_exports"]
