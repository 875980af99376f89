"""Tests for the shared-corpus readers and the shipped statistical NER model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg.evaluate.corpora import (
    AnnotatedText,
    detokenize,
    read_scierc,
    read_scirex,
    read_tdmsci,
    to_spacy_docs,
)

DATA = Path("/work/shared/data")
MODEL = Path(__file__).resolve().parent.parent / "kg" / "extract" / "model"

needs_data = pytest.mark.skipif(not DATA.exists(), reason="shared corpora not available")


def test_detokenize_rules() -> None:
    tokens = [
        "A",
        "-LRB-",
        "CRF",
        "-RRB-",
        "model",
        "'s",
        "F1",
        "of",
        "90",
        "%",
        ",",
        "``",
        "state",
        "-",
        "of",
        "-",
        "the",
        "-",
        "art",
        "''",
        ".",
    ]
    text, starts = detokenize(tokens)
    assert text == 'A (CRF) model\'s F1 of 90%, "state-of-the-art".'
    assert text[starts[2] : starts[2] + 3] == "CRF"
    assert len(starts) == len(tokens)


@needs_data
def test_scierc_first_dev_doc() -> None:
    doc = next(read_scierc(DATA / "scierc" / "dev.json"))
    assert doc.text.startswith(
        "This paper presents an algorithm for computing optical flow, shape,"
    )
    assert doc.mentions()[:4] == [
        ("computing optical flow, shape, motion, lighting, and albedo", "Task"),
        ("image sequence", "Dataset"),
        ("rigidly-moving Lambertian object", "Dataset"),
        ("motion", "Dataset"),
    ]
    kinds = {t for _, _, t in doc.spans}
    assert kinds <= {"Method", "Task", "Metric", "Dataset"}


@needs_data
def test_scierc_brackets_restored() -> None:
    docs = list(read_scierc(DATA / "scierc" / "dev.json"))
    assert len(docs) == 50
    assert not any("-LRB-" in d.text or "-RRB-" in d.text for d in docs)
    assert any("(" in d.text for d in docs)
    for d in docs:  # spans never start or end on whitespace
        for s, e, _ in d.spans:
            assert d.text[s:e] == d.text[s:e].strip()


@needs_data
def test_tdmsci_second_sentence() -> None:
    sentences = list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll"))
    assert len(sentences) == 1523
    second = sentences[1]
    assert second.text == (
        "We evaluate the learned types by measuring their prediction accuracy "
        "for verb arguments in several domains."
    )
    assert second.mentions() == [("prediction", "Task"), ("accuracy", "Metric")]
    total = sum(len(s.spans) for s in sentences)
    assert total == 1219 + 420 + 536  # B- tags in SOURCE.md


@needs_data
def test_scirex_title_and_abstract() -> None:
    papers = read_scirex(DATA / "scirex" / "train.jsonl")
    first = next(papers)
    assert first.text.startswith(
        "Full-Resolution Residual Networks for Semantic Segmentation in Street Scenes "
        "Semantic image segmentation is"
    )
    assert "section :" not in first.text
    assert first.mentions()[:3] == [
        ("Full-Resolution Residual Networks", "Method"),
        ("Semantic Segmentation", "Task"),
        ("Semantic image segmentation", "Task"),
    ]
    assert len(first.text.split()) < 400


def test_to_spacy_docs_labels() -> None:
    nlp = spacy.blank("en")
    item = AnnotatedText("x", "We train BERT on SQuAD.", [(9, 13, "Method"), (17, 22, "Dataset")])
    (doc,) = to_spacy_docs([item], nlp)
    assert [(e.text, e.label_) for e in doc.ents] == [("BERT", "METHOD"), ("SQuAD", "DATASET")]


@pytest.mark.skipif(not (MODEL / "meta.json").exists(), reason="model not built")
def test_shipped_model_finds_entities() -> None:
    nlp = spacy.load(MODEL)
    assert nlp.pipe_names == ["ner", "tok2vec", "kg_ner"]
    for head in ("ner", "kg_ner"):
        assert set(nlp.pipe_labels[head]) == {"METHOD", "TASK", "METRIC", "DATASET"}
    doc = nlp(
        "We propose a convolutional neural network for machine translation and "
        "evaluate it on the WMT 2014 English-German dataset using BLEU."
    )
    labels = {e.label_ for e in doc.ents}
    assert labels & {"METHOD", "TASK"}, [(e.text, e.label_) for e in doc.ents]
    # The project's head writes its own spans, each with a confidence in (0, 1].
    group = doc.spans["kg"]
    scores = group.attrs["scores"]
    assert len(scores) == len(group) and all(0 < s <= 1 for s in scores)
    assert {s.label_ for s in group} & {"TASK", "METRIC", "DATASET"}, [(s.text, s.label_) for s in group]
