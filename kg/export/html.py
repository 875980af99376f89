"""``graph.html``: the interactive, offline view of the whole graph (see kg/view)."""

from __future__ import annotations

from pathlib import Path

from kg.export.registry import ExportContext, register_graph_writer
from kg.view import file_subgraph, write_view


@register_graph_writer("html")
def write_html(context: ExportContext, out: Path) -> list[Path]:
    """The view of the whole graph, or of its best-connected nodes above ``FILE_MAX_NODES``
    (the page says so)."""
    graph, note = file_subgraph(context.graph)
    return [write_view(out / "graph.html", graph, context.corpus, title="kg graph", note=note)]
