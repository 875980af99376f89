"""An acronym the text defines means what its definition says there: ``the attack success
rate (ASR)`` makes every ``ASR`` of the text a metric, whatever the curated ``ASR`` (speech
recognition) is. The definition's type is that of the entity it ends in (``success rate``),
else of its head word; a definition that is one of the curated spellings changes nothing."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract import attrs
from kg.extract.ents import ents_of, relabel, set_ents
from kg.extract.gazetteer import TYPE_TO_LABEL, curated_meaning
from kg.extract.naming import type_from_head
from kg.extract.sentences import text_of


def defined_labels(doc: Doc) -> dict[str, str]:
    """The new label of each curated acronym the text defines with another meaning."""
    text, ents = text_of(doc), ents_of(doc)
    relabel: dict[str, str] = {}
    for ls, le, ss, se in attrs.get(doc, "abbreviations") or []:
        short = next((e for e in ents if (e.start_char, e.end_char) == (ss, se)), None)
        if short is None or not short.id_ or curated_meaning(short.id_, text[ls:le]):
            continue  # (not curated, or curated with this very meaning)
        head = next((e for e in ents if e.end_char == le and ls <= e.start_char), None)
        kind = type_from_head(text[ls:le])
        label = str(head.label_) if head is not None else kind and TYPE_TO_LABEL[kind]
        if label and label != short.label_:
            relabel[text[ss:se]] = label
    return relabel


def apply_definitions(doc: Doc) -> Doc:
    """Relabel every mention of the acronyms ``defined_labels`` finds (without their curated
    canonical name)."""
    labels = defined_labels(doc)
    if labels:
        spans = [relabel(doc, e, labels[e.text]) if e.text in labels else e for e in ents_of(doc)]
        set_ents(doc, spans)
    return doc
