"""The RDF vocabulary and terms every RDF writer shares: namespaces, the IRIs of the graph's
nodes, lightweight triples (plain strings, no rdflib objects: building those costs
microseconds each) and their N-Triples form, byte for byte as rdflib writes it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from rdflib import XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

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
REL = {
    "proposes": KG.proposes,
    "uses": KG.uses,
    "evaluatedOn": KG.evaluatedOn,
    "measuredBy": KG.measuredBy,
    "addresses": KG.addresses,
    "hasCode": KG.hasCode,
    "hasProjectPage": KG.hasProjectPage,
    "hasDatasetCard": KG.hasDatasetCard,
    "hasModelCard": KG.hasModelCard,
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


class V:
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
    author = str(SCHEMA.author)
    Person = str(SCHEMA.Person)
    name = str(SCHEMA.name)
    affiliation = str(SCHEMA.affiliation)
    thumbnailUrl = str(SCHEMA.thumbnailUrl)
    subject = str(DCTERMS.subject)
    modified = str(DCTERMS.modified)


K = {  # kg: terms by local name, as plain strings
    name: str(KG[name])
    for name in """Paper Listing Mention Result Repository ProjectPage Comparison Extractor
    OutperformsClaim Method Dataset Metric Task paperId listedIn sourceFile line listingDate
    hasMention mentionOf relation surfaceForm mentionCount textField startOffset endOffset
    evidenceSentence paperCount reports value unit delta valueText ofMethod onDataset forMetric url
    host statesComparison winner baseline outperforms support supportedBy Author Category
    hfUser primaryCategory doi journalRef arxivVersion pdf arxivComment upvotes commentCount
    submittedBy DatasetCard ModelCard describes Lineage buildsOn hasLineage earlierPaper
    via""".split()
}
REL_IRI = {name: str(term) for name, term in REL.items()}


def decimal_lexical(value: float) -> str:
    """The canonical xsd:decimal form (``20.0``, ``2.06``), so every syntax agrees."""
    text = f"{value:.10f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def iri_text(base: str, *parts: str) -> str:
    return base + "/".join(parts)


def iri(base: str, *parts: str) -> URIRef:
    return URIRef(iri_text(base, *parts))


def entity_id(kind: str, name: str, entity_ids: EntityIds | None = None) -> str:
    """The resolve stage's id for an entity (or the id it would get without a collision)."""
    if entity_ids is not None and (kind, name) in entity_ids:
        return entity_ids[(kind, name)]
    return f"{kind.lower()}/{slug(name)}"


def paper_iri_text(base: str, paper_id: str) -> str:
    return iri_text(base, "paper", slug(paper_id))


def paper_iri(base: str, paper_id: str) -> URIRef:
    return URIRef(paper_iri_text(base, paper_id))


def url_digest(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:12]


LINK_PATHS = {
    "code": "repository",
    "project": "page",
    "dataset": "dataset-card",
    "model": "model-card",
}


def link_iri_text(base: str, kind: str, url: str) -> str:
    return iri_text(base, LINK_PATHS[kind], url_digest(url))


def link_iri(base: str, kind: str, url: str) -> URIRef:
    return URIRef(link_iri_text(base, kind, url))


def comparison_iri_text(base: str, paper_id: str, winner_id: str, baseline_id: str) -> str:
    return iri_text(base, "comparison", slug(paper_id), f"{slug(winner_id)}--{slug(baseline_id)}")


def comparison_iri(base: str, paper_id: str, winner_id: str, baseline_id: str) -> URIRef:
    return URIRef(comparison_iri_text(base, paper_id, winner_id, baseline_id))


def int_term(value: int) -> Term:
    return (str(value), V.integer)


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
