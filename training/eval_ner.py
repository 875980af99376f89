"""Evaluate the statistical NER: SciERC dev scores, TDMSci 5-fold CV, and speed.

Usage (from the repository root)::

    .venv/bin/python training/eval_ner.py [--model kg/extract/model] [--cv-epochs 8]
                                         [--skip-cv] [--repeat 20]

Scores are exact character-span matches (start, end and type must all agree),
per type and micro-averaged, printed as markdown tables. Speed is abstracts per second
through ``nlp.pipe(..., n_process=1)`` on SciERC dev abstracts repeated ``--repeat`` times,
with BLAS/OpenMP limited to one thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.training import Example  # noqa: E402

import kg.extract.biluo  # noqa: E402, F401  (registers the kg_biluo_ner factory)
from kg.evaluate.corpora import (  # noqa: E402
    TYPES,
    AnnotatedText,
    read_scierc,
    read_tdmsci,
    to_spacy_docs,
)

DATA = Path(os.environ.get("KG_SHARED_DATA", "/work/shared/data"))
HERE = Path(__file__).resolve().parent
LABEL_TO_TYPE = {t.upper(): t for t in TYPES}

Scores = dict[str, tuple[float, float, float, int]]


def predict(nlp: Language, texts: Sequence[AnnotatedText]) -> list[set[tuple[int, int, str]]]:
    """Predicted character spans (start, end, type) for each text."""
    out: list[set[tuple[int, int, str]]] = []
    for doc in nlp.pipe([t.text for t in texts], batch_size=64):
        out.append(
            {
                (e.start_char, e.end_char, LABEL_TO_TYPE[e.label_])
                for e in doc.ents
                if e.label_ in LABEL_TO_TYPE
            }
        )
    return out


def score(
    gold: Iterable[Iterable[tuple[int, int, str]]],
    pred: Iterable[Iterable[tuple[int, int, str]]],
    types: Sequence[str] = TYPES,
) -> Scores:
    """Exact-span P/R/F1 (and gold support) per type and ``micro`` over ``types``."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g_spans, p_spans in zip(gold, pred, strict=True):
        g_set = {s for s in g_spans if s[2] in types}
        p_set = {s for s in p_spans if s[2] in types}
        for s in g_set:
            n_gold[s[2]] += 1
        for s in p_set:
            n_pred[s[2]] += 1
        for s in g_set & p_set:
            tp[s[2]] += 1
    result: Scores = {}
    for key in [*types, "micro"]:
        if key == "micro":
            t, ng, np_ = sum(tp.values()), sum(n_gold.values()), sum(n_pred.values())
        else:
            t, ng, np_ = tp[key], n_gold[key], n_pred[key]
        p = t / np_ if np_ else 0.0
        r = t / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[key] = (p, r, f, ng)
    return result


def table(title: str, scores: Scores) -> str:
    """A markdown table of ``scores``."""
    lines = [f"**{title}**", "", "| type | P | R | F1 | gold |", "|---|---|---|---|---|"]
    for key, (p, r, f, n) in scores.items():
        lines.append(f"| {key} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
    return "\n".join(lines)


def evaluate_scierc_dev(nlp: Language) -> Scores:
    """Scores on SciERC dev (Material counted as Dataset)."""
    texts = list(read_scierc(DATA / "scierc" / "dev.json"))
    return score([t.spans for t in texts], predict(nlp, texts))


def train_quick(config: Path, texts: Sequence[AnnotatedText], epochs: int, seed: int) -> Language:
    """Train a fresh tok2vec+ner from ``config`` on ``texts`` with a plain update loop."""
    spacy.util.fix_random_seed(seed)
    cfg = spacy.util.load_config(config)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    docs = to_spacy_docs(texts, nlp)
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    optimizer = nlp.initialize(lambda: examples)
    dropout = float(cfg["training"]["dropout"])
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=dropout)
    return nlp


def cross_validate_tdmsci(config: Path, folds: int, epochs: int, seed: int = 0) -> Scores:
    """K-fold CV on TDMSci train (sentences shuffled with ``seed``); pooled exact-span scores."""
    texts = list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll"))
    random.Random(seed).shuffle(texts)
    types = ("Task", "Dataset", "Metric")
    gold: list[list[tuple[int, int, str]]] = []
    pred: list[set[tuple[int, int, str]]] = []
    for k in range(folds):
        test = texts[k::folds]
        train = [t for i, t in enumerate(texts) if i % folds != k]
        nlp = train_quick(config, train, epochs, seed)
        pred += predict(nlp, test)
        gold += [t.spans for t in test]
        print(f"fold {k + 1}/{folds} done", file=sys.stderr, flush=True)
    return score(gold, pred, types)


def speed(nlp: Language, repeat: int) -> tuple[float, float, float]:
    """Throughput on SciERC dev abstracts repeated ``repeat`` times, one process.

    Returns (abstracts per CPU-second, tokens per CPU-second, abstracts per wall-second).
    CPU time (``time.process_time``) is the per-core figure and is robust to other
    processes sharing the machine; wall time is what a user sees on an idle core.
    """
    texts = [t.text for t in read_scierc(DATA / "scierc" / "dev.json")] * repeat
    list(nlp.pipe(texts[:50], n_process=1))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    n_words = sum(len(doc) for doc in nlp.pipe(texts, n_process=1, batch_size=64))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(texts) / cpu, n_words / cpu, len(texts) / wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "kg" / "extract" / "model")
    parser.add_argument("--config", type=Path, default=HERE / "ner_biluo.cfg")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cv-epochs", type=int, default=8)
    parser.add_argument("--skip-cv", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    nlp = spacy.load(args.model)
    print(table(f"SciERC dev ({args.model.name}), exact span", evaluate_scierc_dev(nlp)))
    print()
    per_sec, wps, wall = speed(nlp, args.repeat)
    print(
        f"**Speed**: {per_sec:.0f} abstracts per CPU-second ({wps:.0f} tokens/s), "
        f"one process, one thread; {wall:.0f} abstracts per wall-clock second on this machine"
    )
    print()
    if not args.skip_cv:
        cv = cross_validate_tdmsci(args.config, args.folds, args.cv_epochs)
        print(table(f"TDMSci train, {args.folds}-fold CV ({args.cv_epochs} epochs)", cv))


if __name__ == "__main__":
    main()
