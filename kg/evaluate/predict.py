"""Predictions from a fresh build: ingest, extract (with or without the model), resolve."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.evaluate.annotations import Annotation, pred_record
from kg.export.jsonl import paper_record
from kg.extract import extract_papers, load_nlp
from kg.ingest import read_paths
from kg.resolve import resolve


def predict(inputs: Iterable[str | Path], fast: bool = False) -> list[Annotation]:
    """Build ``inputs`` in memory and return each paper's record as an :class:`Annotation`."""
    papers, listings = read_paths(inputs)
    corpus = resolve(extract_papers(papers, load_nlp(model=not fast)), listings)
    return [pred_record(paper_record(x)) for x in corpus.extractions]
