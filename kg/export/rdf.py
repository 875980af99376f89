"""RDF: Turtle, N-Triples and JSON-LD describing the same graph (ontology in kg/ontology.ttl)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.export.registry import ExportContext, register_exporter
from kg.resolve import slug

KG = Namespace("https://w3id.org/kg-ml/ontology#")
SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "https://w3id.org/kg-ml/id/"
PREFIXES = {"kg": KG, "dcterms": DCTERMS, "skos": SKOS, "schema": SCHEMA, "rdfs": RDFS, "xsd": XSD}
REL = {
    "proposes": KG.proposes,
    "uses": KG.uses,
    "evaluatedOn": KG.evaluatedOn,
    "measuredBy": KG.measuredBy,
    "addresses": KG.addresses,
}


def decimal_lexical(value: float) -> str:
    """The canonical xsd:decimal form (``20.0``, ``2.06``), so every syntax agrees."""
    text = f"{value:.10f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _iri(base: str, *parts: str) -> URIRef:
    return URIRef(base + "/".join(parts))


def to_rdf(context: ExportContext) -> Graph:
    """The corpus as an rdflib ``Graph`` (triples added in a deterministic order)."""
    base = context.base_iri
    triples: set[tuple[URIRef, URIRef, URIRef | Literal]] = set()
    add = triples.add
    entity_iri: dict[tuple[str, str], URIRef] = {}
    for e in context.corpus.entities.values():
        iri = _iri(base, e.id)
        entity_iri[(e.type, e.name)] = iri
        add((iri, RDF.type, KG[e.type]))
        add((iri, SKOS.prefLabel, Literal(e.name)))
        add((iri, RDFS.label, Literal(e.name)))
        for alias in e.aliases:
            add((iri, SKOS.altLabel, Literal(alias)))
    for x in context.corpus.extractions:
        p = x.paper
        paper = _iri(base, "paper", slug(p.id))
        add((paper, RDF.type, KG.Paper))
        add((paper, KG.paperId, Literal(p.id)))
        add((paper, DCTERMS.title, Literal(p.title)))
        add((paper, DCTERMS.abstract, Literal(p.abstract)))
        if p.published:
            add((paper, DCTERMS.issued, Literal(p.published)))
        for author in p.authors:
            add((paper, DCTERMS.creator, Literal(author)))
        for li in p.listings:
            listing = _iri(base, "listing", slug(li.source), slug(li.date or "undated"))
            add((paper, KG.listedIn, listing))
            add((listing, RDF.type, KG.Listing))
            add((listing, KG.sourceFile, Literal(li.source)))
            if li.date:
                add((listing, KG.listingDate, Literal(li.date)))
        for m in x.mentions:
            rel = (
                "proposes"
                if m.proposed
                else {
                    "Method": "uses",
                    "Dataset": "evaluatedOn",
                    "Metric": "measuredBy",
                    "Task": "addresses",
                }[m.type]
            )
            add((paper, REL[rel], entity_iri[(m.type, m.name)]))
        for i, r in enumerate(x.results):
            res = _iri(base, "result", slug(p.id), str(i))
            add((paper, KG.reports, res))
            add((res, RDF.type, KG.Result))
            add((res, KG.value, Literal(decimal_lexical(r.value), datatype=XSD.decimal)))
            if r.unit:
                add((res, KG.unit, Literal(r.unit)))
            for kind, name, prop in (
                ("Method", r.subject, KG.ofMethod),
                ("Dataset", r.dataset, KG.onDataset),
                ("Metric", r.metric, KG.forMetric),
            ):
                target = entity_iri.get((kind, name or ""))
                if target is not None:
                    add((res, prop, target))
            add((res, KG.evidenceText, Literal(r.evidence.sentence)))
            add((res, KG.evidenceField, Literal(r.evidence.field)))
            add((res, KG.startOffset, Literal(r.evidence.start)))
            add((res, KG.endOffset, Literal(r.evidence.end)))
        for link in x.links:
            digest = hashlib.sha1(link.url.encode()).hexdigest()[:12]
            if link.kind == "code":
                repo = _iri(base, "repository", digest)
                add((paper, KG.hasCode, repo))
                add((repo, RDF.type, KG.Repository))
            else:
                repo = _iri(base, "page", digest)
                add((paper, KG.hasProjectPage, repo))
                add((repo, RDF.type, KG.ProjectPage))
            add((repo, SCHEMA.url, Literal(link.url, datatype=XSD.anyURI)))
        for winner, baseline in x.comparisons:
            a, b = entity_iri.get(("Method", winner)), entity_iri.get(("Method", baseline))
            if a is not None and b is not None and a != b:
                add((a, KG.outperforms, b))
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in sorted(triples):
        graph.add(triple)
    return graph


def _sorted_jsonld(node: Any) -> Any:
    """rdflib's JSON-LD order depends on hashing; RDF arrays are unordered, so sort them."""
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


@register_exporter("rdf")
def write_rdf(context: ExportContext, out: Path) -> list[Path]:
    graph = to_rdf(context)
    ttl, nt, jsonld = out / "graph.ttl", out / "graph.nt", out / "graph.jsonld"
    ttl.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    lines = sorted(set(graph.serialize(format="nt").splitlines()) - {""})
    nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context_map = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context_map))
    jsonld.write_text(
        json.dumps(_sorted_jsonld(data), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return [ttl, nt, jsonld]
