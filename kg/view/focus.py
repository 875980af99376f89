"""Neighbourhood views: the nodes within ``depth`` hops of one node found by name or alias."""

from __future__ import annotations

import difflib

import networkx as nx

from kg.errors import KgError


def names(data: dict[str, object], nid: str) -> list[str]:
    """Every name a node answers to: label, name, aliases, title, paper id, URL."""
    found = [nid]
    for key in ("label", "name", "title", "paper_id", "url"):
        value = data.get(key)
        if isinstance(value, str) and value:
            found.append(value)
    aliases = data.get("aliases")
    if isinstance(aliases, list):
        found.extend(str(a) for a in aliases)
    return found


def find_node(graph: nx.MultiDiGraph, query: str) -> str:
    """The node named ``query`` (case-insensitive; an exact label beats an alias).

    Raises ``KgError`` with close names when nothing matches.
    """
    wanted = query.strip().casefold()
    hits: list[tuple[int, int, str]] = []
    for rank, (nid, data) in enumerate(graph.nodes(data=True)):
        all_names = [n.casefold() for n in names(data, nid)]
        if wanted in all_names:
            hits.append((all_names.index(wanted) > 1, rank, nid))
    if hits:
        return min(hits)[2]
    labels = sorted({str(d.get("label", n)) for n, d in graph.nodes(data=True)})
    close = difflib.get_close_matches(query, labels, n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise KgError(f"--focus {query!r}: no node has this name or alias{hint}")


def neighbourhood(graph: nx.MultiDiGraph, center: str, depth: int) -> nx.MultiDiGraph:
    """The subgraph within ``depth`` hops of ``center``, edges followed in both directions."""
    if depth < 0:
        raise KgError(f"--depth must be 0 or more, not {depth}")
    reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center, depth)
    keep = [n for n in graph if n in reach]  # graph order, so the output is deterministic
    sub: nx.MultiDiGraph = graph.subgraph(keep).copy()
    sub.graph["focus"] = center
    return sub
