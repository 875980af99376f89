"""Graph stage: a typed networkx multigraph of papers, entities, results and code links."""

from kg.graph.build import EDGE_TYPES, NODE_TYPES, GraphBuilder, build_graph, node_id

__all__ = ["EDGE_TYPES", "NODE_TYPES", "GraphBuilder", "build_graph", "node_id"]
