"""The mechanisms that find what no curated list holds, each pinned on made-up sentences
(invented names, so that no list can know them): acronym definitions, typing by form and
context, compound and coordinated metrics, cost measures, named components, and tying a
number to its own clause."""

from __future__ import annotations

from functools import cache

from spacy.language import Language

from kg.extract import extract_paper, load_nlp
from kg.model import Extraction, Paper
from kg.resolve import resolve


@cache
def nlp() -> Language:
    return load_nlp(model=False)


def extract(abstract: str, title: str = "A paper") -> Extraction:
    x = extract_paper(Paper(id="x", title=title, abstract=abstract), nlp())
    resolve([x])
    return x


def names(x: Extraction, kind: str, proposed: bool | None = None) -> set[str]:
    return {
        m.text for m in x.mentions if m.type == kind and (proposed is None or m.proposed == proposed)
    }


def results(x: Extraction) -> set[tuple[str | None, str | None, str | None, float]]:
    return {(r.subject, r.dataset, r.metric, r.value) for r in x.results}


def test_a_defined_acronym_is_a_proposed_name_in_both_forms() -> None:
    x = extract("We propose Sparse Mixture Routing (SMR), a method that routes tokens. "
                "SMR needs no tuning.")
    assert names(x, "Method", proposed=True) == {"Sparse Mixture Routing", "SMR"}
    assert {m.name for m in x.mentions if m.text == "SMR"} == {"Sparse Mixture Routing"}


def test_a_used_acronym_pair_is_not_proposed() -> None:
    x = extract("We fine-tune the model using Quartic Gradient Folding (QGF) on ZorbSet.")
    assert names(x, "Method") >= {"Quartic Gradient Folding", "QGF"}
    assert names(x, "Method", proposed=True) == set()


def test_a_bracket_glued_to_a_name_ends_it() -> None:
    x = extract("We present FooNet(Foo Network) for segmentation.")
    assert "FooNet" in names(x, "Method")
    assert not any("(" in m.text for m in x.mentions)


def test_unknown_names_are_typed_by_their_form() -> None:
    x = extract("We evaluate on QuuxBench and ZorbEval, reaching 71.2 Recall@20 and a "
                "ZapScore of 3.5; the model uses Gated Flux Attention and a Spectral Sampler.")
    assert names(x, "Dataset") == {"QuuxBench", "ZorbEval"}
    assert names(x, "Metric") == {"Recall@20", "ZapScore"}
    assert names(x, "Method") == {"Gated Flux Attention", "Spectral Sampler"}


def test_plain_words_listed_as_evaluation_data_are_datasets() -> None:
    x = extract("Experiments on Foodle, Barkle and Bazzle show consistent gains.")
    assert names(x, "Dataset") == {"Foodle", "Barkle", "Bazzle"}
    models = extract("Experiments on Foodle and Barkle models show consistent gains.")
    assert names(models, "Dataset") == set()


def test_compound_and_coordinated_metrics() -> None:
    x = extract("It improves grounding accuracy by 2.1% and reaches training, validation "
                "and test accuracy of 90%, 85% and 80%, respectively.")
    assert names(x, "Metric") == {
        "grounding accuracy", "training accuracy", "validation accuracy", "test accuracy"
    }
    assert {(r.metric, r.value) for r in x.results} >= {
        ("training accuracy", 90.0), ("validation accuracy", 85.0), ("test accuracy", 80.0)
    }
    # Evaluative words are no part of the name: "high accuracy" is accuracy.
    assert names(extract("It keeps high accuracy at 91%."), "Metric") == {"accuracy"}


def test_cost_measures_a_number_is_reported_in_are_metrics() -> None:
    x = extract("QuuxNet reduces decoding latency by 40% and trains 20x faster than prior work.")
    assert names(x, "Metric") == {"decoding latency", "speedup"}
    assert ("QuuxNet", None, "speedup", 20.0) in results(x)
    # A cost measure no number is reported in is no metric.
    assert names(extract("Training cost is a concern for large models."), "Metric") == set()


def test_compound_tasks_expand_coordinated_objects() -> None:
    x = extract("We study music inpainting and DNA and RNA sequence generation.")
    assert names(x, "Task") == {
        "music inpainting", "DNA sequence generation", "RNA sequence generation"
    }


def test_named_components_after_a_proposing_cue_are_proposed() -> None:
    x = extract("We introduce two techniques, Flux Reweighting and Spectral Warmup, and "
                "evaluate them on ZorbSet-9K.")
    assert names(x, "Method", proposed=True) == {"Flux Reweighting", "Spectral Warmup"}
    assert names(x, "Dataset", proposed=False) == {"ZorbSet-9K"}


def test_names_after_a_used_word_are_not_proposed() -> None:
    x = extract("We propose QuuxNet, which outperforms ZorbNet and BlipNet on ZorbSet.")
    assert names(x, "Method", proposed=True) == {"QuuxNet"}
    assert names(x, "Method", proposed=False) == {"ZorbNet", "BlipNet"}


def test_a_coined_name_has_one_type_in_a_paper() -> None:
    x = extract("We present ZorbBench, a benchmark of 5,000 problems. Models reach 41.2% on "
                "ZorbBench.", title="ZorbBench: Measuring Zorbing")
    assert {m.type for m in x.mentions if m.text == "ZorbBench"} == {"Dataset"}
    assert names(x, "Dataset", proposed=True) == {"ZorbBench"}


def test_a_number_takes_the_dataset_its_own_clause_names() -> None:
    x = extract("We first test on Zorb-32. On the Quux-64 benchmark, QuuxNet reaches an FID "
                "of 1.02, while on Zorb-128 it reaches 2.3. It also reaches 4.5 FID.")
    assert results(x) == {
        ("QuuxNet", "Quux-64", "FID", 1.02),
        ("QuuxNet", "Zorb-128", "FID", 2.3),
        ("QuuxNet", None, "FID", 4.5),  # no dataset carried over from another sentence
    }


def test_plural_names_are_canonical_in_the_singular() -> None:
    x = extract("QuuxNet lowers reasoning lengths by 30%.")
    assert {m.name for m in x.mentions if m.type == "Metric"} == {"reasoning length"}


def test_a_number_belongs_to_the_method_its_clause_names() -> None:
    x = extract("We propose QuuxNet for zorbing. Among baselines, BlipNet achieves the highest "
                "accuracy (87.6%), and QuuxNet outperforms ZorbNet by 3.1%.")
    assert ("BlipNet", None, "accuracy", 87.6) in results(x)
    assert ("QuuxNet", None, "accuracy", 3.1) in results(x)  # a change is the winner's


def test_evaluation_lists_and_number_tags_name_metrics() -> None:
    x = extract("We report metrics including zorbness, MCC and Quux loss. A human evaluation "
                "of the outputs based on fluffiness, clarity, and blorbity shows gains; the "
                "model reaches a c-index of 0.82.")
    assert names(x, "Metric") >= {
        "zorbness", "MCC", "Quux loss", "fluffiness", "clarity", "blorbity", "c-index"
    }
    # One word after "metric" is no list: "the metric, and the results" names nothing.
    assert names(extract("We improve the metric, and the results show it."), "Metric") == set()


def test_latex_percent_signs_and_resolutions() -> None:
    x = extract(r"QuuxNet improves zorb accuracy by 10.6\%-29.3\% on ZorbSet, and it samples "
                r"ZorbSet 64 times 64 images.")
    assert {(r.value, r.unit) for r in x.results} == {(10.6, "%"), (29.3, "%")}


def test_latex_math_numbers_and_signed_values() -> None:
    x = extract(r"QuuxNet reaches \$41.6\%\$ zorb accuracy and is up to \$3.1\times\$ faster; "
                r"its scores correlate with human ratings (rho = -0.82), at \$10^{-3}\$ cost.")
    values = {(r.value, r.unit) for r in x.results}
    assert {(41.6, "%"), (3.1, "x"), (-0.82, None)} <= values
    assert 10.0 not in {r.value for r in x.results} | {q.value for q in x.quantities}


def test_data_contexts_type_unknown_names_as_datasets() -> None:
    x = extract("We study two interaction datasets (ZorbChat and QUUXLOG). We audit benchmarks, "
                "SocialZQ and ToMz, and test on BlipSet-C and BlopSet-C datasets, using "
                "ZapSafety, a novel adversarial dataset. Experiments in ZARLA confirm it.")
    assert names(x, "Dataset") >= {
        "ZorbChat", "QUUXLOG", "SocialZQ", "ToMz", "BlipSet-C", "BlopSet-C", "ZapSafety", "ZARLA"
    }
    assert names(x, "Method") == set()
    # A benchmark named by its form inside a hyphenated name: "GeoBench-VLM".
    assert names(extract("We release ZorbBench-VLM for evaluation."), "Dataset") == {"ZorbBench-VLM"}


def test_model_names_keep_their_version_size_and_variant() -> None:
    x = extract("We compare ZorbiNI 3 Pro, ZorbiNI 2.5 Flash, QuuxLM 3 32b and BlipSeek R1-7B. "
                "QuuxLM is 2 times faster on 8 GPUs.")
    assert names(x, "Method") >= {
        "ZorbiNI 3 Pro", "ZorbiNI 2.5 Flash", "QuuxLM 3 32b", "BlipSeek R1-7B", "QuuxLM"
    }
    assert not {n for n in names(x, "Method") if n.endswith((" 2", " 8"))}


def test_function_words_opening_an_enumerated_item_are_never_names() -> None:
    x = extract(
        "We introduce three key innovations: (1) We propose a training-free approach. "
        "(2) At inference, we use fewer steps. (3) We integrate ZorbNet with it.",
        title="QuuxFlow: fast sampling",
    )
    texts = {m.text.lower() for m in x.mentions}
    assert not texts & {"we", "at"}
    assert "QuuxFlow" in names(x, "Method", proposed=True)


def test_a_metric_after_a_coordinator_belongs_to_the_next_number() -> None:
    x = extract("QuuxNet reaches a ZapScore of 0.74 and an FID of 5.1 on ZorbBench.")
    assert ("QuuxNet", "ZorbBench", "FID", 5.1) in results(x)
    assert {r.metric for r in x.results if r.value == 0.74} == {"ZapScore"}


def test_numbers_listed_before_their_metric_share_it() -> None:
    x = extract("QuuxNet achieves 81.2%, 83.0% and 85.3% accuracy on three benchmarks.")
    assert {r.metric for r in x.results} == {"accuracy"} and len(x.results) == 3


def test_respectively_assigns_datasets_in_order() -> None:
    x = extract(
        "QuuxNet achieves 81.2% and 85.3% accuracy on ZorbBench and QuuxEval, respectively."
    )
    assert {(r.dataset, r.value) for r in x.results} == {("ZorbBench", 81.2), ("QuuxEval", 85.3)}


def test_a_benchmark_that_is_its_own_score_is_the_dataset_too() -> None:
    x = extract("QuuxNet reaches 0.74 GenEval, and 5.1 FID on ZorbBench.")
    assert {(r.dataset, r.metric) for r in x.results if r.value == 0.74} == {
        ("GenEval", "GenEval")
    }


def test_a_name_apposed_to_a_data_noun_phrase_is_a_dataset() -> None:
    x = extract(
        "We propose ZorbRisk, a comprehensive Visual Question Answering (VQA) dataset. "
        "QuuxCorp is a popular dataset for ranking. We also release FlimFlam, a framework "
        "for dataset distillation.",
        title="ZorbRisk: A Visual Question Answering Dataset for Risk Assessment",
    )
    assert {"ZorbRisk", "QuuxCorp"} <= names(x, "Dataset")
    assert "FlimFlam" not in names(x, "Dataset")
    assert "ZorbRisk" in names(x, "Dataset", proposed=True)


def test_an_acronym_means_what_the_text_defines_it_as() -> None:
    # ASR is curated as a task (speech recognition); defined here, it is a metric.
    x = extract(
        "The guard lowers the attack success rate (ASR) to 3% on ZorbBench, "
        "and QuuxAttack reaches 71% ASR on ZorbBench."
    )
    assert "ASR" in names(x, "Metric") and "ASR" not in names(x, "Task")
    assert {(r.metric, r.value) for r in x.results} == {
        ("attack success rate", 3.0),
        ("attack success rate", 71.0),
    }
    # defined with its curated meaning, it keeps its curated type
    x = extract("We transcribe speech with automatic speech recognition (ASR) systems.")
    assert "ASR" not in names(x, "Metric")


def test_a_percentage_before_a_noun_reports_it_in_that_measure() -> None:
    x = extract(
        "QuuxNet reaches 100% sensitivity and 67% specificity at the patient level, "
        "while 50% exposed leakage at 40% sparsity and 99% molecules were solved."
    )
    assert {"sensitivity", "specificity"} <= names(x, "Metric")
    assert not names(x, "Metric") & {"sparsity", "molecules", "exposed leakage"}
    assert {(r.metric, r.value) for r in x.results} >= {
        ("sensitivity", 100.0),
        ("specificity", 67.0),
    }


def test_both_ends_of_a_range_are_in_the_measure_named_after_it() -> None:
    x = extract(
        "QuuxNet outperforms prior systems, achieving 1.85x-10.83x higher throughput and "
        "51.7%-91.9% lower latency, and a 1.5x end-to-end speedup."
    )
    assert {(r.metric, r.value) for r in x.results} == {
        ("throughput", 1.85),
        ("throughput", 10.83),
        ("latency", 51.7),
        ("latency", 91.9),
        ("speedup", 1.5),
    }


def test_it_after_a_method_is_that_method() -> None:
    x = extract("ZorbNet is fast, and on QuuxBench it reaches 81.2% accuracy.")
    assert {r.subject for r in x.results} == {"ZorbNet"}


def test_the_acronym_of_a_well_known_name_is_used_unless_the_cue_introduces_it() -> None:
    x = extract(
        "We propose a text-conditioned pipeline to turn Stable Diffusion (SD) into a "
        "one-step model. We present GlimNet, a framework for visual auto-regressive (VAR) "
        "models."
    )
    assert names(x, "Method", proposed=True) == {"GlimNet"}
    # Right after the cue, a curated pair is the paper's own (the paper that defined it).
    own = extract("We propose Diffusion Exponential Integrator Sampler (DEIS), a fast sampler.")
    assert {"DEIS", "Diffusion Exponential Integrator Sampler"} <= names(own, "Method", True)


def test_where_the_text_says_task_any_plain_modifier_is_part_of_it() -> None:
    x = extract("Zorb models struggle with the quibble-intensive retrieval task. We study "
                "tasks such as blorp similarity retrieval and gizmo recommendation.")
    assert {"quibble-intensive retrieval", "blorp similarity retrieval",
            "gizmo recommendation"} <= names(x, "Task")
    # Elsewhere only what a task acts on modifies its head: "coherent generation" is no task.
    assert "coherent generation" not in names(extract("It yields coherent generation."), "Task")


def test_a_title_case_phrase_ending_in_a_task_head_is_a_task() -> None:
    x = extract("We study this.", title="ZorbNet: Efficient Adaptation for Blorp Sensing "
                "Visual Grounding")
    assert "Blorp Sensing Visual Grounding" in names(x, "Task")
    # A title's verb and an -ed adjective are no part of it.
    y = extract("We study this.", title="Learning Gizmo Reasoning with Unified Zorb Synthesis")
    assert {"Gizmo Reasoning", "Zorb Synthesis"} <= names(y, "Task")


def test_a_task_before_a_metric_head_is_part_of_the_metric() -> None:
    x = extract("ZorbNet improves segmentation accuracy by 3.1% and reaches 81.0% retrieval "
                "accuracy using reranking.")
    assert {"segmentation accuracy", "retrieval accuracy"} <= names(x, "Metric")


def test_metric_lists_after_a_colon_or_in_brackets() -> None:
    x = extract("We report zorb metrics: executable rate, blorp accuracy and gizmo fidelity. "
                "We use Triad metrics (Quibble Faithfulness, Answer Zest, Context Zest).")
    assert {"executable rate", "blorp accuracy", "gizmo fidelity", "Quibble Faithfulness",
            "Answer Zest", "Context Zest"} <= names(x, "Metric")


def test_a_measures_name_stops_at_a_function_word() -> None:
    x = extract("Over 80% was consumed by the zorb work. Errors lead to a 5% decrease in "
                "blorp speed due to splits. It saves $13 million annual cost.")
    metrics = names(x, "Metric")
    assert "blorp speed" in metrics
    assert not {"was consumed", "blorp speed due", "million annual cost"} & metrics


def test_changes_to_a_value_and_points_of_a_measure_name_it() -> None:
    x = extract("A zorb prompt lowers leakage to 5.12%. The phase recovers 17.7 points of "
                "blorp retention on old classes.")
    assert {("leakage", 5.12), ("blorp retention", 17.7)} <= {
        (r.metric, r.value) for r in x.results
    }


def test_markup_around_a_proposed_name_is_no_part_of_it() -> None:
    x = extract(r"We propose **Zorb-R$^3$**, a retrieval framework. We also propose "
                r"\textsc{Blorpy}, a model.")
    assert {"Zorb-R$^3$", "Blorpy"} <= names(x, "Method", proposed=True)
    assert not {n for n in names(x, "Method") if "*" in n or "\\" in n}


def test_a_title_name_without_a_type_takes_the_abstracts() -> None:
    x = extract("We propose Zorbl, a statement-based benchmark. Experiments on 50 models "
                "show that Zorbl is hard. We establish Zorbl as a framework for "
                "evaluation.", title="Zorbl: Evaluating Models with Blorp Statements")
    assert {m.type for m in x.mentions if m.text == "Zorbl"} == {"Dataset"}


def test_an_acronym_whose_long_form_ends_in_a_task_head_is_a_task() -> None:
    x = extract("Blorp Performance Prediction (BPP) and Zorb Graph Completion (ZGC) matter.")
    assert {"Blorp Performance Prediction", "BPP", "Zorb Graph Completion", "ZGC"} <= names(
        x, "Task"
    )


def test_latex_dashes_quotes_citations_and_macros_are_no_names() -> None:
    x = extract(r"Zorb MLLMs--such as those for code--help. We design an ``Zorb-as-judge'' "
                r"pipeline, as in \cite{smith2025judging}. We propose \app, a framework.")
    found = {m.text for m in x.mentions}
    assert not {n for n in found if "--" in n or "`" in n or "\\" in n or "smith2025" in n}


def test_numbers_in_brackets_after_a_method_are_that_methods() -> None:
    x = extract("We present ZorbFlow. ZorbFlow reaches 7.59 FID and 0.74 GenEval, outperforming "
                "BlorpNet (7.94 FID / 0.71 GenEval).")
    assert {(r.subject, r.value) for r in x.results} >= {
        ("ZorbFlow", 7.59), ("ZorbFlow", 0.74), ("BlorpNet", 7.94), ("BlorpNet", 0.71)
    }


def test_a_name_a_number_is_reported_on_is_evaluation_data() -> None:
    x = extract("ZorbNet gains 13.12% on AIME 2025 and 11.00% on BlorpAIME. It reaches 75.7 "
                "mAP@200 on Quibbly, ahead of 1.88% on Human Preference Score.")
    assert {"BlorpAIME", "Quibbly"} <= names(x, "Dataset")
    assert {(r.dataset, r.value) for r in x.results} >= {("BlorpAIME", 11.0), ("Quibbly", 75.7)}
    assert "Human" not in names(x, "Dataset")  # (a Title Case phrase's first word)


def test_a_latex_superscript_is_part_of_a_name_a_subscript_formula_is_none() -> None:
    x = extract("ZorbNet wins on the ZORB-5$^i$ and BLORP-20$^i$ datasets, with less "
                "CO$_2$ emitted.")
    assert {"ZORB-5$^i$", "BLORP-20$^i$"} <= names(x, "Dataset")
    assert not {m.text for m in x.mentions if "CO$" in m.text}


def test_a_task_is_never_a_proposed_name() -> None:
    x = extract("We formally define the task of Zorb Landing Page Prediction (ZLPP). We "
                "propose BlorpNet for it.", title="ZLPP: Zorb Landing Page Prediction")
    assert "BlorpNet" in names(x, "Method", proposed=True)
    assert not names(x, "Task", proposed=True)


def test_a_list_of_measures_each_with_its_value_names_metrics() -> None:
    x = extract("Six models reach moderate scores (average zorbness 57.2%, blorpiness 54.7%, "
                "and quibble rate 62.3%) overall.")
    assert {("average zorbness", 57.2), ("blorpiness", 54.7), ("quibble rate", 62.3)} <= {
        (r.metric, r.value) for r in x.results
    }


def test_data_drawn_from_a_source_names_a_dataset() -> None:
    x = extract("We use 20,000 samples from Zorbddit, annotated as satire, and 3200 complexes "
                "from BlorpBind. A model is trained on samples from Quux nets.")
    assert {"Zorbddit", "BlorpBind"} <= names(x, "Dataset")
    assert "Quux" not in names(x, "Dataset")


def test_a_name_given_to_data_is_a_dataset() -> None:
    x = extract("We select 10% of the Zorbweb dataset, termed Zorbweb-Mask, and train on it.")
    assert "Zorbweb-Mask" in names(x, "Dataset", proposed=True)


def test_a_curated_phrase_matches_with_hyphens_or_spaces() -> None:
    from kg.extract.gazetteer import spellings

    assert set(spellings("Chain-of-Thought")) == {"Chain-of-Thought", "Chain of Thought"}
    assert set(spellings("Tree of Thoughts")) == {"Tree of Thoughts", "Tree-of-Thoughts"}
    # Two words, a "to", digits: as written ("inference-time scaling" is no metric).
    assert spellings("inference time") == ("inference time",)
    assert spellings("text-to-image") == ("text-to-image",)
    assert spellings("GPT-4") == ("GPT-4",)
    x = extract("We prompt with Chain of Thought and compare with Tree-of-Thoughts.")
    assert {m.name for m in x.mentions if m.type == "Method"} >= {
        "Chain-of-Thought", "Tree of Thoughts"
    }


def test_a_metric_reported_with_a_value_is_not_introduced_nor_a_unit_a_metric() -> None:
    x = extract("Our tokenizer reaches a zFID of 0.9 and 1.8 qFID. We introduce ZorbScore, a "
                "new metric. Peak memory drops by 2.1 GB.")
    assert names(x, "Metric", proposed=True) == {"ZorbScore"}
    assert {"zFID", "qFID"} <= names(x, "Metric")
    assert "GB" not in names(x, "Metric")


def test_a_long_form_starts_at_a_word_not_inside_a_hyphenated_one() -> None:
    x = extract("We propose Multi-Zorb Blorp Attention (ZBA), a novel attention.")
    assert {"Multi-Zorb Blorp Attention", "ZBA"} <= names(x, "Method", proposed=True)


def test_a_latex_percent_before_a_noun_names_its_measure() -> None:
    x = extract(r"On house prices, ZorbNet reaches 12\% zorbiness, while others stay low.")
    assert ("zorbiness", 12.0) in {(r.metric, r.value) for r in x.results}


def test_a_list_that_names_a_dataset_lists_datasets() -> None:
    x = extract("It reaches 69.3% averaged over ZorbMed, QuuxMed and FoodleQA. "
                "On GlimmerNet and BarkleQA it outperforms retrieval baselines.")
    assert names(x, "Dataset") >= {"ZorbMed", "QuuxMed", "FoodleQA", "GlimmerNet", "BarkleQA"}
    assert names(x, "Method") == set()
    methods = extract("We compare GlimmerNet, QuuxFormer and ZorbNet on translation.")
    assert names(methods, "Dataset") == set()


def test_a_bracketed_list_after_a_data_noun_holds_datasets() -> None:
    x = extract("Experiments on four benchmark datasets (Zorb-News, QUUX-2004, Barkle, "
                "and WikiFoo) show consistent gains.")
    assert names(x, "Dataset") == {"Zorb-News", "QUUX-2004", "Barkle", "WikiFoo"}


def test_a_dataset_version_is_part_of_its_name_not_a_result() -> None:
    x = extract("We evaluate on ZorbWOZ 2.2 and reach 41.5% success.")
    assert "ZorbWOZ 2.2" in names(x, "Dataset")
    assert 2.2 not in {r.value for r in x.results}


def test_an_acronym_right_after_a_number_is_what_it_measures() -> None:
    # (ASR is a curated task: automatic speech recognition)
    x = extract("QuuxAttack achieves up to 93.1% ASR on Zorbini-2.")
    assert "ASR" in names(x, "Metric")
    assert ("QuuxAttack", "Zorbini-2", "ASR", 93.1) in results(x)


def test_a_cost_named_by_a_modifier_and_a_vague_head_is_a_metric() -> None:
    x = extract("ZorbFL reduces communication overhead by 118x compared to QuuxTPG.")
    assert "communication overhead" in names(x, "Metric")
    assert ("ZorbFL", None, "communication overhead", 118.0) in results(x)


def test_what_a_proposal_says_beats_a_name_form() -> None:
    x = extract("We introduce QuuxVQA, a self-supervised calibration framework for "
                "document questions. QuuxVQA improves accuracy by 4.3%.")
    assert names(x, "Method", proposed=True) == {"QuuxVQA"}
    assert "QuuxVQA" not in names(x, "Dataset")
    assert ("QuuxVQA", None, "accuracy", 4.3) in results(x)


def test_both_ends_of_a_range_are_results_however_written() -> None:
    x = extract("ZorbNet improves coverage by 1.4-5.2% across tasks. Quux models plateau in "
                r"the 62--73\% range and cut errors to low levels ($8-15\%$).")
    assert {r.value for r in x.results} >= {1.4, 5.2, 62.0, 73.0, 8.0, 15.0}


def test_a_number_set_in_latex_bold_or_italics_is_a_number() -> None:
    x = extract(r"ZorbNet achieves \textit{\textbf{43.2}} on QuuxBench and beats the "
                r"baseline by \textbf{11.91\%}.")
    assert {r.value for r in x.results} == {43.2, 11.91}


def test_both_ends_of_a_reported_change_are_results_without_a_unit() -> None:
    x = extract("It improves ZorbCoder-V4 from 12.13 to 19.58. QuuxPar reduces decoding "
                "steps from 256 to 30.")
    assert {r.value for r in x.results} >= {12.13, 19.58, 256.0, 30.0}


def test_a_measure_written_before_its_value_in_a_list_names_it() -> None:
    x = extract("ZorbFL achieves specificity 0.813 and sensitivity 0.888 on QuuxMed.")
    assert {(r.metric, r.value) for r in x.results} >= {("specificity", 0.813),
                                                        ("sensitivity", 0.888)}


def test_a_change_of_a_measure_of_something_names_the_measure() -> None:
    x = extract("ZorbNet improves the success of flight search from 0% to 32.2%. QuuxSAS "
                "reduces the number of binary variables by around 6 times.")
    assert ("ZorbNet", None, "success", 32.2) in results(x)
    assert "number of binary variables" in names(x, "Metric")


def test_an_acceleration_by_a_percentage_is_a_speedup() -> None:
    x = extract("ZorbDiD accelerates training convergence by 15%.")
    assert {(r.metric, r.value) for r in x.results} == {("speedup", 15.0)}


def test_an_abstract_opening_with_a_colon_names_no_sentence() -> None:
    x = extract("We propose ZorbPO, a novel algorithm featuring: (1) A rollout sampling "
                "strategy that keeps exposure balanced.")
    assert names(x, "Method", proposed=True) == {"ZorbPO", "rollout sampling strategy"}


def test_a_hyphenated_benchmark_name_is_a_name() -> None:
    x = extract("As Quux-Bench revealed, agents fail; we also test on Zorbing-Eval. "
                "Coarse-to-Fine decoding helps Multi-Agent setups.")
    assert names(x, "Dataset") == {"Quux-Bench", "Zorbing-Eval"}
    assert names(x, "Method") == set()


def test_a_title_case_phrase_ending_in_an_agent_or_system_head_is_a_method() -> None:
    x = extract("The Zorbing Agent plans each step, and the Quuxing Verifier checks it "
                "before a Fooling Engine runs it.")
    assert names(x, "Method") == {"Zorbing Agent", "Quuxing Verifier", "Fooling Engine"}


def test_a_name_set_in_bold_is_one_the_paper_introduces() -> None:
    x = extract(r"It has a \textbf{Zorbflow} mode and an \textbf{Quux Practice} module; "
                r"\textbf{Ta}sks gain \textbf{over 10$\times$}.")
    assert names(x, "Method", proposed=True) == {"Zorbflow", "Quux Practice"}


def test_an_enumerated_heading_names_a_component() -> None:
    x = extract("ZorbKit rests on two pillars: (1) Unified Quux Integration: it connects "
                "tools. (2) Stage II: it trains them.")
    assert "Unified Quux Integration" in names(x, "Method", proposed=True)
    assert not any("Stage" in n for n in names(x, "Method"))


def test_a_number_is_no_name() -> None:
    x = extract(r"We contribute two repair operations: Zorb selection raises judge accuracy "
                r"from $65.0\%$ to $68.6\%$.")
    assert not any("65.0" in m.text for m in x.mentions)
    assert {r.value for r in x.results} >= {65.0, 68.6}


def test_a_name_stops_at_a_bracket_inside_a_token() -> None:
    x = extract("We introduce the Zorb Confidence Index (ZCI)--to benchmark calibration.")
    assert not any(")" in m.text for m in x.mentions)
    assert "Zorb Confidence Index" in names(x, "Metric")


def test_a_change_noun_names_a_measure_only_next_to_a_number() -> None:
    x = extract("There has been an increase in recent advancements. ZorbNet gives a 19.5% "
                "increase in quux fidelity and catches attacks 30% earlier.")
    assert names(x, "Metric") == {"quux fidelity"}


def test_a_list_word_in_a_list_does_not_open_one() -> None:
    x = extract("A rich trajectory of metrics, logs, and design choices is compressed. "
                "The measured values are redacted.")
    assert names(x, "Metric") == set()


def test_a_leading_on_phrase_ends_at_its_comma() -> None:
    x = extract("On Zorb-AGI-2, QuuxLM-5 Pro scores 54.2%. On QuuxQA, ZorbSet and FooSet, "
                "it wins.")
    assert ("QuuxLM-5 Pro", "Zorb-AGI-2", None, 54.2) in results(x)
    assert names(x, "Dataset") == {"Zorb-AGI-2", "QuuxQA", "ZorbSet", "FooSet"}


def test_our_method_after_a_base_model_is_the_papers_method() -> None:
    x = extract("We propose ZorbZero. On the QuuxLM-7B model, our method boosts accuracy on "
                "FooQA to 80%.")
    assert ("ZorbZero", "FooQA", "accuracy", 80.0) in results(x)


def test_values_in_points_ranges_brackets_and_currency() -> None:
    x = extract("ZorbR-8B improves over baselines by 5.1-8.0 points on FooBench. ZorbLLM "
                "scores higher in safety (0.912) and effectiveness (0.861), with a c-index "
                r"0.82 against 0.75. It cuts monthly cost from \$1,503 to \$708.")
    found = {(r.metric, r.value) for r in x.results}
    assert {5.1, 8.0} <= {r.value for r in x.results}
    assert {("safety", 0.912), ("effectiveness", 0.861), ("c-index", 0.82)} <= found
    assert {("monthly cost", 1503.0), ("monthly cost", 708.0)} <= found


def test_a_name_an_adjective_is_built_on_is_a_mention() -> None:
    x = extract("We use a BERT-based classifier with GRPO-style refinement, ZorbASR-based "
                "segmentation and MCTS-guided search; Step-DPO is another method.")
    assert names(x, "Method") >= {"BERT", "GRPO", "ZorbASR", "MCTS", "Step-DPO"}
    assert "DPO" not in names(x, "Method")


def test_short_acronyms_listed_between_models_are_models() -> None:
    x = extract("We compare embedding models (e.g., Zorb-MPNet, QBE, ZTE, and Qwen) at "
                "several sizes.")
    assert names(x, "Method") == {"Zorb-MPNet", "QBE", "ZTE", "Qwen"}


def test_a_datasets_variant_word_or_version_is_part_of_its_name() -> None:
    x = extract("We test on SWE-bench Lite, ZorbCL v3, TREC DL 2019 and QuuxWOZ 2.2, and "
                "reach 41.2% on CIFAR-10 2.1% above the baseline.")
    assert names(x, "Dataset") == {
        "SWE-bench Lite", "ZorbCL v3", "TREC DL 2019", "QuuxWOZ 2.2", "CIFAR-10"
    }


def test_an_acronym_of_a_domain_term_is_no_method() -> None:
    x = extract("Among zorbic lung disease (ZLD) patients, ZLD is common. We fly unmanned "
                "quux vehicles (UQVs) and use Direct Zorb Optimization (DZO).")
    assert names(x, "Method") == {"Direct Zorb Optimization", "DZO"}


def test_a_name_introduced_as_a_resource_is_a_dataset() -> None:
    x = extract("We introduce ZorbREx as a vital resource for detecting depression.")
    assert names(x, "Dataset", proposed=True) == {"ZorbREx"}


def test_a_name_models_are_trained_on_is_data() -> None:
    x = extract("Training QuuxLM-4B on ZorbPoker alone improves math reasoning. We "
                "fine-tune it on QuuxMath.")
    assert names(x, "Dataset") == {"ZorbPoker", "QuuxMath"}


def test_what_a_text_measures_both_of_are_metrics() -> None:
    x = extract("We introduce metrics to measure both quux completion rates and zorb "
                "efficiency, and compute both Preference Quuxness and Position Zorbency.")
    assert names(x, "Metric") >= {"quux completion rates", "zorb efficiency",
                                  "Preference Quuxness", "Position Zorbency"}


def test_a_name_the_text_calls_its_own_model_or_the_best_one_is_a_method() -> None:
    x = extract("Our Zorbing-Retry strategy reduces hallucination by 50% on QuuxWOZ. The "
                "best Quuxoni model reduces WER from 0.42 to 0.22.")
    assert names(x, "Method") == {"Zorbing-Retry", "Quuxoni"}
    assert ("Quuxoni", None, "WER", 0.22) in results(x)


def test_the_papers_main_method_beats_a_dataset_it_also_proposes_as_subject() -> None:
    x = extract("We propose Zorbi-GUI-0 and the benchmark QuuxMobile. On our in-house "
                "QuuxMobile, Zorbi-GUI-0 achieves 72.0% success on QuuxMobile and 78.9% on "
                "FooWorld.")
    assert ("Zorbi-GUI-0", "FooWorld", "success", 78.9) in results(x)
