"""The reduced first view of a large graph.

Above ``max_nodes`` the view starts with detail nodes hidden (results, then code and project
links), then with low-degree nodes hidden, until at most ``max_nodes`` remain. Nothing is
dropped from the file: the reduction is only the initial state of the type filters and the
minimum-degree slider, and the page says what is hidden and how to show it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

DEFAULT_MAX_NODES = 1500
HIDE_FIRST: tuple[str, ...] = ("Result", "Repository", "ProjectPage", "DatasetCard")
HIDE_FIRST += ("ModelCard", "Author", "Category")


@dataclass(frozen=True)
class Reduction:
    """Initial filter state: node types switched off and the minimum degree."""

    hidden_types: tuple[str, ...] = ()
    min_degree: int = 0
    hidden_by_type: dict[str, int] = field(default_factory=dict)
    hidden_by_degree: int = 0
    shown: int = 0
    total: int = 0

    @property
    def active(self) -> bool:
        return bool(self.hidden_types) or self.min_degree > 0

    def message(self) -> str:
        """What is hidden and how to show it, for the banner."""
        if not self.active:
            return ""
        parts = [
            f"{n:,} {kind} nodes (tick {kind} under Node types)"
            for kind, n in self.hidden_by_type.items()
        ]
        if self.min_degree:
            parts.append(
                f"{self.hidden_by_degree:,} nodes with fewer than {self.min_degree} connections "
                "(lower the Minimum degree slider)"
            )
        return (
            f"Large graph: showing {self.shown:,} of {self.total:,} nodes. "
            f"Hidden: {'; '.join(parts)}."
        )


FILE_MAX_NODES = 20_000
"""The most nodes ``graph.html`` holds: a bigger graph's file keeps its best-connected ones."""


def file_subgraph(
    graph: nx.MultiDiGraph, max_nodes: int = FILE_MAX_NODES
) -> tuple[nx.MultiDiGraph, str]:
    """The graph a view file holds, and a note of what it leaves out: all of ``graph`` up to
    ``max_nodes`` nodes; above, its ``max_nodes`` best-connected nodes, papers and entities
    before the detail nodes (``HIDE_FIRST``), and the edges between them."""
    total = graph.number_of_nodes()
    if total <= max_nodes:
        return graph, ""
    degree = dict(graph.degree())
    rank = {kind: i for i, kind in enumerate(HIDE_FIRST, start=1)}
    kept = sorted(
        graph.nodes(data="type"), key=lambda n: (rank.get(str(n[1]), 0), -degree[n[0]], n[0])
    )[:max_nodes]
    sub = graph.subgraph(node for node, _ in kept).copy()
    note = (
        f"This file holds the {max_nodes:,} best-connected of the graph's {total:,} nodes "
        "(papers and entities first); graph.gexf, graph.graphml and the RDF exports hold "
        "them all, and the research site (kg serve) pages every paper."
    )
    return sub, note


def reduce_view(graph: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES) -> Reduction:
    """Choose the initial filters so that at most ``max_nodes`` nodes are shown."""
    total = graph.number_of_nodes()
    if total <= max_nodes:
        return Reduction(shown=total, total=total)
    kinds = Counter(str(d.get("type")) for _, d in graph.nodes(data=True))
    degree = dict(graph.degree())
    hidden: list[str] = []
    shown = total
    for kind in HIDE_FIRST:
        if shown <= max_nodes:
            break
        if kinds[kind]:
            hidden.append(kind)
            shown -= kinds[kind]
    rest = sorted(degree[n] for n, d in graph.nodes(data=True) if d.get("type") not in hidden)
    min_degree = 0
    while shown > max_nodes:
        min_degree += 1 if min_degree else 2  # degree >= 1 hides nothing but isolated nodes
        shown = sum(1 for d in rest if d >= min_degree)
    return Reduction(
        hidden_types=tuple(hidden),
        min_degree=min_degree,
        hidden_by_type={k: kinds[k] for k in hidden},
        hidden_by_degree=len(rest) - shown,
        shown=shown,
        total=total,
    )
