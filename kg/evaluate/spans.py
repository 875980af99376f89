"""Exact-span NER scores of the loaded pipeline on the shared annotated corpora.

A predicted entity counts when its start, end and type all equal a gold span's. Corpora are
read with :mod:`kg.evaluate.corpora` (SciERC ``Material`` is our ``Dataset``).
"""

from __future__ import annotations

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


def load_corpus(name: str, path: Path | None = None) -> tuple[list[AnnotatedText], tuple[str, ...]]:
    """The texts of a named corpus and the entity types it annotates."""
    if name not in CORPORA:
        raise InputError(name, f"unknown corpus; choose from {', '.join(sorted(CORPORA))}")
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
