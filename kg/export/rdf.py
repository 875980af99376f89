"""RDF: Turtle, N-Triples and JSON-LD describing the same graph (ontology in kg/ontology.ttl).

Triples are produced per entity (``entity_triples``), per paper (``paper_triples``) and per
cross-paper claim (``comparison_triples``), so a streaming writer can emit them batch by batch;
``to_rdf`` assembles the whole graph from the same functions. No blank nodes: every node has a
stable IRI under the base, so the output is byte-deterministic.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.export.registry import ExportContext, register_exporter
from kg.model import Entity, Evidence, Extraction
from kg.resolve import slug

KG = Namespace("https://w3id.org/kg-ml/ontology#")
SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "https://w3id.org/kg-ml/id/"
PREFIXES = {
    "kg": KG,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "rdfs": RDFS,
    "xsd": XSD,
}
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "context.jsonld"
REL = {
    "proposes": KG.proposes,
    "uses": KG.uses,
    "evaluatedOn": KG.evaluatedOn,
    "measuredBy": KG.measuredBy,
    "addresses": KG.addresses,
    "hasCode": KG.hasCode,
    "hasProjectPage": KG.hasProjectPage,
}
MENTION_REL = {
    "Method": "uses",
    "Dataset": "evaluatedOn",
    "Metric": "measuredBy",
    "Task": "addresses",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

Triple = tuple[URIRef, URIRef, URIRef | Literal]
EntityIds = Mapping[tuple[str, str], str]
"""(type, canonical name) -> entity id, as the resolve stage assigned them."""


def decimal_lexical(value: float) -> str:
    """The canonical xsd:decimal form (``20.0``, ``2.06``), so every syntax agrees."""
    text = f"{value:.10f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def iri(base: str, *parts: str) -> URIRef:
    return URIRef(base + "/".join(parts))


def entity_id(kind: str, name: str, entity_ids: EntityIds | None = None) -> str:
    """The resolve stage's id for an entity (or the id it would get without a collision)."""
    if entity_ids is not None and (kind, name) in entity_ids:
        return entity_ids[(kind, name)]
    return f"{kind.lower()}/{slug(name)}"


def paper_iri(base: str, paper_id: str) -> URIRef:
    return iri(base, "paper", slug(paper_id))


def _digest(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:12]


def link_iri(base: str, kind: str, url: str) -> URIRef:
    return iri(base, "repository" if kind == "code" else "page", _digest(url))


def comparison_iri(base: str, paper_id: str, winner_id: str, baseline_id: str) -> URIRef:
    return iri(base, "comparison", slug(paper_id), f"{slug(winner_id)}--{slug(baseline_id)}")


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def entity_triples(entity: Entity, base: str) -> Iterator[Triple]:
    """An entity's type, labels, aliases and the number of papers that mention it."""
    node = iri(base, entity.id)
    yield node, RDF.type, KG[entity.type]
    if entity.type == "Dataset":
        yield node, RDF.type, SCHEMA.Dataset
    yield node, SKOS.prefLabel, Literal(entity.name)
    yield node, RDFS.label, Literal(entity.name)
    for alias in entity.aliases:
        yield node, SKOS.altLabel, Literal(alias)
    yield node, KG.paperCount, _int(len(entity.papers))


def _evidence(node: URIRef, paper: URIRef, ev: Evidence | None, base: str) -> Iterator[Triple]:
    """Provenance of one fact: its paper, text field, offsets, sentence and extractor."""
    yield node, PROV.wasDerivedFrom, paper
    extractor = iri(base, "extractor", slug(ev.extractor if ev else "metadata"))
    yield node, PROV.wasAttributedTo, extractor
    yield extractor, RDF.type, KG.Extractor
    yield extractor, RDFS.label, Literal(ev.extractor if ev else "metadata")
    if ev is not None:
        yield node, KG.textField, Literal(ev.field)
        yield node, KG.startOffset, _int(ev.start)
        yield node, KG.endOffset, _int(ev.end)
        yield node, KG.evidenceSentence, Literal(ev.sentence)


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


def paper_triples(
    extraction: Extraction, base: str, entity_ids: EntityIds | None = None
) -> Iterator[Triple]:
    """A paper, its listings, mentions, results, links and comparisons, with provenance."""
    x, p = extraction, extraction.paper
    paper = paper_iri(base, p.id)
    pslug = slug(p.id)
    yield paper, RDF.type, KG.Paper
    yield paper, RDF.type, SCHEMA.ScholarlyArticle
    yield paper, KG.paperId, Literal(p.id)
    yield paper, DCTERMS.title, Literal(p.title)
    yield paper, DCTERMS.abstract, Literal(p.abstract)
    if p.published:
        match = ISO_DATE.match(p.published)
        date = Literal(match.group(0), datatype=XSD.date) if match else Literal(p.published)
        yield paper, DCTERMS.date, date
    for author in p.authors:
        yield paper, DCTERMS.creator, Literal(author)
    for li in p.listings:
        where = str(li.line) if li.line is not None else pslug
        listing = iri(base, "listing", slug(li.source), where)
        yield paper, KG.listedIn, listing
        yield listing, RDF.type, KG.Listing
        yield listing, KG.sourceFile, Literal(li.source)
        if li.line is not None:
            yield listing, KG.line, _int(li.line)
        if li.date:
            yield listing, KG.listingDate, Literal(li.date)

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
        target = iri(base, eid)
        node = iri(base, "mention", pslug, rel, eid)
        yield paper, REL[rel], target
        yield paper, KG.hasMention, node
        yield node, RDF.type, KG.Mention
        yield node, KG.mentionOf, target
        yield node, KG.relation, REL[rel]
        yield node, KG.surfaceForm, Literal(first[(rel, eid)].text)
        yield node, KG.mentionCount, _int(count)
        yield from _evidence(node, paper, first[(rel, eid)].evidence, base)

    for i, r in enumerate(x.results):
        res = iri(base, "result", pslug, str(i))
        yield paper, KG.reports, res
        yield res, RDF.type, KG.Result
        yield res, KG.value, Literal(decimal_lexical(r.value), datatype=XSD.decimal)
        if r.unit:
            yield res, KG.unit, Literal(r.unit)
        if r.text:
            yield res, KG.valueText, Literal(r.text)
        for kind, name, prop in (
            ("Method", r.subject, KG.ofMethod),
            ("Dataset", r.dataset, KG.onDataset),
            ("Metric", r.metric, KG.forMetric),
        ):
            if name and (entity_ids is None or (kind, name) in entity_ids):
                yield res, prop, iri(base, entity_id(kind, name, entity_ids))
        yield from _evidence(res, paper, r.evidence, base)

    for link in x.links:
        target = link_iri(base, link.kind, link.url)
        rel = "hasCode" if link.kind == "code" else "hasProjectPage"
        node = iri(base, "mention", pslug, rel, _digest(link.url))
        yield paper, REL[rel], target
        if link.kind == "code":
            yield target, RDF.type, KG.Repository
            yield target, RDF.type, SCHEMA.SoftwareSourceCode
            yield target, SCHEMA.codeRepository, URIRef(link.url)
        else:
            yield target, RDF.type, KG.ProjectPage
        yield target, KG.url, Literal(link.url, datatype=XSD.anyURI)
        yield target, KG.host, Literal(link.host)
        yield paper, KG.hasMention, node
        yield node, RDF.type, KG.Mention
        yield node, KG.mentionOf, target
        yield node, KG.relation, REL[rel]
        yield node, KG.surfaceForm, Literal(link.url)
        yield node, KG.mentionCount, _int(1)
        yield from _evidence(node, paper, link.evidence, base)

    for winner, baseline in x.comparisons:
        a, b = entity_id("Method", winner, entity_ids), entity_id("Method", baseline, entity_ids)
        if a == b:
            continue
        node = comparison_iri(base, p.id, a, b)
        yield paper, KG.statesComparison, node
        yield node, RDF.type, KG.Comparison
        yield node, KG.winner, iri(base, a)
        yield node, KG.baseline, iri(base, b)
        yield from _evidence(node, paper, _comparison_evidence(x, winner, baseline), base)


def comparison_triples(
    winner_id: str, baseline_id: str, paper_ids: Iterable[str], base: str
) -> Iterator[Triple]:
    """``winner kg:outperforms baseline`` and the claim node counting the papers that say so."""
    papers = sorted(set(paper_ids))
    a, b = iri(base, winner_id), iri(base, baseline_id)
    claim = iri(base, "claim", "outperforms", f"{slug(winner_id)}--{slug(baseline_id)}")
    yield a, KG.outperforms, b
    yield claim, RDF.type, KG.OutperformsClaim
    yield claim, KG.winner, a
    yield claim, KG.baseline, b
    yield claim, KG.support, _int(len(papers))
    for pid in papers:
        yield claim, KG.supportedBy, comparison_iri(base, pid, winner_id, baseline_id)


def corpus_triples(context: ExportContext) -> Iterator[Triple]:
    """Every triple of the corpus (possibly with repeats), in corpus order."""
    base = context.base_iri
    ids: dict[tuple[str, str], str] = {
        (e.type, e.name): e.id for e in context.corpus.entities.values()
    }
    for entity in context.corpus.entities.values():
        yield from entity_triples(entity, base)
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)
    for x in context.corpus.extractions:
        yield from paper_triples(x, base, ids)
        for winner, baseline in x.comparisons:
            a, b = entity_id("Method", winner, ids), entity_id("Method", baseline, ids)
            if a != b:
                claims[(a, b)].add(x.paper.id)
    for (a, b), papers in sorted(claims.items()):
        yield from comparison_triples(a, b, papers, base)


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


def _sorted_jsonld(node: Any) -> Any:
    """rdflib's JSON-LD order depends on hashing; RDF arrays are unordered, so sort them."""
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def ntriples_lines(graph: Graph) -> list[str]:
    return sorted(set(graph.serialize(format="nt").splitlines()) - {""})


@register_exporter("rdf")
def write_rdf(context: ExportContext, out: Path) -> list[Path]:
    graph = to_rdf(context)
    ttl, nt, jsonld = out / "graph.ttl", out / "graph.nt", out / "graph.jsonld"
    ttl.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    nt.write_text("\n".join(ntriples_lines(graph)) + "\n", encoding="utf-8")
    data = json.loads(graph.serialize(format="json-ld", context=jsonld_context()))
    jsonld.write_text(
        json.dumps(_sorted_jsonld(data), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return [ttl, nt, jsonld]
