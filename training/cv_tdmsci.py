"""Five-fold cross-validation of the **full pipeline** on TDMSci train (exact spans of tasks,
datasets and metrics): the estimate of its TDMSci test score that no TDMSci sentence it is
scored on has taught.

Usage (from the repository root; ~15 minutes on one core)::

    .venv/bin/python training/cv_tdmsci.py --transformers-wheel WHEEL \\
        --init-tok2vec training/work/kg070/pretrain/model-last.bin [--folds 5]

Both parts of the pipeline that learn from TDMSci train are rebuilt for each fold from the
other four: the public vocabulary (``training/vocab.py``: names TDMSci annotates twice or
more) and the ``kg_ner`` head (``training/kg_head.py``: the non-seed abstracts plus the
TDMSci sentences of the other folds). The fold is then scored with the rules alone and
with the model, as ``kg eval --corpus`` scores a corpus. Scoring the shipped pipeline on
TDMSci train itself would count sentences it learnt from.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.evaluate.corpora import read_tdmsci  # noqa: E402
from kg.evaluate.scorer import Counts  # noqa: E402
from kg.evaluate.spans import predicted_spans, span_scores  # noqa: E402
from kg.extract.gazetteer import PATTERN_DIR  # noqa: E402
from kg.extract.pipeline import CONFIG, load_nlp  # noqa: E402

TYPES = ("Task", "Metric", "Dataset")


def fold_config(workdir: Path, model: Path) -> Path:
    """A copy of the pipeline config whose model is ``model``."""
    text = CONFIG.read_text(encoding="utf-8").replace('path = "model"', f'path = "{model}"')
    path = workdir / "config.cfg"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transformers-wheel", type=Path, required=True)
    parser.add_argument("--init-tok2vec", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "work" / "cv")
    args = parser.parse_args(argv)
    import kg_head
    import vocab
    from spacy.cli.train import train

    texts = list(read_tdmsci(kg_head.DATA / "tdmsci" / "train_1500_v2.conll"))
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    totals = {mode: {t: Counts() for t in (*TYPES, "micro")} for mode in ("rules", "model")}
    for k in range(args.folds):
        held = [texts[i] for i in order[k :: args.folds]]
        rest = [texts[i] for j, i in enumerate(order) if j % args.folds != k]
        work = args.workdir / f"fold{k}"
        patterns = work / "patterns"
        if patterns.exists():
            shutil.rmtree(patterns)
        shutil.copytree(PATTERN_DIR, patterns)
        vocab.build(args.transformers_wheel, patterns / "public.jsonl", patterns, rest)
        train_path, dev_path = kg_head.corpora(work, kg_head.HERE / "data", rest)
        overrides = {
            "paths.vectors": str(kg_head.MODEL_DIR),
            "components.tok2vec.model.embed.include_static_vectors": True,
            "components.tok2vec.model.encode.depth": 2,
            "paths.init_tok2vec": str(args.init_tok2vec),
            "paths.train": str(train_path),
            "paths.dev": str(dev_path),
            "training.max_epochs": 15,
        }
        train(kg_head.HERE / "ner_kg.cfg", work / "output", overrides=overrides, use_gpu=-1)
        config = fold_config(work, (work / "output" / "model-best").resolve())
        for mode, with_model in (("rules", False), ("model", True)):
            nlp = load_nlp(config, patterns, with_model)
            counts = span_scores(held, predicted_spans(nlp, held), TYPES)
            for name, c in counts.items():
                totals[mode][name].add(c)
            print(f"fold {k} {mode}: micro F1 {counts['micro'].f1:.3f}", flush=True)
    report = {
        mode: {name: round(c.f1, 4) for name, c in counts.items()}
        for mode, counts in totals.items()
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
