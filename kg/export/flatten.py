"""Typed property tables for formats with a schema (Neo4j, GEXF, GraphML).

The networkx graph holds ``None`` and lists; these formats need one declared type per
property. ``property_types`` infers it over all the nodes (or edges) of one kind, and
``coerce`` converts a value to it, so every writer declares and writes the same types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx

Kind = Literal["boolean", "long", "double", "string", "string[]"]
LIST_SEPARATOR = "|"
_RANK: dict[Kind, int] = {"boolean": 0, "long": 1, "double": 2, "string": 3}


def value_kind(value: Any) -> Kind | None:
    """The kind of one value; None for None (a missing value)."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return "string[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def merge_kind(a: Kind, b: Kind) -> Kind:
    if a == b:
        return a
    if "string[]" in (a, b):
        return "string[]"
    if {a, b} == {"long", "double"}:
        return "double"
    return "string" if max(_RANK[a], _RANK[b]) >= 1 else a


def property_types(items: Iterable[Mapping[str, Any]], skip: Iterable[str] = ()) -> dict[str, Kind]:
    """Property name -> kind over all ``items``, in order of first appearance.

    Mixed ints and floats become ``double``; any other mix becomes ``string``; a list
    anywhere makes the property a ``string[]``. Properties that are always None are left out.
    """
    skipped = set(skip)
    kinds: dict[str, Kind] = {}
    for data in items:
        for key, value in data.items():
            kind = value_kind(value)
            if key in skipped or kind is None:
                continue
            kinds[key] = merge_kind(kinds[key], kind) if key in kinds else kind
    return kinds


def coerce(value: Any, kind: Kind) -> Any:
    """``value`` as a Python value of ``kind`` (None stays None)."""
    if value is None:
        return None
    if kind == "string[]":
        items = value if isinstance(value, list | tuple | set | frozenset) else [value]
        return [str(v) for v in items]
    if kind == "double":
        return float(value)
    if kind == "string" and isinstance(value, bool):
        return str(value).lower()
    if kind == "string":
        return str(value)
    return value


def scalar(value: Any) -> Any:
    """Lists become ``|``-joined strings (for formats without list types)."""
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with one type per attribute name, no None and no lists (``|``-joined)."""
    flat = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    nodes = property_types(d for _, d in graph.nodes(data=True))
    edges = property_types(d for _, _, d in graph.edges(data=True))
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_flat(data, nodes))
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_flat(data, edges))
    return flat


def _flat(data: Mapping[str, Any], kinds: Mapping[str, Kind]) -> dict[str, Any]:
    return {k: scalar(coerce(v, kinds[k])) for k, v in data.items() if v is not None}
