"""The synthetic corpus: deterministic, varied, unique, readable by the jsonl reader."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest

from kg.ingest import read_paths
from kg.synth import SHARED_DATA, real_papers, synthetic_papers, write_jsonl

SEEDS = 183


def test_same_arguments_same_papers_and_paper_i_does_not_depend_on_n() -> None:
    small = list(synthetic_papers(400))
    assert small == list(synthetic_papers(400))
    assert small[250:] == list(synthetic_papers(1000))[250:400]
    assert small != list(synthetic_papers(400, seed=1))


def test_ids_and_titles_are_unique_so_nothing_is_merged(tmp_path: Path) -> None:
    path = write_jsonl(2 * SEEDS + 10, tmp_path / "synth.jsonl")
    papers, listings = read_paths([path])
    assert listings == len(papers) == 2 * SEEDS + 10
    assert len({p.id for p in papers}) == len(papers)


def test_generations_vary_coined_names_numbers_and_authors() -> None:
    papers = list(synthetic_papers(3 * SEEDS))
    coined = [
        [papers[g * SEEDS + i].title.split(":")[0] for g in range(3)]
        for i in range(SEEDS)
        if ":" in papers[i].title and len(papers[i].title.split(":")[0].split()) <= 3
    ]
    assert len(coined) > 20
    assert all(len(set(names)) == 3 for names in coined)  # a new name per generation
    number = re.compile(r"\d+\.\d+")
    with_numbers = [i for i in range(SEEDS) if number.search(papers[i].abstract)]
    assert with_numbers
    changed = [
        i
        for i in with_numbers
        if number.findall(papers[i].abstract) != number.findall(papers[SEEDS + i].abstract)
    ]
    assert len(changed) > 0.8 * len(with_numbers)
    assert len({tuple(p.authors) for p in papers[SEEDS:]}) > SEEDS


def test_large_corpora_are_generated_lazily() -> None:
    million = synthetic_papers(1_000_000)
    assert [p.id for p in islice(million, 3)] == ["synth.0000000", "synth.0000001", "synth.0000002"]


@pytest.mark.skipif(not (SHARED_DATA / "scierc").is_dir(), reason="shared corpora absent")
def test_real_abstracts_workload() -> None:
    papers = list(real_papers())
    assert len(papers) > 500
    assert all(p.title and p.abstract for p in papers)
    assert len({p.id for p in papers}) == len(papers)
