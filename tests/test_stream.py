"""The streaming build: same files as the in-memory build, flat-memory pieces, ``kg add``."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.plugins.serializers.nt import _nt_row

import kg
import kg.engine.run as engine_run
import kg.export.runs as runs_module
import kg.stream.build as stream_module
from kg.cli import cli
from kg.engine import EngineOptions, extract_stream
from kg.errors import InputError, KgError
from kg.export.rdf import DEFAULT_BASE, entity_lite, nt_line, paper_lite, rdflib_triple
from kg.export.runs import merge_runs_into, merge_sorted_runs
from kg.ingest import read_paths
from kg.model import Extraction, Paper
from kg.query import open_graph
from kg.resolve import resolve
from kg.stream import PaperStream, StreamingResolver, stream_build
from kg.synth import synthetic_papers

from .conftest import INPUTS, SEEDS

KG_BUILD = [sys.executable, "-m", "kg", "build", "--no-store", "--quiet"]
EVERY = [
    "graph.gexf",
    "graph.graphml",
    "graph.html",
    "graph.jsonld",
    "graph.nt",
    "graph.ttl",
    "neo4j",
    "papers.jsonl",
    "site.db",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    out = tmp_path_factory.mktemp("in-memory")
    graph = kg.build([SEEDS, INPUTS], engine=EngineOptions(fast=True, cache=cache))
    graph.export(out)
    return out


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory, cache: Path, in_memory: Path) -> Path:
    out = tmp_path_factory.mktemp("streamed")
    stream_build(
        [SEEDS, INPUTS], out, options=EngineOptions(jobs=2, fast=True, cache=cache), store=True
    )
    return out


def test_the_streaming_build_writes_what_the_in_memory_graph_exports(
    streamed: Path, in_memory: Path
) -> None:
    files = sorted(p.relative_to(streamed) for p in streamed.rglob("*") if p.is_file())
    ours = [f for f in files if f.parts[0] != "store"]
    assert sorted({f.parts[0] for f in ours}) == EVERY
    theirs = sorted(p.relative_to(in_memory) for p in in_memory.rglob("*") if p.is_file())
    assert ours == theirs
    for name in ours:
        assert (streamed / name).read_bytes() == (in_memory / name).read_bytes(), name


def test_workers_that_spill_and_render_write_the_same_bytes(
    tmp_path: Path, streamed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No cache: extraction workers spill their own batches; small batches and render jobs
    # give many spill records, jobs and sorted runs.
    monkeypatch.setattr(stream_module, "RENDER_BATCH", 5)
    options = EngineOptions(jobs=2, fast=True, batch_size=3)
    stream_build([SEEDS, INPUTS], tmp_path, options=options, store=False)
    files = sorted(p.relative_to(streamed) for p in streamed.rglob("*") if p.is_file())
    for name in (f for f in files if f.parts[0] != "store"):
        assert (tmp_path / name).read_bytes() == (streamed / name).read_bytes(), name
    assert not list(tmp_path.glob(".kg-staging-*"))


def test_nt_line_writes_what_rdflib_writes() -> None:
    papers = [p for i, p in enumerate(synthetic_papers(300)) if i % 5 == 0]
    corpus = resolve(extract_stream(papers, EngineOptions(fast=True)))
    ids = {(e.type, e.name): e.id for e in corpus.entities.values()}
    triples = [t for e in corpus.entities.values() for t in entity_lite(e, DEFAULT_BASE)]
    triples += [t for x in corpus.extractions for t in paper_lite(x, DEFAULT_BASE, ids)]
    for text in ['a "quote" \\ back\nslash\r\tü 😀', "", "2024-02-30", "1e5"]:
        for datatype in (None, "http://www.w3.org/2001/XMLSchema#date"):
            triples.append(("https://x.org/s", "https://x.org/p", (text, datatype)))
    assert len(triples) > 1000
    for t in triples:
        assert nt_line(t) == _nt_row(rdflib_triple(t)), t
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        nt_line(("https://x.org/s", "https://x.org/p", "https://x.org/a b"))


def test_stream_build_loads_an_on_disk_oxigraph_store(streamed: Path) -> None:
    graph = open_graph(None, db=streamed / "store")
    lines = (streamed / "graph.nt").read_text(encoding="utf-8").count("\n")
    assert len(graph) == lines
    rows = list(
        graph.query(
            "PREFIX kg: <https://w3id.org/kg-ml/ontology#> "
            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
        )
    )
    papers = (streamed / "papers.jsonl").read_text(encoding="utf-8").count("\n")
    assert int(rows[0][0]) == papers >= 183  # type: ignore[index]


def test_paper_stream_merges_duplicates_like_read_paths() -> None:
    inputs = [SEEDS, INPUTS]
    papers, listings = read_paths(inputs)
    stream = PaperStream(inputs)
    assert stream.listings == listings and len(stream) == len(papers)
    assert list(stream) == papers
    assert list(stream) == papers  # re-iterable


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        (b'{"title": "A", "summary": "B"}\n\n{"title": "C", "summary": \n', ":3:", "invalid JSON"),
        (b'{"title": "A", "summary": "B"}\n{"title": "\xff"}\n', ":2:", "invalid UTF-8"),
        (b'{"title": "A", "summary": "B"}\n{"title": "C"}\n', ":2:", "missing or empty 'summary'"),
        (b"\n\n", "x.jsonl:", "file is empty"),
    ],
)
def test_jsonl_is_read_line_by_line_with_located_errors(
    tmp_path: Path, content: bytes, where: str, what: str
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        PaperStream([path])
    assert where in str(err.value) and what in str(err.value)


def test_sorted_runs_merge_into_unique_sorted_lines(tmp_path: Path) -> None:
    runs = []
    for i, lines in enumerate([["a\n", "c\n", "e\n"], ["b\n", "c\n"], [], ["a\n", "f\n"]]):
        runs.append(tmp_path / f"r{i}")
        runs[-1].write_text("".join(lines))
    out = io.StringIO()
    assert merge_sorted_runs(runs, out) == 5
    assert out.getvalue() == "a\nb\nc\ne\nf\n"


def test_many_sorted_runs_merge_a_level_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs_module, "MERGE_FANIN", 2)
    runs, every = [], set()
    for i in range(7):
        lines = {f"{(i * 7 + j * 3) % 11:02d}\n" for j in range(4)}
        every |= lines
        runs.append(tmp_path / f"r{i}")
        runs[-1].write_text("".join(sorted(lines)))
    assert merge_runs_into(runs, tmp_path / "out") == len(every)
    assert (tmp_path / "out").read_text() == "".join(sorted(every))


def test_streaming_resolver_equals_resolve_on_a_synthetic_corpus() -> None:
    papers = [p for i, p in enumerate(synthetic_papers(560)) if i % 7 == 0]
    extracted = list(extract_stream(papers, EngineOptions(fast=True)))
    expected = resolve(copy.deepcopy(extracted))
    resolver = StreamingResolver()
    for x in extracted:
        resolver.add(x)
    assert resolver.finish() == expected.entities
    for x, want in zip(extracted, expected.extractions, strict=True):
        resolver.apply(x)
        assert x == want


def test_above_the_graph_limit_whole_graph_formats_are_left_out_with_a_note(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [*KG_BUILD, str(INPUTS), "--out", str(tmp_path), "--fast", "--graph-limit", "1"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "not written: html, gexf, graphml" in result.stderr
    assert "raise --graph-limit" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "graph.jsonld",
        "graph.nt",
        "graph.ttl",
        "neo4j",
        "papers.jsonl",
        "site.db",
    ]


def test_stream_build_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(KgError, match=r"unknown export format.*pdf"):
        stream_build([INPUTS], tmp_path, formats=["jsonl", "pdf"])
    assert not list(tmp_path.iterdir())


def test_kg_add_appends_listings_extracting_only_new_papers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    first, added = INPUTS / "hf_daily.json", tmp_path / "week.jsonl"
    again = read_paths([first])[0][0]  # listed again: merged, and not extracted again
    added.write_text(
        json.dumps({"title": again.title, "summary": again.abstract, "publishedAt": "2025-01-02"})
        + "\n"
        + json.dumps(
            {"title": "FooNet: Faster Nets", "summary": "FooNet reaches 91.2% on CIFAR-10."}
        )
        + "\n",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "kg"]
    common = ["--fast", "--quiet", "--no-store"]
    subprocess.run(
        [*run, "build", str(first), "--out", str(out), "--cache", str(cache), *common],
        check=True,
    )
    extracted: list[str] = []
    real = engine_run.extract_batch

    def counting(papers: list[Paper], fast: bool = False) -> list[Extraction]:
        extracted.extend(p.title for p in papers)
        return real(papers, fast)

    monkeypatch.setattr(engine_run, "extract_batch", counting)
    result = CliRunner().invoke(cli, ["add", str(added), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert extracted == ["FooNet: Faster Nets"], result.output
    fresh = tmp_path / "fresh"
    subprocess.run(
        [*run, "build", str(first), str(added), "--out", str(fresh), *common], check=True
    )
    for name in [*EVERY[:-3], "papers.jsonl", "site.db"]:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_kg_add_needs_a_cached_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "add", str(INPUTS / "papers.csv"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "not built with --cache" in result.stderr
