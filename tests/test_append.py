"""Appending to a streamed build (``kg add``): the files equal a full build, byte for byte,
while only the jobs whose entities changed are rendered again."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

import kg.stream.build as stream_module
from kg.cli import cli
from kg.engine import EngineOptions
from kg.stream import AppendRefused, stream_append, stream_build
from kg.stream.appenders import APPENDERS
from kg.stream.splice import splice_segments, splice_sorted
from kg.stream.state import STATE
from kg.synth import write_jsonl

from .conftest import SEEDS

KG = [sys.executable, "-m", "kg"]
OLD = [
    (
        "FooNet: Fast Nets",
        "We propose FooNet, a network for image classification. "
        "FooNet reaches 91.2% accuracy on CIFAR-10, and FooNet is small.",
    ),
    (
        "Routing for Reasoning",
        "We propose SMR, a routing method for language models. "
        "SMR improves accuracy on GSM8K by 3.1 points.",
    ),
    (
        "Sparse Mixture Routing at Scale",
        "We propose Sparse Mixture Routing, a method for "
        "mixtures of experts. It reaches 80.1% accuracy on MMLU.",
    ),
]
NEW = [
    # Outvotes FooNet's spelling: the entity is renamed, its papers are rendered again.
    (
        "FOONET Again",
        "We present FOONET, a simple network. FOONET reaches 92.0% accuracy "
        "on CIFAR-10, and FOONET is fast.",
    ),
    (
        "FOONET Revisited",
        "We present FOONET, a small network. FOONET reaches 93.0% accuracy "
        "on CIFAR-10, and FOONET is cheap.",
    ),
    # Defines SMR: two old entities become one.
    (
        "Sparse Mixture Routing Explained",
        "We propose Sparse Mixture Routing (SMR), a routing "
        "method. SMR improves accuracy on GSM8K by 4.0 points.",
    ),
]


def _jsonl(path: Path, papers: list[tuple[str, str]], start: int) -> Path:
    with path.open("a", encoding="utf-8") as fh:
        for i, (title, abstract) in enumerate(papers, start):
            record = {"id": f"paper-{i}", "title": title, "summary": abstract}
            fh.write(json.dumps(record) + "\n")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not {STATE, "store", ".kg-build.json"} & set(p.relative_to(folder).parts)
    }


def _same_outputs(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    assert [name for name in fa if fa[name] != fb[name]] == []


@pytest.fixture
def small_jobs(monkeypatch: pytest.MonkeyPatch) -> EngineOptions:
    """Jobs of a few papers, so that an append has many jobs to leave alone."""
    monkeypatch.setattr(stream_module, "RENDER_BATCH", 8)
    return EngineOptions(fast=True, batch_size=4)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    old = write_jsonl(60, tmp_path / "old.jsonl")
    _jsonl(old, OLD, 1000)
    new = write_jsonl(70, tmp_path / "all.jsonl")
    lines = new.read_text(encoding="utf-8").splitlines(keepends=True)[60:]
    more = tmp_path / "new.jsonl"
    more.write_text("".join(lines), encoding="utf-8")
    return old, _jsonl(more, NEW, 2000)


@pytest.mark.parametrize("jobs", [1, 2])
def test_append_equals_a_full_build_and_renders_only_changed_jobs(
    tmp_path: Path, corpus: tuple[Path, Path], small_jobs: EngineOptions, jobs: int
) -> None:
    old, new = corpus
    options = EngineOptions(fast=True, batch_size=4, jobs=jobs)
    appended, full = tmp_path / "appended", tmp_path / "full"
    stream_build([old], appended, options=options, keep_state=True, store=True)
    summary = stream_append([new], appended, options=options, store=True)
    stream_build([old, new], full, options=options, keep_state=True, store=True)
    _same_outputs(appended, full)
    assert set(Store(str(appended / "store"))) == set(Store(str(full / "store")))
    assert summary.added_papers == 13
    assert summary.triples == len((full / "graph.nt").read_bytes().splitlines())
    # FooNet's and SMR's papers are in two of the old jobs: only those are redone.
    assert 1 <= summary.rerendered["rdf"] <= 2
    assert summary.rerendered["jsonl"] <= 3
    jsonl = [json.loads(line) for line in (appended / "papers.jsonl").open(encoding="utf-8")]
    names = {
        e["name"] for p in jsonl if p["id"] in ("paper-1000", "paper-1001") for e in p["entities"]
    }
    assert {"FOONET", "Sparse Mixture Routing"} <= names
    # The state left by the append serves the next one.
    more = _jsonl(
        tmp_path / "more.jsonl",
        [("BazNet", "We propose BazNet, reaching 71.0% accuracy on CIFAR-10.")],
        3000,
    )
    stream_append([more], appended, options=options, store=True)
    stream_build([old, new, more], full, options=options, store=True)
    _same_outputs(appended, full)


def test_a_writer_without_an_appender_is_written_again_with_the_same_bytes(
    tmp_path: Path,
    corpus: tuple[Path, Path],
    small_jobs: EngineOptions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The appender registry decides what is spliced: with Neo4j's appender unregistered,
    the append writes ``neo4j/`` again from the spilled papers, and the files still equal a
    full build."""
    old, new = corpus
    appended, full = tmp_path / "appended", tmp_path / "full"
    stream_build([old], appended, options=small_jobs, keep_state=True)
    monkeypatch.delitem(APPENDERS, "neo4j")
    summary = stream_append([new], appended, options=small_jobs)
    stream_build([old, new], full, options=small_jobs)
    _same_outputs(appended, full)
    assert set(summary.rerendered) == {"jsonl", "rdf"}  # (what was spliced)


def test_append_of_seed_listings_updates_papers_listed_again(
    tmp_path: Path, small_jobs: EngineOptions
) -> None:
    files = sorted(SEEDS.iterdir())
    appended, full = tmp_path / "appended", tmp_path / "full"
    stream_build(files[:3], appended, options=small_jobs, keep_state=True, store=False)
    summary = stream_append(files[3:], appended, options=small_jobs, store=False)
    stream_build(files, full, options=small_jobs, store=False)
    _same_outputs(appended, full)
    assert summary.updated_papers > 0  # seed papers repeat across the daily files


def test_append_refuses_a_listing_that_changes_a_known_paper(
    tmp_path: Path, corpus: tuple[Path, Path], small_jobs: EngineOptions
) -> None:
    old, _ = corpus
    out = tmp_path / "out"
    stream_build([old], out, options=small_jobs, keep_state=True, store=False)
    before = _files(out)
    title, abstract = OLD[0]
    longer = _jsonl(tmp_path / "longer.jsonl", [(title, abstract + " It is also robust.")], 1)
    with pytest.raises(AppendRefused, match="changes its text"):
        stream_append([longer], out, options=small_jobs, store=False)
    assert _files(out) == before  # nothing half-written


def test_append_refuses_outputs_edited_since_the_build(
    tmp_path: Path, corpus: tuple[Path, Path], small_jobs: EngineOptions
) -> None:
    old, new = corpus
    out = tmp_path / "out"
    stream_build([old], out, options=small_jobs, keep_state=True, store=False)
    with (out / "papers.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{}\n")
    with pytest.raises(AppendRefused, match="changed since the build"):
        stream_append([new], out, options=small_jobs, store=False)
    with pytest.raises(AppendRefused, match="extractor changed"):
        stream_append([new], out, options=EngineOptions(fast=False), store=False)


def test_kg_add_appends_in_place_and_rebuilds_when_it_must(
    tmp_path: Path, corpus: tuple[Path, Path]
) -> None:
    old, new = corpus
    out, cache = tmp_path / "out", tmp_path / "cache"
    common = ["--fast", "--no-store"]
    build = [*KG, "build", str(old), "--out", str(out), "--cache", str(cache), *common, "-q"]
    subprocess.run(build, check=True)
    result = CliRunner().invoke(cli, ["add", str(new), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Appended 13 papers to the last build, updated 0" in result.output
    again = CliRunner().invoke(cli, ["add", str(new), "--out", str(out)])
    assert again.exit_code == 0 and "Nothing to add" in again.output
    title, abstract = OLD[0]
    edited = _jsonl(tmp_path / "edited.jsonl", [(title, abstract + " Also robust.")], 1)
    rebuilt = CliRunner().invoke(cli, ["add", str(edited), "--out", str(out)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "changes its text, links or id): built everything" in rebuilt.output
    full = tmp_path / "full"
    subprocess.run(
        [*KG, "build", str(old), str(new), str(edited), "--out", str(full), *common, "-q"],
        check=True,
    )
    _same_outputs(out, full)


def test_splice_sorted_matches_set_arithmetic(tmp_path: Path) -> None:
    rng = random.Random(7)
    words = [f'<s{rng.randrange(10**6):06d}> <p> "é{i}" .\n' for i in range(5000)]
    old = sorted(set(words[:4000]))
    (tmp_path / "old.nt").write_text("".join(old), encoding="utf-8")
    remove = set(rng.sample(old, 300)) | {"<never> <p> <o> .\n"}
    add = set(words[3900:]) | set(rng.sample(old, 20))
    done = splice_sorted(tmp_path / "old.nt", remove - add, add - remove, tmp_path / "new.nt")
    expected = sorted((set(old) - (remove - add)) | add)
    assert (tmp_path / "new.nt").read_text(encoding="utf-8") == "".join(expected)
    assert done.missing == ["<never> <p> <o> .\n"]
    assert done.removed == len((remove - add) & set(old))
    assert done.added == len(add - set(old))


def test_splice_segments_keeps_replaces_and_appends(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.write_bytes(b"HEAD|aa|bbb||c|TAIL")
    ends = [5, 8, 12, 13, 15]  # HEAD| then segments "aa|", "bbb|", "|", "c|"; TAIL dropped
    new = splice_segments(old, ends, {1: b"B|"}, [b"d|", b""], tmp_path / "new")
    assert (tmp_path / "new").read_bytes() == b"HEAD|aa|B||c|d|"
    assert new == [5, 8, 10, 11, 13, 15, 15]


def test_kg_build_appends_the_files_a_folder_gained(
    tmp_path: Path, corpus: tuple[Path, Path]
) -> None:
    old, new = corpus
    folder, out, cache = tmp_path / "listings", tmp_path / "out", tmp_path / "cache"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(old.read_bytes())
    build = ["build", str(folder), "--out", str(out), "--cache", str(cache), "--fast"]
    assert CliRunner().invoke(cli, build).exit_code == 0
    (folder / "b.jsonl").write_bytes(new.read_bytes())
    result = CliRunner().invoke(cli, build)
    assert result.exit_code == 0, result.output
    assert "Appended 13 papers to the last build" in result.output
    full = tmp_path / "full"
    CliRunner().invoke(cli, ["build", str(folder), "--out", str(full), "--fast"])
    _same_outputs(out, full)
    (folder / "a.jsonl").write_text(old.read_text(encoding="utf-8")[:-1] + " \n")  # edited
    again = CliRunner().invoke(cli, build)
    assert again.exit_code == 0 and "Appended" not in again.output
    assert "Read 76 listings" in again.output  # all of them, built anew
