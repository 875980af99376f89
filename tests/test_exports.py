"""Every export parses back with a real reader and a rebuild is byte-identical."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from kg.api import KnowledgeGraph
from tests.conftest import ROOT

EXPECTED = [
    "graph.gexf",
    "graph.graphml",
    "graph.html",
    "graph.jsonld",
    "graph.nt",
    "graph.ttl",
    "neo4j/import.cypher",
    "papers.jsonl",
]


def test_all_exports_written(seed_exports: Path) -> None:
    for name in EXPECTED:
        assert (seed_exports / name).stat().st_size > 0, name
    assert not list(seed_exports.glob(".kg-staging-*"))


def test_papers_jsonl_schema(seed_exports: Path) -> None:
    records = [json.loads(line) for line in (seed_exports / "papers.jsonl").open()]
    assert len(records) == 183
    step = next(r for r in records if r["title"].startswith("Step-DPO"))
    assert {
        "id",
        "title",
        "abstract",
        "listings",
        "code_urls",
        "project_urls",
        "entities",
        "results",
        "quantities",
    } <= set(step)
    assert step["code_urls"] == ["https://github.com/dvlab-research/Step-DPO"]
    entity = next(e for e in step["entities"] if e["mention"] == "GSM8K")
    assert entity["type"] == "Dataset" and entity["name"] == "GSM8K"
    assert "GSM-8K" in entity["aliases"]
    assert step["abstract"][entity["start"] : entity["end"]] == "GSM8K"
    result = next(r for r in step["results"] if r["value"] == 70.8)
    assert (result["subject"], result["dataset"], result["unit"]) == ("Step-DPO", "MATH", "%")
    assert "respectively" in result["evidence"]["sentence"]


def test_rdf_formats_are_the_same_graph(seed_graph: KnowledgeGraph, seed_exports: Path) -> None:
    graphs = {
        fmt: rdflib.Graph().parse(seed_exports / name, format=fmt)
        for fmt, name in (("turtle", "graph.ttl"), ("nt", "graph.nt"), ("json-ld", "graph.jsonld"))
    }
    assert len(graphs["turtle"]) == len(seed_graph.rdf) > 5000
    assert isomorphic(graphs["turtle"], graphs["nt"])
    assert isomorphic(graphs["turtle"], graphs["json-ld"])


def test_sparql_over_turtle_finds_cifar_fid(seed_exports: Path) -> None:
    g = rdflib.Graph().parse(seed_exports / "graph.ttl")
    rows = list(
        g.query("""
        PREFIX kg: <https://w3id.org/kg-ml/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?value WHERE {
          ?r a kg:Result ; kg:value ?value ; kg:onDataset/skos:prefLabel "CIFAR-10" ;
             kg:forMetric/skos:prefLabel "FID" .
        } ORDER BY ?value""")
    )
    assert 2.06 in [float(r[0]) for r in rows]


def test_committed_exports_are_reproduced_byte_for_byte(tmp_path: Path) -> None:
    """The exports in the repository are exactly what `kg build seeds/` writes."""
    out = tmp_path / "exports"
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--out", str(out), "--quiet"],
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    committed = ROOT / "exports"
    compare = filecmp.dircmp(committed, out)
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file()
    )
    for name in names:
        assert (committed / name).read_bytes() == (out / name).read_bytes(), name
    assert not compare.diff_files
