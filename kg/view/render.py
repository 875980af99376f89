"""Render a view graph to one self-contained, byte-deterministic HTML file.

pyvis models the nodes, edges and vis-network options; the page is our own template (pyvis's
pulls Bootstrap and tom-select from CDNs) with vis-network, the script, the stylesheet and the
data inlined. Paper text is untrusted: the data travels as JSON in a non-executed script
element, with ``<``, ``>`` and ``&`` escaped, and the page only ever inserts it as text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from kg.model import ResolvedCorpus
from kg.view.assets import VIS_NETWORK_VERSION, package_text, vis_network_js
from kg.view.details import Sentences, build_details
from kg.view.focus import names
from kg.view.reduce import DEFAULT_MAX_NODES, reduce_view
from kg.view.style import NODE_STYLE, node_size, node_style, rel_color

SEED = 7
LABEL_CHARS = 32


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _label(kind: str, data: dict[str, Any], nid: str) -> str:
    """The canvas label: short; links without their scheme (``github.com/owner/repo``)."""
    label = str(data.get("label", nid))
    if kind in ("Repository", "ProjectPage", "DatasetCard", "ModelCard"):
        label = re.sub(r"^https?://(www\.)?", "", label).rstrip("/")
    return _short(label) or " "


def _hover(kind: str, data: dict[str, Any], degree: int) -> str:
    label = str(data.get("label", ""))
    if kind == "Paper":
        dates = ", ".join(data.get("dates") or [])
        return f"{data.get('title', label)}\n{dates}".rstrip()
    return f"{kind}: {label}\n{degree} connection{'s' if degree != 1 else ''}"


def _network(graph: nx.MultiDiGraph) -> Network:
    """pyvis nodes and edges, styled by type; custom fields ``kind``, ``degree``, ``rel``."""
    net = Network(directed=True, cdn_resources="in_line")
    degree = dict(graph.degree())
    # pyvis's add_node / add_edge look nodes up in a list (quadratic on big graphs); networkx
    # already guarantees unique nodes and existing endpoints, so the same Node / Edge
    # options are appended directly (what add_node / add_edge store).
    for nid, data in graph.nodes(data=True):
        kind = str(data.get("type", "Resource"))
        color, shape = node_style(kind)
        node = Node(
            nid,
            shape,
            label=_label(kind, data, nid),
            color=color,
            font_color=net.font_color,
            size=node_size(degree[nid]),
            title=_hover(kind, data, degree[nid]),
            kind=kind,
            degree=degree[nid],
        )
        net.nodes.append(node.options)
        net.node_ids.append(nid)
        net.node_map[nid] = node.options
    for i, (u, v, rel) in enumerate(graph.edges(keys=True)):
        edge = Edge(u, v, True, id=f"e{i}", rel=str(rel), color=rel_color(str(rel)))
        net.edges.append(edge.options)
    return net


def vis_options(n_nodes: int) -> dict[str, Any]:
    """Seeded, quickly stabilised physics (the page freezes it once stable)."""
    large = n_nodes > 2000  # hide edges while dragging or zooming: keeps big graphs fluid
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": n_nodes <= 150},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -45,
                "centralGravity": 0.012,
                "springLength": 70,
                "springConstant": 0.08,
                "damping": 0.55,
                "avoidOverlap": 0.1,
            },
            "maxVelocity": 80,
            "minVelocity": 2,
            "timestep": 0.5,
            "stabilization": {
                "enabled": True,
                "iterations": 120,
                "updateInterval": 60,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {
                "size": 12,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {
            "smooth": False,
            "width": 0.8,
            "selectionWidth": 2.5,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.35}},
            "font": {"size": 0, "align": "middle", "strokeWidth": 3},
        },
    }


def _json(data: Any) -> str:
    """JSON safe inside a <script> element whatever the strings contain."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def view_html(
    graph: nx.MultiDiGraph,
    corpus: ResolvedCorpus | None = None,
    *,
    title: str = "Knowledge graph",
    max_nodes: int = DEFAULT_MAX_NODES,
    note: str = "",
) -> str:
    """The HTML page for ``graph``; ``corpus`` supplies the side-panel details."""
    net = _network(graph)
    nodes, edges, *_ = net.get_network_data()
    reduction = reduce_view(graph, max_nodes)
    kinds = Counter(str(d.get("type", "Resource")) for _, d in graph.nodes(data=True))
    rels = Counter(str(k) for _, _, k in graph.edges(keys=True))
    order = [k for k in NODE_STYLE if k in kinds] + sorted(set(kinds) - set(NODE_STYLE))
    search = sorted(
        {(name, nid) for nid, data in graph.nodes(data=True) for name in names(data, nid)[1:]}
    )
    sentences = Sentences()
    data = {
        "details": build_details(graph, corpus, sentences),
        "sentences": sentences.table(),
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(graph.number_of_nodes()),
        "search": [list(pair) for pair in search],
        "types": [[k, *node_style(k), kinds[k]] for k in order],
        "rels": [[r, rel_color(r), rels[r]] for r in sorted(rels)],
        "focus": graph.graph.get("focus"),
        "initial": {
            "hiddenTypes": list(reduction.hidden_types),
            "minDegree": reduction.min_degree,
            "message": reduction.message(),
        },
    }
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    template = env.from_string(package_text("template.html"))
    return template.render(
        title=title,
        note=note,
        vis_version=VIS_NETWORK_VERSION,
        vis_js=Markup(vis_network_js()),
        view_js=Markup(package_text("view.js")),
        view_css=Markup(package_text("view.css")),
        data=Markup(_json(data)),
    )


def write_view(
    path: Path, graph: nx.MultiDiGraph, corpus: ResolvedCorpus | None, **kw: Any
) -> Path:
    path.write_text(view_html(graph, corpus, **kw), encoding="utf-8")
    return path
