"""RDF: Turtle, N-Triples and JSON-LD describing the same graph (ontology in kg/ontology.ttl).

Triples are produced per entity (``entity_triples``), per paper (``paper_triples``) and per
cross-paper claim (``comparison_triples``), so a streaming writer can emit them batch by batch;
``to_rdf`` assembles the whole graph from the same functions. No blank nodes: every node has a
stable IRI under the base, so the output is byte-deterministic.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.export.registry import ExportContext
from kg.export.syntaxes import write_jsonld, write_turtle
from kg.export.vocabulary import (  # noqa: F401  (re-exported: the RDF API)
    DEFAULT_BASE,
    ISO_DATE,
    KG,
    MENTION_REL,
    PREFIXES,
    REL,
    REL_IRI,
    SCHEMA,
    EntityIds,
    K,
    Lite,
    Term,
    Triple,
    V,
    comparison_iri,
    comparison_iri_text,
    decimal_lexical,
    entity_id,
    int_term,
    iri,
    iri_text,
    link_iri,
    link_iri_text,
    nt_line,
    paper_iri,
    paper_iri_text,
    rdflib_triple,
    url_digest,
)
from kg.graph.build import LINK_NODES, linked_dataset
from kg.model import Entity, Evidence, Extraction, Paper
from kg.resolve import slug
from kg.resolve.normalize import person_key

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "context.jsonld"


def entity_lite(entity: Entity, base: str) -> Iterator[Lite]:
    """An entity's type, labels, aliases and the number of papers that mention it."""
    node = iri_text(base, entity.id)
    yield node, V.type, K[entity.type]
    if entity.type == "Dataset":
        yield node, V.type, V.Dataset
    yield node, V.prefLabel, (entity.name, None)
    yield node, V.label, (entity.name, None)
    for alias in entity.aliases:
        yield node, V.altLabel, (alias, None)
    yield node, K["paperCount"], int_term(len(entity.papers))


def entity_triples(entity: Entity, base: str) -> Iterator[Triple]:
    return map(rdflib_triple, entity_lite(entity, base))


def _evidence(node: str, paper: str, ev: Evidence | None, base: str) -> Iterator[Lite]:
    """Provenance of one fact: its paper, text field, offsets, sentence and extractor."""
    yield node, V.derivedFrom, paper
    name = ev.extractor if ev else "metadata"
    extractor = iri_text(base, "extractor", slug(name))
    yield node, V.attributedTo, extractor
    yield extractor, V.type, K["Extractor"]
    yield extractor, V.label, (name, None)
    if ev is not None:
        yield node, K["textField"], (ev.field, None)
        yield node, K["startOffset"], int_term(ev.start)
        yield node, K["endOffset"], int_term(ev.end)
        yield node, K["evidenceSentence"], (ev.sentence, None)


def _comparison_evidence(x: Extraction, winner: str, baseline: str) -> Evidence | None:
    """The first sentence that mentions both methods of a comparison."""
    spans: dict[str, list[Evidence]] = defaultdict(list)
    for m in x.mentions:
        if m.type == "Method" and m.name in (winner, baseline):
            spans[m.name].append(m.evidence)
    for a in spans.get(winner, []):
        for b in spans.get(baseline, []):
            if a.field == b.field and a.sentence == b.sentence:
                start, end = min(a.start, b.start), max(a.end, b.end)
                return Evidence(a.field, start, end, a.sentence, a.extractor)
    return None


def _date(value: str) -> Term:
    match = ISO_DATE.match(value)
    return (match.group(0), V.xdate) if match else (value, None)


def _metadata(paper: str, p: Paper, base: str) -> Iterator[Lite]:
    """Authors as people, arXiv categories and metadata, Hugging Face signals."""
    for name in p.authors:
        person = iri_text(base, "author", person_key(name))
        yield paper, V.author, person
        yield person, V.type, K["Author"]
        yield person, V.type, V.Person
        yield person, V.name, (name, None)
        if name in p.affiliations:
            yield person, V.affiliation, (p.affiliations[name], None)
        if name in p.handles:
            yield person, K["hfUser"], (p.handles[name], None)
    for index, term in enumerate(p.categories):
        category = iri_text(base, "category", slug(term))
        yield paper, V.subject, category
        if index == 0:
            yield paper, K["primaryCategory"], category
        yield category, V.type, K["Category"]
        yield category, V.prefLabel, (term, None)
    for attr, prop in (("doi", "doi"), ("journal_ref", "journalRef"), ("comment", "arxivComment")):
        value = getattr(p, attr)
        if value:
            yield paper, K[prop], (value, None)
    if p.submitter:
        yield paper, K["submittedBy"], (p.submitter, None)
    if p.updated:
        yield paper, V.modified, _date(p.updated)
    for attr, prop in (("version", "arxivVersion"), ("upvotes", "upvotes")):
        if getattr(p, attr) is not None:
            yield paper, K[prop], int_term(getattr(p, attr))
    if p.num_comments is not None:
        yield paper, K["commentCount"], int_term(p.num_comments)
    if p.pdf_url and not _not_an_iri(p.pdf_url):
        yield paper, K["pdf"], p.pdf_url
    if p.thumbnail and not _not_an_iri(p.thumbnail):
        yield paper, V.thumbnailUrl, p.thumbnail


def _not_an_iri(url: str) -> bool:
    return not url.startswith(("http://", "https://")) or any(c in url for c in '<>" {}|\\^`')


def paper_lite(
    extraction: Extraction, base: str, entity_ids: EntityIds | None = None
) -> Iterator[Lite]:
    """A paper, its listings, mentions, results, links, comparisons and the earlier papers it
    builds on, with provenance."""
    x, p = extraction, extraction.paper
    paper = paper_iri_text(base, p.id)
    pslug = slug(p.id)
    yield paper, V.type, K["Paper"]
    yield paper, V.type, V.ScholarlyArticle
    yield paper, K["paperId"], (p.id, None)
    yield paper, V.title, (p.title, None)
    yield paper, V.abstract, (p.abstract, None)
    if p.published:
        yield paper, V.date, _date(p.published)
    for author in p.authors:
        yield paper, V.creator, (author, None)
    yield from _metadata(paper, p, base)
    for li in p.listings:
        where = str(li.line) if li.line is not None else pslug
        listing = iri_text(base, "listing", slug(li.source), where)
        yield paper, K["listedIn"], listing
        yield listing, V.type, K["Listing"]
        yield listing, K["sourceFile"], (li.source, None)
        if li.line is not None:
            yield listing, K["line"], int_term(li.line)
        if li.date:
            yield listing, K["listingDate"], (li.date, None)

    counts: dict[tuple[str, str], int] = defaultdict(int)
    first: dict[tuple[str, str], Any] = {}
    for m in x.mentions:
        key = (
            "proposes" if m.proposed else MENTION_REL[m.type],
            entity_id(m.type, m.name, entity_ids),
        )
        counts[key] += 1
        first.setdefault(key, m)
    for (rel, eid), count in counts.items():
        target = iri_text(base, eid)
        node = iri_text(base, "mention", pslug, rel, eid)
        yield paper, REL_IRI[rel], target
        yield paper, K["hasMention"], node
        yield node, V.type, K["Mention"]
        yield node, K["mentionOf"], target
        yield node, K["relation"], REL_IRI[rel]
        yield node, K["surfaceForm"], (first[(rel, eid)].text, None)
        yield node, K["mentionCount"], int_term(count)
        yield from _evidence(node, paper, first[(rel, eid)].evidence, base)

    for i, r in enumerate(x.results):
        res = iri_text(base, "result", pslug, str(i))
        yield paper, K["reports"], res
        yield res, V.type, K["Result"]
        yield res, K["value"], (decimal_lexical(r.value), V.decimal)
        if r.unit:
            yield res, K["unit"], (r.unit, None)
        yield res, K["delta"], ("true" if r.delta else "false", V.boolean)
        if r.text:
            yield res, K["valueText"], (r.text, None)
        for kind, name, prop in (
            ("Method", r.subject, K["ofMethod"]),
            ("Dataset", r.dataset, K["onDataset"]),
            ("Metric", r.metric, K["forMetric"]),
        ):
            if name and (entity_ids is None or (kind, name) in entity_ids):
                yield res, prop, iri_text(base, entity_id(kind, name, entity_ids))
        yield from _evidence(res, paper, r.evidence, base)

    for link in x.links:
        target = link_iri_text(base, link.kind, link.url)
        kind, rel = LINK_NODES[link.kind]
        node = iri_text(base, "mention", pslug, rel, url_digest(link.url))
        yield paper, REL_IRI[rel], target
        yield target, V.type, K[kind]
        if link.kind == "code":
            yield target, V.type, V.SoftwareSourceCode
            yield target, V.codeRepository, link.url
        named = linked_dataset(x, link) if link.kind == "dataset" else None
        if named and (entity_ids is None or ("Dataset", named) in entity_ids):
            yield target, K["describes"], iri_text(base, entity_id("Dataset", named, entity_ids))
        yield target, K["url"], (link.url, V.anyURI)
        yield target, K["host"], (link.host, None)
        yield paper, K["hasMention"], node
        yield node, V.type, K["Mention"]
        yield node, K["mentionOf"], target
        yield node, K["relation"], REL_IRI[rel]
        yield node, K["surfaceForm"], (link.url, None)
        yield node, K["mentionCount"], int_term(1)
        yield from _evidence(node, paper, link.evidence, base)

    for winner, baseline in x.comparisons:
        a, b = entity_id("Method", winner, entity_ids), entity_id("Method", baseline, entity_ids)
        if a == b:
            continue
        node = comparison_iri_text(base, p.id, a, b)
        yield paper, K["statesComparison"], node
        yield node, V.type, K["Comparison"]
        yield node, K["winner"], iri_text(base, a)
        yield node, K["baseline"], iri_text(base, b)
        yield from _evidence(node, paper, _comparison_evidence(x, winner, baseline), base)

    for lineage in x.builds_on:
        earlier = paper_iri_text(base, lineage.paper)
        eid = entity_id(lineage.type, lineage.name, entity_ids)
        node = iri_text(base, "lineage", pslug, slug(lineage.paper), eid)
        yield paper, K["buildsOn"], earlier
        yield paper, K["hasLineage"], node
        yield node, V.type, K["Lineage"]
        yield node, K["earlierPaper"], earlier
        yield node, K["via"], iri_text(base, eid)
        yield from _evidence(node, paper, lineage.evidence, base)


def paper_triples(
    extraction: Extraction, base: str, entity_ids: EntityIds | None = None
) -> Iterator[Triple]:
    """``paper_lite`` as rdflib terms."""
    return map(rdflib_triple, paper_lite(extraction, base, entity_ids))


def comparison_lite(
    winner_id: str, baseline_id: str, paper_ids: Iterable[str], base: str
) -> Iterator[Lite]:
    """``winner kg:outperforms baseline`` and the claim node counting the papers that say so."""
    papers = sorted(set(paper_ids))
    a, b = iri_text(base, winner_id), iri_text(base, baseline_id)
    claim = iri_text(base, "claim", "outperforms", f"{slug(winner_id)}--{slug(baseline_id)}")
    yield a, K["outperforms"], b
    yield claim, V.type, K["OutperformsClaim"]
    yield claim, K["winner"], a
    yield claim, K["baseline"], b
    yield claim, K["support"], int_term(len(papers))
    for pid in papers:
        yield claim, K["supportedBy"], comparison_iri_text(base, pid, winner_id, baseline_id)


def comparison_triples(
    winner_id: str, baseline_id: str, paper_ids: Iterable[str], base: str
) -> Iterator[Triple]:
    return map(rdflib_triple, comparison_lite(winner_id, baseline_id, paper_ids, base))


def corpus_lite(context: ExportContext) -> Iterator[Lite]:
    """Every triple of the corpus (possibly with repeats), in corpus order."""
    base = context.base_iri
    ids: dict[tuple[str, str], str] = {
        (e.type, e.name): e.id for e in context.corpus.entities.values()
    }
    for entity in context.corpus.entities.values():
        yield from entity_lite(entity, base)
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)
    for x in context.corpus.extractions:
        yield from paper_lite(x, base, ids)
        for winner, baseline in x.comparisons:
            a, b = entity_id("Method", winner, ids), entity_id("Method", baseline, ids)
            if a != b:
                claims[(a, b)].add(x.paper.id)
    for (a, b), papers in sorted(claims.items()):
        yield from comparison_lite(a, b, papers, base)


def corpus_triples(context: ExportContext) -> Iterator[Triple]:
    """``corpus_lite`` as rdflib terms."""
    return map(rdflib_triple, corpus_lite(context))


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def to_rdf(context: ExportContext) -> Graph:
    """The corpus as an rdflib ``Graph`` (triples added in a deterministic order)."""
    graph = new_graph()
    for triple in sorted(set(corpus_triples(context))):
        graph.add(triple)
    return graph


def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD ``@context`` (kg/context.jsonld)."""
    data: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return data


PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def write_syntaxes(nt: Path, folder: Path) -> tuple[Path, Path]:
    """``graph.ttl`` and ``graph.jsonld`` in ``folder``, from the sorted N-Triples ``nt``."""
    ttl = write_turtle(nt, folder / "graph.ttl", PREFIX_IRIS)
    return ttl, write_jsonld(nt, folder / "graph.jsonld", jsonld_context())
