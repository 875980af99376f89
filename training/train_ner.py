"""Train the statistical NER shipped in ``kg/extract/model/`` (reproducible, CPU only).

Usage (from the repository root)::

    .venv/bin/python training/train_ner.py

It (1) converts SciERC train, TDMSci train and SciREX train title+abstracts with
:mod:`kg.evaluate.corpora` into ``training/corpus/{train,dev}.spacy`` (SciERC dev is the
dev set), (2) runs ``spacy train`` with ``training/ner.cfg`` (fixed seed) into
``training/output/``, and (3) copies the best pipeline (blank English tokenizer +
ner with its tok2vec inlined, no optimizer state) to ``kg/extract/model/``, keeping the model card.
Extra ``--key=value`` arguments are passed to spaCy as config overrides, e.g.
``--training.max_epochs=5``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from kg.evaluate.corpora import (  # noqa: E402
    AnnotatedText,
    read_scierc,
    read_scirex,
    read_tdmsci,
    to_spacy_docs,
)

DATA = Path(os.environ.get("KG_SHARED_DATA", "/work/shared/data"))
HERE = Path(__file__).resolve().parent
MODEL_DIR = ROOT / "kg" / "extract" / "model"
SEED = 0


def training_texts(scierc: int, tdmsci: int, scirex: int) -> list[AnnotatedText]:
    """SciERC/TDMSci/SciREX training texts; each int is how many copies of that corpus."""
    texts: list[AnnotatedText] = []
    texts += list(read_scierc(DATA / "scierc" / "train.json")) * scierc
    texts += list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll")) * tdmsci
    scirex_texts = [t for t in read_scirex(DATA / "scirex" / "train.jsonl") if len(t.text) > 200]
    texts += scirex_texts * scirex
    random.Random(SEED).shuffle(texts)
    return texts


def write_corpus(texts: list[AnnotatedText], path: Path) -> int:
    """Tokenise ``texts`` with a blank English pipeline and save them as a DocBin."""
    nlp = spacy.blank("en")
    docs = to_spacy_docs(texts, nlp)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return len(docs)


def export(best: Path, target: Path) -> None:
    """Copy the trained pipeline to ``target``, keeping an existing README.md model card."""
    # Interpolate ${...} references first: replace_listeners copies the tok2vec config
    # into ner, and the references would dangle once the tok2vec section is removed.
    config = spacy.util.load_config(best / "config.cfg", interpolate=True)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.from_disk(best, exclude=["config.cfg"])
    # Make ``ner`` self-contained (its own copy of the tok2vec) so that it can be sourced
    # into another pipeline as one component, then drop the shared tok2vec.
    nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.remove_pipe("tok2vec")
    card = target / "README.md"
    saved = card.read_text(encoding="utf-8") if card.exists() else None
    if target.exists():
        shutil.rmtree(target)
    nlp.meta["name"] = "kg_sci_ner"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = (
        "Statistical NER for METHOD/TASK/METRIC/DATASET in ML abstracts "
        "(SciERC + TDMSci + SciREX); see README.md"
    )
    nlp.to_disk(target)
    if saved is not None:
        card.write_text(saved, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scierc", type=int, default=2, help="copies of SciERC train")
    parser.add_argument("--tdmsci", type=int, default=1, help="copies of TDMSci train")
    parser.add_argument("--scirex", type=int, default=1, help="copies of SciREX abstracts")
    parser.add_argument("--config", type=Path, default=HERE / "ner.cfg")
    parser.add_argument("--workdir", type=Path, default=HERE, help="corpus/ and output/ go here")
    parser.add_argument("--no-export", action="store_true", help="do not write kg/extract/model")
    args, rest = parser.parse_known_args(argv)
    overrides: dict[str, object] = {}
    for item in rest:
        key, _, value = item.lstrip("-").partition("=")
        overrides[key] = _parse(value)

    corpus = args.workdir / "corpus"
    n_train = write_corpus(
        training_texts(args.scierc, args.tdmsci, args.scirex), corpus / "train.spacy"
    )
    n_dev = write_corpus(list(read_scierc(DATA / "scierc" / "dev.json")), corpus / "dev.spacy")
    print(f"train docs: {n_train}, dev docs: {n_dev}", flush=True)

    from spacy.cli.train import train

    overrides["paths.train"] = str(corpus / "train.spacy")
    overrides["paths.dev"] = str(corpus / "dev.spacy")
    output = args.workdir / "output"
    train(args.config, output, overrides=overrides, use_gpu=-1)
    if not args.no_export:
        export(output / "model-best", MODEL_DIR)
        print(f"exported to {MODEL_DIR}")


def _parse(value: str) -> object:
    """Parse a command-line override value like spaCy's CLI (JSON-ish, else string)."""
    import json

    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


if __name__ == "__main__":
    main()
