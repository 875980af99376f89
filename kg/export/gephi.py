"""GEXF and GraphML for Gephi, yEd, igraph and networkx."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.export.flatten import flat_graph
from kg.export.registry import ExportContext, register_exporter


@register_exporter("gexf")
def write_gexf(context: ExportContext, out: Path) -> list[Path]:
    path = out / "graph.gexf"
    nx.write_gexf(flat_graph(context.graph), path)
    return [path]


@register_exporter("graphml")
def write_graphml(context: ExportContext, out: Path) -> list[Path]:
    path = out / "graph.graphml"
    nx.write_graphml(flat_graph(context.graph), path)
    return [path]
