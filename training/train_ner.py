"""Train the statistical NER shipped in ``kg/extract/model/`` (reproducible, CPU only).

Usage (from the repository root)::

    .venv/bin/python training/train_ner.py

It (1) converts SciERC train and SciREX train title+abstracts (and, with ``--tdmsci 1``,
TDMSci train, which has no Method labels; not used since 0.5.0) with
:mod:`kg.evaluate.corpora` into ``training/corpus/{train,dev}.spacy`` (SciERC dev is the
dev set), (2) runs ``spacy train`` with ``training/ner_biluo.cfg`` (fixed seed; the
tagger-style NER of ``kg/extract/biluo.py``; ``--config training/ner.cfg`` is the
transition-based NER of 0.4.0 and before) into ``training/output/`` on the mix (one copy
of each corpus, 5 epochs), (3) continues training
that pipeline on SciERC train only (``--finetune-epochs``, 10) into ``training/output-ft/``,
with a 10x lower learning rate (``--ft-learn-rate``, 0.0001 since 0.6.0), and (4) copies the best pipeline (blank English tokenizer + ner with its tok2vec inlined,
no optimizer state) to ``kg/extract/model/``, keeping the model card.

Options that are off by default (see the model card for what they gave):

* ``--vectors 100``: word2vec static vectors (gensim, skip-gram, seed 0) trained on the raw
  text of the SciREX full papers + NLP-TDMS ``pdfFile_txt`` and used through
  ``include_static_vectors``. The vectors travel in the model's ``vocab/``, but a pipeline
  that *sources* ``ner`` into ``spacy.blank("en")`` must copy them
  (``nlp.vocab.vectors = source.vocab.vectors``) or the component fails.
* ``--pretrain-epochs N``: ``spacy pretrain`` (masked words; ``--pretrain-objective``
  characters or vectors) of the tok2vec for N epochs on the same raw text (at most
  ``--pretrain-words``), then ``init_tok2vec`` in the first stage.

* ``--tdmsci 1 --tdmsci-o partial|missing``: TDMSci in the first stage with the tokens
  outside its entities taught as "O or METHOD" (``partial``) or as unlabelled
  (``missing``) instead of ``O``; ``--ft-tdmsci 1``: also in the fine-tuning stage.
* ``--stage1 PATH``: skip the first stage and fine-tune PATH (an earlier run's
  ``output/model-best``), for fine-tuning experiments.

Extra ``--key=value`` arguments are passed to spaCy as config overrides of the first stage,
e.g. ``--training.max_epochs=5``; ``--ft key=value`` (repeatable) overrides the
fine-tuning stage's config.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

import kg.extract.biluo  # noqa: E402, F401  (registers the kg_biluo_ner factory)
from kg.evaluate.corpora import (  # noqa: E402
    LABELS,
    SCIERC_TYPES,
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
VERSION = "0.7.0"  # of the exported model (meta.json); keep in step with the model card


#: Hidden label (``kg/extract/biluo.py``: learnt, never output) for SciERC's other
#: scientific terms with ``--scierc-other``.
OTHER = "_OTHER"


def read_scierc_other(path: Path) -> list[AnnotatedText]:
    """SciERC like :func:`read_scierc`, plus ``OtherScientificTerm`` spans as ``_Other``."""
    return list(read_scierc(path, {**SCIERC_TYPES, "OtherScientificTerm": "_Other"}))


def read_scierc_train(other: bool) -> list[AnnotatedText]:
    path = DATA / "scierc" / "train.json"
    return read_scierc_other(path) if other else list(read_scierc(path))


def training_texts(
    scierc: int, tdmsci: int, scirex: int, other: bool = False
) -> list[AnnotatedText]:
    """SciERC/TDMSci/SciREX training texts; each int is how many copies of that corpus."""
    texts: list[AnnotatedText] = []
    texts += read_scierc_train(other) * scierc
    texts += list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll")) * tdmsci
    scirex_texts = [t for t in read_scirex(DATA / "scirex" / "train.jsonl") if len(t.text) > 200]
    texts += scirex_texts * scirex
    random.Random(SEED).shuffle(texts)
    return texts


def pretrain_chunks(max_words: int = 200) -> list[str]:
    """Raw in-domain text for ``spacy pretrain``, in chunks of at most ~``max_words`` words.

    Sources (no labels used): the full texts of the SciREX train papers (``words``,
    detokenised per run of sentences; Apache-2.0) and the GROBID text of the 275 NLP-TDMS
    papers (``pdfFile_txt``; copyright of the papers' authors), ``section:`` lines dropped.
    """
    import json

    from kg.evaluate.corpora import detokenize

    chunks: list[str] = []
    with (DATA / "scirex" / "train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            words = record["words"]
            current: list[str] = []
            for start, end in record["sentences"]:
                sentence = [w for w in words[start:end] if w]
                if current and len(current) + len(sentence) > max_words:
                    chunks.append(detokenize(current)[0])
                    current = []
                current += sentence[: max_words * 2]
            if current:
                chunks.append(detokenize(current)[0])
    for path in sorted((DATA / "nlp-tdms" / "pdfFile_txt").glob("*.txt")):
        for para in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if para.startswith("section:") or len(para.split()) < 5:
                continue
            words = para.split()
            for i in range(0, len(words), max_words):
                chunks.append(" ".join(words[i : i + max_words]))
    return chunks


def write_pretrain_text(path: Path) -> int:
    """Write :func:`pretrain_chunks` as JSONL (``{"text": ...}``); returns the word count."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    n_words = 0
    with path.open("w", encoding="utf-8") as out:
        for chunk in pretrain_chunks():
            n_words += len(chunk.split())
            out.write(json.dumps({"text": chunk}) + "\n")
    return n_words


#: The labels TDMSci annotates (it has no methods).
TDMSCI_LABELS = ["TASK", "DATASET", "METRIC"]


def write_corpus(texts: list[AnnotatedText], path: Path, tdmsci_o: str = "o") -> int:
    """Tokenise ``texts`` with a blank English pipeline and save them as a DocBin.

    ``tdmsci_o``: what the tokens outside TDMSci's entities teach (TDMSci annotates no
    methods): ``o`` not an entity; ``missing`` nothing (no loss); ``partial`` not a
    task/dataset/metric, i.e. ``O`` or a method (``kg/extract/biluo.py``, ``PARTIAL``).
    """
    from kg.extract.biluo import PARTIAL

    nlp = spacy.blank("en")
    docs = to_spacy_docs(texts, nlp, {**LABELS, "_Other": OTHER})
    partial = False
    for doc in docs:
        if tdmsci_o != "o" and str(doc.user_data.get("id", "")).startswith("tdmsci-"):
            doc.set_ents(list(doc.ents), default="missing")
            if tdmsci_o == "partial":
                doc.user_data[PARTIAL] = TDMSCI_LABELS
                partial = True
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=partial).to_disk(path)
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
    nlp.meta["version"] = VERSION
    nlp.meta["description"] = (
        "Statistical NER (tagger-style, BILUO) for METHOD/TASK/METRIC/DATASET in ML "
        "abstracts (SciERC + SciREX, then SciERC fine-tuning); see README.md"
    )
    nlp.to_disk(target)
    if saved is not None:
        card.write_text(saved, encoding="utf-8")


def pretrain_tok2vec(
    config: Path,
    workdir: Path,
    max_words: int,
    epochs: int,
    overrides: dict[str, object] | None = None,
    objective: str = "characters",
) -> Path:
    """``spacy pretrain`` of the tok2vec (masked-LM style: 15% of the words are masked and
    the model predicts their first/last 4 characters, or with ``objective="vectors"`` their
    static vector) on at most ``max_words`` words of :func:`pretrain_chunks` (shuffled with
    the fixed seed; 0: all). ``overrides`` must contain the same architecture overrides as
    the training run (width, depth, static vectors), or the weights will not load.
    Returns the weights file of the last epoch."""
    from spacy.training.pretrain import pretrain

    chunks = pretrain_chunks()
    random.Random(SEED).shuffle(chunks)
    raw = workdir / "corpus" / "pretrain.jsonl"
    raw.parent.mkdir(parents=True, exist_ok=True)
    n_words = 0
    with raw.open("w", encoding="utf-8") as out:
        for chunk in chunks:
            if max_words and n_words >= max_words:
                break
            n_words += len(chunk.split())
            out.write(json.dumps({"text": chunk}) + "\n")
    print(f"pretraining text: {n_words} words", flush=True)
    output = workdir / "pretrain"
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    cfg_overrides = {
        k: v for k, v in (overrides or {}).items()
        if k.startswith(("components.tok2vec", "paths.vectors", "system."))
    }
    cfg_overrides.update({"paths.raw_text": str(raw), "pretraining.max_epochs": epochs})
    cfg = spacy.util.load_config(config, overrides=cfg_overrides, interpolate=False)
    if objective == "vectors":
        cfg["pretraining"]["objective"] = {
            "@architectures": "spacy.PretrainVectors.v1",
            "maxout_pieces": 3, "hidden_size": 300, "loss": "cosine",
        }
    cfg.to_disk(output / "config.cfg")
    pretrain(cfg.interpolate(), output, use_gpu=-1, silent=False)
    return output / "model-last.bin"


def train_vectors(workdir: Path, dims: int, rows: int, text: Path | None = None) -> Path:
    """word2vec (gensim, skip-gram, fixed seed, one worker) on all of :func:`pretrain_chunks`
    tokenised like the pipeline, at most ``rows`` words; converted with ``spacy init vectors``.
    Returns the spaCy vectors directory (for ``paths.vectors``)."""
    from spacy.training.initialize import convert_vectors

    if text is None:
        from gensim.models import Word2Vec

        nlp = spacy.blank("en")
        sentences = [
            [t.text for t in nlp.make_doc(chunk) if not t.is_space] for chunk in pretrain_chunks()
        ]
        w2v = Word2Vec(
            sentences, vector_size=dims, window=5, min_count=3, workers=1, sg=1, negative=5,
            epochs=5, seed=SEED, max_final_vocab=rows,
        )
        text = workdir / "vectors.txt"
        with text.open("w", encoding="utf-8") as out:
            out.write(f"{len(w2v.wv)} {dims}\n")
            for word in w2v.wv.index_to_key:
                out.write(word + " " + " ".join(f"{x:.5f}" for x in w2v.wv[word]) + "\n")
    target = workdir / "vectors"
    nlp = spacy.blank("en")
    convert_vectors(nlp, text, truncate=0, prune=-1, name="kg_sci_w2v")
    nlp.to_disk(target)
    return target


def finetune_config(config: Path, source: Path, workdir: Path) -> Path:
    """A copy of ``config`` whose tok2vec and ner are sourced from ``source`` (resumed)."""
    cfg = spacy.util.load_config(config)
    for name in ("tok2vec", "ner"):
        cfg["components"][name] = {"source": str(source)}
    path = workdir / "finetune.cfg"
    cfg.to_disk(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scierc", type=int, default=1, help="copies of SciERC train")
    parser.add_argument(
        "--tdmsci", type=int, default=0,
        help="copies of TDMSci train (0 since 0.5.0: it has no Method labels)",
    )
    parser.add_argument("--scirex", type=int, default=1, help="copies of SciREX abstracts")
    parser.add_argument("--config", type=Path, default=HERE / "ner_biluo.cfg")
    parser.add_argument("--workdir", type=Path, default=HERE, help="corpus/ and output/ go here")
    parser.add_argument("--no-export", action="store_true", help="do not write kg/extract/model")
    parser.add_argument(
        "--pretrain-epochs", type=int, default=0,
        help="spacy pretrain the tok2vec for this many epochs first (0: no pretraining)",
    )
    parser.add_argument(
        "--pretrain-words", type=int, default=0,
        help="pretrain on at most this many raw words (0: all of the raw text)",
    )
    parser.add_argument("--pretrain-objective", choices=("characters", "vectors"),
                        default="characters")
    parser.add_argument("--init-tok2vec", type=Path, default=None, help="reuse pretrained weights")
    parser.add_argument(
        "--vectors", type=int, default=0,
        help="train word2vec static vectors of this width and use them (0: none)",
    )
    parser.add_argument("--vector-rows", type=int, default=50000)
    parser.add_argument(
        "--vectors-file", type=Path, default=None, help="reuse word2vec text vectors (no gensim)"
    )
    parser.add_argument(
        "--finetune-epochs", type=int, default=10,
        help="then continue training on SciERC train only for this many epochs (0: none)",
    )
    parser.add_argument(
        "--scierc-other", action="store_true",
        help="train SciERC's OtherScientificTerm as a hidden label (tagger NER config only)",
    )
    parser.add_argument(
        "--tdmsci-o", choices=("o", "missing", "partial"), default="o",
        help="TDMSci tokens outside its entities: O, missing (no loss), or partial "
        "(O or METHOD: TDMSci has no method labels)",
    )
    parser.add_argument(
        "--ft-learn-rate", type=float, default=0.0001,
        help="Adam learning rate of the fine-tuning stage (0.6.0; the config's 0.001 before)",
    )
    parser.add_argument(
        "--ft-tdmsci", type=int, default=0,
        help="copies of TDMSci train in the fine-tuning stage too (with --tdmsci-o)",
    )
    parser.add_argument(
        "--ft", action="append", default=[], metavar="KEY=VALUE",
        help="config override of the fine-tuning stage (repeatable)",
    )
    parser.add_argument(
        "--stage1", type=Path, default=None,
        help="skip the first stage: fine-tune this stage-1 model-best of an earlier run",
    )
    args, rest = parser.parse_known_args(argv)
    overrides: dict[str, object] = {}
    for item in rest:
        key, _, value = item.lstrip("-").partition("=")
        overrides[key] = _parse(value)

    corpus = args.workdir / "corpus"
    n_train = write_corpus(
        training_texts(args.scierc, args.tdmsci, args.scirex, args.scierc_other),
        corpus / "train.spacy",
        args.tdmsci_o,
    )
    n_dev = write_corpus(list(read_scierc(DATA / "scierc" / "dev.json")), corpus / "dev.spacy")
    print(f"train docs: {n_train}, dev docs: {n_dev}", flush=True)

    from spacy.cli.train import train

    if args.vectors:
        overrides["paths.vectors"] = str(
            train_vectors(args.workdir, args.vectors, args.vector_rows, args.vectors_file)
        )
        overrides["components.tok2vec.model.embed.include_static_vectors"] = True
    if args.init_tok2vec is not None:
        overrides["paths.init_tok2vec"] = str(args.init_tok2vec)
    elif args.pretrain_epochs:
        weights = pretrain_tok2vec(
            args.config, args.workdir, args.pretrain_words, args.pretrain_epochs, overrides,
            args.pretrain_objective,
        )
        overrides["paths.init_tok2vec"] = str(weights)

    overrides["paths.train"] = str(corpus / "train.spacy")
    overrides["paths.dev"] = str(corpus / "dev.spacy")
    output = args.workdir / "output"
    if args.stage1 is not None:
        best = args.stage1
    else:
        train(args.config, output, overrides=overrides, use_gpu=-1)
        best = output / "model-best"
    if args.finetune_epochs:
        ft_texts = read_scierc_train(args.scierc_other)
        if args.ft_tdmsci:
            ft_texts += list(read_tdmsci(DATA / "tdmsci" / "train_1500_v2.conll")) * args.ft_tdmsci
            random.Random(SEED).shuffle(ft_texts)
        n_ft = write_corpus(ft_texts, corpus / "ft.spacy", args.tdmsci_o)
        print(f"fine-tuning on SciERC train ({n_ft} docs)", flush=True)
        ft_overrides = {
            k: v for k, v in overrides.items() if not k.startswith(("paths.", "training.", "components."))
        }
        ft_overrides.update(
            {
                "paths.train": str(corpus / "ft.spacy"),
                "paths.dev": str(corpus / "dev.spacy"),
                "paths.vectors": overrides.get("paths.vectors"),
                "training.max_epochs": args.finetune_epochs,
                "training.optimizer.learn_rate": args.ft_learn_rate,
            }
        )
        for item in args.ft:
            key, _, value = item.partition("=")
            ft_overrides[key] = _parse(value)
        ft_output = args.workdir / "output-ft"
        train(finetune_config(args.config, best, args.workdir), ft_output,
              overrides=ft_overrides, use_gpu=-1)
        best = ft_output / "model-best"
    if not args.no_export:
        export(best, MODEL_DIR)
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
