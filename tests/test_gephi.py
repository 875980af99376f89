"""GEXF 1.3 and GraphML: schema-valid, read back by networkx and igraph with the same nodes,
edges and attribute values as the source graph, styled for Gephi, byte-deterministic."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from lxml import etree

from kg.api import KnowledgeGraph, build
from kg.export import write_exports
from kg.export.flatten import coerce, flat_graph, property_types, scalar
from kg.export.gephi import COLORS, EXTENT, LAYOUT_NODES, layout, node_size
from kg.export.registry import ExportContext
from kg.model import ResolvedCorpus
from tests.conftest import INPUTS, ROOT

SCHEMA = ROOT / "kg" / "export" / "schemas" / "gexf-1.3" / "gexf.xsd"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def gexf_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def assert_attributes(
    source: nx.MultiDiGraph,
    read: nx.MultiDiGraph,
    extra: set[str],
    edge_extra: frozenset[str] = frozenset(),
) -> None:
    """Every node and edge attribute of ``source`` comes back with the same value; ``extra``
    names what the format adds (viz data, ids)."""
    node_kinds = property_types(d for _, d in source.nodes(data=True))
    for node, data in source.nodes(data=True):
        got = {k: v for k, v in read.nodes[node].items() if k not in extra}
        want = {k: scalar(coerce(v, node_kinds[k])) for k, v in data.items() if v is not None}
        assert got == want, node
    edge_kinds = property_types(d for _, _, d in source.edges(data=True))

    def key(u: str, v: str, d: dict[str, Any]) -> tuple[str, str, str]:
        return (u, v, str(sorted(d.items())))

    want_edges = Counter(
        key(u, v, {k: scalar(coerce(x, edge_kinds[k])) for k, x in d.items() if x is not None})
        for u, v, d in source.edges(data=True)
    )
    got_edges = Counter(
        key(u, v, {k: x for k, x in d.items() if k not in extra | edge_extra})
        for u, v, d in read.edges(data=True)
    )
    assert got_edges == want_edges


def tricky_graph() -> nx.MultiDiGraph:
    """The networkx GEXF/GraphML pitfalls: None, lists, mixed int/float, booleans, control
    characters, and attributes named like GEXF's own (start, end, label, type)."""
    g = nx.MultiDiGraph()
    g.add_node("paper/1", type="Paper", label="A\x0b title", authors=["A; B", "C|D"], date=None)
    g.add_node("paper/2", type="Paper", label="Second", authors=[], date="2024-06-01")
    g.add_node("result/1/0", type="Result", label="r", value=3, start=10, end=14, flag=True)
    g.add_node("result/1/1", type="Result", label="r2", value=2.5, start=None, end=None, flag=False)
    g.add_node("thing/x", type="Unknown")
    g.add_edge("paper/1", "result/1/0", key="reports", type="reports", papers=["p1", "p2"])
    g.add_edge("paper/1", "result/1/1", key="reports", type="reports", start=0, sentence=None)
    g.add_edge("paper/1", "paper/2", key="uses", type="uses", mentions=2)
    g.add_edge("paper/1", "paper/2", key="proposes", type="proposes", mentions=1)
    return g


def write(graph: nx.MultiDiGraph, out: Path) -> Path:
    write_exports(
        ExportContext(ResolvedCorpus([], {}), graph, "https://example.org/"),
        out,
        ["gexf", "graphml"],
    )
    return out


def test_gexf_is_valid_gexf_13(seed_exports: Path, gexf_schema: etree.XMLSchema) -> None:
    doc = etree.parse(str(seed_exports / "graph.gexf"))
    assert gexf_schema.validate(doc), gexf_schema.error_log
    root = doc.getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"


def test_schema_rejects_what_networkx_writes(
    seed_graph: KnowledgeGraph, gexf_schema: etree.XMLSchema, tmp_path: Path
) -> None:
    """networkx crashes on list attributes and, once flattened, puts the relation into the
    edge's ``type`` (which GEXF reserves for directed/undirected): the schema catches it."""
    with pytest.raises((TypeError, ValueError)):
        nx.write_gexf(seed_graph.graph, tmp_path / "raw.gexf", version="1.3")
    nx.write_gexf(flat_graph(seed_graph.graph), tmp_path / "nx.gexf", version="1.3")
    assert not gexf_schema.validate(etree.parse(str(tmp_path / "nx.gexf")))
    log = str(gexf_schema.error_log)
    assert "attribute 'type'" in log and "not an element of the set {'directed'" in log
    assert "attribute 'timeformat'" in log  # evidence offsets taken for GEXF time spells


def test_gexf_reads_back_with_networkx(seed_graph: KnowledgeGraph, seed_exports: Path) -> None:
    source = seed_graph.graph
    read = nx.read_gexf(seed_exports / "graph.gexf")
    assert read.number_of_nodes() == source.number_of_nodes()
    assert read.number_of_edges() == source.number_of_edges()
    degree = dict(source.degree())
    xs = set()
    # The viz elements are in the GEXF namespace, where the GEXF 1.3 schema puts them and
    # Gephi reads them (by local name); networkx looks for them in .../1.3/viz only.
    ns = {"g": "http://gexf.net/1.3"}
    for el in etree.parse(str(seed_exports / "graph.gexf")).iterfind(".//g:node", ns):
        node = el.get("id")
        color, size, position = (el.find(f"g:{name}", ns) for name in ("color", "size", "position"))
        r, g, b = COLORS[source.nodes[node]["type"]]
        assert (int(color.get("r")), int(color.get("g")), int(color.get("b"))) == (r, g, b)
        assert float(size.get("value")) == pytest.approx(node_size(degree[node]), abs=1e-6)
        x, y = float(position.get("x")), float(position.get("y"))
        assert abs(x) <= EXTENT and abs(y) <= EXTENT
        xs.add(round(x))
    assert len(xs) > 100  # an actual layout, not a pile
    assert all("viz" not in data for _, data in read.nodes(data=True))
    gexf_read = nx.MultiDiGraph()
    for node, data in read.nodes(data=True):
        gexf_read.add_node(node, **{k: v for k, v in data.items() if k != "viz"})
    for u, v, data in read.edges(data=True):
        gexf_read.add_edge(u, v, **data)
    assert_attributes(
        source, gexf_read, extra=set(), edge_extra=frozenset({"id", "weight", "label"})
    )
    assert all(d["label"] == d["type"] for _, _, d in read.edges(data=True))
    cifar = read.nodes["dataset/cifar-10"]
    assert cifar["label"] == "CIFAR-10" and isinstance(cifar["papers"], int)
    assert all(isinstance(d["value"], float) for _, d in read.nodes(data=True) if "value" in d)


def test_graphml_reads_back_with_networkx(seed_graph: KnowledgeGraph, seed_exports: Path) -> None:
    source = seed_graph.graph
    read = nx.read_graphml(seed_exports / "graph.graphml")
    assert read.number_of_nodes() == source.number_of_nodes()
    assert read.number_of_edges() == source.number_of_edges()
    assert_attributes(source, read, extra={"x", "y", "size", "r", "g", "b"})
    declared = [
        (k.get("for"), k.get("attr.name"), k.get("attr.type"))
        for k in etree.parse(str(seed_exports / "graph.graphml")).iter(f"{GRAPHML_NS}key")
    ]
    keys = {(f, n): t for f, n, t in declared}
    assert len(keys) == len(declared)  # one declared type per attribute
    assert keys[("node", "value")] == "double" and keys[("node", "papers")] == "long"
    assert keys[("node", "aliases")] == "string" and keys[("edge", "mentions")] == "long"


def test_graphml_reads_back_with_igraph(seed_graph: KnowledgeGraph, seed_exports: Path) -> None:
    source = seed_graph.graph
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns on duplicate ids or unknown types
        g = igraph.Graph.Read_GraphML(str(seed_exports / "graph.graphml"))
    assert (g.vcount(), g.ecount()) == (source.number_of_nodes(), source.number_of_edges())
    assert g.is_directed()
    ids = g.vs["id"]
    assert set(ids) == set(source)
    for vertex in g.vs:
        data = source.nodes[vertex["id"]]
        assert vertex["type"] == data["type"]
        if data.get("value") is not None:
            assert vertex["value"] == data["value"]
        if data.get("papers") is not None:
            assert vertex["papers"] == data["papers"]
    got = Counter((ids[e.source], ids[e.target], e["type"]) for e in g.es)
    assert got == Counter((u, v, k) for u, v, k in source.edges(keys=True))


def test_tricky_values_survive_both_formats(tmp_path: Path, gexf_schema: etree.XMLSchema) -> None:
    source = tricky_graph()
    out = write(source, tmp_path)
    assert gexf_schema.validate(etree.parse(str(out / "graph.gexf"))), gexf_schema.error_log
    clean = tricky_graph()
    clean.nodes["paper/1"]["label"] = "A title"  # XML 1.0 cannot hold \x0b
    gexf = nx.read_gexf(out / "graph.gexf")
    assert gexf.nodes["paper/1"]["authors"] == "A; B|C|D"
    assert gexf.nodes["result/1/0"]["value"] == 3.0 and gexf.nodes["result/1/0"]["flag"] is True
    assert "date" not in gexf.nodes["paper/1"] and gexf.nodes["paper/2"]["authors"] == ""
    assert gexf.nodes["result/1/0"]["start"] == 10  # an attribute, not a GEXF time spell
    assert Counter(d["label"] for _, _, d in gexf.edges(data=True)) == Counter(
        k for _, _, k in source.edges(keys=True)
    )
    graphml = nx.read_graphml(out / "graph.graphml")
    assert_attributes(clean, graphml, extra={"x", "y", "size", "r", "g", "b"})
    assert igraph.Graph.Read_GraphML(str(out / "graph.graphml")).ecount() == 4


def test_exports_are_byte_deterministic(tmp_path: Path) -> None:
    first = write(build([INPUTS]).graph, tmp_path / "a")
    second = write(build([INPUTS]).graph, tmp_path / "b")
    for name in ("graph.gexf", "graph.graphml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_layout_of_a_graph_larger_than_the_laid_out_core() -> None:
    big = nx.MultiDiGraph()
    n = LAYOUT_NODES + 400
    for i in range(n):
        big.add_node(f"n{i}", type="Paper")
    for i in range(1, n):
        big.add_edge(f"n{i}", f"n{i // 2}", key="uses", type="uses")
    for i in range(1, 300):  # a long chain apart from the laid-out core
        big.add_edge(f"c{i - 1}", f"c{i}", key="uses", type="uses")
    big.add_node("isolated", type="Task")
    pos = layout(big)
    assert set(pos) == set(big)
    assert all(math.isfinite(x) and abs(x) <= EXTENT and abs(y) <= EXTENT for x, y in pos.values())
    assert len(set(pos.values())) > 0.95 * len(pos)
    assert pos == layout(big.copy())  # same graph, same positions
    shuffled = nx.MultiDiGraph()  # the same graph built in another order
    shuffled.add_nodes_from(reversed(list(big.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(big.edges(keys=True, data=True))))
    assert layout(shuffled) == pos
