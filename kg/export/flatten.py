"""Scalar-only copies of the graph for formats that cannot hold lists or None."""

from __future__ import annotations

from typing import Any

import networkx as nx

LIST_SEPARATOR = "|"


def scalar(value: Any) -> Any:
    """Lists become ``|``-joined strings; None is dropped by the caller."""
    if isinstance(value, list | tuple | set):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all str/int/float/bool (no None, no lists)."""
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: scalar(x) for k, x in data.items() if x is not None})
    return flat
