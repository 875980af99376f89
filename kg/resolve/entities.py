"""Merge mentions into canonical entities: curated aliases, acronym definitions and
spelling variants become one entity; different things stay apart.

Acronyms merge with their long form unless the corpus defines them ambiguously; metrics
named only by a result (``speedup``, ``training cost``) are entities too."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.extract.gazetteer import known_names
from kg.extract.naming import singular
from kg.model import Entity, EntityType, Extraction, ResolvedCorpus
from kg.resolve.lineage import LINEAGE_TYPES, builds_on, first_day
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


class StreamingResolver:
    """Canonical entities of a corpus seen one extraction at a time: ``add`` each extraction
    (keeping only compact per-name state), ``finish`` to get the entity table, then ``apply``
    it to each extraction. ``resolve`` is this over a list; ``kg.stream`` uses it directly."""

    def __init__(self) -> None:
        self.links: dict[Node, set[str]] = defaultdict(set)
        self.long_forms: dict[Node, Counter[str]] = defaultdict(Counter)
        self.surfaces: dict[Node, Counter[str]] = defaultdict(Counter)
        self.papers: dict[Node, list[str]] = defaultdict(list)
        # Methods and datasets a paper proposes, and the first day of each proposing paper.
        self.proposers: dict[Node, set[str]] = defaultdict(set)
        self.days: dict[str, str | None] = {}
        # Metrics named only by a result: first surface form, and the papers, per name.
        self.result_metrics: dict[Node, tuple[str, list[str]]] = {}
        self.uf = _UnionFind()
        self.entity_of: dict[Node, Entity] = {}
        self.by_name: dict[tuple[str, str], Entity] = {}

    def add(self, x: Extraction) -> None:
        """Record the names of one (unresolved) extraction."""
        pid = x.paper.id
        types = {m.text: m.type for m in x.mentions}
        for abbr in x.abbreviations:
            kind = types.get(abbr.short) or types.get(abbr.long)
            if kind:
                self.links[(kind, name_key(abbr.short))].add(name_key(abbr.long))
            for m in x.mentions:
                if m.text == abbr.long:
                    self.long_forms[(m.type, name_key(m.text))][abbr.long] += 1
        for m in x.mentions:
            node: Node = (m.type, name_key(m.text))
            self.surfaces[node][m.text] += 1
            seen = self.papers[node]
            if not seen or seen[-1] != pid:
                seen.append(pid)
            if m.proposed and m.type in LINEAGE_TYPES:
                self.proposers[node].add(pid)
                if pid not in self.days:
                    self.days[pid] = first_day(x.paper)
        mentioned = {m.text for m in x.mentions if m.type == "Metric"}
        for r in x.results:
            if r.metric and r.metric not in mentioned:
                node = ("Metric", name_key(r.metric))
                self.result_metrics.setdefault(node, (r.metric, []))[1].append(pid)

    def finish(self) -> dict[str, Entity]:
        """Merge the names seen into canonical entities."""
        uf = self.uf
        curated_name: dict[Node, str] = {}
        curated_aliases: dict[Node, set[str]] = defaultdict(set)
        for known in known_names():
            root: Node = (known.type, name_key(known.name))
            for alias in (known.name, *known.aliases):
                uf.union(root, (known.type, name_key(alias)))
        for (kind, short), longs in sorted(self.links.items()):
            if len(longs) == 1:
                uf.union((kind, short), (kind, next(iter(longs))))
        for known in known_names():
            root = uf.find((known.type, name_key(known.name)))
            curated_name.setdefault(root, known.name)
            curated_aliases[root].update((known.name, *known.aliases))
        long_forms: dict[Node, Counter[str]] = defaultdict(Counter)
        for node, counts in self.long_forms.items():
            long_forms[uf.find(node)].update(counts)
        surfaces: dict[Node, Counter[str]] = defaultdict(Counter)
        papers: dict[Node, set[str]] = defaultdict(set)
        proposed_by: dict[Node, set[str]] = defaultdict(set)
        for node in list(self.surfaces):
            root = uf.find(node)
            surfaces[root].update(self.surfaces.pop(node))
            papers[root].update(self.papers.pop(node))
        for node, proposing in self.proposers.items():
            proposed_by[uf.find(node)].update(proposing)
        self.proposers.clear()
        for node, (text, pids) in self.result_metrics.items():
            root = uf.find(node)
            if root not in surfaces:
                surfaces[root][text] += 1
            papers[root].update(pids)
        self.result_metrics.clear()
        self.links.clear()
        self.long_forms.clear()
        entities: dict[str, Entity] = {}
        for root in sorted(surfaces):
            counts = surfaces[root]
            name = (
                curated_name.get(root) or _most_common(long_forms.get(root)) or _most_common(counts)
            )
            assert name is not None
            if root[0] in ("Metric", "Task") and root not in curated_name:
                name = _singular_name(name)  # "testing accuracies": "testing accuracy"
            entity_id = f"{root[0].lower()}/{slug(name)}"
            if entity_id in entities:
                entity_id += "-" + hashlib.sha1(root[1].encode()).hexdigest()[:6]
            # (a plural of the name is no alias of its own: "accuracies" of accuracy, so that
            # a new paper's plural does not change every paper that names the entity)
            plain = _plain_key(name)
            aliases = sorted(
                a
                for a in (set(counts) | curated_aliases.get(root, set())) - {name}
                if a in curated_aliases.get(root, ()) or _plain_key(a) != plain
            )
            entity = Entity(
                entity_id,
                root[0],
                name,
                aliases,
                sorted(papers.pop(root)),
                sorted(proposed_by.get(root, ())),
            )
            entities[entity_id] = entity
            self.entity_of[root] = entity
            self.by_name[(entity.type, entity.name)] = entity
        return entities

    def entity(self, kind: EntityType, text: str) -> Entity:
        return self.entity_of[self.uf.find((kind, name_key(text)))]

    def apply(self, x: Extraction) -> None:
        """Give the extraction's mentions, results and comparisons their canonical names, and
        find the earlier papers it builds on."""
        local: dict[tuple[EntityType, str], Entity] = {}
        for m in x.mentions:
            entity = self.entity(m.type, m.text)
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
                metric = self.entity("Metric", r.metric).name
            r.metric = metric
        x.comparisons = sorted(
            {
                (by_text.get(a, {}).get("Method", a), by_text.get(b, {}).get("Method", b))
                for a, b in x.comparisons
            }
            - {(n, n) for n in {e.name for e in local.values()}}
        )
        x.builds_on = builds_on(x, self.entity, self.days)

    def entities_of(self, x: Extraction) -> dict[str, Entity]:
        """The entities a resolved extraction can point to (mentions, results, comparisons)."""
        found = (self.by_name.get(name) for name in referenced_names(x))
        return {e.id: e for e in sorted((e for e in found if e), key=lambda e: e.id)}


def referenced_names(x: Extraction) -> set[tuple[str, str]]:
    """(type, name) of everything a resolved extraction names: mentions, results' subjects,
    datasets and metrics, comparisons."""
    names: set[tuple[str, str | None]] = {(m.type, m.name) for m in x.mentions}
    for r in x.results:
        names |= {("Method", r.subject), ("Dataset", r.dataset), ("Metric", r.metric)}
    names |= {("Method", n) for pair in x.comparisons for n in pair}
    return {(k, n) for k, n in names if n}


def resolve(extractions: Iterable[Extraction], listings_read: int = 0) -> ResolvedCorpus:
    """Give every mention a canonical name and aliases; build the shared entity table."""
    extractions = list(extractions)
    resolver = StreamingResolver()
    for x in extractions:
        resolver.add(x)
    entities = resolver.finish()
    for x in extractions:
        resolver.apply(x)
    return ResolvedCorpus(extractions, entities, listings_read)


def _plain_key(name: str) -> str:
    """A name in lower case with its last word in the singular."""
    return _singular_name(name.lower())


def _singular_name(name: str) -> str:
    """A lower-case phrase with its last word in the singular."""
    head, _, last = name.rpartition(" ")
    if not last.islower():
        return name
    return f"{head} {singular(last)}" if head else singular(last)


def _most_common(counts: Counter[str] | None) -> str | None:
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
