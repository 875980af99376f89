"""What the side panel shows for each node, gathered from the resolved corpus.

A paper: title, authors, listing dates, abstract with its mentions as character spans, code
and project links. An entity: aliases, the papers and results that mention it, each with its
evidence sentence. Links to other nodes are node ids, kept only when the node is in the view.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from kg.graph.build import node_id
from kg.model import ResolvedCorpus

MAX_EVIDENCE = 60
"""Evidence rows kept per entity; the panel says how many more there are."""

Details = dict[str, Any]


class Sentences:
    """Evidence sentences stored once and referred to by index (they repeat a lot)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, sentence: str | None) -> int | None:
        if sentence is None:
            return None
        return self.index.setdefault(sentence, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def _ref(graph: nx.MultiDiGraph, nid: str) -> str | None:
    return nid if nid in graph else None


def _node_details(graph: nx.MultiDiGraph, nid: str, sentence: Sentences) -> Details:
    """Fallback: the node's own attributes (results, links, CONSTRUCT-only nodes)."""
    data = graph.nodes[nid]
    kind = data.get("type", "Resource")
    out: Details = {"kind": kind, "label": str(data.get("label", nid))}
    if kind == "Result":
        out["value"] = data.get("value")
        out["unit"] = data.get("unit")
        out["delta"] = bool(data.get("delta"))
        out["sentence"] = sentence(data.get("sentence"))
        out["about"] = [
            [rel, str(graph.nodes[v].get("label", v)), v]
            for _, v, rel in graph.out_edges(nid, keys=True)
        ]
        out["papers"] = [
            [u, str(graph.nodes[u].get("label", u))]
            for u, _, rel in graph.in_edges(nid, keys=True)
            if rel == "reports"
        ]
    elif kind in ("Repository", "ProjectPage", "DatasetCard", "ModelCard"):
        out["url"] = data.get("url")
        out["papers"] = [[u, str(graph.nodes[u].get("label", u))] for u in graph.predecessors(nid)]
    elif kind == "Author":
        out["papers"] = [[v, str(graph.nodes[v].get("label", v))] for v in graph.successors(nid)]
    elif kind == "Category":
        out["papers"] = [[u, str(graph.nodes[u].get("label", u))] for u in graph.predecessors(nid)]
    elif "iri" in data:
        out["iri"] = data["iri"]
    return out


def build_details(
    graph: nx.MultiDiGraph, corpus: ResolvedCorpus | None, sentence: Sentences
) -> dict[str, Details]:
    """Side-panel details for every node of ``graph``; sentences go to ``sentence``'s table."""
    details = {nid: _node_details(graph, nid, sentence) for nid in graph}
    if corpus is None:
        return details
    ids = {(e.type, e.name): e.id for e in corpus.entities.values()}
    mentions: dict[str, list[list[Any]]] = defaultdict(list)
    results: dict[str, list[list[Any]]] = defaultdict(list)
    more: Counter[tuple[str, str]] = Counter()  # rows past MAX_EVIDENCE, only counted
    for x in corpus.extractions:
        p = x.paper
        pid = node_id("Paper", p.id)
        spans = sorted(
            (m.evidence.field, m.evidence.start, m.evidence.end, m.type, ids[(m.type, m.name)])
            for m in x.mentions
        )
        seen: set[tuple[str, str]] = set()
        for m in x.mentions:
            eid = ids[(m.type, m.name)]
            if (eid, m.evidence.sentence) not in seen and eid in graph:
                seen.add((eid, m.evidence.sentence))
                rel = "proposes" if m.proposed else "mentions"
                if len(mentions[eid]) >= MAX_EVIDENCE:
                    more[eid, "mentions"] += 1
                    continue
                mentions[eid].append(
                    [_ref(graph, pid), p.title, rel, sentence(m.evidence.sentence)]
                )
        for i, r in enumerate(x.results):
            rid = node_id("Result", f"{p.id}/{i}")
            label = f"{r.metric or 'value'} {r.text or r.value}"
            for kind, name in (("Method", r.subject), ("Dataset", r.dataset), ("Metric", r.metric)):
                target = ids.get((kind, name or ""))  # type: ignore[arg-type]
                if target is not None and target in graph:
                    if len(results[target]) >= MAX_EVIDENCE:
                        more[target, "results"] += 1
                        continue
                    results[target].append([_ref(graph, rid), label, sentence(r.evidence.sentence)])
        if pid not in graph:
            continue
        details[pid] = {
            "kind": "Paper",
            "label": p.title,
            "title": p.title,
            "abstract": p.abstract,
            "authors": list(p.authors),
            "published": p.published,
            "dates": sorted({li.date for li in p.listings if li.date}),
            "listings": [f"{li.source}:{li.line}" if li.line else li.source for li in p.listings],
            "spans": [[f, s, e, t, _ref(graph, eid)] for f, s, e, t, eid in spans],
            "code": x.code_urls or sorted(p.code_urls),
            "pages": x.project_urls or sorted(p.project_urls),
        }
    for entity in corpus.entities.values():
        if entity.id not in graph:
            continue
        rows, res = mentions[entity.id], results[entity.id]
        details[entity.id] = {
            "kind": entity.type,
            "label": entity.name,
            "aliases": list(entity.aliases),
            "paperCount": len(entity.papers),
            "mentions": rows,
            "moreMentions": more[entity.id, "mentions"],
            "results": res,
            "moreResults": more[entity.id, "results"],
        }
    return details
