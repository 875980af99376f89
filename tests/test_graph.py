"""The networkx graph: typed nodes and edges, one node per shared entity."""

from __future__ import annotations

from collections import Counter

from kg.api import KnowledgeGraph
from kg.graph import EDGE_TYPES, NODE_TYPES


def test_nodes_and_edges_are_typed(seed_graph: KnowledgeGraph) -> None:
    g = seed_graph.graph
    assert {d["type"] for _, d in g.nodes(data=True)} <= set(NODE_TYPES)
    assert {k for _, _, k in g.edges(keys=True)} <= set(EDGE_TYPES)
    kinds = Counter(d["type"] for _, d in g.nodes(data=True))
    assert kinds["Paper"] == 183
    for kind in ("Method", "Dataset", "Metric", "Task", "Result", "Repository"):
        assert kinds[kind] > 0


def test_shared_entity_is_one_node_linked_to_its_papers(seed_graph: KnowledgeGraph) -> None:
    g = seed_graph.graph
    cifar = "dataset/cifar-10"
    papers = {u for u, _, k in g.in_edges(cifar, keys=True) if k in ("evaluatedOn", "proposes")}
    assert len(papers) >= 5
    # ("the training of a GAN on Cifar10": a name trained on is data, so one node)
    assert g.nodes[cifar]["aliases"] == ["CIFAR 10", "CIFAR10", "Cifar10"]


def test_result_node_links_method_dataset_metric(seed_graph: KnowledgeGraph) -> None:
    g = seed_graph.graph
    fid = [n for n, d in g.nodes(data=True) if d["type"] == "Result" and d["value"] == 2.06]
    assert len(fid) == 1
    out = {k: v for _, v, k in g.out_edges(fid[0], keys=True)}
    assert out == {
        "ofMethod": "method/score-implicit-matching",
        "onDataset": "dataset/cifar-10",
        "forMetric": "metric/fid",
    }
    paper = next(u for u, _, k in g.in_edges(fid[0], keys=True) if k == "reports")
    assert g.nodes[paper]["title"].startswith("One-Step Diffusion Distillation")


def test_code_and_outperforms_edges(seed_graph: KnowledgeGraph) -> None:
    g = seed_graph.graph
    step = next(n for n, d in g.nodes(data=True) if d.get("title", "").startswith("Step-DPO"))
    assert "repository/https://github.com/dvlab-research/Step-DPO" in {
        v for _, v, k in g.out_edges(step, keys=True) if k == "hasCode"
    }
    assert g.has_edge("method/step-dpo", "method/gpt-4-1106", key="outperforms")
