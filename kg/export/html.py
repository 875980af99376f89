"""``graph.html``: an interactive pyvis view of the graph."""

from __future__ import annotations

from pathlib import Path

from pyvis.network import Network

from kg.export.registry import ExportContext, register_exporter

COLORS = {
    "Paper": "#4c78a8",
    "Method": "#f58518",
    "Dataset": "#54a24b",
    "Metric": "#e45756",
    "Task": "#72b7b2",
    "Result": "#b279a2",
    "Repository": "#9d755d",
    "ProjectPage": "#bab0ac",
}
SHAPES = {
    "Paper": "box",
    "Result": "diamond",
    "Repository": "triangle",
    "ProjectPage": "triangleDown",
}


@register_exporter("html")
def write_html(context: ExportContext, out: Path) -> list[Path]:
    graph = context.graph
    net = Network(
        height="900px", width="100%", directed=True, cdn_resources="in_line", notebook=False
    )
    degree = dict(graph.degree())
    for node, data in graph.nodes(data=True):
        kind = data["type"]
        label = str(data.get("label", node))
        net.add_node(
            node,
            label=label if len(label) < 40 else label[:37] + "...",
            title=f"{kind}: {label}",
            color=COLORS.get(kind, "#888"),
            shape=SHAPES.get(kind, "dot"),
            size=10 + min(degree[node], 40),
            group=kind,
        )
    for u, v, key in graph.edges(keys=True):
        net.add_edge(u, v, title=key, label=key)
    net.toggle_physics(True)
    path = out / "graph.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    return [path]
