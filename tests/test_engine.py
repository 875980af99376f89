"""Extraction engines: bounded batches, a process pool and Dask give the same extractions
as one process, byte for byte; the content-keyed cache re-extracts only what changed."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

import kg.engine.run as engine_run
from kg.engine import EngineOptions, ExtractionCache, extract_batches, extract_stream
from kg.engine.batching import batched, windowed
from kg.engine.cache import extractor_fingerprint
from kg.export.jsonl import paper_record
from kg.model import Extraction, Paper
from kg.synth import synthetic_papers

# Three generations of some seed papers: coined names, numbers and links all vary.
PAPERS = [p for i, p in enumerate(synthetic_papers(420)) if i % 10 == 3]
FAST = EngineOptions(fast=True, batch_size=7)


def records(extractions: list[Extraction]) -> list[str]:
    return [json.dumps(paper_record(x), ensure_ascii=False) for x in extractions]


@pytest.fixture(scope="module")
def one_job() -> list[str]:
    return records(list(extract_stream(PAPERS, FAST)))


def test_batched_cuts_fixed_size_batches() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []
    with pytest.raises(ValueError):
        list(batched(range(3), 0))


def test_windowed_keeps_order_and_bounds_work_in_flight() -> None:
    in_flight, peak = 0, 0
    lock = threading.Lock()

    def submit(n: int):  # type: ignore[no-untyped-def]
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)

        def wait() -> int:
            nonlocal in_flight
            in_flight -= 1
            return n * n

        return wait

    assert list(windowed(iter(range(50)), submit, window=3)) == [n * n for n in range(50)]
    assert peak == 3


def test_every_paper_comes_back_once_in_order(one_job: list[str]) -> None:
    assert [json.loads(r)["id"] for r in one_job] == [p.id for p in PAPERS]
    assert sum(len(json.loads(r)["entities"]) for r in one_job) > len(PAPERS)


def test_two_jobs_give_byte_identical_output(one_job: list[str]) -> None:
    assert records(list(extract_stream(PAPERS, replace(FAST, jobs=2)))) == one_job


def test_dask_cluster_at_a_scheduler_address_gives_byte_identical_output(
    one_job: list[str],
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        dask = replace(FAST, engine="dask", scheduler=cluster.scheduler_address)
        assert records(list(extract_stream(PAPERS, dask))) == one_job


def test_unknown_engine_is_a_clear_error() -> None:
    from kg.errors import KgError

    with pytest.raises(KgError, match="unknown engine 'spark'"):
        list(extract_stream(PAPERS[:1], replace(FAST, engine="spark")))


def test_cache_reextracts_only_new_or_edited_papers(
    tmp_path: Path, one_job: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    extracted: list[str] = []
    real = engine_run.extract_batch

    def counting(papers: list[Paper], fast: bool = False) -> list[Extraction]:
        extracted.extend(p.id for p in papers)
        return real(papers, fast)

    monkeypatch.setattr(engine_run, "extract_batch", counting)
    cached = replace(FAST, cache=tmp_path / "cache")
    assert records(list(extract_stream(PAPERS, cached))) == one_job
    assert len(extracted) == len(PAPERS)

    extracted.clear()
    edited = PAPERS[5]
    changed = [
        *PAPERS[:5],
        replace(edited, abstract=edited.abstract + " We use BLEU."),
        *PAPERS[6:],
    ]
    new = Paper(id="new.1", title="A new paper", abstract="We evaluate on CIFAR-10.")
    again = records(list(extract_stream([*changed, new], cached)))
    assert extracted == [edited.id, "new.1"]
    assert again[:5] == one_job[:5] and again[6:-1] == one_job[6:]
    assert json.loads(again[5])["abstract"].endswith("We use BLEU.")


def test_cache_keys_on_content_and_extractor_mode(tmp_path: Path) -> None:
    paper = PAPERS[0]
    fresh = list(extract_stream([paper], FAST))
    cache = ExtractionCache(tmp_path, fast=True)
    cache.put(fresh)
    hit = cache.get([paper, replace(paper, id="other-id", listings=[])])
    assert [x is not None for x in hit] == [True, True]  # ids and listings are not content
    assert hit[1] is not None and hit[1].paper.id == "other-id"
    assert records([hit[0]]) == records(fresh)  # type: ignore[list-item]
    assert cache.get([replace(paper, title=paper.title + "!")]) == [None]
    assert ExtractionCache(tmp_path, fast=False).get([paper]) == [None]
    cache.close()


def test_fingerprint_follows_the_code_and_the_model_only_when_it_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.extract

    root = tmp_path / "extract"
    (root / "model" / "ner").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "model" / "ner" / "weights").write_bytes(b"0")
    monkeypatch.setattr(kg.extract, "__file__", str(root / "__init__.py"))
    fingerprint = extractor_fingerprint.__wrapped__

    def both() -> tuple[bytes, bytes]:
        return fingerprint(True), fingerprint(False)

    fast, full = both()
    (root / "model" / "ner" / "weights").write_bytes(b"1")  # a new model
    assert both()[0] == fast and both()[1] != full
    (root / "__init__.py").write_text("# changed rules")
    assert both()[0] != fast


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_kg_build_jobs_2_writes_the_same_files_as_jobs_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import INPUTS

    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "build",
                str(INPUTS),
                "-o",
                str(out),
                "-q",
                "--fast",
                "-j",
                jobs,
            ],
            check=True,
        )
        outs.append(_files(out))
    assert len(outs[0]) > 10 and outs[0] == outs[1]


def test_scheduler_needs_the_dask_engine() -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["build", "x", "--scheduler", "tcp://h:8786"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.output


def where(extractions: list[Extraction]) -> tuple[int, list[str]]:
    return os.getpid(), [x.paper.id for x in extractions]


def test_extract_batches_runs_then_where_the_batch_was_extracted(tmp_path: Path) -> None:
    ids = [p.id for p in PAPERS]
    pooled = list(extract_batches(PAPERS, replace(FAST, jobs=2), where))
    assert [i for _, batch in pooled for i in batch] == ids
    assert os.getpid() not in {pid for pid, _ in pooled}
    cached = list(extract_batches(PAPERS, replace(FAST, jobs=2, cache=tmp_path), where))
    assert [i for _, batch in cached for i in batch] == ids
    assert {pid for pid, _ in cached} == {os.getpid()}  # the cache hands extractions here


# Extracts synthetic papers with the cyclic collector off, then prints the types of what
# only it could free. (In a process of its own: threads left by other tests, Dask's for one,
# make garbage of their own.)
CYCLES = """
import gc, json, sys
import kg.engine.run as engine_run
from kg.synth import synthetic_papers
fast = sys.argv[1] == "fast"
papers = [p for i, p in enumerate(synthetic_papers(420)) if i % 10 == 3]
engine_run.extract_batch(papers[:3], fast)
gc.collect()
gc.disable()
gc.set_debug(gc.DEBUG_SAVEALL)
extractions = engine_run.extract_batch(papers, fast)
gc.collect()
print(json.dumps([len(extractions), sorted({type(o).__qualname__ for o in gc.garbage})]))
"""


@pytest.mark.parametrize("mode", ["fast", "model"])
def test_extraction_leaves_no_reference_cycles(mode: str) -> None:
    """What lets the engine pause the cyclic garbage collector during a batch: reference
    counting frees everything extraction allocates."""
    out = subprocess.run(
        [sys.executable, "-c", CYCLES, mode], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.splitlines()[-1]) == [len(PAPERS), []]


def test_the_cyclic_collector_is_paused_only_during_a_batch() -> None:
    seen: list[bool] = []

    def then(extractions: list[Extraction]) -> int:
        seen.append(gc.isenabled())
        return len(extractions)

    assert gc.isenabled()
    assert engine_run._extract_then(PAPERS[:2], True, then) == 2
    assert seen == [False] and gc.isenabled()
