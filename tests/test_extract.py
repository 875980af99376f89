"""Each extractor on real sentences from the seed abstracts."""

from __future__ import annotations

import pytest

from kg.api import KnowledgeGraph
from kg.extract import extract_paper, load_nlp
from kg.extract.abbreviations import find_abbreviations
from kg.extract.links import find_links
from kg.extract.numbers import find_numbers
from kg.model import Paper
from tests.conftest import paper_by_title


def results_of(graph: KnowledgeGraph, prefix: str) -> set[tuple[object, ...]]:
    x = paper_by_title(graph, prefix)
    return {(r.subject, r.dataset, r.metric, r.value, r.unit) for r in x.results}


def test_step_dpo_results_respectively(seed_graph: KnowledgeGraph) -> None:
    found = results_of(seed_graph, "Step-DPO")
    assert ("Step-DPO", "MATH", None, 70.8, "%") in found
    assert ("Step-DPO", "GSM8K", None, 94.0, "%") in found


def test_score_implicit_matching_fid_on_cifar10(seed_graph: KnowledgeGraph) -> None:
    found = results_of(seed_graph, "One-Step Diffusion Distillation through Score Implicit")
    assert ("Score Implicit Matching", "CIFAR-10", "FID", 2.06, None) in found
    assert ("Score Implicit Matching", "CIFAR-10", "FID", 1.96, None) in found
    # "outperforming ... SDXL-TURBO of 5.33": the baseline's own number.
    assert ("SDXL-Turbo", None, "aesthetic score", 5.33, None) in found
    x = paper_by_title(seed_graph, "One-Step Diffusion Distillation through Score Implicit")
    r = next(r for r in x.results if r.value == 2.06)
    assert x.paper.abstract[r.evidence.start : r.evidence.end] == "2.06"
    assert r.evidence.sentence.startswith("SIM shows strong empirical performances")


def test_outperforms_baselines(seed_graph: KnowledgeGraph) -> None:
    x = paper_by_title(seed_graph, "Step-DPO")
    assert ("Step-DPO", "GPT-4-1106") in x.comparisons
    assert ("Step-DPO", "Gemini-1.5-Pro") in x.comparisons


def test_quantities_model_size_and_frames(seed_graph: KnowledgeGraph) -> None:
    x = paper_by_title(seed_graph, "Step-Video-T2V Technical Report")
    found = {(q.value, q.unit, q.what) for q in x.quantities}
    assert (30.0, "B", "parameters") in found
    assert (204.0, "frames", "frames") in found
    assert not x.results  # model sizes are not results


def test_proposed_versus_used(seed_graph: KnowledgeGraph) -> None:
    x = paper_by_title(seed_graph, "Step-DPO")
    proposed = {m.name for m in x.mentions if m.proposed}
    used = {m.name for m in x.mentions if not m.proposed}
    assert proposed == {"Step-DPO"}
    assert {"DPO", "GPT-4", "Qwen2-72B-Instruct"} <= used
    sim = paper_by_title(seed_graph, "One-Step Diffusion Distillation through Score Implicit")
    assert {m.name for m in sim.mentions if m.proposed} == {"Score Implicit Matching"}


def test_mentions_keep_evidence_offsets(seed_graph: KnowledgeGraph) -> None:
    for x in seed_graph.corpus.extractions:
        for m in x.mentions:
            text = x.paper.text(m.evidence.field)
            assert text[m.evidence.start : m.evidence.end] == m.text
            assert m.evidence.sentence in text


def test_code_urls_from_seed(seed_graph: KnowledgeGraph) -> None:
    x = paper_by_title(seed_graph, "Step-DPO")
    assert x.code_urls == ["https://github.com/dvlab-research/Step-DPO"]
    video = paper_by_title(seed_graph, "Step-Video-T2V Technical Report")
    assert video.project_urls == ["https://yuewen.cn/videos"]


@pytest.mark.parametrize(
    ("text", "code", "project"),
    [
        (
            "available at https://github.com/dvlab-research/Step-DPO.",
            ["https://github.com/dvlab-research/Step-DPO"],
            [],
        ),
        ("data (https://github.com/RAIVNLab/mnms).", ["https://github.com/RAIVNLab/mnms"], []),
        ("at [https://github.com/GitsSaikat/Pygen]", ["https://github.com/GitsSaikat/Pygen"], []),
        (
            "code: https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}.",
            ["https://github.com/masa-ue/SVDD"],
            [],
        ),
        (
            r"leaderboard \url{https://eval.ai/web/challenges/challenge-page/2082.}",
            [],
            ["https://eval.ai/web/challenges/challenge-page/2082"],
        ),
        (
            "(https://huggingface.co/datasets/zixianma/mnms)",
            ["https://huggingface.co/datasets/zixianma/mnms"],
            [],
        ),
        (
            "page:~https://github.com/gnobitab/InstaFlow.",
            ["https://github.com/gnobitab/InstaFlow"],
            [],
        ),
        ("see https://ace-step.github.io/.", [], ["https://ace-step.github.io"]),
        (
            "repo https://github.com/CIAM-Group/NCO_code/tree/main/single_objective/UDC-Large-scale-CO-master.",
            [
                "https://github.com/CIAM-Group/NCO_code/tree/main/single_objective/UDC-Large-scale-CO-master"
            ],
            [],
        ),
        ("paper https://arxiv.org/abs/2406.18629 only", [], []),
    ],
)
def test_url_cleaning(text: str, code: list[str], project: list[str]) -> None:
    links = find_links(text, "abstract", lambda s, e: text)
    assert [link.url for link in links if link.kind == "code"] == code
    assert [link.url for link in links if link.kind == "project"] == project
    for link in links:
        assert link.evidence is not None
        raw = text[link.evidence.start : link.evidence.end]
        assert link.url.endswith(raw.split("//")[-1].rstrip("/"))


def test_numbers_with_units() -> None:
    found = [
        (n.value, n.unit)
        for n in find_numbers(
            "30B parameters, 204 frames, 70.8% and 94.0%, 20x faster, 1,000 samples, GPT-4 and Llama-3-8B"
        )
    ]
    assert found == [
        (30.0, "B"),
        (204.0, "frames"),
        (70.8, "%"),
        (94.0, "%"),
        (20.0, "x"),
        (1000.0, "samples"),
    ]


def test_acronym_definitions() -> None:
    text = (
        "However, Direct Preference Optimization (DPO) has shown limited benefits. "
        "We present Score Implicit Matching (SIM) a new approach."
    )
    pairs = [(text[a:b], text[c:d]) for a, b, c, d in find_abbreviations(text)]
    assert pairs == [("Direct Preference Optimization", "DPO"), ("Score Implicit Matching", "SIM")]


def test_curated_names_must_be_whole_words() -> None:
    doc = load_nlp()("We propose a method called Step-DPO and compare it with DPO.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Step-DPO", "METHOD"), ("DPO", "METHOD")]


def test_title_name_before_colon_is_proposed() -> None:
    paper = Paper(
        id="x",
        title="S$^3$c-Math: Spontaneous Step-level Self-correction",
        abstract="We evaluate on GSM8K and MATH.",
    )
    x = extract_paper(paper)
    assert [(m.text, m.proposed) for m in x.mentions if m.evidence.field == "title"] == [
        ("S$^3$c-Math", True)
    ]
    assert {m.text for m in x.mentions if m.type == "Dataset"} == {"GSM8K", "MATH"}
