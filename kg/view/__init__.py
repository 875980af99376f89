"""Interactive, offline HTML views of the graph: the whole graph (reduced when large), one
node's neighbourhood, or what a SPARQL CONSTRUCT query returns."""

from kg.view.construct import construct_view
from kg.view.focus import find_node, neighbourhood
from kg.view.reduce import DEFAULT_MAX_NODES, FILE_MAX_NODES, Reduction, file_subgraph, reduce_view
from kg.view.render import view_html, write_view

__all__ = [
    "DEFAULT_MAX_NODES",
    "FILE_MAX_NODES",
    "Reduction",
    "construct_view",
    "file_subgraph",
    "find_node",
    "neighbourhood",
    "reduce_view",
    "view_html",
    "write_view",
]
