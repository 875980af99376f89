"""Each extractor on real sentences from the seed abstracts."""

from __future__ import annotations

import pytest

from kg.api import KnowledgeGraph
from kg.extract import extract_paper, load_nlp
from kg.extract.abbreviations import find_abbreviations
from kg.extract.links import find_links
from kg.extract.naming import singular
from kg.extract.numbers import find_numbers
from kg.model import Extraction, Paper
from kg.resolve import resolve
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
            surface = text[m.evidence.start : m.evidence.end]
            if m.evidence.extractor == "rules:coordination":
                # "training, validation and test accuracy" -> "validation accuracy"
                assert surface.startswith(m.text.split()[0])
                assert singular(surface.split()[-1]) == m.text.split()[-1]
            elif m.evidence.extractor == "rules:derived":
                assert surface in {r.text for r in x.results}  # "20x faster" -> speedup
            else:
                assert surface == m.text
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
        ("(https://huggingface.co/datasets/zixianma/mnms)", [], []),  # a dataset link
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
    title = [(m.text, m.proposed) for m in x.mentions if m.evidence.field == "title"]
    assert ("S$^3$c-Math", True) in title  # the statistical model may add a task here
    assert [m.text for m in x.mentions if m.proposed] == ["S$^3$c-Math"]
    assert {m.text for m in x.mentions if m.type == "Dataset"} == {"GSM8K", "MATH"}


# Hard cases from the seed abstracts, through the rules-only pipeline (deterministic).


def rules(title: str, abstract: str) -> Extraction:
    """One paper through the rules-only pipeline and the resolve stage (canonical names)."""
    paper = Paper(id="x", title=title, abstract=abstract)
    return resolve([extract_paper(paper, load_nlp(model=False))]).extractions[0]


def tuples(x: Extraction) -> set[tuple[object, ...]]:
    return {(r.subject, r.dataset, r.metric, r.value, r.unit) for r in x.results}


def test_respectively_maps_values_to_datasets_in_order() -> None:
    x = rules(
        "Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of LLMs",
        "Notably, Step-DPO, when applied to Qwen2-72B-Instruct, achieves scores of 70.8% and "
        "94.0% on the test sets of MATH and GSM8K, respectively, surpassing a series of "
        "closed-source models, including GPT-4-1106, Claude-3-Opus, and Gemini-1.5-Pro.",
    )
    assert {("Step-DPO", "MATH", 70.8), ("Step-DPO", "GSM8K", 94.0)} == {
        (r.subject, r.dataset, r.value) for r in x.results
    }
    assert ("Step-DPO", "GPT-4-1106") in x.comparisons


def test_more_datasets_than_values_respectively_takes_the_first() -> None:
    x = rules(
        "Process Reward Models That Think",
        "In an out-of-domain evaluation on a subset of GPQA-Diamond and LiveCodeBench, our PRM "
        "surpasses discriminative verifiers trained on the full PRM800K by 8% and 4.5%, "
        "respectively.",
    )
    assert {(r.dataset, r.value) for r in x.results} == {
        ("GPQA-Diamond", 8.0),
        ("LiveCodeBench", 4.5),
    }


def test_improvement_from_a_to_b_gives_baseline_and_new_value() -> None:
    x = rules(
        "Learning Few-Step Diffusion Models by Trajectory Distribution Matching",
        "We propose Trajectory Distribution Matching (TDM). Notably, TDM can outperform its "
        "teacher model (CogVideoX-2B) by using only 4 NFE on VBench, improving the total score "
        "from 80.91 to 81.65.",
    )
    found = {(r.dataset, r.metric, r.value) for r in x.results}
    assert found == {("VBench", "total score", 80.91), ("VBench", "total score", 81.65)}
    assert (4.0, "NFE") in {(q.value, q.unit) for q in x.quantities}  # a setting, not a result
    subjects = {r.value: r.subject for r in x.results}
    assert subjects[81.65] == "Trajectory Distribution Matching"
    assert subjects[80.91] == "CogVideoX-2B"


def test_from_to_baseline_takes_the_dataset_named_after_the_new_value() -> None:
    x = rules(
        "Learning Math Reasoning from Self-Sampled Correct and Partially-Correct Solutions",
        "We improve PASS@100 from 35.5% to 44.5% for GSM8K, and 27.6% to 36.2% PASS@80 for MathQA.",
    )
    assert {(r.dataset, r.value) for r in x.results} == {
        ("GSM8K", 35.5),
        ("GSM8K", 44.5),
        ("MathQA", 27.6),
        ("MathQA", 36.2),
    }


def test_dataset_named_after_the_value_wins_over_the_previous_one() -> None:
    x = rules(
        "Prompt Engineering a Prompt Engineer",
        'Our final method, named PE2, finds a prompt that outperforms "let\'s think step by step" '
        "by 6.3% on the MultiArith dataset and 3.1% on the GSM8K dataset.",
    )
    assert tuples(x) == {("PE2", "MultiArith", None, 6.3, "%"), ("PE2", "GSM8K", None, 3.1, "%")}


def test_ranges_give_both_ends() -> None:
    x = rules(
        "KV Prediction for Improved Time to First Token",
        "On TriviaQA, we demonstrate relative accuracy improvements in the range of 15%-50% "
        "across a range of TTFT FLOPs budgets.",
    )
    assert {(r.dataset, r.metric, r.value, r.unit) for r in x.results} == {
        ("TriviaQA", "accuracy", 15.0, "%"),
        ("TriviaQA", "accuracy", 50.0, "%"),
    }


def test_speedups_and_ratios_with_latex_times() -> None:
    x = rules(
        "Distilled Decoding 1: One-step Sampling of Image Auto-regressive Models with Flow Matching",
        "To address this, we propose Distilled Decoding (DD). For LlamaGen, DD reduces generation "
        "from 256 steps to 1, achieving an 217.8times speed-up with a comparable FID increase "
        "from 4.11 to 11.35. In both cases, baseline methods completely fail with FID>100.",
    )
    found = tuples(x)
    assert ("Distilled Decoding", None, "speedup", 217.8, "x") in found
    assert ("LlamaGen", None, "FID", 4.11, None) in found
    assert ("Distilled Decoding", None, "FID", 11.35, None) in found
    assert (None, None, "FID", 100.0, None) in {
        (None, r.dataset, r.metric, r.value, r.unit) for r in x.results
    }
    assert {r.value for r in x.results}.isdisjoint({256.0, 1.0})  # step counts are settings
    assert ("Distilled Decoding", "DD") in {(a.long, a.short) for a in x.abbreviations}


def test_measured_costs_are_results_sizes_are_quantities() -> None:
    x = rules(
        "InstaFlow: One Step is Enough for High-Quality Diffusion-Based Text-to-Image Generation",
        "By utilizing an expanded network with 1.7B parameters, we further improve the FID to "
        "22.4. Notably, the training of InstaFlow only costs 199 A100 GPU days.",
    )
    assert {(r.metric, r.value) for r in x.results} == {("FID", 22.4), ("training cost", 199.0)}
    assert (1.7, "B") in {(q.value, q.unit) for q in x.quantities}


def test_dataset_split_and_metric_variant_names() -> None:
    x = rules(
        "HiPA: Enabling One-Step Text-to-Image Diffusion Models",
        "HiPA achieves much better performance (37.3 rightarrow 23.8 in FID-5k on MS COCO "
        "2017-5k) and 28.6x training speed-up.",
    )
    assert {m.text for m in x.mentions if m.type == "Dataset"} == {"MS COCO 2017-5k"}
    assert {m.text for m in x.mentions if m.type == "Metric"} == {"FID-5k", "speed-up"}
    assert ("HiPA", None, "speedup", 28.6, "x") in tuples(x)


def test_metrics_named_by_result_statements() -> None:
    x = rules(
        "MM-RLHF: The Next Step Forward in Multimodal LLM Alignment",
        "Fine-tuning LLaVA-ov-7B with MM-RLHF leads to a 19.5% increase in conversational "
        "abilities and a 60% improvement in safety.",
    )
    assert {(r.metric, r.value) for r in x.results} == {
        ("conversational ability", 19.5),  # (canonical names are singular)
        ("safety", 60.0),
    }


@pytest.mark.parametrize(
    ("abstract", "name"),
    [
        (
            "Step-Video-T2V's performance is evaluated on a novel video generation benchmark, "
            "Step-Video-T2V-Eval, demonstrating its quality.",
            "Step-Video-T2V-Eval",
        ),
        (
            "We introduce Distilling step-by-step, a new mechanism that trains smaller models.",
            "Distilling step-by-step",
        ),
        (
            "We propose Dynamic Reward Scaling, a method that adjusts the loss weight.",
            "Dynamic Reward Scaling",
        ),
        (
            "We propose clustering-based diversity search. It preserves structural variety.",
            "clustering-based diversity search",
        ),
        (
            "We introduce a step-by-step reasoning-based black-box attack, Sleek, that exposes failures.",
            "Sleek",
        ),
        (
            "We generalize it using a novel f-divergence minimization framework, termed f-distill, that covers divergences.",
            "f-distill",
        ),
    ],
)
def test_proposed_names_from_cues_and_appositions(abstract: str, name: str) -> None:
    x = rules("A paper", abstract)
    assert name in {m.text for m in x.mentions if m.proposed}


def test_latex_name_and_derived_names_are_proposed() -> None:
    x = rules(
        "Step-Audio: Unified Understanding and Generation in Intelligent Speech Interaction",
        "We present Step-Audio, with the Step-Audio-Chat version open-sourced and the "
        "Step-Audio-TTS-3B model through distillation. It beats GPT-4o.",
    )
    assert {m.text for m in x.mentions if m.proposed} == {
        "Step-Audio",
        "Step-Audio-Chat",
        "Step-Audio-TTS-3B",
    }


def test_generic_families_are_not_entities() -> None:
    x = rules(
        "Tackling the Generative Learning Trilemma with Denoising Diffusion GANs",
        "Unlike generative adversarial networks (GANs) and Transformers, our model is fast.",
    )
    assert not [m for m in x.mentions if m.type == "Method"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("(code:https://github.com/a/b), and more", ["https://github.com/a/b"]),
        ("at https://github.com/a/b.git; see", ["https://github.com/a/b"]),
        ("Code: \\url{https://github.com/a/b}.", ["https://github.com/a/b"]),
    ],
)
def test_urls_glued_to_punctuation(text: str, code: list[str]) -> None:
    assert [link.url for link in find_links(text, "abstract", lambda s, e: text)] == code


def test_title_clause_before_colon_proposes_only_the_name() -> None:
    """Seed title "Step-3 is Large yet Affordable: ...": the name is Step-3, not the clause."""
    paper = Paper(
        id="x",
        title="Step-3 is Large yet Affordable: Model-system Co-design for Cost-effective Decoding",
        abstract="This paper introduces Step-3, a 321B-parameter VLM.",
    )
    x = extract_paper(paper)
    assert {m.text for m in x.mentions if m.proposed} == {"Step-3"}


def changes(abstract: str) -> dict[float, bool]:
    """Each result's value -> whether it was marked a change (``delta``)."""
    return {r.value: r.delta for r in rules("A Paper", abstract).results}


def test_gains_and_reductions_are_changes_levels_are_not() -> None:
    assert changes(
        "Our PRM surpasses discriminative verifiers trained on the full PRM800K by 8% and "
        "4.5%, respectively, and reaches 81.2% accuracy on GSM8K."
    ) == {8.0: True, 4.5: True, 81.2: False}
    assert changes(
        "With MM-RLHF our alignment algorithm leads to a 19.5% increase in conversational "
        "abilities and a 60% improvement in safety."
    ) == {19.5: True, 60.0: True}
    assert changes(
        "DeiT-T with MCTF reduce FLOPs by about 44% while improving the performance (+0.5%) "
        "over the base model."
    ) == {44.0: True, 0.5: True}


def test_a_change_listed_after_another_and_both_ends_of_a_range_are_changes() -> None:
    assert changes(
        'We find a prompt that outperforms "let\'s think step by step" by 6.3% on the '
        "MultiArith dataset and 3.1% on the GSM8K dataset."
    ) == {6.3: True, 3.1: True}
    assert changes("ReCUT reduces reasoning lengths by approximately 30-50% on MATH.") == {
        30.0: True,
        50.0: True,
    }


def test_improvements_from_a_to_b_and_speedups_are_not_changes() -> None:
    assert changes(
        "TDM improves the total score from 80.91 to 81.65 on VBench and is 20x faster."
    ) == {80.91: False, 81.65: False, 20.0: False}


@pytest.mark.parametrize(
    "abstract",
    [
        "By shedding light on these mechanisms, this study offers valuable guidance for "
        "developing more efficient models.",
        "We propose a framework to search for adversarial latent codes within the manifold.",
        "This work introduces a unifying analytical framework using Markov Categories (MCs) "
        "to deconstruct the generation process.",
        "We introduce a Diffusion GAN-based adversarial loss applied to the uniform scheme.",
        "We split the task into two easier tasks, namely text-to-image generation and "
        "image-to-video generation.",
    ],
)
def test_cues_that_do_not_introduce_a_name(abstract: str) -> None:
    x = rules("A Study of Generative Models", abstract)
    assert not [m.text for m in x.mentions if m.proposed]


def test_latex_non_breaking_space_before_an_acronym() -> None:
    x = rules(
        "Fast Sampling of Diffusion Models",
        "We propose a sampler that works when the number of score function evaluation~(NFE) "
        "is limited, e.g., in Table~1.",
    )
    assert ("NFE", "number of score function evaluation") in {
        (a.short, a.long) for a in x.abbreviations
    }
    assert not [m.text for m in x.mentions if "~" in m.text or "(" in m.text]


def test_fast_scans_find_what_the_plain_scans_find() -> None:
    """The scans that try a pattern only where its start words occur (``WordPattern`` with
    ``starts``; ``CaselessPattern.in_span`` per sentence) and the URL scan from its markers
    give exactly the matches of the plain regex scans, on every seed text and hard cases;
    so do sentence breaks, tried only at ``. ! ?``."""

    from kg.extract import metriccontext, proposing, results
    from kg.extract.components import SENTENCE_BREAK, sentence_breaks
    from kg.extract.links import URL, url_matches
    from kg.extract.scan import word_matches
    from kg.extract.sentences import sentences
    from kg.ingest import read_paths
    from tests.conftest import SEEDS

    papers, _ = read_paths([SEEDS])
    texts = [t for p in papers for t in (p.title, p.abstract)] + [
        "Here we present X, named Y; namely Z. Renamed W. our new V dubbed U, termed T.",
        "It outperforms and beats A; better than B. Exceeding C, surpassing D.",
        "improves accuracy by 3%; an increase in FID; cutting costs from 5 to 2; raising it.",
        "see https://github.com/a/b, www.x.org and HTTPS://GitHub.com/C/D.; xgithub.com/e/f",
        'Ends here.. "Quoted!") Next? (yes.) 3.5 vs. 4. A.\nB',
    ]
    nlp = load_nlp(model=False)
    cased = [*metriccontext.WORD_PATTERNS]
    caseless = [proposing.CUE, proposing.APPOSITION, results.COMPARE]
    for text in texts:
        for pattern in cased:
            spans = [m.span() for m in pattern.finditer(text)]
            assert spans == [m.span() for m in word_matches(pattern.regex, text)]
        assert [m.span() for m in url_matches(text)] == [m.span() for m in URL.finditer(text)]
        breaks = [m.span() for m in sentence_breaks(text)]
        assert breaks == [m.span() for m in SENTENCE_BREAK.finditer(text)]
        doc = nlp(text)
        for sent in sentences(doc):
            piece = text[sent.start_char : sent.end_char]
            for caseless_pattern in caseless:
                found = caseless_pattern.in_span(doc, sent.start_char, sent.end_char)
                plain = caseless_pattern.anycase.finditer(piece)  # the pattern as written, re.I
                assert [m.span() for m in found] == [m.span() for m in plain]


def test_blas_runs_one_thread_while_papers_are_extracted() -> None:
    """The NER multiplies with numpy's BLAS; while extract_papers runs, BLAS keeps to one
    thread (per-core work: --jobs adds processes), and the setting is restored after."""
    from threadpoolctl import threadpool_info

    from kg.extract import extract_papers

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    papers = [
        Paper(id=f"p{i}", title=f"Paper {i}", abstract="We evaluate on COCO.") for i in range(3)
    ]
    before = blas_threads()
    stream = extract_papers(papers, load_nlp(model=False))
    next(stream)
    assert blas_threads() <= {1}
    list(stream)
    assert blas_threads() == before


@pytest.mark.parametrize(
    ("text", "label", "kept"),
    [
        ("GSM8K", "DATASET", True),
        ("3D-VAE", "METHOD", True),
        ("success rate", "METRIC", True),
        ("1B", "DATASET", False),  # a size
        ("32.8\\%", "DATASET", False),  # a LaTeX percentage
        ("4K", "METHOD", False),
        ("learning rate", "METRIC", False),  # a setting, not a measure
        ("the proposed framework", "METHOD", False),
    ],
)
def test_model_guesses_kept_only_when_they_name_something(
    text: str, label: str, kept: bool
) -> None:
    from kg.extract.modelfilter import keep_model_entity

    assert keep_model_entity(text, label) is kept
