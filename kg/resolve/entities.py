"""Merge mentions into canonical entities: curated aliases, acronym definitions and
spelling variants become one entity; different things stay apart."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.extract.gazetteer import known_names
from kg.model import Entity, EntityType, Extraction, ResolvedCorpus
from kg.resolve.normalize import name_key, slug

Node = tuple[EntityType, str]  # (type, name key)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _acronym_links(extractions: list[Extraction]) -> dict[tuple[EntityType, str], set[str]]:
    """For each (type, acronym key): the keys of the long forms it is defined as."""
    types = {}
    for x in extractions:
        for m in x.mentions:
            types[(x.paper.id, m.text)] = m.type
    links: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
    for x in extractions:
        for abbr in x.abbreviations:
            kind = types.get((x.paper.id, abbr.short)) or types.get((x.paper.id, abbr.long))
            if kind:
                links[(kind, name_key(abbr.short))].add(name_key(abbr.long))
    return links


def resolve(extractions: Iterable[Extraction], listings_read: int = 0) -> ResolvedCorpus:
    """Give every mention a canonical name and aliases; build the shared entity table."""
    extractions = list(extractions)
    uf = _UnionFind()
    curated_name: dict[Node, str] = {}
    curated_aliases: dict[Node, set[str]] = defaultdict(set)
    for known in known_names():
        root: Node = (known.type, name_key(known.name))
        for alias in (known.name, *known.aliases):
            uf.union(root, (known.type, name_key(alias)))
    # Acronyms merge with their long form unless the corpus defines them ambiguously.
    links = _acronym_links(extractions)
    for (kind, short), longs in sorted(links.items()):
        if len(longs) == 1:
            uf.union((kind, short), (kind, next(iter(longs))))
    for known in known_names():
        root = uf.find((known.type, name_key(known.name)))
        curated_name.setdefault(root, known.name)
        curated_aliases[root].update((known.name, *known.aliases))
    long_forms: dict[Node, Counter[str]] = defaultdict(Counter)
    for x in extractions:
        for abbr in x.abbreviations:
            for m in x.mentions:
                if m.text == abbr.long:
                    long_forms[uf.find((m.type, name_key(m.text)))][abbr.long] += 1

    surfaces: dict[Node, Counter[str]] = defaultdict(Counter)
    papers: dict[Node, set[str]] = defaultdict(set)
    for x in extractions:
        for m in x.mentions:
            root = uf.find((m.type, name_key(m.text)))
            surfaces[root][m.text] += 1
            papers[root].add(x.paper.id)
    # Metrics named only by a result (``speedup``, ``training cost``) are entities too.
    for x in extractions:
        mentioned = {m.text for m in x.mentions if m.type == "Metric"}
        for r in x.results:
            if r.metric and r.metric not in mentioned:
                root = uf.find(("Metric", name_key(r.metric)))
                if root not in surfaces:
                    surfaces[root][r.metric] += 1
                papers[root].add(x.paper.id)

    entities: dict[str, Entity] = {}
    node_entity: dict[Node, Entity] = {}
    used_ids: set[str] = set()
    for root in sorted(surfaces, key=lambda n: (n[0], n[1])):
        counts = surfaces[root]
        name = curated_name.get(root) or _most_common(long_forms.get(root)) or _most_common(counts)
        assert name is not None
        entity_id = f"{root[0].lower()}/{slug(name)}"
        if entity_id in used_ids:
            entity_id += "-" + hashlib.sha1(root[1].encode()).hexdigest()[:6]
        used_ids.add(entity_id)
        aliases = sorted((set(counts) | curated_aliases.get(root, set())) - {name})
        entity = Entity(entity_id, root[0], name, aliases, sorted(papers[root]))
        entities[entity_id] = entity
        node_entity[root] = entity

    for x in extractions:
        local: dict[tuple[EntityType, str], Entity] = {}
        for m in x.mentions:
            entity = node_entity[uf.find((m.type, name_key(m.text)))]
            m.name, m.aliases = entity.name, entity.aliases
            local[(m.type, m.text)] = entity
        by_text: dict[str, dict[EntityType, str]] = defaultdict(dict)
        for (kind, text), entity in local.items():
            by_text[text][kind] = entity.name
        for r in x.results:
            r.subject = by_text.get(r.subject or "", {}).get("Method", r.subject)
            r.dataset = by_text.get(r.dataset or "", {}).get("Dataset", r.dataset)
            metric = by_text.get(r.metric or "", {}).get("Metric")
            if metric is None and r.metric:
                metric = node_entity[uf.find(("Metric", name_key(r.metric)))].name
            r.metric = metric
        x.comparisons = sorted(
            {
                (by_text.get(a, {}).get("Method", a), by_text.get(b, {}).get("Method", b))
                for a, b in x.comparisons
            }
            - {(n, n) for n in {e.name for e in local.values()}}
        )
    return ResolvedCorpus(extractions, entities, listings_read)


def _most_common(counts: Counter[str] | None) -> str | None:
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
