"""Build the networkx ``MultiDiGraph`` from a resolved corpus.

Nodes carry ``type`` (Paper, Method, Dataset, Metric, Task, Result, Repository, ProjectPage,
Author, Category) and ``label``; edges carry ``type`` (also used as the multigraph key) and
evidence. Repository, ProjectPage, Author and Category nodes are shared by the papers that
point to them (``SHARED_TYPES``): the first paper that does gives their properties.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.model import Entity, Evidence, Extraction, Link, Paper, ResolvedCorpus
from kg.resolve.normalize import person_key

NODE_TYPES = (
    "Paper",
    "Method",
    "Dataset",
    "Metric",
    "Task",
    "Result",
    "Repository",
    "ProjectPage",
    "DatasetCard",
    "ModelCard",
    "Author",
    "Category",
)
SHARED_TYPES = ("Repository", "ProjectPage", "DatasetCard", "ModelCard", "Author", "Category")
LINK_NODES = {
    "code": ("Repository", "hasCode"),
    "project": ("ProjectPage", "hasProjectPage"),
    "dataset": ("DatasetCard", "hasDatasetCard"),
    "model": ("ModelCard", "hasModelCard"),
}
"""Per link kind: the node type and the paper's relation to it."""
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
    "hasDatasetCard": "a paper's Hugging Face dataset",
    "hasModelCard": "a paper's Hugging Face model",
    "describes": "a Hugging Face dataset page of a dataset the paper names",
    "outperforms": "a method beats a baseline, as a paper says",
    "authored": "an author wrote a paper (position: 1 for the first author)",
    "inCategory": "a paper's arXiv category (primary: its primary one)",
    "buildsOn": "a paper uses a method or dataset an earlier paper of the corpus proposed",
}
PAPER_METADATA = (
    "doi",
    "journal_ref",
    "version",
    "updated",
    "pdf_url",
    "comment",
    "upvotes",
    "num_comments",
    "submitter",
    "thumbnail",
)
"""Paper properties set only when the source gave them."""
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
        **{k: getattr(p, k) for k in PAPER_METADATA if getattr(p, k) is not None},
    )
    if p.categories:
        graph.nodes[pid]["categories"] = list(p.categories)
    return pid


def _people_and_categories(graph: nx.MultiDiGraph, pid: str, p: Paper) -> None:
    for position, name in enumerate(p.authors, start=1):
        aid = node_id("Author", person_key(name))
        if aid not in graph:
            extra = {"handle": p.handles.get(name), "affiliation": p.affiliations.get(name)}
            props = {k: v for k, v in extra.items() if v}
            graph.add_node(aid, type="Author", label=name, name=name, **props)
        graph.add_edge(aid, pid, key="authored", type="authored", position=position)
    for index, term in enumerate(p.categories):
        cid = node_id("Category", term)
        if cid not in graph:
            graph.add_node(cid, type="Category", label=term, term=term)
        graph.add_edge(pid, cid, key="inCategory", type="inCategory", primary=index == 0)


def _folded(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def linked_dataset(x: Extraction, link: Link) -> str | None:
    """The canonical name of the dataset a Hugging Face dataset URL is of: one the paper
    mentions whose name or alias matches the URL's last part (``.../openai/gsm8k``: GSM8K)."""
    last = _folded(link.url.rstrip("/").rsplit("/", 1)[-1])
    for m in x.mentions:
        if m.type == "Dataset" and last in {_folded(n) for n in (m.name, m.text, *m.aliases)}:
            return m.name
    return None


def lineage_edges(
    x: Extraction, by_name: dict[tuple[str, str], str]
) -> list[tuple[str, str, dict[str, object]]]:
    """``buildsOn`` edges from a resolved paper to the earlier papers it builds on: one per
    earlier paper, with the entities it took (``via``) and the first sentence that says so."""
    via: dict[str, list[str]] = defaultdict(list)
    first: dict[str, Evidence] = {}
    for link in x.builds_on:
        via[link.paper].append(by_name.get((link.type, link.name), link.name))
        first.setdefault(link.paper, link.evidence)
    source = node_id("Paper", x.paper.id)
    return [
        (
            source,
            node_id("Paper", earlier),
            {"type": "buildsOn", "via": sorted(set(via[earlier])), **_evidence(first[earlier])},
        )
        for earlier in sorted(via)
    ]


class GraphBuilder:
    """The graph built paper by paper: ``add_entities`` with the entity table first, then
    ``add_paper`` for each resolved extraction in corpus order, then ``finish`` (the
    ``outperforms`` edges, merged across papers, and the ``buildsOn`` edges between papers)."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph(name="kg")
        self.by_name: dict[tuple[str, str], str] = {}
        self.outperforms: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.lineage: list[tuple[str, str, dict[str, object]]] = []

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
        _people_and_categories(graph, pid, x.paper)
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
            kind, rel = LINK_NODES[link.kind]
            lid = node_id(kind, link.url)
            if lid not in graph:
                graph.add_node(lid, type=kind, label=link.url, url=link.url, host=link.host)
            graph.add_edge(pid, lid, key=rel, type=rel, **_evidence(link.evidence))
            named = linked_dataset(x, link) if link.kind == "dataset" else None
            found = by_name.get(("Dataset", named)) if named else None
            if found and not graph.has_edge(lid, found, key="describes"):
                graph.add_edge(lid, found, key="describes", type="describes")
        for winner, baseline in x.comparisons:
            a, b = by_name.get(("Method", winner)), by_name.get(("Method", baseline))
            if a and b and a != b:
                self.outperforms[(a, b)].append(x.paper.id)
        self.lineage += lineage_edges(x, by_name)

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
        for source, earlier, data in self.lineage:
            if earlier in self.graph:  # (the earlier paper is in this graph)
                self.graph.add_edge(source, earlier, key="buildsOn", **data)
        self.lineage.clear()
        return self.graph


def build_graph(corpus: ResolvedCorpus) -> nx.MultiDiGraph:
    """Papers linked to shared entities, results and code, in a deterministic order."""
    builder = GraphBuilder()
    builder.add_entities(corpus.entities.values())
    for x in corpus.extractions:
        builder.add_paper(x)
    return builder.finish()
