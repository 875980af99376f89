"""``graph.gexf`` (GEXF 1.3 for Gephi) and ``graph.graphml`` (yEd, Gephi, igraph, networkx).

Both have one declared type per attribute (lists are ``|``-joined strings, missing values
are left out) and a ready-made look: colour by node type, size by degree and positions from
a seeded ForceAtlas2 layout (GEXF ``color``/``size``/``position``; GraphML ``x``/``y``/
``size``/``r``/``g``/``b``, the names Gephi's GraphML importer reads). Output is
byte-deterministic, and the GEXF is written as it is generated.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from kg.export.flatten import Kind, coerce, flat_graph, property_types, scalar
from kg.export.registry import ExportContext, register_graph_writer

GEXF_NS = "http://gexf.net/1.3"
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
    "DatasetCard": (15, 157, 88),
    "ModelCard": (219, 68, 55),
    "Author": (121, 85, 72),
    "Category": (96, 125, 139),
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


_ESCAPES: tuple[tuple[str, str], ...] = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ESCAPES += (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    for char, escape in _ESCAPES:
        if char in value:
            value = value.replace(char, escape)
    return value


def _tag(name: str, attrs: Mapping[str, str], close: bool = True) -> str:
    inner = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
    return f"<{name}{inner}{' /' if close else ''}>"


def _attributes(cls: str, kinds: Mapping[str, Kind]) -> tuple[list[str], dict[str, str]]:
    head = {"class": cls, "mode": "static"}
    ids = {name: str(i) for i, name in enumerate(kinds)}
    if not kinds:
        return [f"    {_tag('attributes', head)}\n"], ids
    lines = [f"    {_tag('attributes', head, close=False)}\n"]
    for name, kind in kinds.items():
        attrs = {"id": ids[name], "title": xml_text(name), "type": GEXF_TYPES[kind]}
        lines.append(f"      {_tag('attribute', attrs)}\n")
    return [*lines, "    </attributes>\n"], ids


def _attvalues(
    data: Mapping[str, Any], kinds: Mapping[str, Kind], ids: Mapping[str, str]
) -> list[str]:
    values = [(k, v) for k, v in data.items() if k in ids and v is not None]
    if not values:
        return []
    lines = ["        <attvalues>\n"]
    for key, value in values:
        text = xml_text(scalar(coerce(value, kinds[key])))
        lines.append(f'          <attvalue for="{ids[key]}" value="{_attr(text)}" />\n')
    return [*lines, "        </attvalues>\n"]


def _element(name: str, attrs: Mapping[str, str], body: list[str]) -> str:
    if not body:
        return f"      {_tag(name, attrs)}\n"
    return f"      {_tag(name, attrs, close=False)}\n{''.join(body)}      </{name}>\n"


def write_gexf_file(graph: nx.MultiDiGraph, path: Path) -> Path:
    """The graph as a GEXF 1.3 document with typed attributes and viz data, written as it
    is generated. The viz elements (``color``, ``size``, ``position``) are in the GEXF
    namespace, where the GEXF 1.3 schema declares them (``viz.rnc``: ``default namespace =
    inherit``); Gephi's importer reads them by local name."""
    node_kinds = property_types((d for _, d in graph.nodes(data=True)), skip=("label",))
    edge_kinds = property_types(d for _, _, d in graph.edges(data=True))
    node_lines, node_ids = _attributes("node", node_kinds)
    edge_lines, edge_ids = _attributes("edge", edge_kinds)
    pos = layout(graph)
    degree = dict(graph.degree())
    root = {
        "xmlns": GEXF_NS,
        "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
        "version": "1.3",
    }
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("<?xml version='1.0' encoding='utf-8'?>\n")
        fh.write(_tag("gexf", root, close=False) + "\n")
        fh.write("  <meta>\n    <creator>kg</creator>\n")
        fh.write("    <description>Knowledge graph of machine-learning papers</description>\n")
        fh.write("  </meta>\n")
        fh.write('  <graph defaultedgetype="directed" mode="static">\n')
        fh.writelines([*node_lines, *edge_lines])
        count = graph.number_of_nodes()
        fh.write(f'    <nodes count="{count}"{" /" if not count else ""}>\n')
        for node, data in graph.nodes(data=True):
            r, gr, b = COLORS.get(data.get("type", ""), OTHER_COLOR)
            x, y = pos[node]
            viz = [
                f'        <color r="{r}" g="{gr}" b="{b}" />\n',
                f'        <size value="{node_size(degree[node])}" />\n',
                f'        <position x="{x}" y="{y}" z="0.0" />\n',
            ]
            attrs = {"id": xml_text(node), "label": xml_text(data.get("label", node))}
            fh.write(_element("node", attrs, [*_attvalues(data, node_kinds, node_ids), *viz]))
        if count:
            fh.write("    </nodes>\n")
        count = graph.number_of_edges()
        fh.write(f'    <edges count="{count}"{" /" if not count else ""}>\n')
        for i, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
            weight = data.get("mentions") or data.get("support") or 1
            attrs = {"id": str(i), "source": xml_text(u), "target": xml_text(v)}
            attrs |= {"label": xml_text(key), "kind": xml_text(key), "weight": str(float(weight))}
            fh.write(_element("edge", attrs, _attvalues(data, edge_kinds, edge_ids)))
        if count:
            fh.write("    </edges>\n")
        fh.write("  </graph>\n</gexf>")
    return path


@register_graph_writer("gexf")
def write_gexf(context: ExportContext, out: Path) -> list[Path]:
    return [write_gexf_file(context.graph, out / "graph.gexf")]


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
