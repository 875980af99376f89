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
from kg.export.syntaxes import write_jsonld, write_turtle
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

Term = str | tuple[str, str | None]
"""A lightweight RDF term: an IRI as a plain ``str``, or a literal as (lexical form,
datatype IRI or None). The triple functions below yield these; ``rdflib_triple`` turns one
into rdflib terms and ``nt_line`` formats it as N-Triples, byte for byte as rdflib does."""
Lite = tuple[str, str, Term]


class _V:
    """Vocabulary IRIs as plain strings (building rdflib terms costs microseconds each)."""

    type = str(RDF.type)
    label = str(RDFS.label)
    prefLabel = str(SKOS.prefLabel)
    altLabel = str(SKOS.altLabel)
    title = str(DCTERMS.title)
    abstract = str(DCTERMS.abstract)
    date = str(DCTERMS.date)
    creator = str(DCTERMS.creator)
    derivedFrom = str(PROV.wasDerivedFrom)
    attributedTo = str(PROV.wasAttributedTo)
    Dataset = str(SCHEMA.Dataset)
    ScholarlyArticle = str(SCHEMA.ScholarlyArticle)
    SoftwareSourceCode = str(SCHEMA.SoftwareSourceCode)
    codeRepository = str(SCHEMA.codeRepository)
    integer = str(XSD.integer)
    decimal = str(XSD.decimal)
    boolean = str(XSD.boolean)
    xdate = str(XSD.date)
    anyURI = str(XSD.anyURI)


_K = {  # kg: terms by local name, as plain strings
    name: str(KG[name])
    for name in """Paper Listing Mention Result Repository ProjectPage Comparison Extractor
    OutperformsClaim Method Dataset Metric Task paperId listedIn sourceFile line listingDate
    hasMention mentionOf relation surfaceForm mentionCount textField startOffset endOffset
    evidenceSentence paperCount reports value unit delta valueText ofMethod onDataset forMetric url
    host statesComparison winner baseline outperforms support supportedBy""".split()
}
_REL = {name: str(term) for name, term in REL.items()}


def decimal_lexical(value: float) -> str:
    """The canonical xsd:decimal form (``20.0``, ``2.06``), so every syntax agrees."""
    text = f"{value:.10f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _iri(base: str, *parts: str) -> str:
    return base + "/".join(parts)


def iri(base: str, *parts: str) -> URIRef:
    return URIRef(_iri(base, *parts))


def entity_id(kind: str, name: str, entity_ids: EntityIds | None = None) -> str:
    """The resolve stage's id for an entity (or the id it would get without a collision)."""
    if entity_ids is not None and (kind, name) in entity_ids:
        return entity_ids[(kind, name)]
    return f"{kind.lower()}/{slug(name)}"


def _paper_iri(base: str, paper_id: str) -> str:
    return _iri(base, "paper", slug(paper_id))


def paper_iri(base: str, paper_id: str) -> URIRef:
    return URIRef(_paper_iri(base, paper_id))


def _digest(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:12]


def _link_iri(base: str, kind: str, url: str) -> str:
    return _iri(base, "repository" if kind == "code" else "page", _digest(url))


def link_iri(base: str, kind: str, url: str) -> URIRef:
    return URIRef(_link_iri(base, kind, url))


def _comparison_iri(base: str, paper_id: str, winner_id: str, baseline_id: str) -> str:
    return _iri(base, "comparison", slug(paper_id), f"{slug(winner_id)}--{slug(baseline_id)}")


def comparison_iri(base: str, paper_id: str, winner_id: str, baseline_id: str) -> URIRef:
    return URIRef(_comparison_iri(base, paper_id, winner_id, baseline_id))


def _int(value: int) -> Term:
    return (str(value), _V.integer)


def rdflib_triple(triple: Lite) -> Triple:
    """A lightweight triple as rdflib terms."""
    s, p, o = triple
    if isinstance(o, str):
        return URIRef(s), URIRef(p), URIRef(o)
    lexical, datatype = o
    return URIRef(s), URIRef(p), Literal(lexical, datatype=datatype)


_not_in_iri = re.compile(r'[<>" {}|\\^`]').search


def _refuse(*iris: str) -> None:
    """What rdflib's ``URIRef.n3`` raises for an IRI it cannot write."""
    for value in iris:
        if _not_in_iri(value):
            raise ValueError(
                f'"{value}" does not look like a valid URI, I cannot serialize this as '
                "N3/Turtle. Perhaps you wanted to urlencode it?"
            )


def nt_line(triple: Lite) -> str:
    """One N-Triples line, the same bytes as rdflib's N-Triples serializer writes."""
    s, p, o = triple
    if isinstance(o, str):
        if _not_in_iri(s) or _not_in_iri(p) or _not_in_iri(o):
            _refuse(s, p, o)
        return f"<{s}> <{p}> <{o}> .\n"
    if _not_in_iri(s) or _not_in_iri(p):
        _refuse(s, p)
    lexical, datatype = o
    quoted = (
        lexical.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    )
    if datatype is None:
        return f'<{s}> <{p}> "{quoted}" .\n'
    return f'<{s}> <{p}> "{quoted}"^^<{datatype}> .\n'


def entity_lite(entity: Entity, base: str) -> Iterator[Lite]:
    """An entity's type, labels, aliases and the number of papers that mention it."""
    node = _iri(base, entity.id)
    yield node, _V.type, _K[entity.type]
    if entity.type == "Dataset":
        yield node, _V.type, _V.Dataset
    yield node, _V.prefLabel, (entity.name, None)
    yield node, _V.label, (entity.name, None)
    for alias in entity.aliases:
        yield node, _V.altLabel, (alias, None)
    yield node, _K["paperCount"], _int(len(entity.papers))


def entity_triples(entity: Entity, base: str) -> Iterator[Triple]:
    return map(rdflib_triple, entity_lite(entity, base))


def _evidence(node: str, paper: str, ev: Evidence | None, base: str) -> Iterator[Lite]:
    """Provenance of one fact: its paper, text field, offsets, sentence and extractor."""
    yield node, _V.derivedFrom, paper
    name = ev.extractor if ev else "metadata"
    extractor = _iri(base, "extractor", slug(name))
    yield node, _V.attributedTo, extractor
    yield extractor, _V.type, _K["Extractor"]
    yield extractor, _V.label, (name, None)
    if ev is not None:
        yield node, _K["textField"], (ev.field, None)
        yield node, _K["startOffset"], _int(ev.start)
        yield node, _K["endOffset"], _int(ev.end)
        yield node, _K["evidenceSentence"], (ev.sentence, None)


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


def paper_lite(
    extraction: Extraction, base: str, entity_ids: EntityIds | None = None
) -> Iterator[Lite]:
    """A paper, its listings, mentions, results, links and comparisons, with provenance."""
    x, p, K, V = extraction, extraction.paper, _K, _V
    paper = _paper_iri(base, p.id)
    pslug = slug(p.id)
    yield paper, V.type, K["Paper"]
    yield paper, V.type, V.ScholarlyArticle
    yield paper, K["paperId"], (p.id, None)
    yield paper, V.title, (p.title, None)
    yield paper, V.abstract, (p.abstract, None)
    if p.published:
        match = ISO_DATE.match(p.published)
        yield paper, V.date, (match.group(0), V.xdate) if match else (p.published, None)
    for author in p.authors:
        yield paper, V.creator, (author, None)
    for li in p.listings:
        where = str(li.line) if li.line is not None else pslug
        listing = _iri(base, "listing", slug(li.source), where)
        yield paper, K["listedIn"], listing
        yield listing, V.type, K["Listing"]
        yield listing, K["sourceFile"], (li.source, None)
        if li.line is not None:
            yield listing, K["line"], _int(li.line)
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
        target = _iri(base, eid)
        node = _iri(base, "mention", pslug, rel, eid)
        yield paper, _REL[rel], target
        yield paper, K["hasMention"], node
        yield node, V.type, K["Mention"]
        yield node, K["mentionOf"], target
        yield node, K["relation"], _REL[rel]
        yield node, K["surfaceForm"], (first[(rel, eid)].text, None)
        yield node, K["mentionCount"], _int(count)
        yield from _evidence(node, paper, first[(rel, eid)].evidence, base)

    for i, r in enumerate(x.results):
        res = _iri(base, "result", pslug, str(i))
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
                yield res, prop, _iri(base, entity_id(kind, name, entity_ids))
        yield from _evidence(res, paper, r.evidence, base)

    for link in x.links:
        target = _link_iri(base, link.kind, link.url)
        rel = "hasCode" if link.kind == "code" else "hasProjectPage"
        node = _iri(base, "mention", pslug, rel, _digest(link.url))
        yield paper, _REL[rel], target
        if link.kind == "code":
            yield target, V.type, K["Repository"]
            yield target, V.type, V.SoftwareSourceCode
            yield target, V.codeRepository, link.url
        else:
            yield target, V.type, K["ProjectPage"]
        yield target, K["url"], (link.url, V.anyURI)
        yield target, K["host"], (link.host, None)
        yield paper, K["hasMention"], node
        yield node, V.type, K["Mention"]
        yield node, K["mentionOf"], target
        yield node, K["relation"], _REL[rel]
        yield node, K["surfaceForm"], (link.url, None)
        yield node, K["mentionCount"], _int(1)
        yield from _evidence(node, paper, link.evidence, base)

    for winner, baseline in x.comparisons:
        a, b = entity_id("Method", winner, entity_ids), entity_id("Method", baseline, entity_ids)
        if a == b:
            continue
        node = _comparison_iri(base, p.id, a, b)
        yield paper, K["statesComparison"], node
        yield node, V.type, K["Comparison"]
        yield node, K["winner"], _iri(base, a)
        yield node, K["baseline"], _iri(base, b)
        yield from _evidence(node, paper, _comparison_evidence(x, winner, baseline), base)


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
    a, b = _iri(base, winner_id), _iri(base, baseline_id)
    claim = _iri(base, "claim", "outperforms", f"{slug(winner_id)}--{slug(baseline_id)}")
    yield a, _K["outperforms"], b
    yield claim, _V.type, _K["OutperformsClaim"]
    yield claim, _K["winner"], a
    yield claim, _K["baseline"], b
    yield claim, _K["support"], _int(len(papers))
    for pid in papers:
        yield claim, _K["supportedBy"], _comparison_iri(base, pid, winner_id, baseline_id)


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


@register_exporter("rdf")
def write_rdf(context: ExportContext, out: Path) -> list[Path]:
    """``graph.nt`` (sorted, unique lines), then Turtle and JSON-LD derived from it."""
    nt = out / "graph.nt"
    with nt.open("w", encoding="utf-8") as fh:
        fh.writelines(sorted(set(map(nt_line, corpus_lite(context)))))
    ttl, jsonld = write_syntaxes(nt, out)
    return [ttl, nt, jsonld]


def write_syntaxes(nt: Path, folder: Path) -> tuple[Path, Path]:
    """``graph.ttl`` and ``graph.jsonld`` in ``folder``, from the sorted N-Triples ``nt``."""
    ttl = write_turtle(nt, folder / "graph.ttl", PREFIX_IRIS)
    return ttl, write_jsonld(nt, folder / "graph.jsonld", jsonld_context())
