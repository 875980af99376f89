"""Export stage: writers registered by format name (``kg.export.registry``), which every
build feeds; ``write_exports`` runs them over a corpus in memory."""

from kg.export.registry import (
    GRAPH_WRITERS,
    WRITERS,
    ExportContext,
    check_formats,
    formats,
    register_graph_writer,
    register_writer,
    write_exports,
)

# Import the writers so they register themselves (streamed first, then whole-graph ones).
from kg.export import jsonl, ntriples, neo4j_csv, site_db, html, gephi  # noqa: F401  isort: skip

__all__ = [
    "GRAPH_WRITERS",
    "WRITERS",
    "ExportContext",
    "check_formats",
    "formats",
    "register_graph_writer",
    "register_writer",
    "write_exports",
]
