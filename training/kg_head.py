"""Train the ``kg_ner`` head shipped in ``kg/extract/model/`` (reproducible, CPU only).

Usage (from the repository root)::

    .venv/bin/python training/kg_head.py [--workdir training/work/kg] [--no-export]

The shipped model holds two NERs. ``ner`` (``doc.ents``; its own tok2vec inlined) keeps the
corpora's conventions and is what ``training/train_ner.py`` trains (SciERC + SciREX, then
SciERC; scored on SciERC dev, ``kg eval --corpus ... --model-only``). ``tok2vec`` +
``kg_ner`` (``doc.spans["kg"]``, with a confidence per span) is what the pipeline runs: the
project's own conventions (``tests/data/README.md``: named methods, datasets, metrics and
tasks; no generic families), learnt from

* hand-annotated abstracts that are **not** seed papers (``training/data/*.gold.jsonl``
  with their listings ``*.input.jsonl``: 200 arXiv abstracts of 2025-2026, see
  ``training/data/README.md``). A gold record lists names, not spans: every whole-word
  occurrence of a name (or of one of its alternatives) in the title or abstract is that
  entity, longer names first. Papers whose id ends in 0 or 5 are held out (``kg dev``,
  which picks the checkpoint);
* TDMSci train for tasks, datasets and metrics, whose tokens outside entities are "O or
  METHOD" (partial labels: it annotates no methods).

The tok2vec starts from the pretrained weights of the ``ner`` recipe (``spacy pretrain``,
vectors objective, on unlabelled SciREX and NLP-TDMS text) and uses the same static
vectors, which it reads from the shipped model. No seed paper is ever training data, so
the seed dev and test scores of the model mode stay honest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402
from spacy.tokens import DocBin, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402
from train_ner import DATA, MODEL_DIR, SEED, VERSION, pretrain_tok2vec  # noqa: E402

import kg.extract.biluo  # noqa: E402, F401  (registers kg_biluo_ner)
from kg.evaluate.corpora import LABELS, AnnotatedText, read_tdmsci  # noqa: E402
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
    seen: set[str] = set()
    for gold_path in sorted(folder.glob("*.gold.jsonl")):
        listing = gold_path.with_name(gold_path.name.replace(".gold.", ".input."))
        texts = {}
        for line in listing.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = (record["title"], record.get("summary") or record["abstract"])
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            if gold["id"] in seen:
                continue  # (a paper listed on two days is learnt once)
            seen.add(gold["id"])
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
                doc.user_data[f"{PARTIAL}:{KEY}"] = partial  # (for kg_ner only)
        docs.append(doc)
    return docs


def write(docs: list, path: Path) -> int:  # type: ignore[type-arg]
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return len(docs)


def corpora(
    workdir: Path, data: Path, tdmsci_texts: list[AnnotatedText] | None = None
) -> tuple[Path, Path]:
    """Write the train and dev DocBins; return their paths. ``tdmsci_texts``: the TDMSci
    texts to learn from (default all of train; ``training/cv_tdmsci.py`` leaves a fold out)."""
    kg_train, kg_held = kg_texts(data)
    if tdmsci_texts is None:
        tdmsci_texts = list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll"))
    tdmsci = [
        AnnotatedText(t.id, t.text, [(s, e, ty.upper()) for s, e, ty in t.spans])
        for t in tdmsci_texts
    ]
    train = to_docs(kg_train, KEY) * 2 + to_docs(tdmsci, KEY, ["TASK", "DATASET", "METRIC"])
    random.Random(SEED).shuffle(train)
    corpus = workdir / "corpus"
    paths = corpus / "train.spacy", corpus / "dev.spacy"
    for docs, path in zip((train, to_docs(kg_held, KEY)), paths, strict=True):
        print(f"{path.name}: {write(docs, path)} docs", flush=True)
    return paths


def merge(best: Path, target: Path) -> None:
    """Add ``best``'s ``tok2vec`` and ``kg_ner`` to the model in ``target`` (its ``ner`` and
    model card kept), as the new model version."""
    nlp = spacy.load(target)
    for name in ("tok2vec", "kg_ner"):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    head = spacy.load(best)
    nlp.add_pipe("tok2vec", source=head)
    nlp.add_pipe("kg_ner", source=head)
    card = (target / "README.md").read_text(encoding="utf-8")
    nlp.meta["version"] = VERSION
    nlp.meta["description"] = (
        "Statistical NER for METHOD/TASK/METRIC/DATASET in ML abstracts: ner (doc.ents, "
        "SciERC + SciREX conventions, tok2vec inlined) and tok2vec + kg_ner (doc.spans['kg'], "
        "the project's conventions); see README.md"
    )
    staging = target.with_name(target.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    nlp.to_disk(staging)
    (staging / "README.md").write_text(card, encoding="utf-8")
    shutil.rmtree(target)
    staging.rename(target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "work" / "kg")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--config", type=Path, default=HERE / "ner_kg.cfg")
    parser.add_argument("--init-tok2vec", type=Path, default=None,
                        help="pretrained tok2vec weights (default: pretrain them, ~6 min)")
    parser.add_argument("--pretrain-epochs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-export", action="store_true")
    args, rest = parser.parse_known_args(argv)
    from spacy.cli.train import train

    train_path, dev_path = corpora(args.workdir, args.data)
    overrides: dict[str, object] = {
        "paths.vectors": str(MODEL_DIR),  # (the static vectors of the shipped ner)
        "components.tok2vec.model.embed.include_static_vectors": True,
        "components.tok2vec.model.encode.depth": 2,
        "system.seed": args.seed,
    }
    for item in rest:
        key, _, value = item.lstrip("-").partition("=")
        overrides[key] = json.loads(value) if value[:1] in "0123456789[{-tfn" else value
    if args.init_tok2vec is None:
        args.init_tok2vec = pretrain_tok2vec(
            args.config, args.workdir, 0, args.pretrain_epochs, overrides, "vectors"
        )
    overrides.update({
        "paths.init_tok2vec": str(args.init_tok2vec),
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "training.max_epochs": args.epochs,
    })
    train(args.config, args.workdir / "output", overrides=overrides, use_gpu=-1)
    if not args.no_export:
        merge(args.workdir / "output" / "model-best", MODEL_DIR)
        print(f"added tok2vec + kg_ner to {MODEL_DIR}")


if __name__ == "__main__":
    main()
