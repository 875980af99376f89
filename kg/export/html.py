"""``graph.html``: the interactive, offline view of the whole graph (see kg/view)."""

from __future__ import annotations

from pathlib import Path

from kg.export.registry import ExportContext, register_graph_writer
from kg.view import write_view


@register_graph_writer("html")
def write_html(context: ExportContext, out: Path) -> list[Path]:
    return [write_view(out / "graph.html", context.graph, context.corpus, title="kg graph")]
