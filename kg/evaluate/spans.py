"""Exact-span NER scores of the loaded pipeline on the shared annotated corpora.

A predicted entity counts when its start, end and type all equal a gold span's. Corpora are
read with :mod:`kg.evaluate.corpora` (SciERC ``Material`` is our ``Dataset``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language

from kg.errors import InputError
from kg.evaluate.corpora import AnnotatedText, read_scierc, read_scirex, read_tdmsci
from kg.evaluate.scorer import Counts
from kg.extract.gazetteer import LABEL_TO_TYPE
from kg.extract.pipeline import one_blas_thread

#: Where ``../shared/data`` lives; override with the ``KG_SHARED_DATA`` environment variable.
DATA_DIR = Path(os.environ.get("KG_SHARED_DATA", "/work/shared/data"))

Reader = Callable[[Path], Iterator[AnnotatedText]]
#: name -> (file under the data folder, reader, entity types annotated in that corpus)
CORPORA: dict[str, tuple[str, Reader, tuple[str, ...]]] = {
    "scierc-dev": ("scierc/dev.json", read_scierc, ("Method", "Task", "Metric", "Dataset")),
    "scierc-train": ("scierc/train.json", read_scierc, ("Method", "Task", "Metric", "Dataset")),
    "tdmsci": ("tdmsci/train_1500_v2.conll", read_tdmsci, ("Task", "Metric", "Dataset")),
    "scirex": ("scirex/train.jsonl", read_scirex, ("Method", "Task", "Metric", "Dataset")),
}


def corpus_format(path: Path) -> str:
    """``scierc``, ``scirex`` or ``tdmsci``: the format of an annotated corpus file, from its
    first record (SciERC and SciREX JSON lines, TDMSci CoNLL ``token<TAB>offset<TAB>tag``)."""
    with path.open(encoding="utf-8") as handle:
        first = next((line for line in handle if line.strip()), "")
    if first.lstrip().startswith("{"):
        try:
            keys = set(json.loads(first))
        except json.JSONDecodeError as err:
            raise InputError(str(path), f"not JSON lines: {err.msg}", 1) from None
        if {"sentences", "ner", "doc_key"} <= keys:
            return "scierc"
        if {"words", "ner", "coref"} <= keys:
            return "scirex"
        raise InputError(str(path), "JSON lines with neither SciERC nor SciREX keys", 1)
    if len(first.rstrip("\n").split("\t")) == 3:
        return "tdmsci"
    raise InputError(str(path), "not a SciERC/SciREX JSON lines or TDMSci CoNLL file", 1)


FORMATS: dict[str, tuple[Reader, tuple[str, ...]]] = {
    "scierc": (read_scierc, ("Method", "Task", "Metric", "Dataset")),
    "scirex": (read_scirex, ("Method", "Task", "Metric", "Dataset")),
    "tdmsci": (read_tdmsci, ("Task", "Metric", "Dataset")),
}


def load_corpus(name: str, path: Path | None = None) -> tuple[list[AnnotatedText], tuple[str, ...]]:
    """The texts of a corpus and the entity types it annotates. ``name`` is a corpus of
    ``CORPORA`` (found under ``$KG_SHARED_DATA``, or at ``path``) or the path of a corpus
    file in one of their formats (a held-out split, say: SciERC ``test.json``, TDMSci
    ``test_500_v2.conll``), whose format is read from its first record."""
    if name not in CORPORA:
        file = Path(name)
        if not file.is_file():
            known = ", ".join(sorted(CORPORA))
            raise InputError(name, f"no such file, nor a corpus name ({known})")
        reader, types = FORMATS[corpus_format(file)]
        return list(reader(file)), types
    relative, reader, types = CORPORA[name]
    file = path or DATA_DIR / relative
    if not file.exists():
        raise InputError(str(file), "corpus file not found (set KG_SHARED_DATA)")
    return list(reader(file)), types


def predicted_spans(
    nlp: Language, texts: Sequence[AnnotatedText]
) -> list[set[tuple[int, int, str]]]:
    """(start, end, type) of every entity the pipeline finds in each text."""
    with one_blas_thread():
        return [
            {
                (e.start_char, e.end_char, LABEL_TO_TYPE[e.label_])
                for e in doc.ents
                if e.label_ in LABEL_TO_TYPE
            }
            for doc in nlp.pipe([t.text for t in texts], batch_size=64)
        ]


def span_scores(
    texts: Sequence[AnnotatedText],
    predictions: Iterable[set[tuple[int, int, str]]],
    types: Sequence[str],
) -> dict[str, Counts]:
    """Exact-span counts per type, plus ``micro`` over ``types``."""
    counts = {t: Counts() for t in (*types, "micro")}
    for text, pred in zip(texts, predictions, strict=True):
        gold = {s for s in text.spans if s[2] in types}
        pred = {s for s in pred if s[2] in types}
        for kind in types:
            g = {s for s in gold if s[2] == kind}
            p = {s for s in pred if s[2] == kind}
            counts[kind].add(Counts(len(g & p), len(g), len(p)))
        counts["micro"].add(Counts(len(gold & pred), len(gold), len(pred)))
    return counts
