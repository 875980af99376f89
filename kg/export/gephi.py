"""``graph.gexf`` (GEXF 1.3 for Gephi) and ``graph.graphml`` (yEd, Gephi, igraph, networkx).

Both have one declared type per attribute (lists are ``|``-joined strings, missing values
are left out) and a ready-made look: colour by node type, size by degree and positions from
a seeded ForceAtlas2 layout (GEXF ``viz:*``; GraphML ``x``/``y``/``size``/``r``/``g``/``b``,
the names Gephi's GraphML importer reads). Output is byte-deterministic.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary
from xml.etree import ElementTree as ET

import networkx as nx

from kg.export.flatten import Kind, coerce, flat_graph, property_types, scalar
from kg.export.registry import ExportContext, register_graph_writer

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
Q = f"{{{GEXF_NS}}}"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_TYPES: dict[Kind, str] = {
    "boolean": "boolean",
    "long": "long",
    "double": "double",
    "string": "string",
    "string[]": "string",  # joined with "|": Gephi's list syntax differs between versions
}
COLORS = {
    "Paper": (66, 133, 244),
    "Method": (219, 68, 55),
    "Dataset": (15, 157, 88),
    "Metric": (244, 160, 0),
    "Task": (171, 71, 188),
    "Result": (0, 172, 193),
    "Repository": (84, 110, 122),
    "ProjectPage": (141, 110, 99),
}
OTHER_COLOR = (158, 158, 158)
LAYOUT_SEED = 42
LAYOUT_NODES = 500  # ForceAtlas2 is O(n^2): lay out the best-connected nodes, attach the rest
LAYOUT_ITERATIONS = 50
EXTENT = 1000.0
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LAYOUTS: WeakKeyDictionary[nx.MultiDiGraph, dict[Any, tuple[float, float]]] = WeakKeyDictionary()


def xml_text(value: Any) -> str:
    """``value`` as XML attribute text: lower-case booleans, Java-style non-finite floats,
    characters XML 1.0 cannot hold removed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return _INVALID_XML.sub("", str(value))


def _pair(u: Any, v: Any) -> tuple[Any, Any]:
    return (u, v) if str(u) <= str(v) else (v, u)


def layout(graph: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Seeded ForceAtlas2 positions in [-EXTENT, EXTENT], rounded to 0.01 (cached per graph)."""
    if graph in _LAYOUTS:
        return _LAYOUTS[graph]
    simple = nx.Graph()  # canonical order: positions depend on the graph, not on insertion
    simple.add_nodes_from(sorted(graph, key=str))
    pairs = {_pair(u, v) for u, v in graph.edges() if u != v}
    simple.add_edges_from(sorted(pairs, key=lambda e: (str(e[0]), str(e[1]))))
    degree = dict(simple.degree())
    core = set(sorted(simple, key=lambda n: (-degree[n], str(n)))[:LAYOUT_NODES])
    sub = nx.Graph()
    sub.add_nodes_from(n for n in simple if n in core)
    sub.add_edges_from((u, v) for u, v in simple.edges() if u in core and v in core)
    raw = nx.forceatlas2_layout(sub, max_iter=LAYOUT_ITERATIONS, seed=LAYOUT_SEED) if sub else {}
    pos = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
    _attach(simple, pos, degree)
    span = max((max(abs(x), abs(y)) for x, y in pos.values()), default=0.0) or 1.0
    result = {
        n: (round(x / span * EXTENT, 2), round(y / span * EXTENT, 2)) for n, (x, y) in pos.items()
    }
    _LAYOUTS[graph] = result
    return result


def _attach(simple: nx.Graph, pos: dict[Any, tuple[float, float]], degree: dict[Any, int]) -> None:
    """Place the nodes left out of the layout next to their best-connected placed neighbour,
    breadth-first from the placed ones (a part with nothing placed starts at the origin)."""
    order = [n for n in simple if n not in pos]
    remaining = set(order)
    queue = deque(n for n in order if any(m in pos for m in simple[n]))
    queued = set(queue)
    placed, start = 0, 0
    while remaining:
        if not queue:
            while order[start] not in remaining:
                start += 1
            queue.append(order[start])
        n = queue.popleft()
        if n not in remaining:
            continue
        anchors = sorted((m for m in simple[n] if m in pos), key=lambda m: (-degree[m], str(m)))
        x, y = pos[anchors[0]] if anchors else (0.0, 0.0)
        angle = 2.399963 * placed  # golden angle: spread the nodes around their anchor
        pos[n] = (x + 0.5 * math.cos(angle), y + 0.5 * math.sin(angle))
        placed += 1
        remaining.discard(n)
        for m in simple[n]:
            if m in remaining and m not in queued:
                queue.append(m)
                queued.add(m)


def node_size(degree: int) -> float:
    return round(4.0 + 3.0 * math.sqrt(degree), 2)


def _attributes(graph_el: ET.Element, cls: str, kinds: Mapping[str, Kind]) -> dict[str, str]:
    block = ET.SubElement(graph_el, f"{Q}attributes", {"class": cls, "mode": "static"})
    ids = {}
    for i, (name, kind) in enumerate(kinds.items()):
        ids[name] = str(i)
        attrs = {"id": str(i), "title": name, "type": GEXF_TYPES[kind]}
        ET.SubElement(block, f"{Q}attribute", attrs)
    return ids


def _attvalues(
    parent: ET.Element, data: Mapping[str, Any], kinds: Mapping[str, Kind], ids: Mapping[str, str]
) -> None:
    values = [(k, v) for k, v in data.items() if k in ids and v is not None]
    if not values:
        return
    block = ET.SubElement(parent, f"{Q}attvalues")
    for key, value in values:
        text = xml_text(scalar(coerce(value, kinds[key])))
        ET.SubElement(block, f"{Q}attvalue", {"for": ids[key], "value": text})


def gexf_tree(graph: nx.MultiDiGraph) -> ET.ElementTree:
    """The graph as a GEXF 1.3 document with typed attributes and viz data."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = Q
    root = ET.Element(
        f"{q}gexf",
        {f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"},
    )
    meta = ET.SubElement(root, f"{q}meta")
    ET.SubElement(meta, f"{q}creator").text = "kg"
    ET.SubElement(meta, f"{q}description").text = "Knowledge graph of machine-learning papers"
    g = ET.SubElement(root, f"{q}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_kinds = property_types((d for _, d in graph.nodes(data=True)), skip=("label",))
    edge_kinds = property_types(d for _, _, d in graph.edges(data=True))
    node_ids = _attributes(g, "node", node_kinds)
    edge_ids = _attributes(g, "edge", edge_kinds)
    pos = layout(graph)
    degree = dict(graph.degree())
    nodes = ET.SubElement(g, f"{q}nodes", {"count": str(graph.number_of_nodes())})
    for node, data in graph.nodes(data=True):
        label = xml_text(data.get("label", node))
        el = ET.SubElement(nodes, f"{q}node", {"id": xml_text(node), "label": label})
        _attvalues(el, data, node_kinds, node_ids)
        r, gr, b = COLORS.get(data.get("type", ""), OTHER_COLOR)
        ET.SubElement(el, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(gr), "b": str(b)})
        ET.SubElement(el, f"{{{VIZ_NS}}}size", {"value": str(node_size(degree[node]))})
        x, y = pos[node]
        ET.SubElement(el, f"{{{VIZ_NS}}}position", {"x": str(x), "y": str(y), "z": "0.0"})
    edges = ET.SubElement(g, f"{q}edges", {"count": str(graph.number_of_edges())})
    for i, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        weight = data.get("mentions") or data.get("support") or 1
        attrs = {"id": str(i), "source": xml_text(u), "target": xml_text(v)}
        attrs |= {"label": xml_text(key), "kind": xml_text(key), "weight": str(float(weight))}
        el = ET.SubElement(edges, f"{q}edge", attrs)
        _attvalues(el, data, edge_kinds, edge_ids)
    ET.indent(root)
    return ET.ElementTree(root)


@register_graph_writer("gexf")
def write_gexf(context: ExportContext, out: Path) -> list[Path]:
    path = out / "graph.gexf"
    gexf_tree(context.graph).write(path, encoding="utf-8", xml_declaration=True)
    return [path]


def graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The flattened graph plus Gephi's GraphML viz attributes; edge keys (GraphML edge
    ids) are unique: ``e0``, ``e1``... (the relationship is the ``type`` attribute)."""
    flat = flat_graph(graph)
    pos = layout(graph)
    degree = dict(graph.degree())
    for node, data in flat.nodes(data=True):
        for k, v in list(data.items()):
            if isinstance(v, str):
                data[k] = xml_text(v)
        r, g, b = COLORS.get(data.get("type", ""), OTHER_COLOR)
        x, y = pos[node]
        data.update(x=x, y=y, size=node_size(degree[node]), r=r, g=g, b=b)
    keyed = nx.MultiDiGraph()
    keyed.add_nodes_from(flat.nodes(data=True))
    for i, (u, v, data) in enumerate(flat.edges(data=True)):
        clean = {k: xml_text(x) if isinstance(x, str) else x for k, x in data.items()}
        keyed.add_edge(u, v, key=f"e{i}", **clean)
    return keyed


@register_graph_writer("graphml")
def write_graphml(context: ExportContext, out: Path) -> list[Path]:
    path = out / "graph.graphml"
    nx.write_graphml(graphml_graph(context.graph), path)
    return [path]
