"""Curated names as whole words and their variants: a curated match inside a longer word is
dropped (``DPO`` in ``Step-DPO``), and a dataset's or model's name is extended over its
split, version or variant (``MS COCO 2017-5k``, ``BFCL v3``, ``Gemini 2.5 Flash``)."""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.extract.ents import ents_of, set_ents
from kg.extract.naming import BUILT_ON_NAME, DATA_SUFFIX, MODEL_SUFFIX, SPLIT_SUFFIX
from kg.extract.sentences import text_of


@Language.factory("kg_variants")
def make_variants(nlp: Language, name: str) -> Any:
    """Extend a dataset name over its split, resolution or version (``MS COCO 2017-5k``,
    ``ImageNet 512x512``, ``BFCL v3``) and a model's over its version, size and variant
    (``Gemini 2.5 Flash``, ``Qwen 3 32b``, ``DeepSeek R1-7B``); variants stay apart from each
    other (see the resolve stage)."""

    def component(doc: Doc) -> Doc:
        ents = []
        for ent in ents_of(doc):
            suffix = DATA_SUFFIX if ent.label_ == "DATASET" else MODEL_SUFFIX
            match = suffix.match(text_of(doc), ent.end_char)
            if ent.label_ in ("DATASET", "METHOD") and match:
                longer = doc.char_span(ent.start_char, match.end(), label=ent.label_)
                if longer is not None:
                    ent = longer  # (a new name: the curated one's canonical name is dropped)
            ents.append(ent)
        set_ents(doc, filter_spans(ents))
        return doc

    return component


GLUE = frozenset("-/_+")


def glued(text: str, start: int, end: int) -> bool:
    """True when a span is only part of a word (``DPO`` in ``Step-DPO``, not ``BERT-based``)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    return (
        before.isalnum()
        or (before in GLUE and start > 1 and text[start - 2].isalnum())
        or after.isalnum()
        or (after in GLUE and after2.isalnum() and not BUILT_ON_NAME.match(text, end))
    )


NOT_A_METRIC = re.compile(
    r"\b(?:significant|full|mixed|half|numerical|floating|single|double|arbitrary|"
    r"(?:sub-)?\d+-bit)[\s-]$",
    re.I,
)


@Language.factory("kg_whole_words")
def make_whole_words(nlp: Language, name: str) -> Any:
    """Drop curated matches that are only part of a longer word (``DPO`` in ``Step-DPO``),
    keeping split variants (``FID-5k``), and metric words used as descriptions (``full
    precision``, ``significant latency``)."""

    def component(doc: Doc) -> Doc:
        kept = []
        for ent in ents_of(doc):
            if glued(text_of(doc), ent.start_char, ent.end_char):
                match = SPLIT_SUFFIX.match(text_of(doc), ent.end_char)
                longer = match and doc.char_span(ent.start_char, match.end(), label=ent.label_)
                if not longer or glued(text_of(doc), longer.start_char, longer.end_char):
                    continue
                ent = longer
            if ent.label_ == "METRIC" and NOT_A_METRIC.search(
                text_of(doc), max(0, ent.start_char - 24), ent.start_char
            ):
                continue
            kept.append(ent)
        set_ents(doc, filter_spans(kept))
        return doc

    return component
