"""Normalising names and merging entities across papers."""

from __future__ import annotations

from kg.api import KnowledgeGraph
from kg.extract import extract_papers
from kg.model import Paper
from kg.resolve import name_key, resolve


def test_spelling_variants_share_a_key() -> None:
    assert name_key("CIFAR10") == name_key("CIFAR-10") == name_key("cifar 10")
    assert name_key("GSM8K") == name_key("GSM-8K")
    assert name_key("ImageNet-64x64") == name_key("ImageNet 64×64") == name_key("ImageNet 64x64")
    assert name_key("ImageNet 64x64") != name_key("ImageNet 256x256")


def _corpus(*abstracts: str):  # type: ignore[no-untyped-def]
    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract=a) for i, a in enumerate(abstracts)]
    return resolve(extract_papers(papers))


def test_variants_merge_across_papers_and_keep_aliases() -> None:
    corpus = _corpus(
        "We report FID on CIFAR10.",
        "Results on CIFAR-10 and ImageNet 64x64.",
        "We train on ImageNet-64x64 and ImageNet 256x256.",
    )
    datasets = {e.name: e for e in corpus.entities.values() if e.type == "Dataset"}
    assert set(datasets) == {"CIFAR-10", "ImageNet 64x64", "ImageNet 256x256"}
    assert datasets["CIFAR-10"].papers == ["p0", "p1"]
    assert "CIFAR10" in datasets["CIFAR-10"].aliases
    assert datasets["ImageNet 64x64"].papers == ["p1", "p2"]


def test_math_benchmark_is_not_the_word_math() -> None:
    corpus = _corpus("We improve accuracy on MATH and GSM8K.", "A math tutor for students.")
    names = {(e.type, e.name) for e in corpus.entities.values()}
    assert ("Dataset", "MATH") in names
    assert all(e.papers == ["p0"] for e in corpus.entities.values() if e.name == "MATH")


def test_acronym_and_long_form_become_one_entity() -> None:
    corpus = _corpus(
        "However, Direct Preference Optimization (DPO) has shown limited benefits.",
        "We fine-tune with DPO on preference pairs.",
    )
    methods = [e for e in corpus.entities.values() if e.type == "Method"]
    assert len(methods) == 1
    assert methods[0].name == "DPO"
    assert "Direct Preference Optimization" in methods[0].aliases
    assert methods[0].papers == ["p0", "p1"]


def test_unseen_acronym_takes_its_long_form_as_name(seed_graph: KnowledgeGraph) -> None:
    sim = next(
        e for e in seed_graph.corpus.entities.values() if e.name == "Score Implicit Matching"
    )
    assert sim.type == "Method"
    assert "SIM" in sim.aliases


def test_results_use_canonical_names(seed_graph: KnowledgeGraph) -> None:
    names = {(e.type, e.name) for e in seed_graph.corpus.entities.values()}
    for x in seed_graph.corpus.extractions:
        for r in x.results:
            if r.dataset:
                assert ("Dataset", r.dataset) in names
            if r.metric:
                assert ("Metric", r.metric) in names


def test_splits_and_resolutions_stay_apart_spellings_merge() -> None:
    corpus = _corpus(
        "FID of 23.3 on MS COCO 2017-5k and 13.1 on MS COCO 2014-30k.",
        "We evaluate on GSM-8K and ImageNet-256.",
        "Scores on GSM8K and ImageNet 256x256 and ImageNet 512x512.",
    )
    datasets = {e.name: e for e in corpus.entities.values() if e.type == "Dataset"}
    assert {"MS COCO 2017-5k", "MS COCO 2014-30k"} <= set(datasets)
    assert datasets["GSM8K"].papers == ["p1", "p2"]
    assert datasets["ImageNet 256x256"].papers == ["p1", "p2"]
    assert datasets["ImageNet 512x512"].papers == ["p2"]


def test_latex_spelling_of_a_coined_name_is_one_entity() -> None:
    paper = Paper(
        id="p0",
        title="S$^3$c-Math: Spontaneous Step-level Self-correction",
        abstract="We show that S^3c-Math improves accuracy on GSM8K and MATH.",
    )
    corpus = resolve(extract_papers([paper]))
    coined = [e for e in corpus.entities.values() if "S^3c-Math" in (e.name, *e.aliases)]
    assert len(coined) == 1 and {"S$^3$c-Math", "S^3c-Math"} <= {coined[0].name, *coined[0].aliases}


def test_percentages_and_proportions_keep_their_scale() -> None:
    corpus = _corpus("SANA-Sprint reaches 0.74 GenEval and 70.8% accuracy on MATH.")
    found = {(r.metric, r.value, r.unit) for r in corpus.extractions[0].results}
    assert found == {("GenEval", 0.74, None), ("accuracy", 70.8, "%")}
