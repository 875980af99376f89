"""Train the shipped NER with two heads on one tok2vec (reproducible, CPU only).

Usage (from the repository root)::

    .venv/bin/python training/kg_head.py [--workdir training/work/kg] [--no-export]

* ``ner`` (``doc.ents``) keeps the corpora's conventions: SciERC train and SciREX abstracts,
  then SciERC fine-tuning, as ``training/train_ner.py`` trains it (scored on SciERC dev).
* ``kg_ner`` (``doc.spans["kg"]``, with a confidence per span) learns the project's own
  conventions (``tests/data/README.md``: named methods, datasets, metrics and tasks; no
  generic families) from hand-annotated abstracts that are **not** seed papers
  (``training/data/*.gold.jsonl`` with their listings ``*.input.jsonl``), plus TDMSci train
  for tasks, datasets and metrics (its tokens outside entities are "O or METHOD": partial
  labels, it annotates no methods). A gold record lists names, not spans: every whole-word
  occurrence of a name (or of one of its alternatives) in the title or abstract is that
  entity, longer names first. Papers whose id ends in 0 or 5 are held out (``kg dev``) and
  pick the checkpoint with SciERC dev.

The pipeline (``kg/extract/config.cfg``) keeps ``kg_ner``'s confident guesses; no seed paper
is ever training data, so the seed dev and test scores of the model mode stay honest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402
from spacy.tokens import DocBin, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402
from train_ner import (  # noqa: E402
    DATA,
    SEED,
    pretrain_tok2vec,
    read_scierc_train,
    train_vectors,
)

import kg.extract.biluo  # noqa: E402, F401  (registers kg_biluo_ner)
from kg.evaluate.corpora import LABELS, AnnotatedText, read_scierc, read_tdmsci  # noqa: E402
from kg.extract.biluo import PARTIAL  # noqa: E402

HERE = Path(__file__).resolve().parent
KEY = "kg"
FIELDS = {"methods": "METHOD", "datasets": "DATASET", "metrics": "METRIC", "tasks": "TASK"}
PRIORITY = {"DATASET": 0, "METRIC": 1, "METHOD": 2, "TASK": 3}


def name_spans(text: str, record: dict[str, object]) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence in ``text`` of a gold record's names, typed; longer
    names win overlaps. Lower-case names also match capitalised."""
    found: list[tuple[int, int, str]] = []
    for field, label in FIELDS.items():
        for item in record.get(field, []):  # type: ignore[attr-defined]
            for name in [item] if isinstance(item, str) else item:
                flags = re.I if name.islower() else 0
                pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w])", flags)
                found += [(m.start(), m.end(), label) for m in pattern.finditer(text)]
    found.sort(key=lambda s: (-(s[1] - s[0]), PRIORITY[s[2]], s[0]))
    kept: list[tuple[int, int, str]] = []
    for span in found:
        if not any(s < span[1] and span[0] < e for s, e, _ in kept):
            kept.append(span)
    return sorted(kept)


def kg_texts(folder: Path) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """(train, held-out) title and abstract texts of the annotated listings in ``folder``."""
    train: list[AnnotatedText] = []
    held: list[AnnotatedText] = []
    for gold_path in sorted(folder.glob("*.gold.jsonl")):
        listing = gold_path.with_name(gold_path.name.replace(".gold.", ".input."))
        texts = {}
        for line in listing.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = (record["title"], record.get("summary") or record["abstract"])
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            title, abstract = texts[gold["id"]]
            target = held if gold["id"][-1] in "05" else train
            for part, text in (("title", title), ("abstract", abstract)):
                spans = name_spans(text, gold)
                target.append(AnnotatedText(f"kg-{gold['id']}-{part}", text, spans))
    return train, held


def to_docs(texts: list[AnnotatedText], head: str, partial: list[str] | None = None) -> list:  # type: ignore[type-arg]
    """Tokenised docs whose gold is in ``doc.ents`` (``head="ents"``; the kg spans missing)
    or in ``doc.spans["kg"]`` (``head="kg"``; the entities missing)."""
    nlp = spacy.blank("en")
    docs = []
    for item in texts:
        doc = nlp.make_doc(item.text)
        spans = [
            doc.char_span(s, e, label=LABELS.get(t, t.upper()), alignment_mode="expand")
            for s, e, t in item.spans
        ]
        spans = filter_spans([s for s in spans if s is not None])
        if head == "ents":
            doc.set_ents(spans, default="outside")
        else:
            doc.spans[KEY] = [Span(doc, s.start, s.end, label=s.label) for s in spans]
            if partial:
                doc.user_data[PARTIAL] = partial
        docs.append(doc)
    return docs


def write(docs: list, path: Path) -> int:  # type: ignore[type-arg]
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return len(docs)


def corpora(workdir: Path, data: Path) -> tuple[Path, Path, Path]:
    """Write stage-1 train, stage-2 train and dev DocBins; return their paths."""
    from train_ner import training_texts

    kg_train, kg_held = kg_texts(data)
    tdmsci = list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll"))
    tdmsci = [
        AnnotatedText(t.id, t.text, [(s, e, ty.upper()) for s, e, ty in t.spans]) for t in tdmsci
    ]
    ents_stage1 = to_docs(training_texts(1, 0, 1), "ents")
    ents_stage2 = to_docs(read_scierc_train(False), "ents")
    kg_docs = to_docs(kg_train, KEY) * 2 + to_docs(tdmsci, KEY, ["TASK", "DATASET", "METRIC"])
    rng = random.Random(SEED)
    stage1 = ents_stage1 + kg_docs
    stage2 = ents_stage2 + kg_docs
    rng.shuffle(stage1)
    rng.shuffle(stage2)
    dev = to_docs(list(read_scierc(DATA / "scierc" / "dev.json")), "ents") + to_docs(kg_held, KEY)
    corpus = workdir / "corpus"
    paths = corpus / "stage1.spacy", corpus / "stage2.spacy", corpus / "dev.spacy"
    for docs, path in zip((stage1, stage2, dev), paths, strict=True):
        print(f"{path.name}: {write(docs, path)} docs", flush=True)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "work" / "kg")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--config", type=Path, default=HERE / "ner_two_heads.cfg")
    parser.add_argument("--vectors-file", type=Path, default=None)
    parser.add_argument("--init-tok2vec", type=Path, default=None)
    parser.add_argument("--pretrain-epochs", type=int, default=3)
    parser.add_argument("--stage1-epochs", type=int, default=5)
    parser.add_argument("--stage2-epochs", type=int, default=10)
    parser.add_argument("--stage2-learn-rate", type=float, default=0.0001)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args(argv)
    from spacy.cli.train import train
    from train_ner import MODEL_DIR, export_pipeline

    stage1, stage2, dev = corpora(args.workdir, args.data)
    overrides: dict[str, object] = {
        "paths.vectors": str(train_vectors(args.workdir, 100, 50000, args.vectors_file)),
        "components.tok2vec.model.embed.include_static_vectors": True,
        "components.tok2vec.model.encode.depth": 2,
        "system.seed": args.seed,
    }
    if args.init_tok2vec is None and args.pretrain_epochs:
        args.init_tok2vec = pretrain_tok2vec(
            args.config, args.workdir, 0, args.pretrain_epochs, overrides, "vectors"
        )
    if args.init_tok2vec is not None:
        overrides["paths.init_tok2vec"] = str(args.init_tok2vec)
    first = {**overrides, "paths.train": str(stage1), "paths.dev": str(dev),
             "training.max_epochs": args.stage1_epochs}
    train(args.config, args.workdir / "output", overrides=first, use_gpu=-1)
    best = args.workdir / "output" / "model-best"
    if args.stage2_epochs:
        cfg = spacy.util.load_config(args.config)
        for name in ("tok2vec", "ner", "kg_ner"):
            cfg["components"][name] = {"source": str(best)}
        resumed = args.workdir / "stage2.cfg"
        cfg.to_disk(resumed)
        second = {
            "paths.train": str(stage2),
            "paths.dev": str(dev),
            "paths.vectors": overrides["paths.vectors"],
            "training.max_epochs": args.stage2_epochs,
            "training.optimizer.learn_rate": args.stage2_learn_rate,
            "system.seed": args.seed,
        }
        train(resumed, args.workdir / "output-ft", overrides=second, use_gpu=-1)
        best = args.workdir / "output-ft" / "model-best"
    if not args.no_export:
        export_pipeline(best, MODEL_DIR)
        print(f"exported to {MODEL_DIR}")


if __name__ == "__main__":
    main()
