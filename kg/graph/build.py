"""Build the networkx ``MultiDiGraph`` from a resolved corpus.

Nodes carry ``type`` (Paper, Method, Dataset, Metric, Task, Result, Repository, ProjectPage)
and ``label``; edges carry ``type`` (also used as the multigraph key) and evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.model import Entity, Evidence, Extraction, ResolvedCorpus

NODE_TYPES = ("Paper", "Method", "Dataset", "Metric", "Task", "Result", "Repository", "ProjectPage")
EDGE_TYPES = {
    "proposes": "a paper introduces the entity",
    "uses": "a paper uses a method it does not propose",
    "evaluatedOn": "a paper evaluates on a dataset or benchmark",
    "measuredBy": "a paper reports a metric",
    "addresses": "a paper works on a task",
    "reports": "a paper reports a result",
    "ofMethod": "a result's subject method",
    "onDataset": "the dataset a result was measured on",
    "forMetric": "the metric a result is a value of",
    "hasCode": "a paper's code repository",
    "hasProjectPage": "a paper's project page",
    "outperforms": "a method beats a baseline, as a paper says",
}
MENTION_EDGE = {
    "Method": "uses",
    "Dataset": "evaluatedOn",
    "Metric": "measuredBy",
    "Task": "addresses",
}


def node_id(kind: str, key: str) -> str:
    return f"{kind.lower()}/{key}"


def _evidence(e: Evidence | None) -> dict[str, object]:
    if e is None:
        return {}
    return {
        "field": e.field,
        "start": e.start,
        "end": e.end,
        "sentence": e.sentence,
        "extractor": e.extractor,
    }


def _paper_node(graph: nx.MultiDiGraph, x: Extraction) -> str:
    p = x.paper
    pid = node_id("Paper", p.id)
    graph.add_node(
        pid,
        type="Paper",
        label=p.title,
        paper_id=p.id,
        title=p.title,
        abstract=p.abstract,
        listings=[f"{li.source}@{li.date}" if li.date else li.source for li in p.listings],
        dates=sorted({li.date for li in p.listings if li.date}),
        authors=list(p.authors),
        published=p.published,
    )
    return pid


class GraphBuilder:
    """The graph built paper by paper: ``add_entities`` with the entity table first, then
    ``add_paper`` for each resolved extraction in corpus order, then ``finish`` (the
    ``outperforms`` edges, merged across papers)."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph(name="kg")
        self.by_name: dict[tuple[str, str], str] = {}
        self.outperforms: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add_entities(self, entities: Iterable[Entity]) -> None:
        for entity in sorted(entities, key=lambda e: e.id):
            self.graph.add_node(
                entity.id,
                type=entity.type,
                label=entity.name,
                name=entity.name,
                aliases=list(entity.aliases),
                papers=len(entity.papers),
            )
            self.by_name[(entity.type, entity.name)] = entity.id

    def add_paper(self, x: Extraction) -> None:
        graph, by_name = self.graph, self.by_name
        pid = _paper_node(graph, x)
        seen: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], Evidence] = {}
        for m in x.mentions:
            target = by_name[(m.type, m.name)]
            rel = "proposes" if m.proposed else MENTION_EDGE[m.type]
            seen[(target, rel)] = seen.get((target, rel), 0) + 1
            first.setdefault((target, rel), m.evidence)
        for (target, rel), count in seen.items():
            graph.add_edge(
                pid, target, key=rel, type=rel, mentions=count, **_evidence(first[(target, rel)])
            )
        for i, r in enumerate(x.results):
            rid = node_id("Result", f"{x.paper.id}/{i}")
            graph.add_node(
                rid,
                type="Result",
                label=f"{r.metric or 'value'} {'+' if r.delta else ''}{r.text or r.value}",
                value=r.value,
                unit=r.unit,
                delta=r.delta,
                subject=r.subject,
                dataset=r.dataset,
                metric=r.metric,
                **_evidence(r.evidence),
            )
            graph.add_edge(pid, rid, key="reports", type="reports")
            for kind, name, rel in (
                ("Method", r.subject, "ofMethod"),
                ("Dataset", r.dataset, "onDataset"),
                ("Metric", r.metric, "forMetric"),
            ):
                found = by_name.get((kind, name or ""))
                if found:
                    graph.add_edge(rid, found, key=rel, type=rel)
        for link in x.links:
            kind = "Repository" if link.kind == "code" else "ProjectPage"
            lid = node_id(kind, link.url)
            if lid not in graph:
                graph.add_node(lid, type=kind, label=link.url, url=link.url, host=link.host)
            rel = "hasCode" if link.kind == "code" else "hasProjectPage"
            graph.add_edge(pid, lid, key=rel, type=rel, **_evidence(link.evidence))
        for winner, baseline in x.comparisons:
            a, b = by_name.get(("Method", winner)), by_name.get(("Method", baseline))
            if a and b and a != b:
                self.outperforms[(a, b)].append(x.paper.id)

    def finish(self) -> nx.MultiDiGraph:
        for (a, b), papers in sorted(self.outperforms.items()):
            self.graph.add_edge(
                a,
                b,
                key="outperforms",
                type="outperforms",
                papers=sorted(set(papers)),
                support=len(set(papers)),
            )
        self.outperforms.clear()
        return self.graph


def build_graph(corpus: ResolvedCorpus) -> nx.MultiDiGraph:
    """Papers linked to shared entities, results and code, in a deterministic order."""
    builder = GraphBuilder()
    builder.add_entities(corpus.entities.values())
    for x in corpus.extractions:
        builder.add_paper(x)
    return builder.finish()
