"""The RDF export: ontology, SHACL validation, provenance, support counts, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from kg.api import KnowledgeGraph
from kg.export.rdf import (
    CONTEXT_FILE,
    KG,
    SCHEMA,
    ExportContext,
    entity_triples,
    paper_triples,
    to_rdf,
)
from kg.graph import build_graph
from kg.model import Entity, Evidence, Extraction, Mention, Paper, ResolvedCorpus
from tests.conftest import INPUTS, ROOT, paper_by_title

PACKAGE = ROOT / "kg"
LPWC = rdflib.Namespace("https://linkedpaperswithcode.com/class/")
FILES = {"turtle": "graph.ttl", "nt": "graph.nt", "json-ld": "graph.jsonld"}


@pytest.fixture(scope="module")
def exported(seed_exports: Path) -> dict[str, rdflib.Graph]:
    return {
        fmt: rdflib.Graph().parse(seed_exports / name, format=fmt) for fmt, name in FILES.items()
    }


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(PACKAGE / "ontology.ttl")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(PACKAGE / "shapes.ttl")


def _validate(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    return bool(conforms), str(text)


def test_three_syntaxes_are_one_graph(
    exported: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    assert len(exported["nt"]) == len(seed_graph.rdf) > 10_000
    assert isomorphic(exported["turtle"], exported["nt"])
    assert isomorphic(exported["turtle"], exported["json-ld"])


def test_jsonld_embeds_the_published_context(seed_exports: Path) -> None:
    data = json.loads((seed_exports / "graph.jsonld").read_text())
    published = json.loads(CONTEXT_FILE.read_text())["@context"]
    assert data["@context"] == published
    step = next(n for n in data["@graph"] if str(n.get("title", "")).startswith("Step-DPO"))
    assert "Paper" in step["type"] and step["hasCode"]


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_export_conforms_to_the_shapes(
    fmt: str, exported: dict[str, rdflib.Graph], shapes: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    conforms, report = _validate(exported[fmt], shapes, ontology)
    assert conforms, report[:2000]


def test_shapes_reject_broken_data(
    exported: dict[str, rdflib.Graph], shapes: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    broken = rdflib.Graph()
    broken += exported["nt"]
    result = next(broken.subjects(RDF.type, KG.Result))
    value = next(broken.objects(result, KG.value))
    broken.remove((result, KG.value, value))
    broken.add((result, KG.value, Literal(str(value))))  # a number hidden in a string
    mention = next(broken.subjects(RDF.type, KG.Mention))
    broken.remove((mention, PROV.wasDerivedFrom, None))  # a fact without its paper
    conforms, report = _validate(broken, shapes, ontology)
    assert not conforms
    assert str(result) in report and str(mention) in report


def test_ontology_declares_every_term_the_data_uses(
    exported: dict[str, rdflib.Graph], ontology: rdflib.Graph
) -> None:
    data = exported["nt"]
    classes = set(data.objects(None, RDF.type))
    predicates = set(data.predicates()) - {RDF.type}
    declared_classes = set(ontology.subjects(RDF.type, OWL.Class))
    declared_props = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, kind)
    } | {RDFS.label}
    own = {c for c in classes if str(c).startswith(str(KG))}
    assert own <= declared_classes, own - declared_classes
    assert predicates <= declared_props, predicates - declared_props
    for term in own | {p for p in predicates if str(p).startswith(str(KG))}:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_ontology_aligns_with_public_vocabularies(ontology: rdflib.Graph) -> None:
    for ours, lpwc in (
        (KG.Paper, LPWC.paper),
        (KG.Method, LPWC.method),
        (KG.Dataset, LPWC.dataset),
        (KG.Task, LPWC.task),
        (KG.Result, LPWC.evaluation),
        (KG.Repository, LPWC.repository),
    ):
        assert (ours, OWL.equivalentClass, lpwc) in ontology
    assert (KG.Paper, RDFS.subClassOf, SCHEMA.ScholarlyArticle) in ontology
    assert (KG.Repository, RDFS.subClassOf, SCHEMA.SoftwareSourceCode) in ontology
    assert (KG.Dataset, RDFS.subClassOf, SCHEMA.Dataset) in ontology
    assert (KG.Fact, RDFS.subClassOf, PROV.Entity) in ontology
    lpwcp = rdflib.Namespace("https://linkedpaperswithcode.com/property/")
    assert (KG.hasCode, RDFS.subPropertyOf, lpwcp.hasRepository) in ontology


def _result(g: rdflib.Graph, paper: URIRef, value: str) -> URIRef:
    for r in g.objects(paper, KG.reports):
        if g.value(r, KG.value) == Literal(value, datatype=rdflib.XSD.decimal):
            return r  # type: ignore[return-value]
    raise AssertionError(f"no result {value} for {paper}")


def _label(g: rdflib.Graph, node: object) -> str:
    return str(g.value(node, SKOS.prefLabel))  # type: ignore[arg-type]


def test_results_are_nodes_with_decimal_values_and_provenance(
    exported: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    g = exported["nt"]
    x = paper_by_title(seed_graph, "Step-DPO")
    paper = next(g.subjects(KG.paperId, Literal(x.paper.id)))
    for value, dataset in (("70.8", "MATH"), ("94.0", "GSM8K")):
        r = _result(g, paper, value)
        assert _label(g, g.value(r, KG.onDataset)) == dataset
        assert _label(g, g.value(r, KG.ofMethod)) == "Step-DPO"
        assert g.value(r, KG.unit) == Literal("%")
        # Provenance: which paper, field, offsets, sentence and extractor.
        assert g.value(r, PROV.wasDerivedFrom) == paper
        field = str(g.value(r, KG.textField))
        start, end = int(g.value(r, KG.startOffset)), int(g.value(r, KG.endOffset))  # type: ignore[arg-type]
        assert value.rstrip("0").rstrip(".") in x.paper.text(field)[start:end]  # type: ignore[arg-type]
        assert "respectively" in str(g.value(r, KG.evidenceSentence))
        extractor = g.value(r, PROV.wasAttributedTo)
        assert (extractor, RDF.type, KG.Extractor) in g and g.value(extractor, RDFS.label)
    repo = g.value(paper, KG.hasCode)
    assert (repo, SCHEMA.codeRepository, URIRef("https://github.com/dvlab-research/Step-DPO")) in g
    assert (paper, RDF.type, SCHEMA.ScholarlyArticle) in g


def test_fid_on_cifar10_from_score_implicit_matching(exported: dict[str, rdflib.Graph]) -> None:
    g = exported["turtle"]
    rows = g.query("""
        PREFIX kg: <https://w3id.org/kg-ml/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?title WHERE {
          ?p kg:reports ?r ; dcterms:title ?title .
          ?r kg:value 2.06 ; kg:onDataset/skos:prefLabel "CIFAR-10" ; kg:forMetric/skos:prefLabel "FID" .
        }""")
    assert any("Score Implicit Matching" in str(row[0]) for row in rows)


def test_mentions_carry_evidence_and_aliases(
    exported: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    g = exported["nt"]
    gsm = next(g.subjects(SKOS.prefLabel, Literal("GSM8K")))
    assert Literal("GSM-8K") in set(g.objects(gsm, SKOS.altLabel))
    assert int(g.value(gsm, KG.paperCount)) == len(
        seed_graph.corpus.entities[str(gsm).rsplit("id/", 1)[1]].papers
    )  # type: ignore[arg-type]
    mentions = list(g.subjects(KG.mentionOf, gsm))
    assert mentions
    for m in mentions:
        paper = g.value(m, PROV.wasDerivedFrom)
        rel = g.value(m, KG.relation)
        assert (paper, rel, gsm) in g  # the mention is the evidence of a direct edge
        abstract = str(g.value(paper, rdflib.namespace.DCTERMS.abstract))
        title = str(g.value(paper, rdflib.namespace.DCTERMS.title))
        text = abstract if str(g.value(m, KG.textField)) == "abstract" else title
        start, end = int(g.value(m, KG.startOffset)), int(g.value(m, KG.endOffset))  # type: ignore[arg-type]
        assert text[start:end] == str(g.value(m, KG.surfaceForm))


def _paper(pid: str, sentence: str) -> Extraction:
    def mention(name: str) -> Mention:
        start = sentence.index(name)
        ev = Evidence("abstract", start, start + len(name), sentence)
        return Mention("Method", name, ev, name=name)

    x = Extraction(Paper(pid, f"Paper {pid}", sentence), [mention("FooNet"), mention("BarNet")])
    x.comparisons = [("FooNet", "BarNet")]
    return x


def test_claims_stated_by_several_papers_carry_their_support() -> None:
    papers = [
        _paper("p1", "FooNet beats BarNet."),
        _paper("p2", "We find FooNet outperforms BarNet."),
    ]
    entities = {
        "method/foonet": Entity("method/foonet", "Method", "FooNet", [], ["p1", "p2"]),
        "method/barnet": Entity("method/barnet", "Method", "BarNet", [], ["p1", "p2"]),
    }
    corpus = ResolvedCorpus(papers, entities, 2)
    base = "https://example.org/kg/"
    g = to_rdf(ExportContext(corpus, build_graph(corpus), base))
    foo, bar = URIRef(base + "method/foonet"), URIRef(base + "method/barnet")
    assert (foo, KG.outperforms, bar) in g
    claim = next(g.subjects(RDF.type, KG.OutperformsClaim))
    assert g.value(claim, KG.support) == Literal(2, datatype=rdflib.XSD.integer)
    comparisons = set(g.objects(claim, KG.supportedBy))
    assert len(comparisons) == 2
    sentences = {str(g.value(c, KG.evidenceSentence)) for c in comparisons}
    assert sentences == {"FooNet beats BarNet.", "We find FooNet outperforms BarNet."}
    # Every subject lives under the configured base.
    assert all(str(s).startswith(base) for s in g.subjects())


def test_support_matches_the_networkx_graph(
    exported: dict[str, rdflib.Graph], seed_graph: KnowledgeGraph
) -> None:
    g = exported["nt"]
    support = {
        (str(g.value(c, KG.winner)), str(g.value(c, KG.baseline))): int(g.value(c, KG.support))  # type: ignore[arg-type]
        for c in g.subjects(RDF.type, KG.OutperformsClaim)
    }
    base = "https://w3id.org/kg-ml/id/"
    expected = {
        (base + a, base + b): data["support"]
        for a, b, key, data in seed_graph.graph.edges(keys=True, data=True)
        if key == "outperforms"
    }
    assert support == expected and support


def test_streaming_functions_rebuild_the_graph(seed_graph: KnowledgeGraph) -> None:
    base = seed_graph.base_iri
    ids = {(e.type, e.name): e.id for e in seed_graph.corpus.entities.values()}
    streamed: set[tuple[object, object, object]] = set()
    for e in seed_graph.corpus.entities.values():
        streamed.update(entity_triples(e, base))
    for x in seed_graph.corpus.extractions:
        streamed.update(paper_triples(x, base, ids))
    whole = set(seed_graph.rdf)
    # Everything but the cross-paper claims comes from the per-entity and per-paper functions.
    claims = {t for t in whole if t[1] in (KG.outperforms, KG.support, KG.supportedBy)} | {
        t for t in whole if str(t[0]).startswith(base + "claim/")
    }
    assert streamed == whole - claims


def test_output_is_byte_deterministic_across_processes(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "build",
                str(INPUTS),
                "--out",
                str(out),
                "--only",
                "rdf",
                "-q",
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        outs.append(out)
    for name in FILES.values():
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert "_:" not in (outs[0] / "graph.nt").read_text()  # no blank nodes
